import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../../model/iamPolicies";
import type { Evaluation } from "../../render/evaluate";
import { inputAt, resource, resourcesOf, types } from "../support/harness";
import { aiApiKey, asList, evaluateSamples, issuer, json, livekitSecret, ofApp, providerArn } from "../support/program";

describe("the program under the mock runtime: the links", function () {
    let pro: Evaluation;
    let pre: Evaluation;

    before(async () => {
        ({ pro, pre } = await evaluateSamples());
    });

    describe("links per app type", () => {
        const kinds = (ev: Evaluation, app: string) => new Set(ofApp(ev, app).map((r) => r.type));

        it("gives a hyperfy2 app every link", () => {
            const got = kinds(pro, "r3s3t/world");
            for (const t of [
                types.pgRole,
                types.pgSchema,
                types.pgGrant,
                types.bucketObject,
                types.secret,
                types.secretVersion,
                types.iamRole,
                types.rolePolicy,
                types.serviceAccount,
                types.secretStore,
                types.externalSecret,
                types.ksvc,
                types.domainMapping,
            ]) {
                assert.ok(got.has(t), `r3s3t/world lacks ${t}`);
            }
        });

        it("gives an eliza app no database and no storage", () => {
            const got = kinds(pro, "r3s3t/guide");
            assert.ok(!got.has(types.pgSchema) && !got.has(types.pgRole) && !got.has(types.bucketObject));
            assert.ok(got.has(types.secret) && got.has(types.iamRole) && got.has(types.ksvc) && got.has(types.domainMapping));
        });

        it("gives a custom app exactly the links its catalog entry asks for", () => {
            const api = kinds(pro, "numinia/api");
            assert.ok(api.has(types.pgSchema) && !api.has(types.bucketObject));
            const gallery = kinds(pro, "active-inference/gallery");
            assert.ok(!gallery.has(types.pgSchema) && gallery.has(types.bucketObject));
        });

        it("creates one namespace per organization with its quota, limit range and network policy", () => {
            assert.deepEqual(
                resourcesOf(pro, types.namespace)
                    .map((r) => inputAt(r, "metadata.name"))
                    .sort(),
                ["active-inference-pro", "numinia-pro", "r3s3t-pro"],
            );
            const quota = resource(pro, types.quota, "r3s3t/quota");
            assert.equal(inputAt(quota, "metadata.namespace"), "r3s3t-pro");
            assert.deepEqual(inputAt(quota, "spec.hard"), { "requests.cpu": "8", "requests.memory": "16Gi", pods: "40" });
            // numinia gives no quota: the stack's default applies.
            assert.deepEqual(inputAt(resource(pre, types.quota, "numinia/quota"), "spec.hard"), {
                "requests.cpu": "4",
                "requests.memory": "8Gi",
                pods: "20",
            });
            assert.deepEqual(inputAt(resource(pro, types.limitRange, "r3s3t/limits"), "spec.limits"), [
                { type: "Container", defaultRequest: { cpu: "25m", memory: "64Mi" }, default: { cpu: "1", memory: "1Gi" } },
            ]);
            assert.equal(inputAt(resource(pro, types.networkPolicy, "r3s3t/ingress"), "metadata.namespace"), "r3s3t-pro");
        });
    });

    describe("identity (IRSA)", () => {
        it("trusts exactly the app's own service account, with StringEquals on sub and aud", () => {
            for (const role of resourcesOf(pro, types.iamRole)) {
                const app = role.name.split("/").slice(0, 2).join("/");
                const sa = resource(pro, types.serviceAccount, `${app}/identity/service-account`);
                const trust = json<PolicyDocument>(role, "assumeRolePolicy");
                assert.equal(trust.Statement.length, 1);
                const [statement] = trust.Statement;
                assert.deepEqual(statement?.Principal, { Federated: providerArn });
                assert.deepEqual(statement?.Condition, {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${inputAt(sa, "metadata.namespace")}:${inputAt(sa, "metadata.name")}`,
                        [`${issuer}:aud`]: "sts.amazonaws.com",
                    },
                });
            }
        });

        it("names the role {org}-{app}-{env} and annotates the service account with its ARN", () => {
            const role = resource(pro, types.iamRole, "r3s3t/world/identity/role");
            assert.equal(role.inputs.name, "r3s3t-world-pro");
            const sa = resource(pro, types.serviceAccount, "r3s3t/world/identity/service-account");
            assert.equal(inputAt(sa, "metadata.name"), "world-pro");
            assert.deepEqual(inputAt(sa, "metadata.annotations"), {
                "eks.amazonaws.com/role-arn": "arn:aws:iam::482103417651:role/r3s3t-world-pro",
            });
        });

        it("lets each role read only its own secret", () => {
            for (const policy of resourcesOf(pro, types.rolePolicy)) {
                const app = policy.name.split("/").slice(0, 2).join("/");
                const secret = resource(pro, types.secret, `${app}/secret/secret`);
                const ownArn = `arn:aws:secretsmanager:eu-west-1:482103417651:secret:${String(secret.inputs.name)}-`;
                const doc = json<PolicyDocument>(policy, "policy");
                const secretStatements = doc.Statement.filter((s) => asList(s.Action).some((a) => String(a).startsWith("secretsmanager:")));
                assert.equal(secretStatements.length, 1);
                assert.ok(String(secretStatements[0]?.Resource).startsWith(ownArn), `${app}: ${String(secretStatements[0]?.Resource)}`);
                assert.equal(asList(secretStatements[0]?.Resource).length, 1);
            }
        });

        it("lets each IRSA role reach only its own S3 prefix, and apps without storage or with an IAM user none", () => {
            const gallery = json<PolicyDocument>(resource(pro, types.rolePolicy, "active-inference/gallery/identity/policy"), "policy");
            const s3Resources = gallery.Statement.filter((s) => asList(s.Action).some((a) => String(a).startsWith("s3:"))).flatMap((s) =>
                asList(s.Resource),
            );
            assert.deepEqual(s3Resources, [
                "arn:aws:s3:::numinia-statics/hyperfy-spaces/active-inference/gallery/pro/*",
                "arn:aws:s3:::numinia-statics",
            ]);
            const listing = gallery.Statement.find((s) => s.Action === "s3:ListBucket");
            assert.deepEqual(listing?.Condition, {
                StringLike: {
                    "s3:prefix": ["hyperfy-spaces/active-inference/gallery/pro/", "hyperfy-spaces/active-inference/gallery/pro/*"],
                },
            });
            for (const app of ["r3s3t/guide", "r3s3t/world"]) {
                const policy = json<PolicyDocument>(resource(pro, types.rolePolicy, `${app}/identity/policy`), "policy");
                assert.ok(!JSON.stringify(policy).includes("s3:"), app);
            }
        });

        it("attaches the policy inline to the app's own role", () => {
            const policy = resource(pro, types.rolePolicy, "numinia/plaza/identity/policy");
            assert.equal(policy.inputs.role, "numinia-plaza-pro");
        });
    });

    describe("secret", () => {
        const secretJson = (ev: Evaluation, app: string) =>
            JSON.parse(String(resource(ev, types.secretVersion, `${app}/secret/version`).inputs.secretString)) as Record<string, string>;

        it("names the secret {type}-{org}-{app}-{env}", () => {
            assert.equal(resource(pro, types.secret, "r3s3t/world/secret/secret").inputs.name, "hyperfy2-r3s3t-world-pro");
            assert.equal(resource(pre, types.secret, "r3s3t/guide/secret/secret").inputs.name, "eliza-r3s3t-guide-pre");
        });

        it("gives a hyperfy2 app exactly the twelve keys its runtime expects", () => {
            assert.deepEqual(Object.keys(secretJson(pro, "r3s3t/world")), [
                "ADMIN_CODE",
                "ASSETS_S3_URI",
                "DB_SCHEMA",
                "DB_URI",
                "JWT_SECRET",
                "LIVEKIT_API_KEY",
                "LIVEKIT_API_SECRET",
                "LIVEKIT_WS_URL",
                "AI_PROVIDER",
                "AI_MODEL",
                "AI_EFFORT",
                "AI_API_KEY",
            ]);
        });

        it("fills generated values and config values, and leaves unknown ones empty", () => {
            const s = secretJson(pro, "r3s3t/world");
            assert.equal(s.DB_SCHEMA, "world_r3s3t_pro");
            assert.match(
                s.ASSETS_S3_URI ?? "",
                /^s3:\/\/AKIA[A-Z0-9]{16}:[A-Za-z0-9]{40}@numinia-statics\.s3\.eu-west-1\.amazonaws\.com\/hyperfy-spaces\/r3s3t\/world\/pro\/assets$/,
            );
            assert.match(
                s.DB_URI ?? "",
                /^postgres:\/\/world_r3s3t_pro:[A-Za-z0-9]{32}@numinia-shared\.cluster-[a-z0-9]+\.eu-west-1\.rds\.amazonaws\.com:5432\/numinia\?sslmode=verify-full&sslrootcert=\/etc\/tenant-apps\/db-ca\/rds-ca\.pem$/,
            );
            assert.equal(s.JWT_SECRET?.length, 48);
            assert.equal(s.ADMIN_CODE?.length, 16);
            assert.equal(s.AI_API_KEY, aiApiKey);
            assert.equal(s.LIVEKIT_API_SECRET, livekitSecret);
            assert.equal(s.AI_PROVIDER, "anthropic");
            assert.equal(s.LIVEKIT_API_KEY, "");
            assert.equal(s.AI_MODEL, "");
        });

        it("uses the role's generated password in DB_URI", () => {
            const password = resource(pro, types.pgRole, "numinia/api/database/role").inputs.password;
            assert.ok(secretJson(pro, "numinia/api").DB_URI?.includes(`:${String(password)}@`));
            assert.deepEqual(Object.keys(secretJson(pro, "numinia/api")), ["DB_URI", "DB_SCHEMA"]);
        });

        it("gives an eliza app its model provider's key only", () => {
            assert.deepEqual(Object.keys(secretJson(pro, "r3s3t/guide")), ["OPENAI_API_KEY"]);
        });

        it("marks the secret JSON, the role password and the admin password as Pulumi secrets", () => {
            for (const version of resourcesOf(pro, types.secretVersion)) {
                assert.deepEqual(version.secretInputs, ["secretString"]);
                assert.equal(version.maskedInputs.secretString, "[secret]");
            }
            for (const role of resourcesOf(pro, types.pgRole)) assert.deepEqual(role.secretInputs, ["password"]);
            const provider = resourcesOf(pro, types.pgProvider);
            assert.equal(provider.length, 1);
            assert.ok(provider[0]?.secretInputs.includes("password"));
        });
    });

    describe("database", () => {
        it("creates a LOGIN role without privileges and a schema it owns", () => {
            const role = resource(pro, types.pgRole, "r3s3t/world/database/role");
            assert.equal(role.inputs.name, "world_r3s3t_pro");
            assert.equal(role.inputs.login, true);
            for (const privilege of ["superuser", "createDatabase", "createRole"]) assert.equal(role.inputs[privilege], false, privilege);
            assert.deepEqual(role.inputs.searchPaths, ["world_r3s3t_pro"]);
            const schema = resource(pro, types.pgSchema, "r3s3t/world/database/schema");
            assert.deepEqual(
                [schema.inputs.name, schema.inputs.owner, schema.inputs.database],
                ["world_r3s3t_pro", "world_r3s3t_pro", "numinia"],
            );
        });

        it("grants CONNECT on the shared database, and CREATE only to a runtime that creates its own schema", () => {
            const api = resource(pro, types.pgGrant, "numinia/api/database/connect");
            assert.deepEqual(api.inputs.privileges, ["CONNECT"]);
            const grant = resource(pro, types.pgGrant, "r3s3t/world/database/connect");
            assert.deepEqual(
                {
                    role: grant.inputs.role,
                    objectType: grant.inputs.objectType,
                    privileges: grant.inputs.privileges,
                    database: grant.inputs.database,
                },
                { role: "world_r3s3t_pro", objectType: "database", privileges: ["CONNECT", "CREATE"], database: "numinia" },
            );
            assert.equal(resourcesOf(pro, types.pgGrant).length, resourcesOf(pro, types.pgSchema).length);
        });

        it("connects through one provider and uses it for every database resource", () => {
            const [provider] = resourcesOf(pro, types.pgProvider);
            assert.ok(provider);
            assert.deepEqual(
                [provider.inputs.host, provider.inputs.port, provider.inputs.database, provider.inputs.username],
                ["numinia-shared.cluster-c8x2k4q1zt7m.eu-west-1.rds.amazonaws.com", "5432", "numinia", "postgres"],
            );
            for (const r of [...resourcesOf(pro, types.pgRole), ...resourcesOf(pro, types.pgSchema), ...resourcesOf(pro, types.pgGrant)]) {
                assert.ok(r.provider?.startsWith(`${provider.urn}::`), `${r.name} uses ${String(r.provider)}`);
            }
        });

        it("reads the admin credentials once per stack, not once per app", () => {
            assert.deepEqual(
                pro.invokes.map((i) => i.token),
                ["aws:secretsmanager/getSecretVersion:getSecretVersion"],
            );
            assert.equal(
                pro.invokes[0]?.args.secretId,
                "arn:aws:secretsmanager:eu-west-1:482103417651:secret:rds!cluster-4f1c2a9e-7d3b-4e55-9a0c-1b2d3e4f5a6b-Qm3xZp",
            );
        });
    });
});
