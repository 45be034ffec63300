/**
 * The NetworkPolicies the real program registers for two organizations of the pro stack, judged
 * by a NetworkPolicy evaluator (test/support/networkPolicy.ts, the Kubernetes semantics cited
 * there) against a table of destinations with literal expectations, and validated against the
 * Kubernetes API schema (kubernetes-models' networking.k8s.io/v1 NetworkPolicy).
 */
import { strict as assert } from "node:assert";
import { NetworkPolicy as NetworkPolicyModel } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { Evaluation } from "../../render/evaluate";
import { evaluate } from "../support/harness";
import { evaluateConnection, type Connection, type Endpoint, type NetworkPolicy, type PodEndpoint } from "../support/networkPolicy";

const acme = `organization: acme
domain: acme.example.com
apps:
  - name: world
    type: hyperfy2
    image: ghcr.io/numengames/numinia-hyperfy2:1.4.2
  - name: agent
    type: eliza
    image: ghcr.io/numengames/eliza-agent:0.9.3
`;
const beta = `organization: beta
domain: beta.example.com
apps:
  - name: site
    type: custom
    image: ghcr.io/beta/site:1.0.0
    port: 8080
`;

/** numinia-terragrunt: VPC 10.0.0.0/16 (rds/hyperfy L48-52), database subnets (vpc L35). */
const isolation = { vpcCidrs: ["10.0.0.0/16"], databaseCidrs: ["10.0.4.0/24", "10.0.5.0/24", "10.0.6.0/24"] };

const nsLabels = (name: string) => ({ "kubernetes.io/metadata.name": name });
/** A KNative revision pod of one app: its template labels (model/manifests.ts labelsOf) plus KNative's own. */
function tenantPod(org: string, app: string, ip: string): PodEndpoint {
    const namespace = `${org}-pro`;
    return {
        pod: `${app}-pro-00001-deployment-x`,
        namespace,
        namespaceLabels: nsLabels(namespace),
        labels: {
            "app.kubernetes.io/managed-by": "tenant-apps",
            "app.kubernetes.io/part-of": org,
            "app.kubernetes.io/name": app,
            "serving.knative.dev/service": `${app}-pro`,
        },
        ip,
    };
}
const world = tenantPod("acme", "world", "10.0.1.21"); // hyperfy2: has a database
const agent = tenantPod("acme", "agent", "10.0.1.22"); // eliza without database
const betaSite = tenantPod("beta", "site", "10.0.2.31");
const kubeDns: PodEndpoint = {
    pod: "coredns-6f8b9c7d5-abcde",
    namespace: "kube-system",
    namespaceLabels: nsLabels("kube-system"),
    labels: { "k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns" },
    ip: "10.0.3.10",
};
const kourierGateway: PodEndpoint = {
    pod: "3scale-kourier-gateway-x",
    namespace: "kourier-system",
    namespaceLabels: nsLabels("kourier-system"),
    labels: { app: "3scale-kourier-gateway" },
    ip: "10.0.1.40",
};
const activator: PodEndpoint = {
    pod: "activator-x",
    namespace: "knative-serving",
    namespaceLabels: nsLabels("knative-serving"),
    labels: { app: "activator" },
    ip: "10.0.2.41",
};
const at = (ip: string): Endpoint => ({ ip });

interface Row {
    readonly reason: string;
    readonly from: PodEndpoint;
    readonly to: Endpoint;
    readonly protocol?: "TCP" | "UDP";
    readonly port: number;
    readonly allowed: boolean;
}

const table: readonly Row[] = [
    { reason: "IMDS gives the node's IAM role away", from: world, to: at("169.254.169.254"), port: 80, allowed: false },
    { reason: "IMDS on the internet's port too", from: agent, to: at("169.254.169.254"), port: 443, allowed: false },
    { reason: "the EKS Pod Identity agent's link-local address", from: agent, to: at("169.254.170.23"), port: 80, allowed: false },
    { reason: "IMDS over IPv6 (Nitro)", from: world, to: at("fd00:ec2::254"), port: 80, allowed: false },
    { reason: "the EKS private API endpoint is an ENI in the VPC", from: world, to: at("10.0.2.100"), port: 443, allowed: false },
    { reason: "the kubernetes Service ClusterIP (EKS service CIDR)", from: agent, to: at("172.20.0.1"), port: 443, allowed: false },
    { reason: "the node's kubelet", from: agent, to: at("10.0.1.10"), port: 10250, allowed: false },
    { reason: "another tenant's pod, on its app port", from: world, to: betaSite, port: 8080, allowed: false },
    { reason: "another tenant's pod, on queue-proxy's port", from: world, to: betaSite, port: 8012, allowed: false },
    { reason: "the other tenant cannot reach back either", from: betaSite, to: world, port: 3000, allowed: false },
    { reason: "RDS for an app with a database (hyperfy2)", from: world, to: at("10.0.4.25"), port: 5432, allowed: true },
    { reason: "RDS in another database subnet", from: world, to: at("10.0.6.200"), port: 5432, allowed: true },
    { reason: "RDS for an app without a database, in the same namespace", from: agent, to: at("10.0.4.25"), port: 5432, allowed: false },
    { reason: "RDS for another tenant's app without a database", from: betaSite, to: at("10.0.4.25"), port: 5432, allowed: false },
    { reason: "the database port grant is no VPC-wide pass", from: world, to: at("10.0.1.50"), port: 5432, allowed: false },
    { reason: "the database grant reaches no other port of RDS", from: world, to: at("10.0.4.25"), port: 443, allowed: false },
    { reason: "a pod on 5432 outside the database subnets", from: world, to: at("10.0.2.77"), port: 5432, allowed: false },
    { reason: "cluster DNS over UDP", from: agent, to: kubeDns, protocol: "UDP", port: 53, allowed: true },
    { reason: "cluster DNS over TCP (large answers)", from: betaSite, to: kubeDns, protocol: "TCP", port: 53, allowed: true },
    { reason: "kube-system's DNS pod on another port", from: agent, to: kubeDns, port: 9153, allowed: false },
    { reason: "HTTPS to the internet (S3, STS, model providers, LiveKit)", from: agent, to: at("203.0.113.10"), port: 443, allowed: true },
    { reason: "plain HTTP to the internet", from: agent, to: at("203.0.113.10"), port: 80, allowed: false },
    { reason: "IPv6 internet: no IPv6 rule at all", from: agent, to: at("2001:db8::10"), port: 443, allowed: false },
    {
        reason: "DNS to an internet resolver bypassing the cluster DNS",
        from: agent,
        to: at("8.8.8.8"),
        protocol: "UDP",
        port: 53,
        allowed: false,
    },
    { reason: "same-namespace pods talk to each other", from: agent, to: world, port: 3000, allowed: true },
    { reason: "Kourier's gateway reaches queue-proxy", from: kourierGateway, to: world, port: 8012, allowed: true },
    { reason: "Kourier's gateway does not bypass queue-proxy", from: kourierGateway, to: world, port: 3000, allowed: false },
    { reason: "the activator reaches queue-proxy (h2c)", from: activator, to: betaSite, port: 8013, allowed: true },
    { reason: "the autoscaler scrapes queue-proxy metrics", from: activator, to: betaSite, port: 9090, allowed: true },
    { reason: "KNative does not reach the user container directly", from: activator, to: betaSite, port: 8080, allowed: false },
];

describe("Tenant NetworkPolicies against a table of destinations", () => {
    let ev: Evaluation;
    let policies: NetworkPolicy[];
    before(async function () {
        this.timeout(120000);
        ev = await evaluate("pro", {
            catalog: { "acme.yaml": acme, "beta.yaml": beta },
            config: { "tenant-apps:isolation": isolation },
        });
        policies = ev.resources
            .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
            .map((r) => r.inputs as unknown as NetworkPolicy);
    });

    it("registers ingress and egress per namespace, and database egress only for the app with a database", () => {
        assert.deepEqual(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort(), [
            "acme-pro/acme-pro-egress",
            "acme-pro/acme-pro-ingress",
            "acme-pro/world-pro-database-egress",
            "beta-pro/beta-pro-egress",
            "beta-pro/beta-pro-ingress",
        ]);
    });

    for (const row of table) {
        it(`${row.allowed ? "allows" : "denies"} ${row.reason}`, () => {
            const c: Connection = { from: row.from, to: row.to, protocol: row.protocol ?? "TCP", port: row.port };
            assert.equal(evaluateConnection(policies, c).allowed, row.allowed, JSON.stringify(evaluateConnection(policies, c)));
        });
    }

    it("every policy is a valid networking.k8s.io/v1 NetworkPolicy by the Kubernetes schema", () => {
        for (const p of policies) new NetworkPolicyModel(p as never).validate();
    });
});
