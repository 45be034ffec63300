/**
 * Keyed fingerprints of secret values (render/fingerprint.ts): a plan lets nobody without the
 * key confirm a guess, the same value under the same stack and key gives the same fingerprint,
 * the key never reaches a rendered file, and render:diff still tells a changed secret apart.
 */
import { strict as assert } from "node:assert";
import { createHash, createHmac } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatDiffMarkdown } from "../../render/diff";
import { fingerprintSecretEnv, stackFingerprintKey, userFingerprintSecret } from "../../render/fingerprint";
import { renderStack, type Render } from "../../render/render";
import { stackConfig } from "../support/harness";

const secretA = "fingerprint-test-secret-A-0123456789abcdef";
const secretB = "fingerprint-test-secret-B-0123456789abcdef";

/** The fingerprints of the postgresql provider's `username`, the RDS admin user (the stand-in reads "postgres"). */
const adminUserFingerprint = (render: Render): string | undefined =>
    render.plan.resources.find((r) => r.type === "pulumi:providers:postgresql")?.secretFingerprints.username;

describe("render: secret fingerprints keyed per stack", () => {
    let a: Render;
    let again: Render;
    let b: Render;
    before(async () => {
        a = await renderStack({ stack: "pro", config: stackConfig("pro"), fingerprintSecret: secretA });
        again = await renderStack({ stack: "pro", config: stackConfig("pro"), fingerprintSecret: secretA });
        b = await renderStack({ stack: "pro", config: stackConfig("pro"), fingerprintSecret: secretB });
    });

    it("a guess cannot be confirmed: the admin user's fingerprint is not the unkeyed hash of 'postgres'", () => {
        const seen = adminUserFingerprint(a);
        assert.match(seen ?? "", /^hmac-sha256:[0-9a-f]{16}$/);
        // What anyone could compute before fingerprints were keyed: a public prefix and the value.
        const publicHash = createHash("sha256").update('tenant-apps-render-fingerprint\u0000"postgres"').digest("hex");
        assert.notEqual(seen, `sha256:${publicHash.slice(0, 16)}`);
        assert.notEqual(seen?.slice(-16), publicHash.slice(0, 16));
        // Only the holder of the secret can: it is the keyed fingerprint of "postgres" under it.
        assert.equal(seen, stackFingerprintKey(secretA, "pro").fingerprint("postgres"));
        assert.notEqual(seen, stackFingerprintKey(secretB, "pro").fingerprint("postgres"));
    });

    it("same value, stack and key give the same fingerprint; another stack or key gives another", () => {
        // The literals are HMAC-SHA256(HMAC-SHA256(secret, "tenant-apps render fingerprint key" NUL stack), '"postgres"'), computed with Python's hmac.
        assert.equal(stackFingerprintKey(secretA, "pro").fingerprint("postgres"), "hmac-sha256:f0592df2002b0809");
        assert.equal(stackFingerprintKey(secretA, "pre").fingerprint("postgres"), "hmac-sha256:a08c883add960b04");
        assert.equal(stackFingerprintKey(secretB, "pro").fingerprint("postgres"), "hmac-sha256:89faccb01d5a5bad");
        assert.equal(adminUserFingerprint(again), adminUserFingerprint(a));
        assert.equal(again.files.get("plan.json"), a.files.get("plan.json"));
        assert.notEqual(adminUserFingerprint(b), adminUserFingerprint(a));
    });

    it("neither the secret nor the stack's derived key is in any rendered file; the key's public id is", () => {
        const derived = createHmac("sha256", secretA).update("tenant-apps render fingerprint key\u0000pro").digest();
        const needles = [secretA, derived.toString("hex"), derived.toString("base64"), derived.toString("latin1")];
        assert.ok(a.files.size > 10);
        for (const [file, text] of a.files) for (const needle of needles) assert.equal(text.includes(needle), false, file);
        assert.equal(a.plan.fingerprintKeyId, stackFingerprintKey(secretA, "pro").id);
        assert.match(a.files.get("plan.json") ?? "", /"fingerprintKeyId": "hmac-sha256:[0-9a-f]{16}"/);
    });

    it("render:diff compares values under one key, and says so when the keys differ instead of calling every secret changed", () => {
        assert.deepEqual(diffPlans(a.plan, again.plan).changed, []);
        const acrossKeys = diffPlans(a.plan, b.plan);
        assert.deepEqual(acrossKeys.changed, []);
        assert.equal(acrossKeys.fingerprintsIncomparable, true);
        assert.match(
            formatDiffMarkdown(acrossKeys),
            /Secret values were compared by shape only: the two renders' fingerprints were made with different keys \(render both on one machine, or give both the same `TENANT_APPS_FINGERPRINT_KEY`\)/,
        );
        assert.equal(diffPlans(a.plan, again.plan).fingerprintsIncomparable, undefined);
    });

    describe("the render command's secret", () => {
        let cache: string;
        beforeEach(() => {
            cache = fs.mkdtempSync(path.join(os.tmpdir(), "fingerprint-key-"));
        });
        afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

        it("is drawn once into the user's cache (mode 0600) and reused, so two renders on one machine compare", () => {
            const first = userFingerprintSecret({ XDG_CACHE_HOME: cache });
            const file = path.join(cache, "tenant-apps", "render-fingerprint.key");
            assert.match(first, /^[0-9a-f]{64}$/);
            assert.equal(fs.statSync(file).mode & 0o777, 0o600);
            assert.equal(userFingerprintSecret({ XDG_CACHE_HOME: cache }), first);
        });

        it(`is ${fingerprintSecretEnv} when set, and refused when too short to be a key`, () => {
            assert.equal(userFingerprintSecret({ XDG_CACHE_HOME: cache, [fingerprintSecretEnv]: secretA }), secretA);
            assert.equal(fs.existsSync(path.join(cache, "tenant-apps")), false);
            assert.throws(
                () => userFingerprintSecret({ XDG_CACHE_HOME: cache, [fingerprintSecretEnv]: "short" }),
                /^Error: TENANT_APPS_FINGERPRINT_KEY must hold at least 32 characters \(e\.g\. `openssl rand -hex 32`\)$/,
            );
        });
    });
});
