import { strict as assert } from "node:assert";
import { parseCatalog, type TenantAppSpec } from "../../model/catalog";
import {
    dbCaConfigMapManifest,
    domainMappingManifest,
    externalSecretManifest,
    knativeServiceManifest,
    secretStoreManifest,
} from "../../model/manifests";
import { oneApp, platformOf } from "../support/fixtures";

function appOf(appYaml: string, stack: "pre" | "pro" = "pro"): TenantAppSpec {
    const catalog = parseCatalog([{ file: "acme.yaml", text: oneApp("acme", appYaml) }], platformOf(stack));
    const app = catalog.organizations[0]?.apps[0];
    assert.ok(app);
    return app;
}

const world = () =>
    appOf(
        'name: world\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2\nscale: { min: 1, max: 4 }\nenv: { PUBLIC_MAX_UPLOAD_SIZE: "2000" }',
    );
const ctx = { assetsBaseUrl: "https://statics.numinia.xyz", secretDelivery: "external-secrets", readyTimeoutSeconds: 600 } as const;

describe("Kubernetes manifests", () => {
    it("puts the autoscaling bounds on the revision template, not on the service", () => {
        const ksvc = knativeServiceManifest(world(), ctx);
        assert.deepEqual(ksvc.spec.template.metadata.annotations, {
            "autoscaling.knative.dev/min-scale": "1",
            "autoscaling.knative.dev/max-scale": "4",
        });
        assert.equal(JSON.stringify(ksvc.metadata).includes("autoscaling"), false);
        assert.equal(ksvc.apiVersion, "serving.knative.dev/v1");
    });

    it("makes pulumi up wait for the Service, the DomainMapping and the ExternalSecret to be Ready, each with its own timeout", () => {
        assert.deepEqual(knativeServiceManifest(world(), ctx).metadata.annotations, {
            "pulumi.com/waitFor": "condition=Ready",
            "pulumi.com/timeoutSeconds": "600",
        });
        assert.deepEqual(domainMappingManifest(world(), "external-domain-tls", 300).metadata.annotations, {
            "kourier.knative.dev/disable-http2": "true",
            "pulumi.com/waitFor": "condition=Ready",
            "pulumi.com/timeoutSeconds": "300",
        });
        assert.deepEqual(externalSecretManifest(world(), "external-secrets.io/v1beta1", "1h", 120).metadata.annotations, {
            "pulumi.com/waitFor": "condition=Ready",
            "pulumi.com/timeoutSeconds": "120",
        });
    });

    it("runs one container with one port, the app's service account and the delivered secret", () => {
        const spec = knativeServiceManifest(world(), ctx).spec.template.spec;
        assert.equal(spec.serviceAccountName, "world-pro");
        assert.equal(spec.timeoutSeconds, 3600);
        assert.equal(spec.containers.length, 1);
        const [container] = spec.containers;
        assert.deepEqual(container?.ports, [{ name: "http1", containerPort: 3000 }]);
        assert.deepEqual(container?.envFrom, [{ secretRef: { name: "world-pro-env" } }]);
        assert.deepEqual(container?.readinessProbe.httpGet, { path: "/health" });
        assert.deepEqual(container?.resources, { requests: { cpu: "256m", memory: "256Mi" }, limits: { cpu: "2048m", memory: "4096Mi" } });
    });

    it("gives a hyperfy2 world every env var of the platform's chart, its defaults, the catalog's values winning, and never PORT", () => {
        const env = knativeServiceManifest(world(), ctx).spec.template.spec.containers[0]?.env ?? [];
        assert.deepEqual(
            env.map((e) => [e.name, e.value]),
            [
                ["WORLD", "world"],
                ["SAVE_INTERVAL", "30"],
                ["PUBLIC_PLAYER_COLLISION", "true"],
                ["PUBLIC_MAX_UPLOAD_SIZE", "2000"],
                ["PUBLIC_WS_URL", "wss://world.acme.example.com/ws"],
                ["PUBLIC_API_URL", "https://world.acme.example.com/api"],
                ["ASSETS", "s3"],
                ["ASSETS_BASE_URL", "https://statics.numinia.xyz/hyperfy-spaces/acme/world/pro/assets"],
                ["CLEAN", "false"],
                ["COLLECTIONS", "s3"],
                ["COLLECTIONS_BASE_URL", "https://statics.numinia.xyz/hyperfy-spaces/numen-games/collections/dev"],
            ],
        );
    });

    it("gives an eliza agent SERVER_PORT, its chart's per-agent settings and its provider's model names, probed on /healthz", () => {
        const agent = appOf(
            "name: agent\ntype: eliza\nimage: ghcr.io/a/agent:1.0.0\nagent: { modelProvider: anthropic, smallModel: claude-3-5-haiku-latest, largeModel: claude-sonnet-4-0, daemonProcess: true }",
        );
        const spec = knativeServiceManifest(agent, ctx).spec.template.spec;
        assert.deepEqual(
            spec.containers[0]?.env.map((e) => [e.name, e.value]),
            [
                ["SERVER_PORT", "3000"],
                ["CHARACTERS_PATH", "/app/characters"],
                ["DAEMON_PROCESS", "true"],
                ["ANTHROPIC_SMALL_MODEL", "claude-3-5-haiku-latest"],
                ["ANTHROPIC_LARGE_MODEL", "claude-sonnet-4-0"],
            ],
        );
        assert.deepEqual(spec.containers[0]?.readinessProbe.httpGet, { path: "/healthz" });
        assert.equal(spec.timeoutSeconds, 3600);
        assert.deepEqual(agent.secretKeys, ["ANTHROPIC_API_KEY"]);
    });

    it("mounts the RDS CA bundle where the DB URI's sslrootcert points, only when asked", () => {
        const spec = knativeServiceManifest(world(), { ...ctx, dbCa: true }).spec.template.spec;
        assert.deepEqual(spec.containers[0]?.volumeMounts, [
            { name: "db-ca", mountPath: "/etc/tenant-apps/db-ca", readOnly: true },
            { name: "writable-1", mountPath: "/app/world" },
        ]);
        assert.deepEqual(spec.volumes, [
            { name: "db-ca", configMap: { name: "world-pro-db-ca" } },
            { name: "writable-1", emptyDir: {} },
        ]);
        const map = dbCaConfigMapManifest(world(), "PEM");
        assert.deepEqual(map.data, { "rds-ca.pem": "PEM" });
        assert.equal(map.metadata.namespace, "acme-pro");
        const without = knativeServiceManifest(world(), ctx).spec.template.spec;
        assert.deepEqual(without.containers[0]?.volumeMounts, [{ name: "writable-1", mountPath: "/app/world" }]);
        assert.deepEqual(without.volumes, [{ name: "writable-1", emptyDir: {} }]);
    });

    it("uses pre hostnames in the pre stack's public URLs", () => {
        const env = knativeServiceManifest(appOf("name: world\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:latest", "pre"), ctx).spec.template
            .spec.containers[0]?.env;
        assert.equal(env?.find((e) => e.name === "PUBLIC_WS_URL")?.value, "wss://pre.world.acme.example.com/ws");
    });

    it("in aws-sdk mode tells the app its secret instead of mounting one", () => {
        const container = knativeServiceManifest(world(), { ...ctx, secretDelivery: "aws-sdk" }).spec.template.spec.containers[0];
        assert.equal(container?.envFrom, undefined);
        assert.equal(container?.env.find((e) => e.name === "APP_SECRET_ID")?.value, "hyperfy2-acme-world-pro");
    });

    it("maps the hostname to the service with websockets kept on HTTP/1.1", () => {
        const mapping = domainMappingManifest(world(), "external-domain-tls", 300);
        assert.equal(mapping.apiVersion, "serving.knative.dev/v1beta1");
        assert.equal(mapping.metadata.name, "world.acme.example.com");
        assert.equal(mapping.metadata.namespace, "acme-pro");
        assert.equal(mapping.metadata.annotations["kourier.knative.dev/disable-http2"], "true");
        assert.deepEqual(mapping.spec.ref, { name: "world-pro", kind: "Service", apiVersion: "serving.knative.dev/v1" });
        assert.equal("tls" in mapping.spec, false);
    });

    it("references the organization's TLS secret in secret mode", () => {
        assert.deepEqual(domainMappingManifest(world(), "secret", 300).spec.tls, { secretName: "acme-tls" });
    });

    it("delivers the secret through a store that authenticates as the app's own service account", () => {
        const app = world();
        const store = secretStoreManifest(app, "external-secrets.io/v1", "eu-west-1");
        assert.equal(store.kind, "SecretStore");
        assert.deepEqual(store.spec.provider.aws, {
            service: "SecretsManager",
            region: "eu-west-1",
            auth: { jwt: { serviceAccountRef: { name: "world-pro" } } },
        });
        const external = externalSecretManifest(app, "external-secrets.io/v1", "1h", 120);
        assert.deepEqual(external.spec.secretStoreRef, { name: "world-pro", kind: "SecretStore" });
        assert.deepEqual(external.spec.target, { name: "world-pro-env", creationPolicy: "Owner" });
        assert.deepEqual(external.spec.dataFrom, [{ extract: { key: "hyperfy2-acme-world-pro" } }]);
    });
});
