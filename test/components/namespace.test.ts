import { strict as assert } from "node:assert";
import { TenantNamespace } from "../../components/namespace";
import type { Evaluation } from "../../render/evaluate";
import { oneApp, platformOf } from "../support/fixtures";
import { acmeLabels, construct, inventory, named, optionsOf, organizationOf } from "./support";

describe("TenantNamespace alone", () => {
    let ev: Evaluation;
    before(async () => {
        const organization = organizationOf(
            oneApp("acme", "name: web\ntype: eliza\nimage: ghcr.io/a/web:1.0.0", 'quota: { cpu: "2", memory: 4Gi, pods: 10 }\n'),
        );
        ev = await construct(() => {
            const namespace = new TenantNamespace("acme", {
                organization,
                defaults: platformOf("pro").namespaceDefaults,
                env: "pro",
                podSecurity: platformOf("pro").podSecurity,
                isolation: platformOf("pro").isolation,
            });
            return { name: namespace.name };
        });
    });

    it("creates the namespace, its quota, limit range, ingress and egress policies, nothing else", () => {
        assert.deepEqual(inventory(ev), [
            "kubernetes:core/v1:LimitRange acme/limits",
            "kubernetes:core/v1:Namespace acme/namespace",
            "kubernetes:core/v1:ResourceQuota acme/quota",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy acme/egress",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy acme/ingress",
            "tenant-apps:chain:TenantNamespace acme",
        ]);
        assert.deepEqual(named(ev, "acme").inputs, { namespace: "acme-pro" });
        assert.deepEqual(ev.outputs, { name: "acme-pro" });
    });

    it("names the namespace {org}-{env} with the organization's labels, the environment that owns it, and enforces Pod Security restricted, pinned to v1.35", () => {
        assert.deepEqual(named(ev, "acme/namespace").inputs, {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
                name: "acme-pro",
                labels: {
                    ...acmeLabels(),
                    "tenant-apps/environment": "pro",
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "v1.35",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/audit-version": "v1.35",
                    "pod-security.kubernetes.io/warn": "restricted",
                    "pod-security.kubernetes.io/warn-version": "v1.35",
                },
            },
        });
    });

    it("sets the organization's own quota and the stack's container defaults", () => {
        assert.deepEqual(named(ev, "acme/quota").inputs, {
            apiVersion: "v1",
            kind: "ResourceQuota",
            metadata: { name: "acme-pro-quota", namespace: "acme-pro", labels: acmeLabels() },
            spec: { hard: { "requests.cpu": "2", "requests.memory": "4Gi", pods: "10" } },
        });
        assert.deepEqual(named(ev, "acme/limits").inputs, {
            apiVersion: "v1",
            kind: "LimitRange",
            metadata: { name: "acme-pro-limits", namespace: "acme-pro", labels: acmeLabels() },
            spec: {
                limits: [{ type: "Container", defaultRequest: { cpu: "25m", memory: "64Mi" }, default: { cpu: "1", memory: "1Gi" } }],
            },
        });
    });

    it("admits ingress only from kourier-system and knative-serving on the queue-proxy's ports, and from the namespace itself", () => {
        assert.deepEqual(named(ev, "acme/ingress").inputs, {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "acme-pro-ingress", namespace: "acme-pro", labels: acmeLabels() },
            spec: {
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [
                    {
                        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kourier-system" } } }],
                        ports: [
                            { protocol: "TCP", port: 8012 },
                            { protocol: "TCP", port: 8013 },
                            { protocol: "TCP", port: 8112 },
                        ],
                    },
                    {
                        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "knative-serving" } } }],
                        ports: [
                            { protocol: "TCP", port: 8012 },
                            { protocol: "TCP", port: 8013 },
                            { protocol: "TCP", port: 8112 },
                            { protocol: "TCP", port: 9090 },
                        ],
                    },
                    { from: [{ podSelector: {} }] },
                ],
            },
        });
    });

    it("lets the namespace's pods reach only cluster DNS, the namespace and HTTPS outside the VPC and link-local ranges", () => {
        assert.deepEqual(named(ev, "acme/egress").inputs, {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "acme-pro-egress", namespace: "acme-pro", labels: acmeLabels() },
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [
                            {
                                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                                podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                            },
                        ],
                        ports: [
                            { protocol: "UDP", port: 53 },
                            { protocol: "TCP", port: 53 },
                        ],
                    },
                    { to: [{ podSelector: {} }] },
                    {
                        to: [
                            {
                                ipBlock: {
                                    cidr: "0.0.0.0/0",
                                    except: [
                                        "0.0.0.0/8",
                                        "10.0.0.0/8",
                                        "100.64.0.0/10",
                                        "127.0.0.0/8",
                                        "169.254.0.0/16",
                                        "172.16.0.0/12",
                                        "192.168.0.0/16",
                                    ],
                                },
                            },
                        ],
                        ports: [{ protocol: "TCP", port: 443 }],
                    },
                ],
            },
        });
    });

    it("creates the namespaced objects after the namespace, and protects none of them", () => {
        assert.deepEqual(optionsOf(ev, "acme/namespace"), { parent: "acme", dependsOn: [], protect: false, retainOnDelete: false });
        for (const name of ["acme/quota", "acme/limits", "acme/ingress", "acme/egress"]) {
            assert.deepEqual(
                optionsOf(ev, name),
                { parent: "acme", dependsOn: ["acme/namespace"], protect: false, retainOnDelete: false },
                name,
            );
        }
    });
});
