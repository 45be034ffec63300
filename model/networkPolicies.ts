/**
 * The NetworkPolicies of a tenant namespace, as plain data. One policy per namespace admits
 * ingress, one per namespace confines egress of every pod (cluster DNS, the namespace itself,
 * HTTPS to the internet), and one per app with a database adds the RDS port for that app's pods
 * only. NetworkPolicies are additive (the union of every policy selecting a pod), so the app
 * policy widens the namespace's egress for those pods alone. Pure.
 */
import type { IsolationConfig } from "./isolationConfig";

/** The label every namespace carries with its own name (Kubernetes 1.22+, immutable). */
export const namespaceNameLabel = "kubernetes.io/metadata.name";

/**
 * Queue-proxy ports that KNative's data path reaches in a tenant pod (knative/serving
 * pkg/networking/constants.go L24-38 @ 98e5ef9): 8012 HTTP/1, 8013 h2c, 8112 HTTPS (system
 * internal TLS) from the Kourier gateway and the activator; 9090 the autoscaler's metrics scrape.
 */
export const queueProxyPorts = { http: 8012, h2c: 8013, https: 8112, autoscalerMetrics: 9090 } as const;

/** Who may reach tenant pods from outside their namespace, and on which queue-proxy ports. */
export const ingressSources = [
    {
        namespace: "kourier-system",
        ports: [queueProxyPorts.http, queueProxyPorts.h2c, queueProxyPorts.https],
    },
    {
        // The activator (buffering while scaled to zero, probing queue-proxy) and the autoscaler.
        namespace: "knative-serving",
        ports: [queueProxyPorts.http, queueProxyPorts.h2c, queueProxyPorts.https, queueProxyPorts.autoscalerMetrics],
    },
] as const;

const tcp = (port: number) => ({ protocol: "TCP", port });
const inNamespace = (namespace: string) => ({ namespaceSelector: { matchLabels: { [namespaceNameLabel]: namespace } } });

/** Denies all ingress except the gateway and KNative on the queue-proxy's ports, and pods of the same namespace. */
export function ingressPolicySpec() {
    return {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
            ...ingressSources.map((source) => ({ from: [inNamespace(source.namespace)], ports: source.ports.map(tcp) })),
            { from: [{ podSelector: {} }] },
        ],
    };
}

/**
 * Denies all egress of the namespace's pods except cluster DNS (UDP and TCP), pods of the same
 * namespace, and the internet on `internetPorts`: 0.0.0.0/0 without private, link-local (the
 * instance metadata service) and VPC ranges, so neither the node's IMDS, the private Kubernetes
 * API, RDS nor another tenant's pod is reachable. No IPv6 rule: nothing IPv6 (fd00:ec2::254) is allowed.
 */
export function egressPolicySpec(isolation: IsolationConfig) {
    const { dns } = isolation;
    return {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
            {
                to: [{ ...inNamespace(dns.namespace), podSelector: { matchLabels: { ...dns.podLabels } } }],
                ports: [
                    { protocol: "UDP", port: dns.port },
                    { protocol: "TCP", port: dns.port },
                ],
            },
            { to: [{ podSelector: {} }] },
            {
                to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...isolation.internetExcept] } }],
                ports: isolation.internetPorts.map(tcp),
            },
        ],
    };
}

/** Adds the RDS port towards the database CIDRs for the pods of one app (selected by its labels). */
export function databaseEgressPolicySpec(appLabels: Readonly<Record<string, string>>, isolation: IsolationConfig, databasePort: number) {
    return {
        podSelector: { matchLabels: { ...appLabels } },
        policyTypes: ["Egress"],
        egress: [{ to: isolation.databaseCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(databasePort)] }],
    };
}
