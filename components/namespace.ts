import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { OrganizationSpec } from "../model/catalog";
import type { PlatformConfig } from "../model/config";
import { labelsOf, limitRangeSpec, namespaceLabelsOf, resourceQuotaSpec } from "../model/manifests";
import { egressPolicySpec, ingressPolicySpec } from "../model/networkPolicies";
import { podSecurityLabels } from "../model/podSecurity";
import { typeTokens } from "../model/typeTokens";

export interface TenantNamespaceArgs {
    /** The organization whose apps share the namespace. */
    readonly organization: OrganizationSpec;
    /** Container defaults for the LimitRange. */
    readonly defaults: PlatformConfig["namespaceDefaults"];
    /** Where DNS, the VPC and the internet are, for the egress policy. */
    readonly isolation: PlatformConfig["isolation"];
    /** The environment whose workspace owns the namespace (its `tenant-apps/environment` label). */
    readonly env: PlatformConfig["env"];
    /** The Pod Security Standards version the namespace's labels pin. */
    readonly podSecurity: Pick<PlatformConfig["podSecurity"], "version">;
}

/**
 * The namespace of one organization in one environment, with its ResourceQuota, LimitRange,
 * a NetworkPolicy that admits only Kourier and KNative (on the queue-proxy's ports) and the
 * namespace itself, and one that lets its pods reach only DNS, the namespace and the internet;
 * labelled so the API server enforces Pod Security "restricted" on every pod in it.
 */
export class TenantNamespace extends pulumi.ComponentResource {
    /** Name of the namespace, known before deployment. */
    readonly name: string;
    readonly namespace: k8s.core.v1.Namespace;

    constructor(name: string, args: TenantNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.namespaceLink, name, { namespace: args.organization.namespace }, opts);
        const org = args.organization;
        const labels = labelsOf(org.name);
        const metadata = (suffix: string) => ({ name: `${org.namespace}-${suffix}`, namespace: org.namespace, labels });
        this.name = org.namespace;
        // Labels, not annotations: Pod Security Admission reads only labels (the live namespaces set annotations).
        const namespaceLabels = { ...namespaceLabelsOf(org.name, args.env), ...podSecurityLabels(args.podSecurity) };
        this.namespace = new k8s.core.v1.Namespace(
            `${name}/namespace`,
            { metadata: { name: org.namespace, labels: namespaceLabels } },
            { parent: this },
        );
        const inNamespace = { parent: this, dependsOn: [this.namespace] };
        new k8s.core.v1.ResourceQuota(`${name}/quota`, { metadata: metadata("quota"), spec: resourceQuotaSpec(org.quota) }, inNamespace);
        new k8s.core.v1.LimitRange(`${name}/limits`, { metadata: metadata("limits"), spec: limitRangeSpec(args.defaults) }, inNamespace);
        new k8s.networking.v1.NetworkPolicy(`${name}/ingress`, { metadata: metadata("ingress"), spec: ingressPolicySpec() }, inNamespace);
        new k8s.networking.v1.NetworkPolicy(
            `${name}/egress`,
            { metadata: metadata("egress"), spec: egressPolicySpec(args.isolation) },
            inNamespace,
        );
        this.registerOutputs({ name: this.name });
    }
}
