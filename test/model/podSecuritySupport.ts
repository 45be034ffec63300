/**
 * The pods a cluster would really run for rendered KNative Services, and the upstream Pod
 * Security Admission evaluator (test/tools/psa, built by `.ci/run`) to judge them.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RecordedResource } from "../../render/evaluate";
import { repoRoot } from "../support/harness";

type Bag = Record<string, unknown>;
const bag = (v: unknown): Bag => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Bag) : {});

/**
 * The container KNative adds to every revision's pod: queue-proxy with the securityContext
 * knative/serving release-1.17 pkg/reconciler/revision/resources/queue.go L83-93 gives it.
 */
export const queueProxyContainer = {
    name: "queue-proxy",
    image: "gcr.io/knative-releases/knative.dev/serving/cmd/queue",
    ports: [{ name: "http-queueadm", containerPort: 8022 }],
    securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    },
};

/**
 * The projected token volume EKS's pod identity webhook adds to a pod whose service account
 * has `eks.amazonaws.com/role-arn` (amazon-eks-pod-identity-webhook pkg/handler/handler.go
 * L94-98 name and mount path, L340-357 the volume), whatever `automountServiceAccountToken` says.
 */
export const irsaTokenVolume = {
    name: "aws-iam-token",
    projected: { sources: [{ serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 86400, path: "token" } }] },
};

/** KNative revision fields that are not PodSpec fields (serving pkg/apis/serving/v1/revision_types.go RevisionSpec). */
const revisionOnlyFields = ["timeoutSeconds", "containerConcurrency", "idleTimeoutSeconds", "responseStartTimeoutSeconds"];

export interface PodUnderTest {
    readonly name: string;
    readonly namespaceLabels: Record<string, string>;
    readonly metadata: Bag;
    readonly spec: Bag;
}

/** The pod KNative would create for a KNative Service's template, after the webhooks, in its namespace. */
export function podOf(name: string, template: unknown, namespaceLabels: Record<string, string>): PodUnderTest {
    const spec = { ...bag(bag(template).spec) };
    for (const field of revisionOnlyFields) delete spec[field];
    const containers = Array.isArray(spec.containers) ? spec.containers : [];
    const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
    return {
        name,
        namespaceLabels,
        metadata: { labels: bag(bag(bag(template).metadata).labels) },
        spec: { ...spec, containers: [...containers, queueProxyContainer], volumes: [...volumes, irsaTokenVolume] },
    };
}

/** Every KNative Service of a render as the pod it becomes, judged in its own namespace's labels. */
export function podsOfRender(resources: readonly RecordedResource[]): PodUnderTest[] {
    const namespaceLabels = new Map<string, Record<string, string>>();
    for (const r of resources.filter((x) => x.type === "kubernetes:core/v1:Namespace")) {
        const metadata = bag(r.inputs.metadata);
        namespaceLabels.set(String(metadata.name), bag(metadata.labels) as Record<string, string>);
    }
    return resources
        .filter((r) => r.type === "kubernetes:serving.knative.dev/v1:Service")
        .map((r) => {
            const metadata = bag(r.inputs.metadata);
            const labels = namespaceLabels.get(String(metadata.namespace));
            if (labels === undefined) throw new Error(`${r.name}: its namespace ${String(metadata.namespace)} is not in the render`);
            return podOf(`${String(metadata.namespace)}/${String(metadata.name)}`, bag(r.inputs.spec).template, labels);
        });
}

export interface UpstreamVerdict {
    readonly name: string;
    readonly enforce: string;
    readonly allowed: boolean;
    readonly reasons: string[];
    readonly detail: string;
}

/** Where `.ci/run` puts the evaluator (`PSA_BIN` overrides). */
export const psaBinary = process.env.PSA_BIN ?? path.join(repoRoot, ".ci", "bin", "psa");

/** Why the upstream evaluator cannot run here, or undefined when it can. */
export function psaMissingReason(): string | undefined {
    if (fs.existsSync(psaBinary)) return undefined;
    return `${psaBinary} is not built (bash .ci/run builds it with go build from test/tools/psa; or set PSA_BIN)`;
}

/** The upstream evaluator's verdict on each pod, in order. */
export function evaluateUpstream(pods: readonly PodUnderTest[]): UpstreamVerdict[] {
    const run = spawnSync(psaBinary, [], { input: JSON.stringify(pods), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`psa exited ${String(run.status)}: ${run.stderr}`);
    return JSON.parse(run.stdout) as UpstreamVerdict[];
}
