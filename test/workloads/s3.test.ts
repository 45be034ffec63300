/**
 * The ASSETS_S3_URI a world receives, used exactly as Hyperfy uses it: parsed by its own parser,
 * an @aws-sdk/client-s3 3.859.0 client (Hyperfy's lockfile pin) built from it, pointed at a
 * local S3 (s3rver on 127.0.0.1) by AWS_ENDPOINT_URL_S3. Every request the client sends is also
 * judged by the IAM simulator against the world's own user policy, so the init probe and the
 * upload are shown to be both accepted by S3's API and allowed by IAM.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import S3rver from "s3rver";
import { DUMMY_ACCOUNT } from "s3rver/lib/models/account";
import type { PolicyDocument } from "../../model/iamPolicies";
import type { Evaluation } from "../../render/evaluate";
import { hyperfyClient, initProbe, listAssets, uploadAsset } from "./hyperfyAssets";
import { ofApp, secretOf, workloadPlan } from "./plan";

const account = "482103417651";

interface SentRequest {
    readonly action: string;
    readonly resource: string;
    readonly context: Record<string, string>;
}

/** The IAM action, resource and condition keys of one S3 request as the client sent it. */
function iamRequestOf(method: string, bucket: string, urlPath: string, query: Record<string, string | string[] | null>): SentRequest {
    const key = decodeURIComponent(urlPath.replace(/^\//, "").slice(bucket.length + 1));
    if (key === "") {
        const context: Record<string, string> = {};
        if (typeof query["max-keys"] === "string") context["s3:max-keys"] = query["max-keys"];
        if (typeof query.prefix === "string") context["s3:prefix"] = query.prefix;
        return { action: "s3:ListBucket", resource: `arn:aws:s3:::${bucket}`, context };
    }
    const action = method === "PUT" ? "s3:PutObject" : method === "DELETE" ? "s3:DeleteObject" : "s3:GetObject";
    return { action, resource: `arn:aws:s3:::${bucket}/${key}`, context: {} };
}

async function decide(policy: PolicyDocument, principal: string, request: SentRequest): Promise<string> {
    const result = await runSimulation(
        {
            identityPolicies: [{ name: "user", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            request: {
                action: request.action,
                principal,
                resource: { accountId: account, resource: request.resource },
                contextVariables: request.context,
            },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`${request.action} ${request.resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
}

describe("Hyperfy's S3 client with the URI a world receives, against a local S3 (workloads)", function () {
    let plan: Evaluation;
    let server: S3rver;
    let dir: string;
    const previousEndpoint = process.env.AWS_ENDPOINT_URL_S3;

    before(async function () {
        plan = await workloadPlan();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-s3-"));
        server = new S3rver({
            address: "127.0.0.1",
            port: 0,
            silent: true,
            directory: dir,
            configureBuckets: [{ name: "numinia-statics" }],
        });
        const { port } = await server.run();
        process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${port}`;
    });
    after(async () => {
        if (previousEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_S3;
        else process.env.AWS_ENDPOINT_URL_S3 = previousEndpoint;
        await server?.close();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** The world's client, every request it sends recorded; the world's key pair known to the local S3. */
    function worldClient(app: string) {
        const h = hyperfyClient(secretOf(plan, app).ASSETS_S3_URI ?? "");
        DUMMY_ACCOUNT.createKeyPair(h.config.accessKeyId, h.config.secretAccessKey);
        const sent: SentRequest[] = [];
        h.client.middlewareStack.add(
            (next) => async (args) => {
                const request = args.request as { method: string; path: string; query: Record<string, string | string[] | null> };
                sent.push(iamRequestOf(request.method, h.bucket, request.path, request.query));
                return next(args);
            },
            { step: "finalizeRequest", name: "recordForIam" },
        );
        return { h, sent };
    }
    const userPolicyOf = (app: string) =>
        JSON.parse(String(ofApp(plan, app, "aws:iam/userPolicy:UserPolicy")[0]?.inputs.policy)) as PolicyDocument;

    it("parses to the shared bucket, the stack's region and the world's own prefix", () => {
        const { h } = worldClient("world");
        assert.deepEqual(
            {
                bucket: h.bucket,
                region: h.config.region,
                prefix: h.prefix,
                endpoint: h.config.endpoint,
                forcePathStyle: h.config.forcePathStyle,
            },
            {
                bucket: "numinia-statics",
                region: "eu-west-1",
                prefix: "hyperfy-spaces/acme/world/pro/assets/",
                endpoint: undefined,
                forcePathStyle: false,
            },
        );
        assert.match(h.config.accessKeyId, /^AKIA[A-Z0-9]{16}$/);
    });

    it("passes init, uploads an asset under its prefix, lists it back, and IAM allows each request it sent", async () => {
        const { h, sent } = worldClient("world");
        await initProbe(h);
        const body = Buffer.from("glTF world asset");
        const key = await uploadAsset(h, body, "GLB");
        // sha256("glTF world asset"), lower-cased extension (AssetsS3.js L177-189).
        assert.equal(key, "hyperfy-spaces/acme/world/pro/assets/bc23f123f606660dd230cdcab179b62c879698a5c04936fd7bd6acadbd2b9328.glb");
        const listed = await listAssets(h);
        assert.deepEqual(
            listed.Contents?.map((o) => o.Key),
            [key],
        );
        assert.deepEqual(
            sent.map((r) => [r.action, r.resource, r.context]),
            [
                ["s3:ListBucket", "arn:aws:s3:::numinia-statics", { "s3:max-keys": "1" }],
                ["s3:GetObject", `arn:aws:s3:::numinia-statics/${key}`, {}],
                ["s3:PutObject", `arn:aws:s3:::numinia-statics/${key}`, {}],
                ["s3:ListBucket", "arn:aws:s3:::numinia-statics", { "s3:prefix": "hyperfy-spaces/acme/world/pro/assets/" }],
            ],
        );
        const principal = `arn:aws:iam::${account}:user/tenant-apps/pro/acme-world-pro`;
        for (const request of sent) assert.equal(await decide(userPolicyOf("world"), principal, request), "Allowed", request.action);
        // The same requests are refused to the sibling world-2's user, whose name starts the same.
        const sibling = `arn:aws:iam::${account}:user/tenant-apps/pro/acme-world-2-pro`;
        for (const request of sent.slice(1)) {
            assert.equal(await decide(userPolicyOf("world-2"), sibling, request), "ImplicitlyDenied", request.action);
        }
    });
});
