/**
 * Issue 12, problems 3 and 4: every Kubernetes object goes through one explicit provider bound
 * to the cluster the stack's config names (a config without one is refused), and KNative
 * Services, DomainMappings and ExternalSecrets make `pulumi up` wait for `condition=Ready`.
 */
import { strict as assert } from "node:assert";
import { formatConfigProblem, parsePlatformConfig, PlatformConfigError, type PlatformConfig } from "../../model/config";
import { rawConfigOf } from "../support/fixtures";
import { isKubernetesType } from "../../model/typeTokens";
import type { Evaluation } from "../../render/evaluate";
import { buildPlan } from "../../render/plan";
import { summaryMarkdown } from "../../render/write";
import { evaluate, resourcesOf, types } from "../support/harness";
import { acmeWeb, validateAwaited } from "../support/acme";

const context = "arn:aws:eks:eu-west-1:482103417651:cluster/production-numinia";

describe("the stack's own cluster", () => {
    let ev: Evaluation;
    before(async () => {
        ev = await evaluate("pro", { catalog: acmeWeb() });
    });

    it("registers one Kubernetes provider, bound to the configured context", () => {
        const providers = ev.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
        assert.deepEqual(
            providers.map((p) => [p.name, p.inputs]),
            [["cluster", { context, clusterIdentifier: context }]],
        );
    });

    it("sends every Kubernetes object through it, none through the ambient default provider", () => {
        const objects = ev.resources.filter((r) => r.custom && isKubernetesType(r.type));
        // Namespace, quota, limits, ingress and egress policies, service account, delivery (2), service, mapping, DNSEndpoint.
        assert.equal(objects.length, 11);
        for (const r of objects)
            assert.match(r.provider ?? "(default provider)", /::pulumi:providers:kubernetes::cluster::cluster$/, r.name);
    });

    it("names the cluster in the render's summary", () => {
        assert.match(summaryMarkdown(buildPlan(ev)), new RegExp(`^Kubernetes cluster: context \`${context}\`$`, "m"));
    });

    it("refuses a stack whose config names no cluster", async () => {
        await assert.rejects(
            evaluate("pro", { catalog: acmeWeb(), unset: ["tenant-apps:kubernetes"] }),
            /tenant-apps:kubernetes: missing; name the cluster this stack applies to \(context, kubeconfig or kubeconfigEnv\)/,
        );
    });

    it("parses the binding: context, kubeconfig path or an environment variable; nothing else", () => {
        const kubernetesOf = (value: unknown): PlatformConfig["kubernetes"] =>
            parsePlatformConfig("pro", { ...rawConfigOf("pro"), kubernetes: value }).kubernetes;
        assert.deepEqual(kubernetesOf({ kubeconfig: "/etc/kube/pro.yaml" }), {
            kubeconfig: "/etc/kube/pro.yaml",
            clusterIdentifier: "/etc/kube/pro.yaml",
            readiness: { service: 600, domainMapping: 300, externalSecret: 120 },
        });
        assert.deepEqual(kubernetesOf({ kubeconfigEnv: "KUBECONFIG_PRO", clusterIdentifier: "numinia" }), {
            kubeconfigEnv: "KUBECONFIG_PRO",
            clusterIdentifier: "numinia",
            readiness: { service: 600, domainMapping: 300, externalSecret: 120 },
        });
        const problems = (value: unknown): readonly string[] => {
            try {
                kubernetesOf(value);
            } catch (error) {
                if (error instanceof PlatformConfigError) return error.problems.map(formatConfigProblem);
                throw error;
            }
            return [];
        };
        assert.deepEqual(problems({}), ["tenant-apps:kubernetes: must name the cluster: set context, kubeconfig or kubeconfigEnv"]);
        assert.deepEqual(problems({ context: "x", cluster: "y" }), ["tenant-apps:kubernetes: unknown key(s) cluster"]);
        assert.deepEqual(problems({ context: "x", readiness: { service: 5 } }), [
            "tenant-apps:kubernetes.readiness.service: must be at least 30 seconds",
        ]);
    });
});

describe("readiness is awaited", () => {
    let ev: Evaluation;
    before(async () => {
        ev = await evaluate("pro", {
            catalog: acmeWeb(),
            config: { "tenant-apps:kubernetes": { context, readiness: { service: 900, domainMapping: 240, externalSecret: 60 } } },
        });
    });

    const annotationsOf = (type: string): unknown[] =>
        resourcesOf(ev, type).map((r) => (r.inputs.metadata as { annotations?: unknown }).annotations);

    it("KNative Service: waits for condition=Ready, up to the configured seconds", () => {
        assert.deepEqual(annotationsOf(types.ksvc), [{ "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "900" }]);
    });

    it("DomainMapping: the same, and keeps its own Kourier annotation", () => {
        assert.deepEqual(annotationsOf(types.domainMapping), [
            {
                "kourier.knative.dev/disable-http2": "true",
                "pulumi.com/waitFor": "condition=Ready",
                "pulumi.com/timeoutSeconds": "240",
            },
        ]);
    });

    it("ExternalSecret: the same", () => {
        const externalSecrets = ev.resources.filter((r) => r.custom && /:ExternalSecret$/.test(r.type));
        assert.deepEqual(
            externalSecrets.map((r) => (r.inputs.metadata as { annotations?: unknown }).annotations),
            [{ "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "60" }],
        );
    });

    it("awaits nothing else (built-in kinds have their own await logic; a SecretStore has no Ready to wait for)", () => {
        const awaited = ev.resources
            .filter((r) => r.custom && isKubernetesType(r.type))
            .filter((r) => JSON.stringify(r.inputs.metadata ?? {}).includes("pulumi.com/waitFor"))
            .map((r) => r.inputs.kind)
            .sort();
        assert.deepEqual(awaited, ["DomainMapping", "ExternalSecret", "Service"]);
    });

    it("the annotated objects still validate against the upstream KNative and External Secrets schemas", () => {
        const objects = ev.resources.filter(
            (r) => r.custom && /:(Service|DomainMapping|ExternalSecret)$/.test(r.type) && r.type !== types.serviceAccount,
        );
        assert.equal(objects.length, 3);
        for (const r of objects) assert.doesNotThrow(() => validateAwaited(r.inputs), r.name);
    });
});
