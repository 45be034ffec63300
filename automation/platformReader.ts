/**
 * Reads the facts the preflight judges (model/platformChecks.ts) from the live platform: EKS
 * (the vpc-cni addon, the managed node groups), EC2 (their launch template versions' metadata
 * options), the Kubernetes API (version, the aws-node DaemonSet, namespaces) and S3 (the statics
 * bucket's top level). The AWS SDK's own clients, so credentials resolve as for the AWS CLI
 * (environment, profiles, SSO) and `AWS_ENDPOINT_URL_<SERVICE>` points them elsewhere (tests).
 * Every read fails on its own: one missing permission makes that check "unknown", not the run.
 */
import { DescribeLaunchTemplateVersionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeAddonCommand, DescribeNodegroupCommand, EKSClient, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { PlatformConfig } from "../model/config";
import type { NodeGroupMetadata, PlatformFacts, Read, TenantNamespaceFacts } from "../model/platformChecks";
import { managedByLabel } from "../model/rules";
import { kubeGet, kubeTargetOf, type KubeTarget } from "./kubeApi";

/** The EKS cluster name: `tenant-apps:isolation.eksClusterName`, else the name in an EKS context ARN. */
export function eksClusterNameOf(platform: PlatformConfig): string | undefined {
    return (
        platform.isolation.eksClusterName ?? /^arn:aws[a-z-]*:eks:[^:]+:\d{12}:cluster\/(.+)$/.exec(platform.kubernetes.context ?? "")?.[1]
    );
}

async function read<T>(what: () => Promise<T>): Promise<Read<T>> {
    try {
        return { ok: true, value: await what() };
    } catch (error) {
        const e = error as { name?: string; message?: string };
        return { ok: false, error: `${e.name ?? "Error"}: ${e.message ?? String(error)}` };
    }
}

const podSecurityPrefix = "pod-security.kubernetes.io/";

interface KubeNamespaceList {
    readonly items?: readonly { metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> } }[];
}
interface KubeDaemonSet {
    readonly spec?: { template?: { spec?: { containers?: readonly { name?: string; image?: string; args?: readonly string[] }[] } } };
}

/** Reads every fact; never throws. */
export async function readPlatformFacts(platform: PlatformConfig, env: NodeJS.ProcessEnv = process.env): Promise<PlatformFacts> {
    const clusterName = eksClusterNameOf(platform);
    const noCluster = async (): Promise<never> => {
        throw new Error("no EKS cluster name: set tenant-apps:isolation.eksClusterName or an EKS ARN as tenant-apps:kubernetes.context");
    };
    const eks = new EKSClient({ region: platform.region });
    const ec2 = new EC2Client({ region: platform.region });
    const s3 = new S3Client({ region: platform.storage.region });
    let kube: KubeTarget | undefined;
    const kubeRead = async (apiPath: string) => {
        kube ??= kubeTargetOf(platform.kubernetes, env);
        return kubeGet(kube, apiPath);
    };
    try {
        const [vpcCniAddon, nodeGroups, kubernetesVersion, networkPolicyAgentArgs, namespaces, bucket] = await Promise.all([
            read(async () => {
                if (clusterName === undefined) return noCluster();
                const { addon } = await eks.send(new DescribeAddonCommand({ clusterName, addonName: "vpc-cni" }));
                return { version: addon?.addonVersion ?? "unknown", configurationValues: addon?.configurationValues ?? "" };
            }),
            read(async () => {
                if (clusterName === undefined) return noCluster();
                const names: string[] = [];
                let nextToken: string | undefined;
                do {
                    const page = await eks.send(new ListNodegroupsCommand({ clusterName, nextToken }));
                    names.push(...(page.nodegroups ?? []));
                    nextToken = page.nextToken;
                } while (nextToken !== undefined);
                return Promise.all(names.sort().map((name) => nodeGroupMetadata(eks, ec2, clusterName, name)));
            }),
            read(async () => {
                const v = (await kubeRead("/version")) as { major?: string; minor?: string };
                return { major: parseInt(v.major ?? "", 10), minor: parseInt(v.minor ?? "", 10) };
            }),
            read(async () => {
                const ds = (await kubeRead("/apis/apps/v1/namespaces/kube-system/daemonsets/aws-node")) as KubeDaemonSet;
                // The agent container is `aws-eks-nodeagent`, image amazon/aws-network-policy-agent, with
                // --enable-network-policy=false until the addon enables it (amazon-vpc-cni-k8s config/master/aws-k8s-cni.yaml).
                const agent = ds.spec?.template?.spec?.containers?.find(
                    (c) => c.name === "aws-eks-nodeagent" || (c.image ?? "").includes("/aws-network-policy-agent:"),
                );
                return agent === undefined ? undefined : [...(agent.args ?? [])];
            }),
            read(async () => {
                const list = (await kubeRead("/api/v1/namespaces")) as KubeNamespaceList;
                return (list.items ?? [])
                    .map(namespaceFacts)
                    .filter(
                        (ns) =>
                            ns.labels[managedByLabel.key] === managedByLabel.value ||
                            [...Object.keys(ns.labels), ...Object.keys(ns.annotations)].some((k) => k.startsWith(podSecurityPrefix)),
                    );
            }),
            read(async () => {
                const prefixes: string[] = [];
                let token: string | undefined;
                do {
                    const page = await s3.send(
                        new ListObjectsV2Command({ Bucket: platform.storage.bucket, Delimiter: "/", ContinuationToken: token }),
                    );
                    prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""));
                    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
                } while (token !== undefined);
                return {
                    name: platform.storage.bucket,
                    topLevelPrefixes: prefixes.sort(),
                    tenantPrefix: `${platform.storage.prefix.split("/")[0] ?? ""}/`,
                };
            }),
        ]);
        return {
            clusterName: clusterName ?? "(unnamed cluster)",
            vpcCniAddon,
            networkPolicyAgentArgs,
            nodeGroups,
            kubernetesVersion,
            namespaces,
            bucket,
            s3ListScope: platform.isolation.s3ListScope,
        };
    } finally {
        eks.destroy();
        ec2.destroy();
        s3.destroy();
    }
}

function namespaceFacts(item: NonNullable<KubeNamespaceList["items"]>[number]): TenantNamespaceFacts {
    return { name: item.metadata?.name ?? "", labels: item.metadata?.labels ?? {}, annotations: item.metadata?.annotations ?? {} };
}

/** One node group's launch template version and its metadata options. */
async function nodeGroupMetadata(eks: EKSClient, ec2: EC2Client, clusterName: string, nodegroupName: string): Promise<NodeGroupMetadata> {
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }));
    const lt = nodegroup?.launchTemplate;
    if (lt?.id === undefined) return { nodeGroup: nodegroupName };
    const versions = await ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.id, Versions: [lt.version ?? "$Default"] }),
    );
    const options = versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.MetadataOptions;
    return {
        nodeGroup: nodegroupName,
        launchTemplate: `${lt.id}:${lt.version ?? "$Default"}`,
        ...(options?.HttpTokens !== undefined ? { httpTokens: options.HttpTokens } : {}),
        ...(options?.HttpPutResponseHopLimit !== undefined ? { hopLimit: options.HttpPutResponseHopLimit } : {}),
        ...(options?.HttpEndpoint !== undefined ? { httpEndpoint: options.HttpEndpoint } : {}),
    };
}
