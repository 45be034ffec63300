/**
 * Keyed fingerprints of secret values: HMAC-SHA256 under a key derived per stack from a secret
 * that never appears in a render, truncated. A plan holds the fingerprints and the key's id (an
 * HMAC of a fixed label, which says nothing about the key); without the secret nobody can
 * compute a fingerprint, so a guess of a value ("postgres") cannot be confirmed from a plan.
 * Two renders fingerprinted with the same secret and stack can be diffed value by value.
 */
import { createHmac, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { canonical } from "./canonical";

/** How a plan fingerprints secret values. */
export interface FingerprintKey {
    /** Public id of the key (`hmac-sha256:` and 16 hex digits): renders are comparable when it matches. */
    readonly id: string;
    /** The fingerprint of one value. */
    readonly fingerprint: (value: unknown) => string;
}

/** Environment variable holding the fingerprint secret (at least 32 characters); see docs/render.md. */
export const fingerprintSecretEnv = "TENANT_APPS_FINGERPRINT_KEY";

const hmacHex = (key: Buffer | string, message: string): string => createHmac("sha256", key).update(message).digest("hex");

/** The fingerprint key of one stack: HMAC-SHA256(secret, label ‖ stack), so each stack fingerprints differently. */
export function stackFingerprintKey(secret: Buffer | string, stack: string): FingerprintKey {
    const key = createHmac("sha256", secret).update(`tenant-apps render fingerprint key\u0000${stack}`).digest();
    return {
        id: `hmac-sha256:${hmacHex(key, "tenant-apps render fingerprint key id").slice(0, 16)}`,
        fingerprint: (value) => `hmac-sha256:${hmacHex(key, JSON.stringify(canonical(value))).slice(0, 16)}`,
    };
}

/** A secret drawn once per process and held only in memory: fingerprints comparable within this process only. */
export const processFingerprintSecret: Buffer = randomBytes(32);

/**
 * The secret the `render` command fingerprints with: `TENANT_APPS_FINGERPRINT_KEY` when set,
 * else a random one kept in the user's cache directory (created on first use, mode 0600), so
 * the two renders a diff compares on one machine (the PR job renders base and head on one
 * runner) share it. Never written into a render. Throws when the secret is too short.
 */
export function userFingerprintSecret(env: NodeJS.ProcessEnv = process.env): string {
    const given = env[fingerprintSecretEnv];
    if (given !== undefined && given !== "") {
        if (given.length < minimumSecretLength)
            throw new Error(`${fingerprintSecretEnv} must hold at least ${minimumSecretLength} characters (e.g. \`openssl rand -hex 32\`)`);
        return given;
    }
    const dir = path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "tenant-apps");
    const file = path.join(dir, "render-fingerprint.key");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
        fs.writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const secret = fs.readFileSync(file, "utf8").trim();
    if (secret.length < minimumSecretLength)
        throw new Error(
            `${file}: the fingerprint key must hold at least ${minimumSecretLength} characters; delete the file to draw a new one`,
        );
    return secret;
}

const minimumSecretLength = 32;
