/**
 * Reading the raw config values as the Pulumi CLI hands them to a program (every value a
 * string, objects as JSON): every `tenant-apps:*` key is read, so a mistyped one is reported
 * rather than never read; JSON that does not parse is reported by key without echoing the
 * value; numbers and booleans are coerced only where the schema expects them. Pure.
 */
import { z } from "zod/v3";
import type { ConfigProblem } from "./problems";
import { configNamespace, plainConfigKeys, secretConfigKeys } from "./schema";

/** What `rawConfigOf` needs to know about the project's keys. */
export interface ConfigKeys {
    readonly namespace: string;
    readonly plain: readonly string[];
    readonly secret: readonly string[];
}

/** The plain values of a stack's config (objects parsed), and the problems found reading them. */
export interface RawConfig {
    /** `region` (from `aws:region`) and every plain key of the namespace that is set. */
    readonly values: Record<string, unknown>;
    readonly problems: readonly ConfigProblem[];
}

/** Edit distance, for "did you mean" on a mistyped key. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0] ?? 0;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j] ?? 0;
            row[j] = Math.min(
                (row[j] ?? 0) + 1,
                (row[j - 1] ?? 0) + 1,
                previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
            );
            previous = current;
        }
    }
    return row[b.length] ?? 0;
}

/**
 * Reads every plain key of the project's namespace. `keys` lists every config key the stack
 * has (so a mistyped key is reported rather than never read); `get` answers one. Objects and
 * lists are parsed from JSON; everything else stays text (the schema coerces numbers where it
 * expects them).
 */
export function rawConfigOf(get: (key: string) => string | undefined, keys: readonly string[], known: ConfigKeys): RawConfig {
    const values: Record<string, unknown> = { region: get("aws:region") };
    const problems: ConfigProblem[] = [];
    const prefix = `${known.namespace}:`;
    const names = new Set(known.plain);
    for (const full of keys) {
        // Older CLIs hand keys to programs as `namespace:config:key`.
        const key = full.replace(/^([^:]+):config:/, "$1:");
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        if (names.has(name) || known.secret.includes(name)) continue;
        const close = [...known.plain, ...known.secret].filter((k) => distance(k, name) <= 2);
        problems.push({
            key,
            message: `unknown config key${close.length > 0 ? ` (did you mean ${close.map((k) => prefix + k).join(" or ")}?)` : ""}; allowed: ${known.plain.join(", ")}, and the secret keys ${known.secret.join(", ")}`,
        });
    }
    for (const name of known.plain) {
        const text = get(prefix + name);
        if (text === undefined) continue;
        if (/^\s*[[{]/.test(text)) {
            try {
                values[name] = JSON.parse(text) as unknown;
            } catch (error) {
                // Node's message quotes the text, which may hold a secret: keep only the position.
                const at = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
                problems.push({
                    key: `${prefix}${name}`,
                    message: `is not valid JSON${at !== undefined ? ` (at character ${at})` : ""}; write it as a YAML mapping or list`,
                });
            }
        } else values[name] = text;
    }
    return { values, problems };
}

/**
 * The raw values `parsePlatformConfig` takes, from config as the Pulumi CLI hands it to a
 * program: `get` answers a full key such as `tenant-apps:database` or `aws:region`, and
 * `allKeys` lists every key the stack sets, so a mistyped one is reported.
 */
export function rawPlatformConfigOf(get: (key: string) => string | undefined, allKeys: readonly string[] = []): RawConfig {
    return rawConfigOf(get, allKeys, { namespace: configNamespace, plain: plainConfigKeys, secret: secretConfigKeys });
}

/** A config value as text, for a number or boolean the schema expects: `"5432"` → 5432, `"true"` → true. */
export function coerceToSchema(schema: z.ZodTypeAny, value: unknown): unknown {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable)
        return coerceToSchema(schema._def.innerType as z.ZodTypeAny, value);
    if (schema instanceof z.ZodEffects) return coerceToSchema(schema._def.schema as z.ZodTypeAny, value);
    if (schema instanceof z.ZodNumber) return typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (schema instanceof z.ZodBoolean) return value === "true" ? true : value === "false" ? false : value;
    if (schema instanceof z.ZodArray && Array.isArray(value)) return value.map((v) => coerceToSchema(schema.element as z.ZodTypeAny, v));
    if (schema instanceof z.ZodObject && typeof value === "object" && value !== null && !Array.isArray(value)) {
        const shape = schema.shape as Record<string, z.ZodTypeAny>;
        const out: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value)) out[key] = shape[key] !== undefined ? coerceToSchema(shape[key], v) : v;
        return out;
    }
    return value;
}
