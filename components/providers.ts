import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { clusterConfigKey, type ClusterConfig, type ReadinessTimeouts } from "../model/cluster";
import { awaitingReady, readinessTimeoutOf } from "../model/readiness";

/**
 * The stack's one Kubernetes provider, bound to the cluster its config names. Every Kubernetes
 * object of the program is a descendant of a TenantOrganization that carries this provider,
 * so none of them falls back to the ambient kubeconfig's current context.
 * `clusterIdentifier` keeps the provider (and so every object) from being replaced when only
 * the kubeconfig's location changes.
 */
export function kubernetesProvider(cluster: ClusterConfig, env: NodeJS.ProcessEnv = process.env): k8s.Provider {
    let kubeconfig: pulumi.Input<string> | undefined = cluster.kubeconfig;
    if (cluster.kubeconfigEnv !== undefined) {
        const value = env[cluster.kubeconfigEnv];
        if (value === undefined || value === "") {
            throw new Error(`${clusterConfigKey}.kubeconfigEnv: environment variable ${cluster.kubeconfigEnv} is not set`);
        }
        // A kubeconfig's contents (not a path) may hold credentials.
        kubeconfig = value.includes("\n") ? pulumi.secret(value) : value;
    }
    return new k8s.Provider("cluster", {
        ...(cluster.context !== undefined ? { context: cluster.context } : {}),
        ...(kubeconfig !== undefined ? { kubeconfig } : {}),
        clusterIdentifier: cluster.clusterIdentifier,
    });
}

/**
 * A transformation for a TenantOrganization (children inherit it): every KNative Service,
 * DomainMapping and ExternalSecret gets `pulumi.com/waitFor: condition=Ready` and its
 * `pulumi.com/timeoutSeconds`, so `pulumi up` fails with the object's own condition message
 * when a revision never becomes Ready. The manifests stay pure (model/manifests.ts); this adds
 * only the two annotations, through the pure `awaitingReady`.
 */
export function awaitReadiness(timeouts: ReadinessTimeouts): pulumi.ResourceTransformation {
    return (args) => {
        const props = args.props as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
        const timeout = readinessTimeoutOf(props.apiVersion, props.kind, timeouts);
        if (timeout === undefined || typeof props.metadata !== "object" || props.metadata === null) return undefined;
        const manifest = awaitingReady({ ...args.props, metadata: props.metadata as Record<string, unknown> }, timeout);
        return { props: manifest, opts: args.opts };
    };
}
