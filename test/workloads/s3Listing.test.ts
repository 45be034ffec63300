/**
 * What a Hyperfy world's storage key can enumerate in the shared bucket, shown with the world's
 * own S3 client against a local S3 (s3rver) and judged by the IAM simulator: with
 * `s3ListScope: bucket` (today's images) one key name per request, every key name of the bucket
 * with `start-after`, backups included; with `s3ListScope: prefix` (after the image's one-line
 * change) only its own prefix.
 */
import { strict as assert } from "node:assert";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { DUMMY_ACCOUNT } from "s3rver/lib/models/account";
import { assetsUserPolicy, type PolicyDocument } from "../../model/iamPolicies";
import { hyperfyClient, prefixedInitProbe } from "./hyperfyAssets";
import { startLocalS3, type LocalS3 } from "../support/localS3";
import { secretOf, workloadPlan } from "./plan";

const account = "482103417651";
const principal = `arn:aws:iam::${account}:user/tenant-apps/acme-world-pro`;
const bucketArn = "arn:aws:s3:::numinia-statics";

async function decide(policy: PolicyDocument, context: Record<string, string>): Promise<string> {
    const result = await runSimulation(
        {
            identityPolicies: [{ name: "user", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            request: {
                action: "s3:ListBucket",
                principal,
                resource: { accountId: account, resource: bucketArn },
                contextVariables: context,
            },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(JSON.stringify(result.errors));
    return result.overallResult;
}

const policyFor = (listScope: "bucket" | "prefix") =>
    assetsUserPolicy({ partition: "aws", bucket: "numinia-statics", prefix: "hyperfy-spaces/acme/world/pro", listScope });

describe("What a world's storage key can list in the shared bucket (workloads)", function () {
    this.timeout(60000);
    let s3: LocalS3 | undefined;
    const previousEndpoint = process.env.AWS_ENDPOINT_URL_S3;
    let h: ReturnType<typeof hyperfyClient>;

    before(async () => {
        s3 = await startLocalS3(["numinia-statics"]);
        process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
        h = hyperfyClient(secretOf(await workloadPlan(), "world").ASSETS_S3_URI ?? "");
        DUMMY_ACCOUNT.createKeyPair(h.config.accessKeyId, h.config.secretAccessKey);
    });
    const put = (key: string) => h.client.send(new PutObjectCommand({ Bucket: "numinia-statics", Key: key, Body: "x" }));
    after(async () => {
        if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
        else process.env.AWS_ENDPOINT_URL_S3 = previousEndpoint;
        await s3?.close();
    });

    it("with s3ListScope bucket, the key walks every key name one request at a time, a backup's among them", async () => {
        // s3rver 3.7.1 cannot answer a truncated listing on OpenSSL 3 (its continuation token uses a
        // cipher Node 22 lacks, lib/controllers/bucket.js L20), so each object is stored just before
        // the request that finds it: every answer is then complete, as the walk on S3 would be.
        const names: string[] = [];
        let startAfter: string | undefined;
        for (const next of ["backups/acme-world-pro-job_1.zip", "hyperfy-spaces/acme/world/pro/assets/a.glb", undefined]) {
            if (next !== undefined) await put(next);
            const page = await h.client.send(new ListObjectsV2Command({ Bucket: h.bucket, MaxKeys: 1, StartAfter: startAfter }));
            const key = page.Contents?.[0]?.Key;
            if (key === undefined) break;
            const context: Record<string, string> = { "s3:max-keys": "1" };
            assert.equal(await decide(policyFor("bucket"), context), "Allowed", key);
            names.push(key);
            startAfter = key;
        }
        assert.deepEqual(names, ["backups/acme-world-pro-job_1.zip", "hyperfy-spaces/acme/world/pro/assets/a.glb"]);
    });

    it("with s3ListScope prefix, today's bucket-wide init probe is refused and the prefixed probe is allowed", async () => {
        // Today's image sends the probe without a prefix (AssetsS3.js L139-142): refused under prefix scope.
        assert.equal(await decide(policyFor("prefix"), { "s3:max-keys": "1" }), "ImplicitlyDenied");
        const page = await prefixedInitProbe(h);
        assert.deepEqual(
            page.Contents?.map((o) => o.Key),
            ["hyperfy-spaces/acme/world/pro/assets/a.glb"],
        );
        assert.equal(await decide(policyFor("prefix"), { "s3:max-keys": "1", "s3:prefix": h.prefix }), "Allowed");
        assert.equal(await decide(policyFor("prefix"), { "s3:max-keys": "1", "s3:prefix": "backups/" }), "ImplicitlyDenied");
    });

    it("the stack setting picks the policy: bucket keeps the init probe grant, prefix drops it", () => {
        assert.deepEqual(
            policyFor("bucket").Statement.map((s) => s.Sid),
            ["ReadWriteOwnPrefix", "ListOwnPrefix", "HyperfyInitProbe"],
        );
        assert.deepEqual(
            policyFor("prefix").Statement.map((s) => s.Sid),
            ["ReadWriteOwnPrefix", "ListOwnPrefix"],
        );
    });
});
