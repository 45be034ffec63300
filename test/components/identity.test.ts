import { strict as assert } from "node:assert";
import { TenantIdentity } from "../../components/identity";
import type { Evaluation } from "../../render/evaluate";
import { acmeLabels, construct, inventory, named, optionsOf, upstream } from "./support";

const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87";
const secretArn = "arn:aws:secretsmanager:eu-west-1:482103417651:secret:hyperfy2-acme-web-pro-373957";
/** The statement every app's role has: its own secret, nothing else of Secrets Manager. */
const readOwnSecret = {
    Sid: "ReadOwnSecret",
    Effect: "Allow",
    Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
    Resource: secretArn,
};
const tags = {
    "tenant-apps/organization": "acme",
    "tenant-apps/app": "web",
    "tenant-apps/environment": "pro",
    "managed-by": "tenant-apps",
};

describe("TenantIdentity alone", () => {
    const build = (storage: boolean) => () => {
        const identity = new TenantIdentity(
            "acme/web/identity",
            {
                roleName: "acme-web-pro",
                namespace: "acme-pro",
                serviceAccount: "web-pro",
                oidcProviderArn: `arn:aws:iam::482103417651:oidc-provider/${issuer}`,
                oidcIssuerHostPath: issuer,
                partition: "aws",
                secretArn,
                storage: storage ? { bucket: "numinia-statics", prefix: "hyperfy-spaces/acme/web/pro" } : undefined,
                labels: acmeLabels("web"),
                tags,
                iam: {
                    path: "/tenant-apps/pro/",
                    permissionsBoundaryArn: "arn:aws:iam::482103417651:policy/tenant-apps/tenant-boundary-pro",
                },
            },
            { dependsOn: [upstream()] },
        );
        return { roleArn: identity.roleArn };
    };
    let ev: Evaluation;
    let withoutStorage: Evaluation;
    before(async () => {
        ev = await construct(build(true));
        withoutStorage = await construct(build(false));
    });

    it("creates the role, its inline policy and the service account", () => {
        assert.deepEqual(inventory(ev), [
            "aws:iam/role:Role acme/web/identity/role",
            "aws:iam/rolePolicy:RolePolicy acme/web/identity/policy",
            "kubernetes:core/v1:ServiceAccount acme/web/identity/service-account",
            "tenant-apps:chain:TenantIdentity acme/web/identity",
            "test:index:Upstream upstream",
        ]);
        assert.deepEqual(named(ev, "acme/web/identity").inputs, { roleName: "acme-web-pro", serviceAccount: "web-pro" });
    });

    it("lets only system:serviceaccount:acme-pro:web-pro assume the role, with StringEquals on sub and aud", () => {
        const role = named(ev, "acme/web/identity/role");
        assert.deepEqual(Object.keys(role.inputs).sort(), [
            "assumeRolePolicy",
            "description",
            "name",
            "path",
            "permissionsBoundary",
            "tags",
        ]);
        // Under the environment's own IAM path, capped by its boundary: the operator may create it only so.
        assert.equal(role.inputs.path, "/tenant-apps/pro/");
        assert.equal(role.inputs.permissionsBoundary, "arn:aws:iam::482103417651:policy/tenant-apps/tenant-boundary-pro");
        assert.equal(role.inputs.name, "acme-web-pro");
        assert.equal(role.inputs.description, "IRSA role of service account acme-pro/web-pro");
        assert.deepEqual(role.inputs.tags, tags);
        assert.deepEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AssumeFromOwnServiceAccount",
                    Effect: "Allow",
                    Principal: { Federated: `arn:aws:iam::482103417651:oidc-provider/${issuer}` },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${issuer}:sub`]: "system:serviceaccount:acme-pro:web-pro",
                            [`${issuer}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });

    it("allows reading only the app's own secret and only its own S3 prefix", () => {
        const policy = named(ev, "acme/web/identity/policy");
        assert.equal(policy.inputs.role, "acme-web-pro");
        assert.equal(policy.inputs.name, "tenant-app");
        assert.deepEqual(JSON.parse(String(policy.inputs.policy)), {
            Version: "2012-10-17",
            Statement: [
                readOwnSecret,
                {
                    Sid: "ReadWriteOwnPrefix",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    Resource: "arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/web/pro/*",
                },
                {
                    Sid: "ListOwnPrefix",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: "arn:aws:s3:::numinia-statics",
                    Condition: { StringLike: { "s3:prefix": ["hyperfy-spaces/acme/web/pro/", "hyperfy-spaces/acme/web/pro/*"] } },
                },
            ],
        });
        assert.deepEqual(JSON.parse(String(named(withoutStorage, "acme/web/identity/policy").inputs.policy)), {
            Version: "2012-10-17",
            Statement: [readOwnSecret],
        });
    });

    it("annotates the service account with the role's ARN", () => {
        assert.deepEqual(named(ev, "acme/web/identity/service-account").inputs, {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: {
                name: "web-pro",
                namespace: "acme-pro",
                labels: acmeLabels("web"),
                annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::482103417651:role/tenant-apps/pro/acme-web-pro" },
            },
        });
        assert.deepEqual(ev.outputs, { roleArn: "arn:aws:iam::482103417651:role/tenant-apps/pro/acme-web-pro" });
    });

    it("passes the caller's dependsOn (the namespace) to the service account only; nothing is protected", () => {
        assert.deepEqual(optionsOf(ev, "acme/web/identity/service-account"), {
            parent: "acme/web/identity",
            dependsOn: ["acme/web/identity/role", "upstream"],
            protect: false,
            retainOnDelete: false,
        });
        assert.deepEqual(optionsOf(ev, "acme/web/identity/role"), {
            parent: "acme/web/identity",
            dependsOn: [],
            protect: false,
            retainOnDelete: false,
        });
        assert.deepEqual(optionsOf(ev, "acme/web/identity/policy"), {
            parent: "acme/web/identity",
            dependsOn: ["acme/web/identity/role"],
            protect: false,
            retainOnDelete: false,
        });
    });
});
