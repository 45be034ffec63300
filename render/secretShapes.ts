/**
 * What a reviewer may see of an app's secret: its keys, and each value's shape with only the
 * secret parts masked (`postgres://world_r3s3t_pro:[secret]@host:5432/db?sslmode=verify-full`),
 * plus a keyed fingerprint per key so a diff can name the keys whose value changed. Pure.
 */
import { secretMarker } from "./evaluate";

/** One key of a secret document as plan.json shows it. */
export interface SecretKeyShape {
    /** The value with its secret parts replaced by `[secret]` (a whole secret value shows as just that); `""` when empty. */
    readonly shape: string;
    /** Truncated HMAC-SHA256 of the value under the plan's fingerprint key (render/fingerprint.ts). */
    readonly fingerprint: string;
}

/** Keys whose value is a non-secret name the program derives. */
const plainKeys = new Set(["DB_SCHEMA"]);

/** Keys whose value is a URL with credentials in its userinfo: only the password part is secret. */
const urlKeys = new Set(["DB_URI", "POSTGRES_URL", "ASSETS_S3_URI"]);

/** The shape of one value of an app's secret. */
export function shapeOf(key: string, value: string): string {
    if (value === "") return "";
    if (plainKeys.has(key)) return value;
    if (urlKeys.has(key)) {
        const match = /^([a-z][a-z0-9+.-]*:\/\/)([^:@/]*):([^@]*)@(.*)$/.exec(value);
        if (match) return `${match[1] ?? ""}${match[2] ?? ""}:${secretMarker}@${match[4] ?? ""}`;
    }
    return secretMarker;
}

/**
 * The keys of a secret document (a flat JSON object of strings, as a SecretVersion's
 * `secretString` holds it), each with its shape and fingerprint; undefined for anything else.
 */
export function secretKeyShapes(document: unknown, fingerprint: (v: unknown) => string): Record<string, SecretKeyShape> | undefined {
    if (typeof document !== "string" || !document.startsWith("{")) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(document);
    } catch {
        return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const out: Record<string, SecretKeyShape> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (typeof value !== "string") return undefined;
        out[key] = { shape: shapeOf(key, value), fingerprint: fingerprint(value) };
    }
    return out;
}
