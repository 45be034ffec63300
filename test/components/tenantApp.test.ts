import { strict as assert } from "node:assert";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { TenantApp } from "../../components/tenantApp";
import type { Evaluation } from "../../render/evaluate";
import { platformOf } from "../support/fixtures";
import { appOf, construct, named, optionsOf, upstream } from "./support";

// The mocks' stand-ins for the generated values (see render/evaluate.ts standInSecret).
const dbPassword = "sv8xQJDxral3CQZWfJX0SLNMGKZlhZEP";
const jwtSecret = "2Hamq60cyicLS9u27h646THb7CnadtqyMW5qT4IpsPWHQtnb";
const adminCode = "dep1azmxt3aVnS5r";
const aiApiKey = "sk-test-component-ai-key";
// The mocks' stand-in access key of acme/web/storage/access-key, in Hyperfy's URI shape.
const assetsUri =
    "s3://AKIA7MD5DJU8HRIXOT9X:CcNVBorVoFxGlWPtGZKHE7UrNbaEkaeyUMKHhBI9@numinia-statics.s3.eu-west-1.amazonaws.com/hyperfy-spaces/acme/web/pro/assets";

/** Children registered directly under `parent`, as `type name`, sorted. */
const childrenOf = (ev: Evaluation, parent: string): string[] =>
    ev.resources
        .filter((r) => r.parent === named(ev, parent).urn)
        .map((r) => `${r.type} ${r.name}`)
        .sort();

describe("TenantApp alone", () => {
    describe("a hyperfy2 app with External Secrets delivery", () => {
        let ev: Evaluation;
        before(async () => {
            const app = appOf("name: web\ntype: hyperfy2\nimage: ghcr.io/a/web:1.0.0");
            ev = await construct(() => {
                const databaseProvider = new postgresql.Provider("shared-rds", { host: "db", username: "postgres", password: "admin" });
                const tenant = new TenantApp(
                    "acme/web",
                    {
                        app,
                        platform: platformOf("pro"),
                        databaseProvider,
                        sharedSecrets: { AI_API_KEY: pulumi.secret(aiApiKey), LIVEKIT_WS_URL: "wss://livekit.example.com" },
                    },
                    { dependsOn: [upstream()] },
                );
                return { ...tenant.outputs };
            });
        });

        it("composes every link, two generated secrets and the app's database egress", () => {
            assert.deepEqual(childrenOf(ev, "acme/web"), [
                "kubernetes:networking.k8s.io/v1:NetworkPolicy acme/web/database-egress",
                "random:index/randomPassword:RandomPassword acme/web/admin-code",
                "random:index/randomPassword:RandomPassword acme/web/jwt-secret",
                "tenant-apps:chain:DomainMapping acme/web/domain",
                "tenant-apps:chain:KnativeService acme/web/service",
                "tenant-apps:chain:SecretDelivery acme/web/secret-delivery",
                "tenant-apps:chain:TenantDatabase acme/web/database",
                "tenant-apps:chain:TenantDns acme/web/dns",
                "tenant-apps:chain:TenantIdentity acme/web/identity",
                "tenant-apps:chain:TenantSecret acme/web/secret",
                "tenant-apps:chain:TenantStorage acme/web/storage",
                "tenant-apps:chain:WorldSeed acme/web/seed",
            ]);
            assert.deepEqual(named(ev, "acme/web").inputs, { organization: "acme", app: "web", type: "hyperfy2" });
            assert.deepEqual(named(ev, "acme/web/jwt-secret").inputs, { length: 48, special: false });
            assert.deepEqual(named(ev, "acme/web/admin-code").inputs, { length: 16, special: false });
        });

        it("fills all twelve keys: generated values, the stack's shared values, the rest empty", () => {
            assert.equal(
                named(ev, "acme/web/secret/version").inputs.secretString,
                JSON.stringify({
                    ADMIN_CODE: adminCode,
                    ASSETS_S3_URI: assetsUri,
                    DB_SCHEMA: "web_acme_pro",
                    DB_URI: `postgres://web_acme_pro:${dbPassword}@numinia-shared.cluster-c8x2k4q1zt7m.eu-west-1.rds.amazonaws.com:5432/numinia?sslmode=verify-full&sslrootcert=/etc/tenant-apps/db-ca/rds-ca.pem`,
                    JWT_SECRET: jwtSecret,
                    LIVEKIT_API_KEY: "",
                    LIVEKIT_API_SECRET: "",
                    LIVEKIT_WS_URL: "wss://livekit.example.com",
                    AI_PROVIDER: "",
                    AI_MODEL: "",
                    AI_EFFORT: "",
                    AI_API_KEY: aiApiKey,
                }),
            );
            assert.deepEqual(named(ev, "acme/web/secret/secret").inputs.description, "Runtime secrets of tenant app acme/web (pro)");
        });

        it("chains the links: identity and DNS after the caller's dependsOn, seeding after storage, delivery after identity and secret, service after delivery and seeding, mapping after service and DNS", () => {
            assert.deepEqual(optionsOf(ev, "acme/web/identity").dependsOn, ["upstream"]);
            assert.deepEqual(optionsOf(ev, "acme/web/secret-delivery").dependsOn, [
                "acme/web/identity/policy",
                "acme/web/identity/role",
                "acme/web/identity/service-account",
                "acme/web/secret/secret",
                "acme/web/secret/version",
            ]);
            assert.deepEqual(optionsOf(ev, "acme/web/service/service").dependsOn, [
                "acme/web/secret-delivery/external-secret",
                "acme/web/secret-delivery/store",
                "acme/web/seed/copy",
                "acme/web/service/db-ca",
            ]);
            assert.deepEqual(optionsOf(ev, "acme/web/seed/copy").dependsOn, [
                "acme/web/storage/access-key",
                "acme/web/storage/assets-folder",
                "acme/web/storage/user",
                "acme/web/storage/user-policy",
            ]);
            assert.deepEqual(optionsOf(ev, "acme/web/dns/endpoint").dependsOn, ["upstream"]);
            assert.deepEqual(optionsOf(ev, "acme/web/domain/mapping").dependsOn, [
                "acme/web/dns/endpoint",
                "acme/web/service/db-ca",
                "acme/web/service/service",
            ]);
            // Database, storage and secret need nothing from the cluster.
            for (const link of ["acme/web/database", "acme/web/storage", "acme/web/secret"])
                assert.deepEqual(optionsOf(ev, link).dependsOn, [], link);
        });

        it("outputs names, URL and the role ARN, no secret value", () => {
            assert.deepEqual(ev.outputs, {
                type: "hyperfy2",
                url: "https://web.acme.example.com",
                namespace: "acme-pro",
                service: "web-pro",
                roleArn: "arn:aws:iam::482103417651:role/tenant-apps/pro/acme-web-pro",
                secretName: "hyperfy2-acme-web-pro",
                schema: "web_acme_pro",
                assetsBaseUrl: "https://statics.numinia.xyz/hyperfy-spaces/acme/web/pro/assets",
            });
            assert.equal(ev.outputsSecret, false);
        });
    });

    describe("an eliza app with aws-sdk delivery", () => {
        let ev: Evaluation;
        before(async () => {
            const app = appOf("name: agent\ntype: eliza\nimage: ghcr.io/a/agent:1.0.0");
            ev = await construct(() => {
                const platform = platformOf("pro", { secretDelivery: "aws-sdk" });
                return { ...new TenantApp("acme/agent", { app, platform, sharedSecrets: {} }, { dependsOn: [upstream()] }).outputs };
            });
        });

        it("has no database, storage or delivery, and starts the service after the identity", () => {
            assert.deepEqual(childrenOf(ev, "acme/agent"), [
                "tenant-apps:chain:DomainMapping acme/agent/domain",
                "tenant-apps:chain:KnativeService acme/agent/service",
                "tenant-apps:chain:TenantDns acme/agent/dns",
                "tenant-apps:chain:TenantIdentity acme/agent/identity",
                "tenant-apps:chain:TenantSecret acme/agent/secret",
            ]);
            assert.deepEqual(optionsOf(ev, "acme/agent/service/service").dependsOn, [
                "acme/agent/identity/policy",
                "acme/agent/identity/role",
                "acme/agent/identity/service-account",
            ]);
            assert.equal(named(ev, "acme/agent/secret/version").inputs.secretString, '{"OPENAI_API_KEY":""}');
            assert.deepEqual(ev.outputs, {
                type: "eliza",
                url: "https://agent.acme.example.com",
                namespace: "acme-pro",
                service: "agent-pro",
                roleArn: "arn:aws:iam::482103417651:role/tenant-apps/pro/acme-agent-pro",
                secretName: "eliza-acme-agent-pro",
            });
        });
    });

    it("refuses an app with a database but no database provider", async () => {
        const app = appOf("name: web\ntype: hyperfy2\nimage: ghcr.io/a/web:1.0.0");
        await assert.rejects(
            construct(() => ({ ...new TenantApp("acme/web", { app, platform: platformOf("pro"), sharedSecrets: {} }).outputs })),
            /^Error: databaseProvider is required$/,
        );
    });
});
