/**
 * `tenant-apps:isolation` in `Pulumi.<stack>.yaml`: the platform facts the tenants' network
 * policies and the preflight need (where the VPC, RDS and cluster DNS are), and how far a
 * world's storage key may list the shared bucket. Pure: zod schema, defaults and resolution.
 */
import { z } from "zod/v3";

/**
 * Address ranges that are never "the internet": RFC 1918 private space (the VPC, its pods with
 * the VPC CNI, the EKS private API endpoint, RDS, the service CIDR 10.100.0.0/16 or
 * 172.20.0.0/16), 100.64.0.0/10 (VPC CNI custom networking), loopback, "this network", and
 * 169.254.0.0/16, which holds the instance metadata service at 169.254.169.254.
 */
export const nonInternetIpv4Cidrs = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
] as const;

const ipv4Cidr = z
    .string()
    .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/, "must be an IPv4 CIDR such as 10.0.0.0/16");
const port = z.number().int().min(1).max(65535);
const labelMap = z.record(z.string().min(1), z.string());

/** The shape of `tenant-apps:isolation`; every key has a default. */
export const isolationSchema = z
    .strictObject({
        /**
         * The VPC's CIDR(s): nodes, pods (VPC CNI), the EKS private endpoint and RDS live there, so
         * internet egress excludes them. numinia-terragrunt's VPC is 10.0.0.0/16 (rds/hyperfy
         * terragrunt.hcl L48-52 admits "PostgreSQL from VPC" as 10.0.0.0/16). Default: RFC 1918.
         */
        vpcCidrs: z.array(ipv4Cidr).min(1).default(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
        /**
         * Where RDS answers (its subnets), reached on `tenant-apps:database.port` by apps with a
         * database only; numinia-terragrunt vpc/terragrunt.hcl L35: 10.0.4.0/24, 10.0.5.0/24, 10.0.6.0/24.
         * Default: the VPC CIDRs.
         */
        databaseCidrs: z.array(ipv4Cidr).min(1).optional(),
        /** The cluster DNS pods (EKS's CoreDNS addon keeps kube-dns's labels). */
        dns: z
            .strictObject({
                namespace: z.string().min(1).default("kube-system"),
                podLabels: labelMap.default({ "k8s-app": "kube-dns" }),
                port: port.default(53),
            })
            .default({}),
        /** TCP ports tenants may reach on the internet (S3, STS, Secrets Manager, model providers: HTTPS). */
        internetPorts: z.array(port).min(1).default([443]),
        /**
         * How far a Hyperfy world's storage key may list the bucket: `bucket` lets Hyperfy's init
         * probe (ListObjectsV2 MaxKeys 1, no prefix) list key names bucket-wide; `prefix` drops that
         * grant, for an image whose init lists with its own prefix (docs/platform.md).
         */
        s3ListScope: z.enum(["bucket", "prefix"]).default("bucket"),
        /** The EKS cluster's name, for the preflight; default: the name in `tenant-apps:kubernetes.context` when it is an EKS ARN. */
        eksClusterName: z.string().min(1).optional(),
    })
    .default({});

/** The validated isolation settings of one stack. */
export interface IsolationConfig {
    readonly vpcCidrs: readonly string[];
    readonly databaseCidrs: readonly string[];
    readonly dns: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly port: number };
    readonly internetPorts: readonly number[];
    /** Everything excluded from internet egress: the non-internet ranges and the VPC CIDRs outside them. */
    readonly internetExcept: readonly string[];
    readonly s3ListScope: "bucket" | "prefix";
    readonly eksClusterName?: string;
}

/** Whether IPv4 CIDR `inner` lies inside `outer`. */
export function ipv4CidrWithin(inner: string, outer: string): boolean {
    const [innerIp = "", innerBits = "0"] = inner.split("/");
    const [outerIp = "", outerBits = "0"] = outer.split("/");
    if (Number(innerBits) < Number(outerBits)) return false;
    const mask = Number(outerBits) === 0 ? 0 : (~0 << (32 - Number(outerBits))) >>> 0;
    return (ipv4ToNumber(innerIp) & mask) >>> 0 === (ipv4ToNumber(outerIp) & mask) >>> 0;
}

/** An IPv4 address as an unsigned 32-bit number. */
export function ipv4ToNumber(ip: string): number {
    return ip.split(".").reduce((n, octet) => ((n << 8) | Number(octet)) >>> 0, 0);
}

/** Resolves the parsed `tenant-apps:isolation` into the values the policies and the preflight use. */
export function resolveIsolation(raw: z.infer<typeof isolationSchema>): IsolationConfig {
    const extraVpc = raw.vpcCidrs.filter((cidr) => !nonInternetIpv4Cidrs.some((range) => ipv4CidrWithin(cidr, range)));
    return {
        vpcCidrs: raw.vpcCidrs,
        databaseCidrs: raw.databaseCidrs ?? raw.vpcCidrs,
        dns: raw.dns,
        internetPorts: raw.internetPorts,
        internetExcept: [...nonInternetIpv4Cidrs, ...extraVpc],
        s3ListScope: raw.s3ListScope,
        ...(raw.eksClusterName !== undefined ? { eksClusterName: raw.eksClusterName } : {}),
    };
}
