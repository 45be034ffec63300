/**
 * What the platform must provide before tenants can be isolated, judged from facts the
 * preflight read (automation/platformReader.ts). Pure: facts in, findings out, each missing
 * piece with the exact change to numengames/numinia-terragrunt or numengames/numinia-k8s.
 */
import { parse as parseYaml } from "yaml";

/** A fact the preflight read, or why it could not. */
export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The instance metadata options of one node group's launch template version. */
export interface NodeGroupMetadata {
    readonly nodeGroup: string;
    /** `lt-…:version`, or undefined when the node group uses no launch template of its own. */
    readonly launchTemplate?: string;
    readonly httpTokens?: string;
    readonly hopLimit?: number;
    readonly httpEndpoint?: string;
}

export interface TenantNamespaceFacts {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
}

export interface PlatformFacts {
    readonly clusterName: string;
    /** The vpc-cni addon's version and configurationValues (EKS DescribeAddon). */
    readonly vpcCniAddon: Read<{ readonly version: string; readonly configurationValues: string }>;
    /** The aws-node DaemonSet's network policy agent container args, or undefined without that container. */
    readonly networkPolicyAgentArgs: Read<readonly string[] | undefined>;
    readonly nodeGroups: Read<readonly NodeGroupMetadata[]>;
    /** The API server's `major.minor` (GET /version). */
    readonly kubernetesVersion: Read<{ readonly major: number; readonly minor: number }>;
    /** Namespaces that carry Pod Security settings or the program's managed-by label. */
    readonly namespaces: Read<readonly TenantNamespaceFacts[]>;
    /** Top-level "folders" of the statics bucket (ListObjectsV2 Delimiter "/"), and the tenants' one. */
    readonly bucket: Read<{ readonly name: string; readonly topLevelPrefixes: readonly string[]; readonly tenantPrefix: string }>;
    readonly s3ListScope: "bucket" | "prefix";
}

export type FindingStatus = "ok" | "missing" | "unknown" | "warning";

export interface Finding {
    readonly check: "network-policy" | "imds" | "pod-security" | "bucket-listing";
    readonly status: FindingStatus;
    readonly message: string;
    /** The exact change that fixes it, when something is missing. */
    readonly fix?: string;
}

const eksFile = "numengames/numinia-terragrunt infrastructure/production/eu-west-1/numinia/eks/terragrunt.hcl";

/** The vpc-cni addon change (eks terragrunt.hcl `cluster_addons`, L33-44; eks module v20.33.1 passes configuration_values to aws_eks_addon). */
export const vpcCniFix = `${eksFile}, cluster_addons (L33-44): replace \`vpc-cni    = {}\` with
    vpc-cni = {
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
then \`terragrunt apply\` in infrastructure/production/eu-west-1/numinia/eks. The addon must be v1.14.0 or later;
it turns aws-node's aws-eks-nodeagent container to --enable-network-policy=true.`;

/** The node group change: the module's default is tokens required with hop limit 2, which lets pods reach IMDS. */
export const imdsFix = `${eksFile}, eks_managed_node_groups (L50-80): add to numinia-node-group and base-node-group
      metadata_options = {
        http_endpoint               = "enabled"
        http_tokens                 = "required"
        http_put_response_hop_limit = 1
      }
then \`terragrunt apply\`: a new launch template version rolls the node group's nodes. Nothing in numinia-k8s reads IMDS
from a pod (aws-load-balancer-controller sets region and vpcId, its helmrelease.yaml L32-37).`;

/** The live org namespaces set Pod Security as annotations, which admission ignores. */
export const podSecurityFix = (namespaces: readonly string[]) =>
    `numengames/numinia-k8s clusters/prod-cluster/organizations/<org>/org-config/overlays/{pre,pro}/namespace.yaml ` +
    `(${namespaces.join(", ")}): move the six pod-security.kubernetes.io/* keys from metadata.annotations to ` +
    `metadata.labels, and pin enforce-version/audit-version/warn-version to the cluster's minor (e.g. "v1.35") instead of "latest".`;

function enableNetworkPolicyOf(configurationValues: string): boolean {
    if (configurationValues.trim() === "") return false;
    try {
        const values = parseYaml(configurationValues) as { enableNetworkPolicy?: unknown } | null; // EKS accepts JSON or YAML
        return values?.enableNetworkPolicy === "true" || values?.enableNetworkPolicy === true;
    } catch {
        return false;
    }
}

function networkPolicyFinding(f: PlatformFacts): Finding {
    const check = "network-policy";
    if (!f.vpcCniAddon.ok)
        return { check, status: "unknown", message: `cannot read the vpc-cni addon of ${f.clusterName}: ${f.vpcCniAddon.error}` };
    const addon = f.vpcCniAddon.value;
    if (!enableNetworkPolicyOf(addon.configurationValues))
        return {
            check,
            status: "missing",
            message: `the vpc-cni addon (${addon.version}) has network policy off (configurationValues ${JSON.stringify(addon.configurationValues)}): every NetworkPolicy is inert`,
            fix: vpcCniFix,
        };
    if (!f.networkPolicyAgentArgs.ok)
        return { check, status: "unknown", message: `cannot read the aws-node DaemonSet: ${f.networkPolicyAgentArgs.error}` };
    const args = f.networkPolicyAgentArgs.value;
    if (args === undefined || !args.includes("--enable-network-policy=true"))
        return {
            check,
            status: "missing",
            message: `the addon asks for network policy, but aws-node has ${args === undefined ? "no network policy agent container (aws-eks-nodeagent)" : `its network policy agent (aws-eks-nodeagent) without --enable-network-policy=true (${args.join(" ")})`}`,
            fix: vpcCniFix,
        };
    return {
        check,
        status: "ok",
        message: `vpc-cni ${addon.version} enforces NetworkPolicies (aws-eks-nodeagent --enable-network-policy=true)`,
    };
}

function imdsFinding(f: PlatformFacts): Finding {
    const check = "imds";
    if (!f.nodeGroups.ok)
        return { check, status: "unknown", message: `cannot read the node groups' metadata options: ${f.nodeGroups.error}` };
    if (f.nodeGroups.value.length === 0)
        return { check, status: "unknown", message: `${f.clusterName} has no managed node groups to check` };
    const open = f.nodeGroups.value.filter((g) => g.httpEndpoint !== "disabled" && (g.httpTokens !== "required" || g.hopLimit !== 1));
    if (open.length === 0)
        return {
            check,
            status: "ok",
            message: "every node group requires IMDSv2 tokens with hop limit 1: pods cannot reach the node's credentials",
        };
    const described = open.map(
        (g) =>
            `${g.nodeGroup} (${g.launchTemplate ?? "no launch template of its own"}: tokens ${g.httpTokens ?? "unknown"}, hop limit ${g.hopLimit ?? "unknown"})`,
    );
    return {
        check,
        status: "missing",
        message: `pods can reach the node's IMDS and its IAM role: ${described.join("; ")}`,
        fix: imdsFix,
    };
}

function podSecurityFinding(f: PlatformFacts): Finding {
    const check = "pod-security";
    if (!f.kubernetesVersion.ok)
        return { check, status: "unknown", message: `cannot read the API server version: ${f.kubernetesVersion.error}` };
    const { major, minor } = f.kubernetesVersion.value;
    if (major < 1 || (major === 1 && minor < 25))
        return {
            check,
            status: "missing",
            message: `Kubernetes ${major}.${minor} has no stable Pod Security admission (GA in 1.25)`,
            fix: `${eksFile} L29: cluster_version = "1.25" or later`,
        };
    if (!f.namespaces.ok) return { check, status: "unknown", message: `cannot list namespaces: ${f.namespaces.error}` };
    const annotatedOnly = f.namespaces.value.filter(
        (ns) =>
            ns.annotations["pod-security.kubernetes.io/enforce"] !== undefined &&
            ns.labels["pod-security.kubernetes.io/enforce"] === undefined,
    );
    if (annotatedOnly.length > 0)
        return {
            check,
            status: "missing",
            message: `Pod Security is set as annotations, which admission ignores, on ${annotatedOnly.map((ns) => ns.name).join(", ")}`,
            fix: podSecurityFix(annotatedOnly.map((ns) => ns.name)),
        };
    return {
        check,
        status: "ok",
        message: `Kubernetes ${major}.${minor} enforces Pod Security labels; no namespace relies on annotations`,
    };
}

function bucketFinding(f: PlatformFacts): Finding {
    const check = "bucket-listing";
    if (!f.bucket.ok) return { check, status: "unknown", message: `cannot list the statics bucket's top level: ${f.bucket.error}` };
    const { name, topLevelPrefixes, tenantPrefix } = f.bucket.value;
    const others = topLevelPrefixes.filter((p) => p !== tenantPrefix);
    if (f.s3ListScope === "prefix")
        return { check, status: "ok", message: `s3ListScope is prefix: a world's key lists only its own prefix of ${name}` };
    if (others.length === 0)
        return {
            check,
            status: "ok",
            message: `${name} holds nothing but ${tenantPrefix}; a world's key can still enumerate every world's key names`,
        };
    return {
        check,
        status: "warning",
        message:
            `a Hyperfy world's key can enumerate every key name of ${name} (s3ListScope bucket), and private prefixes share the bucket: ` +
            `${others.join(", ")}`,
        fix: 'docs/platform.md, "The bucket listing": the image\'s one-line change, then tenant-apps:isolation.s3ListScope: prefix',
    };
}

/** Every finding, in a fixed order. */
export function platformFindings(f: PlatformFacts): Finding[] {
    return [networkPolicyFinding(f), imdsFinding(f), podSecurityFinding(f), bucketFinding(f)];
}

/** Whether tenants can be isolated: nothing missing and nothing unknown among the blocking checks. */
export function canIsolateTenants(findings: readonly Finding[]): boolean {
    return findings.every((x) => x.check === "bucket-listing" || x.status === "ok");
}
