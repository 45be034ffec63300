/**
 * The ways a compromised operator workspace (it runs `npm ci` of every dependency under its
 * role) could make itself more than a tenant deployer, each held against the IAM policy
 * simulator: it may create and change tenant roles and users only under its environment's path
 * and with its environment's permissions boundary, never remove, replace or edit that boundary,
 * never take over another role, and never reach the other environment's state, key or database
 * admin. Beside each refusal, the program's real needs stay allowed.
 */
import { strict as assert } from "node:assert";
import { account, boundaryOf, decision, type Env, liveConfig, policyOf, type Policy, type Request, stackOf } from "./support";

const iam = `arn:aws:iam::${account}`;
const boundaryArn = (env: Env) => `${iam}:policy/tenant-apps/tenant-boundary-${env}`;
const tenantRole = (env: Env, name = `acme-world-${env}`) => `${iam}:role/tenant-apps/${env}/${name}`;
const tenantUser = (env: Env, name = `acme-world-${env}`) => `${iam}:user/tenant-apps/${env}/${name}`;
const tags = (prefix: "aws:RequestTag" | "aws:ResourceTag", env: Env) => ({
    [`${prefix}/managed-by`]: "tenant-apps",
    [`${prefix}/tenant-apps/environment`]: env,
});
const adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess";
const starStar: Policy = { Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Action: ["*"], Resource: ["*"] }] };

/** Where an environment's Stack keeps its state and which KMS alias encrypts its secrets (deploy/stack-<env>.yaml). */
function stateOf(env: Env): { stateObject: string; listPrefix: string; kmsAlias: string } {
    const spec = stackOf(env).spec as { backend: string; secretsProvider: string };
    const backend = /^s3:\/\/([^/?]+)\/?([^?]*)/.exec(spec.backend);
    const alias = /^awskms:\/\/(alias\/[^?]+)/.exec(spec.secretsProvider);
    assert.ok(backend && alias, `${spec.backend} ${spec.secretsProvider}`);
    const root = backend[2] ? `${backend[2]}/.pulumi` : ".pulumi";
    return {
        stateObject: `arn:aws:s3:::${backend[1] ?? ""}/${root}/stacks/tenant-apps/${env}.json`,
        listPrefix: `${root}/stacks/`,
        kmsAlias: alias[1] ?? "",
    };
}
const adminSecretOf = (env: Env): string =>
    (JSON.parse(liveConfig(env).config["tenant-apps:database"] as string) as { adminSecretArn: string }).adminSecretArn;

interface Row {
    readonly reason: string;
    readonly request: Request;
    readonly expected: "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";
}

async function decide(policy: Policy, rows: readonly Row[]): Promise<void> {
    const got: string[] = [];
    for (const row of rows) got.push(`${row.reason}: ${await decision(policy, row.request)}`);
    assert.deepEqual(
        got,
        rows.map((row) => `${row.reason}: ${row.expected}`),
    );
}

describe("deploy: the operator cannot escalate past tenant deployer (IAM simulator)", () => {
    const pro = () => policyOf("pro", "policy");

    it("creates tenant roles and users only under its path, with its tags and its own boundary", async () => {
        const create = (resource: string, boundary?: string): Request => ({
            action: resource.includes(":role/") ? "iam:CreateRole" : "iam:CreateUser",
            resource,
            context: { ...tags("aws:RequestTag", "pro"), ...(boundary ? { "iam:PermissionsBoundary": boundary } : {}) },
        });
        await decide(pro(), [
            {
                reason: "a tenant role with the boundary (the program's need)",
                request: create(tenantRole("pro"), boundaryArn("pro")),
                expected: "Allowed",
            },
            {
                reason: "a tenant user with the boundary (the program's need)",
                request: create(tenantUser("pro"), boundaryArn("pro")),
                expected: "Allowed",
            },
            { reason: "a role without any boundary", request: create(tenantRole("pro", "x-pro")), expected: "ExplicitlyDenied" },
            { reason: "a user without any boundary", request: create(tenantUser("pro", "x-pro")), expected: "ExplicitlyDenied" },
            {
                reason: "a role bounded by AdministratorAccess",
                request: create(tenantRole("pro", "x-pro"), adminPolicy),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "a role bounded by pre's boundary",
                request: create(tenantRole("pro", "x-pro"), boundaryArn("pre")),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "a role outside the tenant path, even bounded",
                request: create(`${iam}:role/x-pro`, boundaryArn("pro")),
                expected: "ImplicitlyDenied",
            },
            {
                reason: "a role in the path without the tenant tags",
                request: { ...create(tenantRole("pro"), boundaryArn("pro")), context: { "iam:PermissionsBoundary": boundaryArn("pro") } },
                expected: "ImplicitlyDenied",
            },
        ]);
    });

    it("never removes, replaces or edits a boundary", async () => {
        const onTenant = (action: string, resource: string, boundary: string): Request => ({
            action,
            resource,
            context: { ...tags("aws:ResourceTag", "pro"), "iam:PermissionsBoundary": boundary },
        });
        await decide(pro(), [
            {
                reason: "re-set the environment's own boundary (a config change the program may apply)",
                request: onTenant("iam:PutRolePermissionsBoundary", tenantRole("pro"), boundaryArn("pro")),
                expected: "Allowed",
            },
            {
                reason: "remove a tenant role's boundary",
                request: onTenant("iam:DeleteRolePermissionsBoundary", tenantRole("pro"), boundaryArn("pro")),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "remove a tenant user's boundary",
                request: onTenant("iam:DeleteUserPermissionsBoundary", tenantUser("pro"), boundaryArn("pro")),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "replace a role's boundary with AdministratorAccess",
                request: onTenant("iam:PutRolePermissionsBoundary", tenantRole("pro"), adminPolicy),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "replace a user's boundary with AdministratorAccess",
                request: onTenant("iam:PutUserPermissionsBoundary", tenantUser("pro"), adminPolicy),
                expected: "ExplicitlyDenied",
            },
            ...["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy"].map(
                (action): Row => ({
                    reason: `${action} on the boundary policy`,
                    request: { action, resource: boundaryArn("pro"), context: {} },
                    expected: "ExplicitlyDenied",
                }),
            ),
        ]);
    });

    it("writes inline policies only into roles and users that carry its boundary, and takes over no other role", async () => {
        const put = (resource: string, context: Request["context"]): Request => ({ action: "iam:PutRolePolicy", resource, context });
        const platformAdmin = `${iam}:role/platform-admin-pro`;
        await decide(pro(), [
            {
                reason: "an inline policy (even *:*) on a bounded tenant role",
                request: put(tenantRole("pro"), { ...tags("aws:ResourceTag", "pro"), "iam:PermissionsBoundary": boundaryArn("pro") }),
                expected: "Allowed",
            },
            {
                reason: "an inline policy on a tagged role in the path that lacks the boundary",
                request: put(tenantRole("pro"), tags("aws:ResourceTag", "pro")),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "tag a non-tenant role named like a tenant one, to take it over",
                request: { action: "iam:TagRole", resource: platformAdmin, context: tags("aws:RequestTag", "pro") },
                expected: "ImplicitlyDenied",
            },
            {
                reason: "an inline policy on a non-tenant role that carries the tenant tags",
                request: put(platformAdmin, { ...tags("aws:ResourceTag", "pro"), "iam:PermissionsBoundary": boundaryArn("pro") }),
                expected: "ImplicitlyDenied",
            },
            {
                reason: "rewrite the trust of a non-tenant role that carries the tenant tags",
                request: { action: "iam:UpdateAssumeRolePolicy", resource: platformAdmin, context: tags("aws:ResourceTag", "pro") },
                expected: "ImplicitlyDenied",
            },
            {
                reason: "an inline policy on the operator's own role",
                request: put(`${iam}:role/tenant-apps-operator-pro-irsa`, tags("aws:ResourceTag", "pro")),
                expected: "ExplicitlyDenied",
            },
            {
                reason: "attach a managed policy to a tenant role",
                request: {
                    action: "iam:AttachRolePolicy",
                    resource: tenantRole("pro"),
                    context: { ...tags("aws:ResourceTag", "pro"), "iam:PermissionsBoundary": boundaryArn("pro") },
                },
                expected: "ImplicitlyDenied",
            },
        ]);
    });

    for (const env of ["pre", "pro"] as const) {
        it(`${env}: the boundary caps a tenant role holding *:* to its own environment's tenant secrets and prefixes`, async () => {
            const boundary = boundaryOf(env);
            const other: Env = env === "pro" ? "pre" : "pro";
            const as = { boundary, principal: `arn:aws:sts::${account}:assumed-role/acme-world-${env}/session` };
            const secret = (e: Env) => `arn:aws:secretsmanager:eu-west-1:${account}:secret:hyperfy2-acme-world-${e}-AbC123`;
            const rows: [string, Request, string][] = [
                [
                    "its environment's tenant secret",
                    { action: "secretsmanager:GetSecretValue", resource: secret(env), context: {} },
                    "Allowed",
                ],
                [
                    "an object under its environment's prefix",
                    {
                        action: "s3:PutObject",
                        resource: `arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/world/${env}/assets/a.glb`,
                        context: {},
                    },
                    "Allowed",
                ],
                [
                    "the other environment's tenant secret",
                    { action: "secretsmanager:GetSecretValue", resource: secret(other), context: {} },
                    "ImplicitlyDenied",
                ],
                [
                    "an object under the other environment's prefix",
                    {
                        action: "s3:PutObject",
                        resource: `arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/world/${other}/assets/a.glb`,
                        context: {},
                    },
                    "ImplicitlyDenied",
                ],
                [
                    "its environment's database admin secret",
                    { action: "secretsmanager:GetSecretValue", resource: adminSecretOf(env), context: {} },
                    "ImplicitlyDenied",
                ],
                [
                    "its environment's Pulumi state",
                    { action: "s3:GetObject", resource: stateOf(env).stateObject, context: {} },
                    "ImplicitlyDenied",
                ],
                ["create a role", { action: "iam:CreateRole", resource: `${iam}:role/x`, context: {} }, "ExplicitlyDenied"],
                [
                    "remove its own boundary",
                    { action: "iam:DeleteRolePermissionsBoundary", resource: tenantRole(env), context: {} },
                    "ExplicitlyDenied",
                ],
                [
                    "decrypt with its environment's state key",
                    {
                        action: "kms:Decrypt",
                        resource: `arn:aws:kms:eu-west-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                        context: { "kms:ResourceAliases": [stateOf(env).kmsAlias] },
                    },
                    "ExplicitlyDenied",
                ],
                [
                    "assume another role",
                    { action: "sts:AssumeRole", resource: `${iam}:role/platform-admin-${env}`, context: {} },
                    "ImplicitlyDenied",
                ],
            ];
            const got: string[] = [];
            for (const [what, request] of rows) got.push(`${what}: ${await decision(starStar, request, as)}`);
            assert.deepEqual(
                got,
                rows.map(([what, , expected]) => `${what}: ${expected}`),
            );
        });
    }

    it("pre reaches its own state, key and admin secret, and neither pro's nor pro's tenant identities", async () => {
        const pre = policyOf("pre", "policy");
        assert.notEqual(adminSecretOf("pre"), adminSecretOf("pro"), "Pulumi.pre.yaml must not name pro's admin secret");
        const key = `arn:aws:kms:eu-west-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const rows = (env: Env, expected: Row["expected"]): Row[] => [
            {
                reason: `PutObject ${env}'s state`,
                request: { action: "s3:PutObject", resource: stateOf(env).stateObject, context: {} },
                expected,
            },
            {
                reason: `GetObject ${env}'s state`,
                request: { action: "s3:GetObject", resource: stateOf(env).stateObject, context: {} },
                expected,
            },
            {
                reason: `list ${env}'s stacks`,
                request: {
                    action: "s3:ListBucket",
                    resource: "arn:aws:s3:::numinia-pulumi-state",
                    context: { "s3:prefix": stateOf(env).listPrefix },
                },
                expected,
            },
            {
                reason: `Decrypt with ${env}'s key`,
                request: { action: "kms:Decrypt", resource: key, context: { "kms:ResourceAliases": [stateOf(env).kmsAlias] } },
                expected,
            },
            {
                reason: `read ${env}'s database admin secret`,
                request: { action: "secretsmanager:GetSecretValue", resource: adminSecretOf(env), context: {} },
                expected,
            },
        ];
        await decide(pre, [
            ...rows("pre", "Allowed"),
            ...rows("pro", "ImplicitlyDenied"),
            {
                reason: "create a role in pro's path with pro's tags and boundary",
                request: {
                    action: "iam:CreateRole",
                    resource: tenantRole("pro"),
                    context: { ...tags("aws:RequestTag", "pro"), "iam:PermissionsBoundary": boundaryArn("pro") },
                },
                expected: "ExplicitlyDenied",
            },
            {
                reason: "mint an access key for a pro tenant user",
                request: { action: "iam:CreateAccessKey", resource: tenantUser("pro"), context: tags("aws:ResourceTag", "pro") },
                expected: "ImplicitlyDenied",
            },
        ]);
    });
});
