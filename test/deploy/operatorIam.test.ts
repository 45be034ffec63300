/** The IAM policy of each stack's operator workspace, held against every AWS request the program's resources need, in an IAM policy simulator. */
import { strict as assert } from "node:assert";
import { account, decision, liveConfig, type Env, envs, evaluateLive, policyOf, requestsOf, type Request } from "./support";

/** Every IAM action on users and access keys the program's resources need (support.ts requestsOf cites the provider). */
const userActions = [
    "iam:CreateAccessKey",
    "iam:CreateUser",
    "iam:DeleteAccessKey",
    "iam:DeleteUser",
    "iam:DeleteUserPolicy",
    "iam:GetUser",
    "iam:GetUserPolicy",
    "iam:ListAccessKeys",
    "iam:ListGroupsForUser",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
    "iam:TagUser",
    "iam:UntagUser",
    "iam:UpdateUser",
];

describe("deploy: the operator workspace's IAM policies", () => {
    it("the IAM policies: no wildcard action, no bare `*` resource, every wildcard resource pinned to the environment or a tag condition", () => {
        for (const env of envs) {
            for (const s of policyOf(env, "policy").Statement) {
                for (const action of s.Action) assert.doesNotMatch(action, /\*/, `${env} ${s.Sid}`);
                for (const resource of s.Resource) {
                    assert.notEqual(resource, "*", `${env} ${s.Sid}`);
                    if (!resource.includes("*") || s.Effect === "Deny") continue;
                    // The environment's own world template (dev in pre, latest in pro), only read.
                    const template = `arn:aws:s3:::numinia-statics/hyperfy-spaces/_default/${env === "pro" ? "latest" : "dev"}/*`;
                    const templates = resource === template && s.Action.join() === "s3:GetObject";
                    const pinned = templates || resource.includes(`-${env}`) || resource.includes(`/${env}/`) || s.Condition !== undefined;
                    assert.ok(pinned, `${env} ${s.Sid}: ${resource}`);
                }
            }
        }
        // The two environments' policies differ only in the environment, its world template and pro's longer recovery window.
        const normalize = (env: Env) =>
            JSON.stringify(policyOf(env, "policy"))
                .replace(new RegExp(`(-|/|")${env}(-|/|")`, "g"), "$1ENV$2")
                .replace(/"secretsmanager:RecoveryWindowInDays":"(7|30)"/, "WINDOW")
                .replace(/rds-admin-[A-Za-z0-9]{6}/, "rds-admin-SUFFIX")
                .replace(/_default\/(dev|latest)\//g, "_default/TEMPLATE/");
        assert.equal(normalize("pre"), normalize("pro"));
    });

    for (const env of envs) {
        it(`${env}: the simulator allows every AWS request the program's resources need, and the config's RDS secret and bucket are the policy's`, async () => {
            const ev = await evaluateLive(env);
            const requests = requestsOf(ev, env === "pre" ? 7 : 30);
            const kinds = new Set(requests.map((r) => r.action));
            assert.ok(kinds.has("secretsmanager:CreateSecret") && kinds.has("iam:PutRolePolicy") && kinds.has("s3:PutObject"));
            // The live catalogs hold Hyperfy worlds, so their IAM users and access keys are among the needs.
            const isUserAction = (a: string) => /User|AccessKey/.test(a);
            assert.deepEqual([...kinds].filter(isUserAction).sort(), userActions);
            // ... and the policy grants exactly those user actions, no more.
            const granted = policyOf(env, "policy")
                .Statement.filter((s) => s.Effect === "Allow")
                .flatMap((s) => s.Action)
                .filter(isUserAction);
            assert.deepEqual([...new Set(granted)].sort(), userActions);
            assert.ok(requests.length > 50, `${requests.length} requests`);
            const policy = policyOf(env, "policy");
            const denied: string[] = [];
            for (const request of requests)
                if ((await decision(policy, request)) !== "Allowed") denied.push(`${request.action} ${request.resource}`);
            assert.deepEqual(denied, []);

            const config = liveConfig(env).config;
            const database = JSON.parse(config["tenant-apps:database"] as string) as { adminSecretArn: string };
            const storage = JSON.parse(config["tenant-apps:storage"] as string) as { bucket: string; prefix: string };
            const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid);
            assert.deepEqual(statement("ReadRdsAdminSecret")?.Resource, [database.adminSecretArn]);
            assert.deepEqual(statement("TenantAssetFolders")?.Resource, [
                `arn:aws:s3:::${storage.bucket}/${storage.prefix}/*/*/${env}/assets/`,
            ]);
        });
    }

    it("the simulator denies the other environment's resources, untagged look-alikes, force deletion, short recovery windows and the operator's own role", async () => {
        const pre = policyOf("pre", "policy");
        const pro = policyOf("pro", "policy");
        const proRequests = requestsOf(await evaluateLive("pro"), 30).filter(
            (r) => !r.action.startsWith("secretsmanager:GetSecretValue") || !r.resource.includes("rds!"),
        );
        const allowedCrossEnv: string[] = [];
        for (const request of proRequests)
            if ((await decision(pre, request)) === "Allowed") allowedCrossEnv.push(`${request.action} ${request.resource}`);
        assert.deepEqual(allowedCrossEnv, []);

        const secret = `arn:aws:secretsmanager:eu-west-1:${account}:secret:hyperfy2-acme-world-pro-AbC123`;
        const tagged = { "aws:ResourceTag/managed-by": "tenant-apps", "aws:ResourceTag/tenant-apps/environment": "pro" };
        const role = `arn:aws:iam::${account}:role/platform-admin-pro`;
        const cases: [Request, string][] = [
            [{ action: "secretsmanager:PutSecretValue", resource: secret, context: tagged }, "Allowed"],
            [{ action: "secretsmanager:PutSecretValue", resource: secret, context: {} }, "ImplicitlyDenied"],
            // Explicitly: neither carries pro's permissions boundary (NeverWithoutThisBoundary).
            [{ action: "iam:PutRolePolicy", resource: role, context: {} }, "ExplicitlyDenied"],
            [{ action: "iam:CreateRole", resource: role, context: { "aws:RequestTag/managed-by": "someone-else" } }, "ExplicitlyDenied"],
            [
                {
                    action: "secretsmanager:DeleteSecret",
                    resource: secret,
                    context: { ...tagged, "secretsmanager:RecoveryWindowInDays": "30" },
                },
                "Allowed",
            ],
            [
                {
                    action: "secretsmanager:DeleteSecret",
                    resource: secret,
                    context: { ...tagged, "secretsmanager:RecoveryWindowInDays": "7" },
                },
                "ImplicitlyDenied",
            ],
            [
                {
                    action: "secretsmanager:DeleteSecret",
                    resource: secret,
                    context: { ...tagged, "secretsmanager:ForceDeleteWithoutRecovery": "true" },
                },
                "ExplicitlyDenied",
            ],
            [
                {
                    action: "iam:PutRolePolicy",
                    resource: `arn:aws:iam::${account}:role/tenant-apps-operator-pro-irsa`,
                    context: { "aws:ResourceTag/managed-by": "tenant-apps", "aws:ResourceTag/tenant-apps/environment": "pro" },
                },
                "ExplicitlyDenied",
            ],
            [
                {
                    action: "s3:PutObject",
                    resource: "arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/world/pro/assets/world.glb",
                    context: {},
                },
                "ImplicitlyDenied",
            ],
            [
                { action: "s3:GetObject", resource: "arn:aws:s3:::numinia-statics/other/acme/world/pro/assets/", context: {} },
                "ImplicitlyDenied",
            ],
            // Seeding writes into a world only as a server-side copy of the environment's own template.
            [
                {
                    action: "s3:PutObject",
                    resource: "arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/world/pro/world.json",
                    context: { "s3:x-amz-copy-source": "numinia-statics/hyperfy-spaces/_default/latest/world.json" },
                },
                "Allowed",
            ],
            [
                {
                    action: "s3:PutObject",
                    resource: "arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/world/pro/world.json",
                    context: { "s3:x-amz-copy-source": "numinia-statics/hyperfy-spaces/acme/other-world/pro/world.json" },
                },
                "ImplicitlyDenied",
            ],
        ];
        const got: [string, string][] = [];
        for (const [request] of cases) got.push([`${request.action} ${request.resource}`, await decision(pro, request)]);
        assert.deepEqual(
            got,
            cases.map(([request, expected]) => [`${request.action} ${request.resource}`, expected]),
        );
    });
});
