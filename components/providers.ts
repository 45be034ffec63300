import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { clusterConfigKey, type ClusterConfig } from "../model/cluster";

/**
 * The stack's one Kubernetes provider, bound to the cluster its config names. Every Kubernetes
 * object of the program is a descendant of a TenantOrganization that carries this provider,
 * so none of them falls back to the ambient kubeconfig's current context.
 * `clusterIdentifier` keeps the provider (and so every object) from being replaced when only
 * the kubeconfig's location changes.
 *
 * The value of `kubeconfigEnv` (a path or a whole kubeconfig with its token) is always a
 * Pulumi secret: whatever the variable holds reaches state, previews and the render masked.
 * An unset variable fails the deployment with one readable line (a RunError has no stack trace).
 */
export function kubernetesProvider(cluster: ClusterConfig, env: NodeJS.ProcessEnv = process.env): k8s.Provider {
    let kubeconfig: pulumi.Input<string> | undefined = cluster.kubeconfig;
    if (cluster.kubeconfigEnv !== undefined) {
        const value = env[cluster.kubeconfigEnv];
        if (value === undefined || value === "") {
            throw new pulumi.RunError(
                `${clusterConfigKey}.kubeconfigEnv: environment variable ${cluster.kubeconfigEnv} is not set; export it with the kubeconfig's path or contents before pulumi up (npm run render needs no cluster and does not read it)`,
            );
        }
        kubeconfig = pulumi.secret(value);
    }
    return new k8s.Provider("cluster", {
        ...(cluster.context !== undefined ? { context: cluster.context } : {}),
        ...(kubeconfig !== undefined ? { kubeconfig } : {}),
        clusterIdentifier: cluster.clusterIdentifier,
    });
}
