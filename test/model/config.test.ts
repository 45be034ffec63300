import { strict as assert } from "node:assert";
import { parsePlatformConfig, PlatformConfigError } from "../../model/config";
import { platformOf, rawConfigOf } from "../support/fixtures";

function problemsOf(stack: string, raw: Record<string, unknown>): readonly string[] {
    try {
        parsePlatformConfig(stack, raw);
    } catch (error) {
        if (error instanceof PlatformConfigError) return error.problems;
        throw error;
    }
    return [];
}

describe("platform config", () => {
    it("derives environment, account and partition from the stack and the OIDC provider ARN", () => {
        const pro = platformOf("pro");
        assert.equal(pro.env, "pro");
        assert.equal(pro.accountId, "482103417651");
        assert.equal(pro.partition, "aws");
        assert.equal(pro.cluster.oidcIssuerHostPath, "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87");
    });

    it("by default protects data and keeps a 30-day recovery window in pro; 7 days and no protection in pre", () => {
        const { deletion: _pro, ...proWithoutDeletion } = rawConfigOf("pro");
        assert.deepEqual(parsePlatformConfig("pro", proWithoutDeletion).deletion, {
            protect: true,
            retainOnDelete: true,
            recoveryWindowInDays: 30,
        });
        const { deletion: _pre, ...preWithoutDeletion } = rawConfigOf("pre");
        assert.deepEqual(parsePlatformConfig("pre", preWithoutDeletion).deletion, {
            protect: false,
            retainOnDelete: true,
            recoveryWindowInDays: 7,
        });
        assert.equal(parsePlatformConfig("pro", { ...proWithoutDeletion, deletion: { protect: false } }).deletion.retainOnDelete, true);
    });

    it("defaults the database port to 5432 and sslmode to verify-full", () => {
        const raw = rawConfigOf("pro");
        const { port: _port, sslMode: _sslMode, ...database } = raw.database as Record<string, unknown>;
        const platform = parsePlatformConfig("pro", { ...raw, database });
        assert.equal(platform.database.port, 5432);
        assert.equal(platform.database.sslMode, "verify-full");
    });

    it("refuses sslmode require: node-postgres would verify it against Node's CAs, which lack RDS's", () => {
        const raw = rawConfigOf("pro");
        assert.throws(
            () => parsePlatformConfig("pro", { ...raw, database: { ...(raw.database as object), sslMode: "require" } }),
            /tenant-apps:database\.sslMode: must be verify-full \(the app gets the RDS CA\) or no-verify; node-postgres treats require and verify-ca as verify-full/,
        );
    });

    it("derives the External Secrets API version from the installed chart: 0.9.13 serves v1beta1, 0.17.0 v1", () => {
        const raw = rawConfigOf("pro");
        assert.equal(parsePlatformConfig("pro", raw).externalSecrets.apiVersion, "external-secrets.io/v1beta1");
        assert.equal(
            parsePlatformConfig("pro", { ...raw, externalSecrets: { version: "0.17.0" } }).externalSecrets.apiVersion,
            "external-secrets.io/v1",
        );
        assert.throws(
            () => parsePlatformConfig("pro", { ...raw, externalSecrets: { version: "0.9.13", apiVersion: "external-secrets.io/v1" } }),
            /external-secrets\.io\/v1 does not match chart version 0\.9\.13, which serves external-secrets\.io\/v1beta1/,
        );
    });

    it("reads the platform's KNative settings, KNative's own defaults when unset", () => {
        const raw = rawConfigOf("pro");
        assert.deepEqual(parsePlatformConfig("pro", raw).knative, {
            maxRevisionTimeoutSeconds: 3600,
            autocreateClusterDomainClaims: true,
            reservedPorts: [8008, 8012, 8013, 8022, 9090, 9091],
        });
        assert.deepEqual(parsePlatformConfig("pro", { ...raw, knative: {} }).knative, {
            maxRevisionTimeoutSeconds: 600,
            autocreateClusterDomainClaims: false,
            reservedPorts: [8008, 8012, 8013, 8022, 9090, 9091],
        });
    });

    it("rejects a recovery window AWS would refuse", () => {
        const found = problemsOf("pro", { ...rawConfigOf("pro"), deletion: { recoveryWindowInDays: 0 } });
        assert.equal(found.length, 1);
        assert.match(found[0] ?? "", /^tenant-apps:deletion\.recoveryWindowInDays: /);
    });

    it("names the file and every bad key at once", () => {
        const raw = { ...rawConfigOf("pro"), cluster: { oidcProviderArn: "not-an-arn", oidcIssuer: "http://x" }, colour: "blue" };
        try {
            parsePlatformConfig("pro", raw);
            assert.fail("expected an error");
        } catch (error) {
            assert.ok(error instanceof PlatformConfigError);
            assert.match(error.message, /^Pulumi\.pro\.yaml: invalid platform configuration/);
            assert.equal(error.problems.length, 3, error.problems.join("\n"));
            assert.ok(error.problems.some((p) => p.startsWith("tenant-apps:cluster.oidcProviderArn")));
            assert.ok(error.problems.some((p) => p.startsWith("tenant-apps:cluster.oidcIssuer")));
            assert.ok(error.problems.some((p) => p.includes("unknown key(s) colour")));
        }
    });

    it("requires an environment for a stack that is neither pre nor pro", () => {
        assert.match(problemsOf("pro-eu", rawConfigOf("pro"))[0] ?? "", /stack "pro-eu" is neither pre nor pro/);
        assert.equal(parsePlatformConfig("pro-eu", { ...rawConfigOf("pro"), environment: "pro" }).env, "pro");
    });

    it("lets a stack override name patterns and the TLS secret", () => {
        const platform = parsePlatformConfig("pro", {
            ...rawConfigOf("pro"),
            names: { namespace: "{org}" },
            tls: { mode: "secret", secretName: "{org}-wildcard" },
        });
        assert.equal(platform.names.namespace, "{org}");
        assert.equal(platform.names.tlsSecret, "{org}-wildcard");
        assert.equal(platform.names.hostname, "{app}.{domain}");
        assert.equal(platform.tls.mode, "secret");
    });
});

describe("platform config consistency", () => {
    it("refuses an OIDC provider ARN of another cluster than the issuer", () => {
        const raw = rawConfigOf("pro");
        const cluster = raw.cluster as { oidcProviderArn: string; oidcIssuer: string };
        const found = problemsOf("pro", {
            ...raw,
            cluster: { ...cluster, oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/OTHER" },
        });
        assert.equal(found.length, 1);
        assert.match(found[0] ?? "", /oidcProviderArn names another issuer than oidcIssuer/);
    });
});
