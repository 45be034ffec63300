import { strict as assert } from "node:assert";
import { DomainMapping } from "../../components/domainMapping";
import type { Evaluation } from "../../render/evaluate";
import { acmeLabels, appOf, construct, inventory, named, optionsOf, upstream } from "./support";

describe("DomainMapping alone", () => {
    let pro: Evaluation;
    let pre: Evaluation;
    before(async () => {
        const image = "name: web\ntype: eliza\nimage: ghcr.io/a/web:1.0.0";
        const proApp = appOf(image);
        const preApp = appOf(image, "pre");
        pro = await construct(() => {
            const mapping = new DomainMapping(
                "acme/web/domain",
                { app: proApp, tlsMode: "external-domain-tls", readyTimeoutSeconds: 300 },
                { dependsOn: [upstream()] },
            );
            return { url: mapping.url };
        });
        pre = await construct(
            () => ({ url: new DomainMapping("acme/web/domain", { app: preApp, tlsMode: "secret", readyTimeoutSeconds: 300 }).url }),
            "pre",
        );
    });

    it("maps {app}.{domain} to the service, websockets on HTTP/1.1, TLS left to external-domain-tls", () => {
        assert.deepEqual(inventory(pro), [
            "kubernetes:serving.knative.dev/v1beta1:DomainMapping acme/web/domain/mapping",
            "tenant-apps:chain:DomainMapping acme/web/domain",
            "test:index:Upstream upstream",
        ]);
        assert.deepEqual(named(pro, "acme/web/domain").inputs, { hostname: "web.acme.example.com" });
        assert.deepEqual(named(pro, "acme/web/domain/mapping").inputs, {
            apiVersion: "serving.knative.dev/v1beta1",
            kind: "DomainMapping",
            metadata: {
                name: "web.acme.example.com",
                namespace: "acme-pro",
                labels: acmeLabels("web"),
                annotations: {
                    "kourier.knative.dev/disable-http2": "true",
                    "pulumi.com/waitFor": "condition=Ready",
                    "pulumi.com/timeoutSeconds": "300",
                },
            },
            spec: { ref: { name: "web-pro", kind: "Service", apiVersion: "serving.knative.dev/v1" } },
        });
        assert.deepEqual(pro.outputs, { url: "https://web.acme.example.com" });
    });

    it("maps pre.{app}.{domain} in pre, with the organization's TLS secret in secret mode", () => {
        assert.deepEqual(named(pre, "acme/web/domain/mapping").inputs, {
            apiVersion: "serving.knative.dev/v1beta1",
            kind: "DomainMapping",
            metadata: {
                name: "pre.web.acme.example.com",
                namespace: "acme-pre",
                labels: acmeLabels("web"),
                annotations: {
                    "kourier.knative.dev/disable-http2": "true",
                    "pulumi.com/waitFor": "condition=Ready",
                    "pulumi.com/timeoutSeconds": "300",
                },
            },
            spec: { ref: { name: "web-pre", kind: "Service", apiVersion: "serving.knative.dev/v1" }, tls: { secretName: "acme-tls" } },
        });
        assert.deepEqual(pre.outputs, { url: "https://pre.web.acme.example.com" });
    });

    it("maps only after what the caller waits on (the service)", () => {
        assert.deepEqual(optionsOf(pro, "acme/web/domain/mapping"), {
            parent: "acme/web/domain",
            dependsOn: ["upstream"],
            protect: false,
            retainOnDelete: false,
        });
    });
});

describe("DomainMapping on a cluster that does not auto-create domain claims", () => {
    it("claims the hostname for the app's namespace first, then maps it", async () => {
        const app = appOf("name: web\ntype: eliza\nimage: ghcr.io/a/web:1.0.0");
        const ev = await construct(() => ({
            url: new DomainMapping(
                "acme/web/domain",
                { app, tlsMode: "external-domain-tls", createDomainClaim: true, readyTimeoutSeconds: 300 },
                { dependsOn: [upstream()] },
            ).url,
        }));
        assert.deepEqual(named(ev, "acme/web/domain/claim").inputs, {
            apiVersion: "networking.internal.knative.dev/v1alpha1",
            kind: "ClusterDomainClaim",
            metadata: { name: "web.acme.example.com", labels: acmeLabels("web") },
            spec: { namespace: "acme-pro" },
        });
        assert.deepEqual(optionsOf(ev, "acme/web/domain/claim").dependsOn, ["upstream"]);
        assert.deepEqual(optionsOf(ev, "acme/web/domain/mapping").dependsOn, ["acme/web/domain/claim", "upstream"]);
    });
});
