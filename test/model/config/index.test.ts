import { strict as assert } from "node:assert";
import { formatConfigProblem, parsePlatformConfig, PlatformConfigError } from "../../../model/config";
import { platformOf, rawConfigOf } from "../../support/fixtures";

function problemsOf(stack: string, raw: Record<string, unknown>): readonly string[] {
    try {
        parsePlatformConfig(stack, raw);
    } catch (error) {
        if (error instanceof PlatformConfigError) return error.problems.map(formatConfigProblem);
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
        const acknowledged = {
            ...proWithoutDeletion,
            deletion: { protect: false },
            acknowledge: { unprotectedInPro: "a stack rebuilt from backups" },
        };
        assert.equal(parsePlatformConfig("pro", acknowledged).deletion.retainOnDelete, true);
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
            const problems = error.problems.map(formatConfigProblem);
            assert.equal(problems.length, 3, problems.join("\n"));
            assert.ok(problems.some((p) => p.startsWith("tenant-apps:cluster.oidcProviderArn")));
            assert.ok(problems.some((p) => p.startsWith("tenant-apps:cluster.oidcIssuer")));
            assert.ok(problems.some((p) => p.includes("unknown key(s) colour")));
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

describe("platform config: every problem at once", () => {
    /** The fixture pro config without `tenant-apps:kubernetes`. */
    const withoutCluster = (): Record<string, unknown> => {
        const { kubernetes: _kubernetes, ...rest } = rawConfigOf("pro");
        return rest;
    };

    // Each row: the edit, why those problems belong together, and every problem, in report order.
    const rows: ReadonlyArray<{ readonly why: string; readonly raw: () => Record<string, unknown>; readonly problems: readonly string[] }> =
        [
            {
                why: "a schema problem does not hide the missing cluster binding",
                raw: () => ({ ...withoutCluster(), deletion: { recoveryWindowInDays: 3 } }),
                problems: [
                    "tenant-apps:deletion.recoveryWindowInDays: Number must be greater than or equal to 7",
                    "tenant-apps:kubernetes: missing; name the cluster this stack applies to (context, kubeconfig or kubeconfigEnv), so it can never apply to whatever cluster the shell points at",
                ],
            },
            {
                why: "a bad region does not hide the rules over the database host and the LimitRange defaults",
                raw: () => ({
                    ...rawConfigOf("pro"),
                    region: "Ireland",
                    database: { ...(rawConfigOf("pro").database as object), host: "db:5432" },
                    namespaceDefaults: { defaultRequest: { cpu: "2", memory: "64Mi" } },
                }),
                problems: [
                    "aws:region: must be an AWS region such as eu-west-1",
                    "tenant-apps:database.host: must be a host name only, such as db.cluster-x.eu-west-1.rds.amazonaws.com: no scheme, user, password, port, path, query or fragment (it becomes part of every app's DB_URI)",
                    "tenant-apps:namespaceDefaults.defaultRequest.cpu: 2 is greater than defaultLimit.cpu 1; the LimitRange would be refused (defaultRequest ≤ defaultLimit)",
                ],
            },
            {
                why: "an OIDC mismatch, a chart/API mismatch and a bad name pattern are independent",
                raw: () => ({
                    ...rawConfigOf("pro"),
                    cluster: {
                        oidcProviderArn: "arn:aws:iam::482103417651:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/A",
                        oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/B",
                    },
                    externalSecrets: { version: "0.9.13", apiVersion: "external-secrets.io/v1" },
                    names: { service: "{org}" },
                }),
                problems: [
                    "tenant-apps:cluster: oidcProviderArn names another issuer than oidcIssuer (oidc.eks.eu-west-1.amazonaws.com/id/B); both must describe the same cluster",
                    "tenant-apps:externalSecrets.apiVersion: external-secrets.io/v1 does not match chart version 0.9.13, which serves external-secrets.io/v1beta1",
                    'tenant-apps:names.service: "{org}" lacks {app}, so two apps would get the same name',
                ],
            },
        ];
    for (const row of rows) {
        it(`reports them together: ${row.why}`, () => {
            assert.deepEqual(problemsOf("pro", row.raw()), row.problems);
        });
    }

    it("carries each problem as a key and a message, and the file apart", () => {
        try {
            parsePlatformConfig("pro", { ...withoutCluster(), deletion: { recoveryWindowInDays: 3 } }, "stacks/Pulumi.pro.yaml");
            assert.fail("expected a PlatformConfigError");
        } catch (error) {
            assert.ok(error instanceof PlatformConfigError);
            assert.equal(error.file, "stacks/Pulumi.pro.yaml");
            assert.deepEqual(
                error.problems.map((p) => p.key),
                ["tenant-apps:deletion.recoveryWindowInDays", "tenant-apps:kubernetes"],
            );
        }
    });
});
