/**
 * The platform preflight against recorded API responses: the real AWS SDK clients and the
 * Kubernetes client talk to a local replay server (test/support/fakePlatform.ts) and the statics
 * bucket is a local S3 (s3rver) holding what the live bucket holds at its top level.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { DUMMY_ACCOUNT } from "s3rver/lib/models/account";
import { checkPlatform, renderFindings } from "../../automation/platformPreflight";
import type { Finding } from "../../model/platformChecks";
import { platformOf } from "../support/fixtures";
import { startFakePlatform, type FakePlatform } from "../support/fakePlatform";

const statuses = (findings: readonly Finding[]) => Object.fromEntries(findings.map((f) => [f.check, f.status]));

describe("Platform preflight against recorded platform responses", function () {
    this.timeout(60000);
    let s3: S3rver;
    let s3Dir: string;
    let s3Url: string;
    const saved = { ...process.env };

    before(async () => {
        s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-preflight-s3-"));
        s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: s3Dir, configureBuckets: [{ name: "numinia-statics" }] });
        const { port } = await s3.run();
        s3Url = `http://127.0.0.1:${port}`;
        DUMMY_ACCOUNT.createKeyPair("AKIAFAKEPLATFORM0000", "fake-platform-secret");
        const client = new S3Client({
            region: "eu-west-1",
            endpoint: s3Url,
            forcePathStyle: true,
            credentials: { accessKeyId: "AKIAFAKEPLATFORM0000", secretAccessKey: "fake-platform-secret" },
        });
        // The live bucket's top level (numinia-terragrunt s3/statics-bucket L42-45; alchemists-tower lib/backup/storage.ts).
        // s3rver 3.7.1 derives a common prefix only from an object directly under it (lib/stores/filesystem.js
        // L160-176 prunes deeper directories), so each top-level prefix holds one object at depth one.
        for (const key of ["hyperfy-spaces/index.json", "backups/numinia-genesis-pro-job_abc.zip", "backup-engine/engine.tar"])
            await client.send(new PutObjectCommand({ Bucket: "numinia-statics", Key: key, Body: "x" }));
        client.destroy();
    });
    after(async () => {
        await s3?.close();
        if (s3Dir) fs.rmSync(s3Dir, { recursive: true, force: true });
    });

    let platform: FakePlatform | undefined;
    async function run(scenario: string, overrides = {}, config: Record<string, unknown> = {}) {
        platform = await startFakePlatform(scenario, overrides);
        Object.assign(process.env, platform.env, { AWS_ENDPOINT_URL_S3: s3Url });
        return checkPlatform(platformOf("pro", config), process.env);
    }
    afterEach(async () => {
        await platform?.close();
        platform = undefined;
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
    });

    it("finds today's platform unable to isolate tenants, and names the exact fixes", async () => {
        const { findings, isolated } = await run("today");
        assert.equal(isolated, false);
        assert.deepEqual(statuses(findings), {
            "network-policy": "missing",
            imds: "missing",
            "pod-security": "missing",
            "bucket-listing": "warning",
        });
        const text = renderFindings(findings);
        assert.ok(text.includes('configuration_values = jsonencode({ enableNetworkPolicy = "true" })'), text);
        assert.ok(text.includes("http_put_response_hop_limit = 1"), text);
        assert.ok(text.includes("hop limit 2"), text);
        assert.ok(text.includes("Pod Security is set as annotations, which admission ignores, on active-inference"), text);
        assert.ok(text.includes("private prefixes share the bucket: backup-engine/, backups/"), text);
        assert.deepEqual(platform?.requests.filter((r) => r.startsWith("POST")).sort(), [
            "POST DescribeLaunchTemplateVersions lt-0a1b2c3d4e5f60718",
            "POST DescribeLaunchTemplateVersions lt-0f1e2d3c4b5a69788",
        ]);
    });

    it("finds the fixed platform able to isolate tenants; the shared bucket stays a warning", async () => {
        const { findings, isolated } = await run("isolated");
        assert.equal(isolated, true);
        assert.deepEqual(statuses(findings), { "network-policy": "ok", imds: "ok", "pod-security": "ok", "bucket-listing": "warning" });
    });

    it("does not warn about the bucket once worlds list only their own prefix", async () => {
        const { findings } = await run("isolated", {}, { isolation: { s3ListScope: "prefix" } });
        assert.equal(statuses(findings)["bucket-listing"], "ok");
    });

    it("an addon that asks for network policy is not enough while aws-node's agent still runs with it off", async () => {
        const today = JSON.parse(
            fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "platform", "today.json"), "utf8"),
        ) as Record<string, unknown>;
        const { findings, isolated } = await run("isolated", {
            "GET /apis/apps/v1/namespaces/kube-system/daemonsets/aws-node":
                today["GET /apis/apps/v1/namespaces/kube-system/daemonsets/aws-node"],
        });
        assert.equal(isolated, false);
        assert.equal(statuses(findings)["network-policy"], "missing");
    });

    it("fails closed: a check it cannot read (403) is unknown and blocks", async () => {
        const { findings, isolated } = await run("isolated", {
            "GET /clusters/production-numinia/node-groups": { status: 403, json: { message: "not authorized" } },
        });
        assert.equal(isolated, false);
        assert.equal(statuses(findings).imds, "unknown");
    });
});
