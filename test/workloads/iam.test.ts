/**
 * Every identity policy of the plan (each app's IRSA role policy and each world's IAM user
 * policy) evaluated by @cloud-copilot/iam-simulate under the permissions boundary the program
 * sets on it (deploy/iam/tenant-boundary-pro.policy.json): an app reads its own secret and
 * reads, writes and lists its own prefix, and nothing of any other app, a sibling named like it
 * (`world` vs `world-2`) included.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { repoRoot } from "../support/harness";
import type { PolicyDocument } from "../../model/iamPolicies";
import type { Evaluation } from "../../render/evaluate";
import { ofApp, workloadPlan } from "./plan";

const account = "482103417651";
const bucket = "arn:aws:s3:::numinia-statics";
const apps = ["world", "world-2", "agent", "agent-2", "api"] as const;
const boundaryArn = `arn:aws:iam::${account}:policy/tenant-apps/tenant-boundary-pro`;
/** The boundary created at bootstrap, as the file the operator applies. */
const boundary = JSON.parse(
    fs.readFileSync(path.join(repoRoot, "deploy", "iam", "tenant-boundary-pro.policy.json"), "utf8"),
) as PolicyDocument;
type App = (typeof apps)[number];

interface Identity {
    readonly app: App;
    readonly kind: "role" | "user";
    readonly principal: string;
    readonly policy: PolicyDocument;
}

async function decide(identity: Identity, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
    const result = await runSimulation(
        {
            identityPolicies: [{ name: identity.kind, policy: identity.policy }],
            permissionBoundaryPolicies: [{ name: "tenant-boundary-pro", policy: boundary }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            request: { action, principal: identity.principal, resource: { accountId: account, resource }, contextVariables: context },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`${action} ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
}

describe("every identity policy of the plan, in the IAM simulator (workloads)", () => {
    let plan: Evaluation;
    let identities: Identity[];
    const secretArn = (app: App) => String(ofApp(plan, app, "aws:secretsmanager/secret:Secret")[0]?.inputs.name);
    const prefix = (app: App) => `hyperfy-spaces/acme/${app}/pro`;
    /** The stand-in ARN of the app's secret, as the role policy names it. */
    let arnOf: (app: App) => string;

    before(async () => {
        plan = await workloadPlan();
        identities = apps.flatMap((app): Identity[] => {
            const role = ofApp(plan, app, "aws:iam/rolePolicy:RolePolicy")[0];
            const user = ofApp(plan, app, "aws:iam/userPolicy:UserPolicy")[0];
            const out: Identity[] = [];
            if (role) {
                out.push({
                    app,
                    kind: "role",
                    principal: `arn:aws:sts::${account}:assumed-role/acme-${app}-pro/session`,
                    policy: JSON.parse(String(role.inputs.policy)) as PolicyDocument,
                });
            }
            if (user) {
                out.push({
                    app,
                    kind: "user",
                    principal: `arn:aws:iam::${account}:user/tenant-apps/pro/acme-${app}-pro`,
                    policy: JSON.parse(String(user.inputs.policy)) as PolicyDocument,
                });
            }
            return out;
        });
        arnOf = (app) => {
            const role = identities.find((i) => i.app === app && i.kind === "role");
            const read = role?.policy.Statement.find((s) => s.Sid === "ReadOwnSecret");
            return String(read?.Resource);
        };
    });

    it("finds a role policy for every app and a user policy for each world only", () => {
        assert.deepEqual(
            identities.map((i) => `${i.app}:${i.kind}`),
            ["world:role", "world:user", "world-2:role", "world-2:user", "agent:role", "agent-2:role", "api:role"],
        );
        assert.equal(secretArn("world"), "hyperfy2-acme-world-pro");
    });

    it("puts every role and user under the environment's IAM path with the environment's boundary", () => {
        const placed = plan.resources
            .filter((r) => r.type === "aws:iam/role:Role" || r.type === "aws:iam/user:User")
            .map((r) => `${String(r.inputs.path)} ${String(r.inputs.permissionsBoundary)}`);
        assert.equal(placed.length, 7);
        assert.deepEqual(new Set(placed), new Set([`/tenant-apps/pro/ ${boundaryArn}`]));
    });

    it("gives a world an IAM user of its own (path /tenant-apps/pro/, one access key) whose policy is exactly its prefix and Hyperfy's init probe", () => {
        const user = ofApp(plan, "world", "aws:iam/user:User")[0];
        assert.deepEqual([user?.inputs.name, user?.inputs.path, user?.inputs.forceDestroy], ["acme-world-pro", "/tenant-apps/pro/", false]);
        assert.deepEqual(ofApp(plan, "world", "aws:iam/accessKey:AccessKey")[0]?.inputs, { user: "acme-world-pro" });
        assert.deepEqual(identities.find((i) => i.app === "world" && i.kind === "user")?.policy.Statement, [
            {
                Sid: "ReadWriteOwnPrefix",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: `${bucket}/hyperfy-spaces/acme/world/pro/*`,
            },
            {
                Sid: "ListOwnPrefix",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: bucket,
                Condition: { StringLike: { "s3:prefix": ["hyperfy-spaces/acme/world/pro/", "hyperfy-spaces/acme/world/pro/*"] } },
            },
            {
                Sid: "HyperfyInitProbe",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: bucket,
                Condition: { NumericLessThanEquals: { "s3:max-keys": "1" }, StringEqualsIfExists: { "s3:prefix": "" } },
            },
        ]);
    });

    it("lets each role read its own secret and no other app's", async () => {
        for (const identity of identities.filter((i) => i.kind === "role")) {
            for (const other of apps) {
                for (const action of ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]) {
                    const expected = other === identity.app ? "Allowed" : "ImplicitlyDenied";
                    assert.equal(await decide(identity, action, arnOf(other)), expected, `${identity.app} ${action} ${other}`);
                }
            }
        }
        const [world] = identities;
        assert.ok(world);
        // A secret whose name only starts like the world's (its sibling's, without the random suffix) is not its own.
        assert.equal(await decide(world, "secretsmanager:GetSecretValue", arnOf("world-2")), "ImplicitlyDenied");
    });

    it("lets whoever holds an app's storage read, write, delete and list its own prefix, and nothing of another's", async () => {
        const holders = identities.filter((i) => i.policy.Statement.some((s) => JSON.stringify(s.Action).includes("s3:")));
        assert.deepEqual(
            holders.map((i) => `${i.app}:${i.kind}`),
            ["world:user", "world-2:user", "api:role"],
        );
        for (const identity of holders) {
            for (const other of ["world", "world-2", "api"] as const) {
                const own = other === identity.app ? "Allowed" : "ImplicitlyDenied";
                const why = `${identity.app}:${identity.kind} on ${other}`;
                for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"])
                    assert.equal(await decide(identity, action, `${bucket}/${prefix(other)}/assets/a.glb`), own, `${why} ${action}`);
                assert.equal(
                    await decide(identity, "s3:ListBucket", bucket, { "s3:prefix": `${prefix(other)}/assets/` }),
                    own,
                    `${why} list`,
                );
            }
            // The bucket root, a look-alike prefix and another organization stay out of reach.
            assert.equal(await decide(identity, "s3:PutObject", `${bucket}/${prefix(identity.app)}-x/a.glb`), "ImplicitlyDenied");
            assert.equal(
                await decide(identity, "s3:GetObject", `${bucket}/hyperfy-spaces/other/world/pro/assets/a.glb`),
                "ImplicitlyDenied",
            );
            assert.equal(await decide(identity, "s3:ListBucket", bucket, { "s3:prefix": "hyperfy-spaces/" }), "ImplicitlyDenied");
        }
    });

    it("gives a world's user Hyperfy's init probe (MaxKeys 1, no prefix) and no wider listing; roles not even that", async () => {
        for (const identity of identities) {
            const isUser = identity.kind === "user";
            assert.equal(await decide(identity, "s3:ListBucket", bucket, { "s3:max-keys": "1" }), isUser ? "Allowed" : "ImplicitlyDenied");
            assert.equal(await decide(identity, "s3:ListBucket", bucket, { "s3:max-keys": "2" }), "ImplicitlyDenied");
            assert.equal(await decide(identity, "s3:ListBucket", bucket, {}), "ImplicitlyDenied");
        }
    });
});
