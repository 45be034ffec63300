import { strict as assert } from "node:assert";
import { SecretDelivery } from "../../components/secretDelivery";
import type { Evaluation } from "../../render/evaluate";
import { acmeLabels, appOf, construct, inventory, named, optionsOf, upstream } from "./support";

describe("SecretDelivery alone", () => {
    let ev: Evaluation;
    before(async () => {
        const app = appOf("name: web\ntype: eliza\nimage: ghcr.io/a/web:1.0.0");
        ev = await construct(() => {
            const delivery = new SecretDelivery(
                "acme/web/secret-delivery",
                {
                    app,
                    region: "eu-west-1",
                    externalSecrets: { apiVersion: "external-secrets.io/v1beta1", refreshInterval: "15m" },
                    readyTimeoutSeconds: 120,
                },
                { dependsOn: [upstream()] },
            );
            return { secretName: delivery.secretName };
        });
    });

    it("creates a SecretStore and an ExternalSecret, and exposes the delivered secret's name", () => {
        assert.deepEqual(inventory(ev), [
            "kubernetes:external-secrets.io/v1beta1:ExternalSecret acme/web/secret-delivery/external-secret",
            "kubernetes:external-secrets.io/v1beta1:SecretStore acme/web/secret-delivery/store",
            "tenant-apps:chain:SecretDelivery acme/web/secret-delivery",
            "test:index:Upstream upstream",
        ]);
        assert.deepEqual(named(ev, "acme/web/secret-delivery").inputs, { secretName: "web-pro-env" });
        assert.deepEqual(ev.outputs, { secretName: "web-pro-env" });
    });

    it("authenticates the store as the app's own service account, in the stack's region and API version", () => {
        assert.deepEqual(named(ev, "acme/web/secret-delivery/store").inputs, {
            apiVersion: "external-secrets.io/v1beta1",
            kind: "SecretStore",
            metadata: { name: "web-pro", namespace: "acme-pro", labels: acmeLabels("web") },
            spec: {
                provider: {
                    aws: { service: "SecretsManager", region: "eu-west-1", auth: { jwt: { serviceAccountRef: { name: "web-pro" } } } },
                },
            },
        });
    });

    it("extracts every key of the app's own secret into web-pro-env", () => {
        assert.deepEqual(named(ev, "acme/web/secret-delivery/external-secret").inputs, {
            apiVersion: "external-secrets.io/v1beta1",
            kind: "ExternalSecret",
            metadata: {
                name: "web-pro-env",
                namespace: "acme-pro",
                labels: acmeLabels("web"),
                annotations: { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "120" },
            },
            spec: {
                refreshInterval: "15m",
                secretStoreRef: { name: "web-pro", kind: "SecretStore" },
                target: { name: "web-pro-env", creationPolicy: "Owner" },
                dataFrom: [{ extract: { key: "eliza-acme-web-pro" } }],
            },
        });
    });

    it("creates the store after what the caller waits on (identity, secret), the ExternalSecret after the store", () => {
        assert.deepEqual(optionsOf(ev, "acme/web/secret-delivery/store"), {
            parent: "acme/web/secret-delivery",
            dependsOn: ["upstream"],
            protect: false,
            retainOnDelete: false,
        });
        assert.deepEqual(optionsOf(ev, "acme/web/secret-delivery/external-secret"), {
            parent: "acme/web/secret-delivery",
            dependsOn: ["acme/web/secret-delivery/store"],
            protect: false,
            retainOnDelete: false,
        });
    });
});
