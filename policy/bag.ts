/** Small readers for the untyped property bags the engine hands to policies. Pure. */

export type Bag = Record<string, unknown>;

export function isBag(value: unknown): value is Bag {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` of a property bag, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (!isBag(current)) return undefined;
        current = current[key];
    }
    return current;
}

export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
export const quantity = (value: unknown): string | undefined =>
    typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;
