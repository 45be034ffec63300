/**
 * The platform config validated as strictly as the catalog: every `tenant-apps:*` key read
 * (unknown ones reported, not dropped), JSON that does not parse reported by key without
 * echoing the value, numbers and booleans coerced only where the schema expects them, and
 * the rules a schema cannot express: the stack's environment, the database host, the public
 * base URL, the LimitRange's defaults and the name patterns on their own. Messages name the
 * config key and never print a value that might hold a secret (a URL's userinfo, a host).
 * Pure.
 */
import { z } from "zod/v3";
import { appTypes } from "./appTypes";
import { nameRules } from "./catalog/resolve";
import type { PlatformConfig } from "./config";
import { appNames, fillPattern, patternPlaceholders, type AppNames, type NameParts, type NamePatterns } from "./naming";
import { isRequestWithinLimit, isReservedNamespace } from "./rules";

/** Where `rawConfigOf` leaves the problems it found while reading, for `parsePlatformConfig` to report. */
export const rawConfigProblems = Symbol("tenant-apps raw config problems");

/** What `rawConfigOf` needs to know about the project's keys. */
export interface ConfigKeys {
    readonly namespace: string;
    readonly plain: readonly string[];
    readonly secret: readonly string[];
}

/** The problems `rawConfigOf` attached to a raw config, if any. */
export function problemsOfRaw(raw: Record<string, unknown>): string[] {
    const found = (raw as { [rawConfigProblems]?: unknown })[rawConfigProblems];
    return Array.isArray(found) ? found.filter((p): p is string => typeof p === "string") : [];
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
 * expects them). Problems are attached under `rawConfigProblems`.
 */
export function rawConfigOf(get: (key: string) => string | undefined, keys: readonly string[], known: ConfigKeys): Record<string, unknown> {
    const raw: Record<string, unknown> = { region: get("aws:region") };
    const problems: string[] = [];
    const prefix = `${known.namespace}:`;
    const names = new Set(known.plain);
    for (const full of keys) {
        // Older CLIs hand keys to programs as `namespace:config:key`.
        const key = full.replace(/^([^:]+):config:/, "$1:");
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        if (names.has(name) || known.secret.includes(name)) continue;
        const close = [...known.plain, ...known.secret].filter((k) => distance(k, name) <= 2);
        problems.push(
            `${key}: unknown config key${close.length > 0 ? ` (did you mean ${close.map((k) => prefix + k).join(" or ")}?)` : ""}; allowed: ${known.plain.join(", ")}, and the secret keys ${known.secret.join(", ")}`,
        );
    }
    for (const name of known.plain) {
        const text = get(prefix + name);
        if (text === undefined) continue;
        if (/^\s*[[{]/.test(text)) {
            try {
                raw[name] = JSON.parse(text) as unknown;
            } catch (error) {
                // Node's message quotes the text, which may hold a secret: keep only the position.
                const at = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
                problems.push(
                    `${prefix}${name}: is not valid JSON${at !== undefined ? ` (at character ${at})` : ""}; write it as a YAML mapping or list`,
                );
            }
        } else raw[name] = text;
    }
    if (problems.length > 0) Object.defineProperty(raw, rawConfigProblems, { value: problems, enumerable: false });
    return raw;
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

/** A host name alone: DNS labels, no scheme, port, userinfo, path, query or fragment. */
export const isHostNameOnly = (host: string): boolean =>
    host.length <= 253 && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i.test(host);

/**
 * An https base URL: a host, an optional port and path of plain segments; no userinfo, query,
 * fragment, `.`/`..` segments, empty segments, escapes or trailing slash.
 */
export function isPlainHttpsBaseUrl(url: string): boolean {
    const match = /^https:\/\/([a-z0-9.-]+)(:\d{1,5})?((\/[A-Za-z0-9_~.-]+)*)$/.exec(url);
    if (match === null || !isHostNameOnly(match[1] ?? "")) return false;
    return (match[3] ?? "").split("/").every((s, i) => i === 0 || (s !== "." && s !== ".."));
}

/** Placeholders a pattern needs so that two organizations or two apps never share a name. */
const requiredPlaceholders: Record<keyof NamePatterns, ReadonlyArray<readonly string[]>> = {
    namespace: [["org"]],
    service: [["app"]],
    serviceAccount: [["app"]],
    schema: [["org"], ["app"]],
    role: [["org"], ["app"]],
    secret: [["org"], ["app"]],
    hostname: [["app"], ["org", "domain"]],
    tlsSecret: [],
    deliveredSecret: [["app"]],
    // Under {prefix}/{org}/{app}/, so it needs neither; the live platform uses a fixed `latest`/`dev`.
    assetsSegment: [],
};

/** Sample names for a pattern check: the shortest possible, and names with hyphens. */
const samples = (env: PlatformConfig["env"]): NameParts[] =>
    appTypes.flatMap((type) => [
        { org: "a", app: "b", env, type, domain: "c.io" },
        { org: "a-1", app: "b-2", env, type, domain: "xn--bcher-kva.example" },
    ]);

/** Problems of the name patterns on their own, for every possible organization and app, each naming its config key. */
export function namePatternProblems(platform: PlatformConfig, namespace = "tenant-apps"): string[] {
    const problems: string[] = [];
    const patterns = platform.names;
    for (const key of Object.keys(requiredPlaceholders) as Array<keyof NamePatterns>) {
        const configKey = key === "tlsSecret" ? `${namespace}:tls.secretName (or names.tlsSecret)` : `${namespace}:names.${key}`;
        const pattern = patterns[key];
        const unknown = [...pattern.matchAll(/\{([^{}]*)\}/g)]
            .map((m) => m[1] ?? "")
            .filter((p) => !(patternPlaceholders as readonly string[]).includes(p));
        if (unknown.length > 0 || /[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ""))) {
            problems.push(
                `${configKey}: "${pattern}" has ${unknown.length > 0 ? `unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(", ")}` : "an unmatched brace"}; allowed: ${patternPlaceholders.map((p) => `{${p}}`).join(", ")}`,
            );
            continue;
        }
        for (const anyOf of requiredPlaceholders[key]) {
            if (!anyOf.some((p) => pattern.includes(`{${p}}`))) {
                problems.push(
                    `${configKey}: "${pattern}" lacks ${anyOf.map((p) => `{${p}}`).join(" or ")}, so two ${anyOf.includes("app") ? "apps" : "organizations"} would get the same name`,
                );
            }
        }
        if (key === "assetsSegment") continue; // a key segment, not a name of its own
        const nameKey: keyof AppNames = key === "role" ? "iamRole" : key;
        const rule = nameRules.find((r) => r.key === nameKey);
        if (rule === undefined) continue;
        for (const parts of samples(platform.env)) {
            const value = appNames(patterns, parts, "")[nameKey];
            if (Buffer.byteLength(value) > rule.max) {
                problems.push(
                    `${configKey}: "${pattern}" gives "${value}" (${Buffer.byteLength(value)} characters) even for the shortest names; a ${rule.what} has at most ${rule.max}`,
                );
                break;
            }
            if (!rule.pattern.test(value)) {
                problems.push(`${configKey}: "${pattern}" gives "${value}", which is not ${rule.allowed} (${rule.what})`);
                break;
            }
        }
    }
    const namespaceOf = fillPattern(patterns.namespace, { org: "a", app: "b", env: platform.env, type: "custom", domain: "c.io" });
    if (isReservedNamespace(namespaceOf, platform.reservedNamespaces)) {
        problems.push(
            `${namespace}:names.namespace: "${patterns.namespace}" gives namespaces such as "${namespaceOf}", which the platform reserves`,
        );
    }
    return problems;
}

/** Every rule of a parsed platform config that its schema cannot express. */
export function platformConfigProblems(platform: PlatformConfig, namespace = "tenant-apps"): string[] {
    const problems: string[] = [];
    if ((platform.stack === "pre" || platform.stack === "pro") && platform.env !== platform.stack) {
        problems.push(
            `${namespace}:environment: "${platform.env}" in stack "${platform.stack}" would render ${platform.env} names into ${platform.stack}; remove the key or set it to ${platform.stack}`,
        );
    }
    if (!isHostNameOnly(platform.database.host)) {
        problems.push(
            `${namespace}:database.host: must be a host name only, such as db.cluster-x.eu-west-1.rds.amazonaws.com: no scheme, user, password, port, path, query or fragment (it becomes part of every app's DB_URI)`,
        );
    }
    if (!isPlainHttpsBaseUrl(platform.storage.publicBaseUrl)) {
        problems.push(
            `${namespace}:storage.publicBaseUrl: must be https://host[/path] with plain path segments: no user or password, query, fragment, "." or ".." segments, escapes or trailing slash`,
        );
    }
    const { defaultRequest, defaultLimit } = platform.namespaceDefaults;
    for (const resource of ["cpu", "memory"] as const) {
        if (!isRequestWithinLimit(resource, defaultRequest[resource], defaultLimit[resource])) {
            problems.push(
                `${namespace}:namespaceDefaults.defaultRequest.${resource}: ${defaultRequest[resource]} is greater than defaultLimit.${resource} ${defaultLimit[resource]}; the LimitRange would be refused (defaultRequest ≤ defaultLimit)`,
            );
        }
    }
    problems.push(...namePatternProblems(platform, namespace));
    return problems;
}
