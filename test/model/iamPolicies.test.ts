import { strict as assert } from "node:assert";
import { appPermissionPolicy, irsaTrustPolicy, type PolicyStatement } from "../../model/iamPolicies";

const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
const providerArn = `arn:aws:iam::111122223333:oidc-provider/${issuer}`;
const secretArn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hyperfy2-r3s3t-world-pro-AbCdEf";

const asList = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === "string" ? [v] : v);

describe("IAM documents", () => {
    it("trusts only the app's own service account through the cluster's OIDC provider", () => {
        const trust = irsaTrustPolicy({
            oidcProviderArn: providerArn,
            oidcIssuerHostPath: issuer,
            namespace: "r3s3t-pro",
            serviceAccount: "world-pro",
        });
        assert.equal(trust.Statement.length, 1);
        const [statement] = trust.Statement;
        assert.deepEqual(statement?.Principal, { Federated: providerArn });
        assert.equal(statement?.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepEqual(statement?.Condition, {
            StringEquals: {
                [`${issuer}:sub`]: "system:serviceaccount:r3s3t-pro:world-pro",
                [`${issuer}:aud`]: "sts.amazonaws.com",
            },
        });
    });

    it("lets the app read only its own secret", () => {
        const policy = appPermissionPolicy({ partition: "aws", secretArn });
        const secretStatements = policy.Statement.filter((s) => asList(s.Action).some((a) => a.startsWith("secretsmanager:")));
        assert.equal(secretStatements.length, 1);
        assert.deepEqual(asList(secretStatements[0]?.Action), ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);
        assert.equal(secretStatements[0]?.Resource, secretArn);
    });

    it("lets the app read and write objects only under its own prefix, and list only that prefix", () => {
        const policy = appPermissionPolicy({
            partition: "aws",
            secretArn,
            storage: { bucket: "numinia-statics", prefix: "hyperfy-spaces/r3s3t/world/pro" },
        });
        const objects = policy.Statement.find((s) => s.Sid === "ReadWriteOwnPrefix");
        assert.deepEqual(asList(objects?.Action), ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
        assert.equal(objects?.Resource, "arn:aws:s3:::numinia-statics/hyperfy-spaces/r3s3t/world/pro/*");
        const list = policy.Statement.find((s) => s.Sid === "ListOwnPrefix");
        assert.equal(list?.Resource, "arn:aws:s3:::numinia-statics");
        assert.deepEqual(list?.Condition, {
            StringLike: { "s3:prefix": ["hyperfy-spaces/r3s3t/world/pro/", "hyperfy-spaces/r3s3t/world/pro/*"] },
        });
    });

    it("grants no S3 access to an app without storage", () => {
        const policy = appPermissionPolicy({ partition: "aws", secretArn });
        assert.ok(policy.Statement.every((s) => asList(s.Action).every((a) => !a.startsWith("s3:"))));
    });

    it("never uses a wildcard action or a bucket-wide resource", () => {
        const policy = appPermissionPolicy({ partition: "aws-cn", secretArn, storage: { bucket: "b", prefix: "p/o/a/pro" } });
        const statements: readonly PolicyStatement[] = policy.Statement;
        for (const s of statements) {
            for (const action of asList(s.Action)) assert.ok(!action.includes("*"), action);
            for (const resource of asList(s.Resource))
                assert.ok(resource === "arn:aws-cn:s3:::b" || !resource.endsWith(":::b/*"), resource);
        }
        assert.ok(JSON.stringify(policy).includes("arn:aws-cn:s3:::b/p/o/a/pro/*"));
    });
});
