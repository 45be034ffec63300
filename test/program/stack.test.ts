import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../../model/iamPolicies";
import { standInSecret, type Evaluation } from "../../render/evaluate";
import { evaluate, inputAt, resource, resourcesOf, types } from "../support/harness";
import { oneApp } from "../support/fixtures";
import { aiApiKey, evaluateSamples, issuer, json, livekitSecret } from "../support/program";

describe("the program under the mock runtime: safety, outputs and options", function () {
    let pro: Evaluation;
    let pre: Evaluation;

    before(async () => {
        ({ pro, pre } = await evaluateSamples());
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

        it("keeps secret versions in the cloud but never protects them: a rotation replaces the version", () => {
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
        it("give each app its URL, namespace, service, role ARN, secret name, schema and assets URL", () => {
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
                roleArn: "arn:aws:iam::482103417651:role/tenant-apps/pro/r3s3t-world-pro",
                secretName: "hyperfy2-r3s3t-world-pro",
                schema: "world_r3s3t_pro",
                assetsBaseUrl: "https://statics.numinia.xyz/hyperfy-spaces/r3s3t/world/pro/assets",
            });
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
