/**
 * A small NetworkPolicy evaluator for tests: decides whether one connection is allowed by a set
 * of `networking.k8s.io/v1` NetworkPolicies, following the Kubernetes documentation
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/) and the API
 * reference (networking.k8s.io/v1 NetworkPolicySpec, NetworkPolicyPeer, IPBlock, NetworkPolicyPort):
 *
 * - Isolation: "a pod is isolated for egress if there is any NetworkPolicy that both selects the
 *   pod and has Egress in its policyTypes" (likewise ingress); a non-isolated direction allows
 *   everything. policyTypes unset means ["Ingress"], plus "Egress" if the policy has egress rules.
 * - Policies are additive: a connection is allowed if ANY rule of ANY policy selecting the pod
 *   allows it ("the union of each policy's rules").
 * - Pod to pod: "both the egress policy on the source pod and the ingress policy on the
 *   destination pod need to allow the connection".
 * - A rule's `to`/`from` empty or missing matches every peer; its `ports` empty or missing
 *   matches every port; otherwise the traffic must match at least one peer AND one port.
 * - A peer with podSelector only: pods of the policy's own namespace; namespaceSelector only: all
 *   pods of the matching namespaces; both in ONE peer: pods matching podSelector in namespaces
 *   matching namespaceSelector (AND). An empty selector matches everything.
 * - ipBlock: `cidr` minus every `except`. The docs leave open whether an ipBlock matches pod IPs
 *   ("It is not defined whether this happens before or after NetworkPolicy processing"); this
 *   evaluator takes the conservative reading that it may, so an ipBlock covering a pod's IP
 *   counts as reaching that pod.
 * - NetworkPolicyPort: protocol defaults to TCP; a numeric `port`, optionally with `endPort`
 *   (inclusive range); no port means every port of the protocol. Named ports are refused (the
 *   program writes none), so nothing is silently mismatched.
 * - LabelSelector: matchLabels AND matchExpressions (In, NotIn, Exists, DoesNotExist).
 */

export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}
export interface PolicyPeer {
    readonly podSelector?: LabelSelector;
    readonly namespaceSelector?: LabelSelector;
    readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}
export interface PolicyPort {
    readonly protocol?: string;
    readonly port?: number | string;
    readonly endPort?: number;
}
export interface PolicyRule {
    readonly to?: readonly PolicyPeer[];
    readonly from?: readonly PolicyPeer[];
    readonly ports?: readonly PolicyPort[];
}
export interface NetworkPolicy {
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec: {
        readonly podSelector: LabelSelector;
        readonly policyTypes?: readonly string[];
        readonly ingress?: readonly PolicyRule[];
        readonly egress?: readonly PolicyRule[];
    };
}

/** A pod: its namespace (with that namespace's labels), its own labels and its IP. */
export interface PodEndpoint {
    readonly pod: string;
    readonly namespace: string;
    readonly namespaceLabels: Readonly<Record<string, string>>;
    readonly labels: Readonly<Record<string, string>>;
    readonly ip: string;
}
/** An address outside any pod (the node, IMDS, the API server's ENI, RDS, the internet). */
export interface AddressEndpoint {
    readonly ip: string;
}
export type Endpoint = PodEndpoint | AddressEndpoint;

export interface Connection {
    readonly from: PodEndpoint;
    readonly to: Endpoint;
    readonly protocol: "TCP" | "UDP" | "SCTP";
    readonly port: number;
}

const isPod = (e: Endpoint): e is PodEndpoint => "pod" in e;

/** Whether `selector` selects `labels` (an empty selector selects everything). */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
    for (const e of selector.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const value = labels[e.key];
        const ok =
            e.operator === "In"
                ? has && (e.values ?? []).includes(value ?? "")
                : e.operator === "NotIn"
                  ? !has || !(e.values ?? []).includes(value ?? "")
                  : e.operator === "Exists"
                    ? has
                    : e.operator === "DoesNotExist"
                      ? !has
                      : unsupported(`matchExpressions operator ${e.operator}`);
        if (!ok) return false;
    }
    return true;
}

function unsupported(what: string): never {
    throw new Error(`networkPolicy evaluator: ${what} is not supported`);
}

/** An IPv4 or IPv6 address as [family, bigint]. */
function parseIp(ip: string): [4 | 6, bigint] {
    if (ip.includes(":")) {
        const [head = "", tail = ""] = ip.split("::");
        const h = head === "" ? [] : head.split(":");
        const t = ip.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
        const groups = ip.includes("::") ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
        if (groups.length !== 8) unsupported(`IPv6 address ${ip}`);
        return [6, groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n)];
    }
    const octets = ip.split(".").map(Number);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) unsupported(`IPv4 address ${ip}`);
    return [4, octets.reduce((n, o) => (n << 8n) | BigInt(o), 0n)];
}

/** Whether `ip` lies in `cidr` (families must agree). */
export function inCidr(ip: string, cidr: string): boolean {
    const [base = "", bitsText = ""] = cidr.split("/");
    const [family, address] = parseIp(ip);
    const [cidrFamily, network] = parseIp(base);
    if (family !== cidrFamily) return false;
    const width = family === 4 ? 32n : 128n;
    const shift = width - BigInt(Number(bitsText));
    return address >> shift === network >> shift;
}

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Endpoint): boolean {
    if (peer.ipBlock !== undefined) {
        const { cidr, except = [] } = peer.ipBlock;
        return inCidr(other.ip, cidr) && !except.some((e) => inCidr(other.ip, e));
    }
    if (!isPod(other)) return false; // pod and namespace selectors select pods only
    const namespaceOk =
        peer.namespaceSelector !== undefined ? selects(peer.namespaceSelector, other.namespaceLabels) : other.namespace === policyNamespace;
    const podOk = peer.podSelector !== undefined ? selects(peer.podSelector, other.labels) : true;
    return namespaceOk && podOk;
}

function portMatches(port: PolicyPort, protocol: string, number: number): boolean {
    if ((port.protocol ?? "TCP") !== protocol) return false;
    if (port.port === undefined) return true;
    if (typeof port.port === "string") unsupported(`named port ${port.port}`);
    return port.endPort !== undefined ? number >= port.port && number <= port.endPort : number === port.port;
}

function ruleAllows(rule: PolicyRule, peers: readonly PolicyPeer[] | undefined, policyNamespace: string, other: Endpoint, c: Connection) {
    const peerOk = peers === undefined || peers.length === 0 || peers.some((p) => peerMatches(p, policyNamespace, other));
    const portOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((p) => portMatches(p, c.protocol, c.port));
    return peerOk && portOk;
}

function typesOf(policy: NetworkPolicy): readonly string[] {
    return policy.spec.policyTypes ?? ["Ingress", ...(policy.spec.egress !== undefined ? ["Egress"] : [])];
}

/** Whether `direction` of `pod` lets the connection through, under every policy of its namespace. */
function side(policies: readonly NetworkPolicy[], pod: PodEndpoint, other: Endpoint, c: Connection, direction: "Ingress" | "Egress") {
    const selecting = policies.filter(
        (p) => p.metadata.namespace === pod.namespace && selects(p.spec.podSelector, pod.labels) && typesOf(p).includes(direction),
    );
    if (selecting.length === 0) return true; // not isolated in this direction
    return selecting.some((p) =>
        (direction === "Egress" ? (p.spec.egress ?? []) : (p.spec.ingress ?? [])).some((rule) =>
            ruleAllows(rule, direction === "Egress" ? rule.to : rule.from, p.metadata.namespace, other, c),
        ),
    );
}

/** The verdict on one connection: the source's egress, and the destination pod's ingress when it is a pod. */
export function evaluateConnection(
    policies: readonly NetworkPolicy[],
    c: Connection,
): { egress: boolean; ingress: boolean; allowed: boolean } {
    const egress = side(policies, c.from, c.to, c, "Egress");
    const ingress = isPod(c.to) ? side(policies, c.to, c.from, c, "Ingress") : true;
    return { egress, ingress, allowed: egress && ingress };
}
