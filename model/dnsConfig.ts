/**
 * `tenant-apps:dns`: how the stack gives each app's hostname its DNS record. Pure.
 *
 * - `externaldns`: one `DNSEndpoint` per hostname; the cluster's ExternalDNS (deploy/external-dns/)
 *   writes it to the registrar (GoDaddy today) and marks it with its TXT owner record.
 * - `route53`: one `aws.route53.Record` per hostname, in the zone given for its domain.
 * - `none`: no record; the summary lists exactly the records to create by hand.
 */
import { z } from "zod/v3";
import type { Environment } from "./naming";

export const dnsProviders = ["externaldns", "route53", "none"] as const;
export type DnsProvider = (typeof dnsProviders)[number];

const hostnameMessage = "must be a DNS hostname such as k8s-kourier-0a1b2c3d4e.elb.eu-west-1.amazonaws.com";
const hostname = z
    .string()
    .max(253, hostnameMessage)
    .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, hostnameMessage);

/** The shape of `tenant-apps:dns` (absent: `{ provider: none }`). */
export const dnsConfigSchema = z
    .strictObject({
        provider: z.enum(dnsProviders, { errorMap: () => ({ message: `must be one of ${dnsProviders.join(", ")}` }) }),
        /** The Kourier gateway's public hostname (its NLB) every app's CNAME points at. */
        target: hostname.optional(),
        /** Seconds; the backoffice's GoDaddy records use 3600 (alchemists-tower@c4b1c75 lib/godaddy.ts L10). */
        ttl: z.number().int().min(60, "must be at least 60 seconds").max(86400, "must be at most 86400 seconds").default(3600),
        /** `--txt-owner-id` of the stack's ExternalDNS; default `tenant-apps-{env}`. */
        ownerId: z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lowercase letters, digits and -")
            .optional(),
        /** route53: the hosted zone id of each domain the stack's apps live under, e.g. `{ r3s3t.xyz: Z0123456789ABC }`. */
        zones: z
            .record(hostname, z.string().regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ"))
            .optional(),
    })
    .superRefine((c, ctx) => {
        if (c.provider !== "none" && c.target === undefined)
            ctx.addIssue({
                code: "custom",
                path: ["target"],
                message: `is required with provider ${c.provider}: the Kourier gateway's hostname`,
            });
        if (c.provider === "route53" && Object.keys(c.zones ?? {}).length === 0)
            ctx.addIssue({
                code: "custom",
                path: ["zones"],
                message: "is required with provider route53: the hosted zone id of each domain",
            });
        if (c.provider !== "route53" && c.zones !== undefined)
            ctx.addIssue({ code: "custom", path: ["zones"], message: "is read only with provider route53; remove it" });
        if (c.provider !== "externaldns" && c.ownerId !== undefined)
            ctx.addIssue({ code: "custom", path: ["ownerId"], message: "is read only with provider externaldns; remove it" });
    });

/** The validated DNS settings of one stack. */
export interface DnsConfig {
    readonly provider: DnsProvider;
    /** Undefined only with `none` when the gateway's hostname was not given. */
    readonly target?: string;
    readonly ttl: number;
    /** ExternalDNS's TXT owner id, the same in the controller's `--txt-owner-id` (deploy/external-dns/). */
    readonly ownerId: string;
    /** Hosted zone id by domain (route53). */
    readonly zones: Readonly<Record<string, string>>;
}

/** The stack's DNS settings with defaults filled in. */
export function resolveDns(raw: z.infer<typeof dnsConfigSchema> | undefined, env: Environment): DnsConfig {
    const c = raw ?? { provider: "none" as const, ttl: 3600 };
    return {
        provider: c.provider,
        ...(c.target !== undefined ? { target: c.target } : {}),
        ttl: c.ttl,
        ownerId: c.ownerId ?? `tenant-apps-${env}`,
        zones: c.zones ?? {},
    };
}
