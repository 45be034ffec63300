/**
 * Limits of the cluster and the container runtime, checked on the catalog before anything is
 * registered, each message naming the rule: env strings the kernel would refuse or cut, keys
 * JavaScript objects cannot carry, scale beyond the organization's pod quota, and hostnames
 * that are IP addresses. Pure.
 */
import {
    envEntryBytes,
    hasNulByte,
    isIpAddressLike,
    isScaleWithinQuota,
    isUnsafeObjectKey,
    maxEnvEntryBytes,
    maxEnvTotalBytes,
} from "../rules";
import type { ParsedFile, ProblemSink } from "./problems";
import type { RawCatalogFile } from "./schema";
import type { OrganizationSpec } from "./types";

/** Deeper than any catalog needs; deeper values are not searched (the schema refuses them anyway). */
const maxDepth = 16;

/**
 * Paths of keys such as `__proto__` anywhere in a parsed YAML value. The schema cannot see
 * them: zod's record drops `__proto__` and the parsed object would lose it silently.
 */
export function unsafeKeyPaths(value: unknown, at: readonly PropertyKey[] = []): PropertyKey[][] {
    if (at.length > maxDepth || typeof value !== "object" || value === null) return [];
    const found: PropertyKey[][] = [];
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(value)
        ? value.map((v, i): [PropertyKey, unknown] => [i, v])
        : Object.getOwnPropertyNames(value).map((k): [PropertyKey, unknown] => [k, (value as Record<string, unknown>)[k]]);
    for (const [key, child] of entries) {
        if (typeof key === "string" && isUnsafeObjectKey(key)) found.push([...at, key]);
        else found.push(...unsafeKeyPaths(child, [...at, key]));
    }
    return found;
}

/** Reports every `__proto__`-like key of a file's parsed value. Returns whether any was found. */
export function reportUnsafeKeys(parsed: ParsedFile, value: unknown, sink: ProblemSink): boolean {
    const paths = unsafeKeyPaths(value);
    for (const p of paths) {
        sink.add(
            parsed,
            p,
            `the key "${String(p[p.length - 1])}" is refused: a JavaScript object cannot hold it as data, so it would be silently dropped`,
        );
    }
    return paths.length > 0;
}

/** Checks env, scale and hostnames of one resolved organization against the cluster's and the runtime's limits. */
export function checkRuntimeLimits(parsed: ParsedFile, raw: RawCatalogFile, org: OrganizationSpec, sink: ProblemSink): void {
    const domains: Array<[PropertyKey[], string]> = [
        [["domain"], raw.domain],
        ...(raw.domains ?? []).map((d, i): [PropertyKey[], string] => [["domains", i], d]),
    ];
    for (const [field, host] of domains) if (isIpAddressLike(host)) sink.add(parsed, field, ipMessage(host));
    /** Each resolved app by name, the first of a name winning (one lookup per app, not a scan). */
    const appsByName = new Map<string, OrganizationSpec["apps"][number]>();
    for (const app of org.apps) if (!appsByName.has(app.name)) appsByName.set(app.name, app);
    raw.apps.forEach((rawApp, index) => {
        const at = (...field: PropertyKey[]) => ["apps", index, ...field];
        if (rawApp.hostname !== undefined && isIpAddressLike(rawApp.hostname)) sink.add(parsed, at("hostname"), ipMessage(rawApp.hostname));
        let total = 0;
        for (const [name, value] of Object.entries(rawApp.env ?? {})) {
            const bytes = envEntryBytes(name, value);
            total += bytes;
            if (hasNulByte(value)) {
                sink.add(parsed, at("env", name), "the value holds a NUL byte; the kernel ends an environment string at NUL, so remove it");
            } else if (bytes > maxEnvEntryBytes) {
                sink.add(
                    parsed,
                    at("env", name),
                    `${name}=… is ${bytes} bytes; Linux refuses an environment string over ${maxEnvEntryBytes} bytes (MAX_ARG_STRLEN, 128 KiB), so the container could not start`,
                );
            }
        }
        if (total > maxEnvTotalBytes) {
            sink.add(
                parsed,
                at("env"),
                `the env holds ${total} bytes; an app's env may hold at most ${maxEnvTotalBytes} bytes (256 KiB), which keeps its KNative Service under etcd's 1.5 MiB object limit`,
            );
        }
        const app = appsByName.get(rawApp.name);
        if (app === undefined) return;
        const pods = org.quota.pods;
        if (!isScaleWithinQuota(app.scale.max, pods)) {
            sink.add(
                parsed,
                at("scale", "max"),
                `max-scale ${app.scale.max} is more than the organization's pod quota (${pods} pods); max-scale must be a whole number ≤ quota.pods`,
            );
        }
        if (!isScaleWithinQuota(app.scale.min, pods)) {
            sink.add(
                parsed,
                at("scale", "min"),
                `min-scale ${app.scale.min} is more than the organization's pod quota (${pods} pods); those pods could never all start`,
            );
        }
    });
}

const ipMessage = (host: string): string =>
    `"${host}" is an IP address; a DomainMapping needs a DNS name (punycode xn-- labels are fine), so use a hostname`;
