/** Byte-stable serialization of plain data. Pure. */

/** Objects with keys sorted, recursively, so serializations are byte-stable. */
export function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
}

/** Stable JSON with sorted keys and a trailing newline. */
export const stableJson = (value: unknown): string => `${JSON.stringify(canonical(value), null, 2)}\n`;
