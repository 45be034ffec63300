import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../model/iamPolicies";
import { standInSecret, type Evaluation, type RecordedResource } from "../render/evaluate";
import { evaluate, inputAt, resource, resourcesOf, types } from "./support/harness";
import { oneApp } from "./support/fixtures";

const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87";
const providerArn = `arn:aws:iam::482103417651:oidc-provider/${issuer}`;
const aiApiKey = "sk-test-4b1d2c3e-ai-key-never-printed";
const livekitSecret = "lk-secret-9f8e7d6c-never-printed";

const json = <T>(r: RecordedResource, key: string): T => JSON.parse(String(r.inputs[key])) as T;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Resources of one app (logical names start with `org/app/`). */
const ofApp = (ev: Evaluation, app: string) => ev.resources.filter((r) => r.name.startsWith(`${app}/`));

describe("the program under the mock runtime", function () {
    let pro: Evaluation;
    let pre: Evaluation;

    before(async () => {
        pro = await evaluate("pro", {
            config: {
                "tenant-apps:aiApiKey": aiApiKey,
                "tenant-apps:livekitApiSecret": livekitSecret,
                "tenant-apps:aiProvider": "anthropic",
            },
            secretKeys: ["tenant-apps:aiApiKey", "tenant-apps:livekitApiSecret", "tenant-apps:aiProvider"],
        });
        pre = await evaluate("pre");
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

    describe("deletion safety", () => {
        const dataBearing = [types.pgSchema, types.pgRole, types.bucketObject, types.secret];

        it("retains and protects schema, role, S3 objects and secret in pro", () => {
            for (const type of dataBearing) {
                const found = resourcesOf(pro, type);
                assert.ok(found.length > 0, type);
                for (const r of found) assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, true, true]);
            }
        });

        it("retains them in pre without protecting them", () => {
            for (const type of dataBearing)
                for (const r of resourcesOf(pre, type)) assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, false, true]);
        });

        it("never drops a schema with CASCADE and never drops what a role owns", () => {
            for (const schema of resourcesOf(pro, types.pgSchema)) assert.equal(schema.inputs.dropCascade, false);
            for (const role of resourcesOf(pro, types.pgRole)) {
                assert.equal(role.inputs.skipReassignOwned, true);
                assert.equal(role.inputs.skipDropRole, true);
            }
        });

        it("keeps a recovery window on secrets: 30 days in pro, 7 in pre", () => {
            for (const s of resourcesOf(pro, types.secret)) assert.equal(s.inputs.recoveryWindowInDays, 30);
            for (const s of resourcesOf(pre, types.secret)) assert.equal(s.inputs.recoveryWindowInDays, 7);
        });

        it("keeps secret versions in the cloud but never protects them: a rotation replaces the version (issue 12)", () => {
            for (const r of resourcesOf(pro, types.secretVersion))
                assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, false, true]);
        });

        it("leaves stateless resources deletable", () => {
            for (const type of [types.ksvc, types.domainMapping, types.iamRole, types.serviceAccount]) {
                for (const r of resourcesOf(pro, type)) assert.deepEqual([r.protect, r.retainOnDelete], [false, false], r.name);
            }
        });
    });

    describe("KNative", () => {
        it("names services {app}-{env} and maps pro hostnames {app}.{domain} or the app's own", () => {
            assert.equal(inputAt(resource(pro, types.ksvc, "numinia/plaza/service/service"), "metadata.name"), "plaza-pro");
            const hosts = resourcesOf(pro, types.domainMapping)
                .map((r) => inputAt(r, "metadata.name"))
                .sort();
            assert.deepEqual(hosts, [
                "agent.activeinference.institute",
                "api.numinia.xyz",
                "gallery.activeinference.institute",
                "guide.r3s3t.xyz",
                "plaza.numinia.xyz",
                "world.r3s3t.xyz",
            ]);
        });

        it("maps pre hostnames pre.{app}.{domain}", () => {
            assert.equal(
                inputAt(resource(pre, types.domainMapping, "numinia/plaza/domain/mapping"), "metadata.name"),
                "pre.plaza.numinia.xyz",
            );
        });

        it("runs the service as the app's service account with the delivered secret and its own port", () => {
            const ksvc = resource(pro, types.ksvc, "numinia/api/service/service");
            assert.equal(inputAt(ksvc, "spec.template.spec.serviceAccountName"), "api-pro");
            const [container] = inputAt(ksvc, "spec.template.spec.containers") as Array<Record<string, unknown>>;
            assert.deepEqual(container?.ports, [{ name: "http1", containerPort: 8080 }]);
            assert.deepEqual(container?.envFrom, [{ secretRef: { name: "api-pro-env" } }]);
            assert.deepEqual(container?.readinessProbe, { httpGet: { path: "/healthz" }, periodSeconds: 5, failureThreshold: 3 });
            assert.ok(!(container?.env as Array<{ name: string }>).some((e) => e.name === "PORT"));
        });

        it("starts the service only after its secret is delivered, and everything after the namespace", () => {
            const ksvc = resource(pro, types.ksvc, "r3s3t/world/service/service");
            const external = resource(pro, types.externalSecret, "r3s3t/world/secret-delivery/external-secret");
            assert.ok(ksvc.dependencies.includes(external.urn));
            const namespace = resource(pro, types.namespace, "r3s3t/namespace");
            const sa = resource(pro, types.serviceAccount, "r3s3t/world/identity/service-account");
            assert.ok(sa.dependencies.includes(namespace.urn));
            const store = resource(pro, types.secretStore, "r3s3t/world/secret-delivery/store");
            assert.ok(store.dependencies.includes(sa.urn));
            assert.ok(store.dependencies.includes(resource(pro, types.secretVersion, "r3s3t/world/secret/version").urn));
        });

        it("names every Kubernetes object explicitly (no auto-naming suffixes)", () => {
            for (const r of pro.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
                assert.equal(typeof inputAt(r, "metadata.name"), "string", r.name);
            }
        });
    });

    describe("stack outputs", () => {
        it("give each app its URL, namespace, service, role, secret, schema and assets URL", () => {
            const apps = pro.outputs.apps as Record<string, Record<string, unknown>>;
            assert.deepEqual(Object.keys(apps).sort(), [
                "active-inference/agent",
                "active-inference/gallery",
                "numinia/api",
                "numinia/plaza",
                "r3s3t/guide",
                "r3s3t/world",
            ]);
            assert.deepEqual(apps["r3s3t/world"], {
                type: "hyperfy2",
                url: "https://world.r3s3t.xyz",
                namespace: "r3s3t-pro",
                service: "world-pro",
                roleArn: "arn:aws:iam::482103417651:role/r3s3t-world-pro",
                secretName: "hyperfy2-r3s3t-world-pro",
                secretArn: apps["r3s3t/world"]?.secretArn,
                schema: "world_r3s3t_pro",
                assetsBaseUrl: "https://statics.numinia.xyz/hyperfy-spaces/r3s3t/world/pro/assets",
            });
            assert.match(
                String(apps["r3s3t/world"]?.secretArn),
                /^arn:aws:secretsmanager:eu-west-1:482103417651:secret:hyperfy2-r3s3t-world-pro-[0-9a-f]{6}$/,
            );
            assert.equal(pro.outputs.environment, "pro");
        });

        it("are not secrets and contain no secret value", () => {
            assert.equal(pro.outputsSecret, false);
            const text = JSON.stringify(pro.outputs);
            const generated = resourcesOf(pro, types.randomPassword).map((r) => standInSecret(r.name, Number(r.inputs.length)));
            for (const secret of [aiApiKey, livekitSecret, ...generated]) assert.ok(!text.includes(secret));
            assert.ok(!text.includes("postgres://"));
        });
    });

    describe("validation before registration", () => {
        it("registers nothing when the catalog is invalid and names file, app and field", async () => {
            const error = await evaluate("pro", {
                catalog: { "acme.yaml": oneApp("acme", "name: w\ntype: hyperfy2\nimage: ghcr.io/a/w:latest") },
            }).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(error instanceof Error);
            assert.match(
                error.message,
                /acme\.yaml:\d+: organization "acme", app "w", field "image": "ghcr\.io\/a\/w:latest" is not pinned/,
            );
            // The mock monitor of that evaluation saw no registration at all.
            const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
            assert.equal(monitor.resources.size, 0);
        });
    });

    describe("determinism", () => {
        it("gives identical desired state on two evaluations of the same catalog", async () => {
            const again = await evaluate("pre");
            const shape = (ev: Evaluation) =>
                JSON.stringify(
                    ev.resources.map((r) => [r.urn, r.type, r.parent, r.inputs, r.dependencies, r.provider, r.protect, r.retainOnDelete]),
                );
            assert.equal(shape(again), shape(pre));
            assert.deepEqual(again.outputs, pre.outputs);
        });
    });

    describe("stack options", () => {
        it("in aws-sdk mode creates no SecretStore or ExternalSecret and tells the app its secret", async () => {
            const ev = await evaluate("pro", { config: { "tenant-apps:secretDelivery": "aws-sdk" } });
            assert.equal(resourcesOf(ev, types.secretStore).length + resourcesOf(ev, types.externalSecret).length, 0);
            const [container] = inputAt(resource(ev, types.ksvc, "r3s3t/world/service/service"), "spec.template.spec.containers") as Array<
                Record<string, unknown>
            >;
            assert.equal(container?.envFrom, undefined);
            assert.deepEqual(
                (container?.env as Array<{ name: string; value: string }>).find((e) => e.name === "APP_SECRET_ID"),
                { name: "APP_SECRET_ID", value: "hyperfy2-r3s3t-world-pro" },
            );
        });

        it("uses an explicit TLS secret per organization in secret mode", async () => {
            const ev = await evaluate("pro", { config: { "tenant-apps:tls": { mode: "secret" } } });
            assert.deepEqual(inputAt(resource(ev, types.domainMapping, "r3s3t/world/domain/mapping"), "spec.tls"), {
                secretName: "r3s3t-tls",
            });
        });

        it("follows a per-stack namespace pattern everywhere, the trust policy included", async () => {
            const ev = await evaluate("pro", { config: { "tenant-apps:names": { namespace: "{org}" } } });
            assert.equal(inputAt(resource(ev, types.namespace, "r3s3t/namespace"), "metadata.name"), "r3s3t");
            assert.equal(inputAt(resource(ev, types.ksvc, "r3s3t/world/service/service"), "metadata.namespace"), "r3s3t");
            const trust = json<PolicyDocument>(resource(ev, types.iamRole, "r3s3t/world/identity/role"), "assumeRolePolicy");
            assert.equal(trust.Statement[0]?.Condition?.StringEquals?.[`${issuer}:sub`], "system:serviceaccount:r3s3t:world-pro");
        });

        it("allows :latest images in pre only", () => {
            assert.equal(
                inputAt(resource(pre, types.ksvc, "numinia/sandbox/service/service"), "spec.template.spec.containers.0.image"),
                "ghcr.io/numengames/numinia-hyperfy2:latest",
            );
        });
    });
});
