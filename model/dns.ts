/**
 * The DNS record each app's hostname needs, and who makes it: one model the DNS link, the
 * render's summary and a check of the live records (did the hostname resolve to the gateway?)
 * all read. Pure.
 *
 * Every hostname is a CNAME to the Kourier gateway's hostname, as the backoffice makes them at
 * GoDaddy (alchemists-tower lib/godaddy.ts); an organization whose `*.{domain}` already points
 * at the gateway (`dns: { wildcard: true }` in its catalog file) needs none under that domain.
 */
import type { DnsConfig, DnsProvider } from "./dnsConfig";
import { isUnderDomain, labelsOf } from "./rules";

/** Who makes an app's record: a link of the program, a person (provider `none`), or nobody (a wildcard covers it). */
export type DnsManagedBy = Exclude<DnsProvider, "none"> | "by-hand" | "wildcard";

/** An organization's DNS settings from its catalog file. */
export interface OrganizationDns {
    /** `*.{domain}` already points at the gateway: no app under `domain` gets a record of its own. */
    readonly wildcard: boolean;
}

/** The record one app's hostname needs. */
export interface AppDnsRecord {
    readonly organization: string;
    readonly app: string;
    readonly hostname: string;
    readonly type: "CNAME";
    /** The gateway's hostname; undefined only when provider `none` was given no `target`. */
    readonly target?: string;
    readonly ttl: number;
    readonly managedBy: DnsManagedBy;
    /** route53: the hosted zone that holds the record. */
    readonly zone?: { readonly domain: string; readonly id: string };
    /** wildcard: the record that already answers for the hostname. */
    readonly coveredBy?: string;
    /** externaldns: the TXT owner id of the ExternalDNS instance that writes it. */
    readonly owner?: string;
}

/** What `appDnsOf` needs of an app and its organization. */
export interface DnsSubject {
    readonly organization: string;
    readonly app: string;
    readonly hostname: string;
    /** The organization's main `domain`, the one a wildcard covers. */
    readonly domain: string;
    readonly dns?: OrganizationDns;
}

/** The hosted zone of a hostname: the longest configured domain it is under. */
export function zoneOf(hostname: string, zones: Readonly<Record<string, string>>): { domain: string; id: string } | undefined {
    const domain = Object.keys(zones)
        .filter((d) => isUnderDomain(hostname, d))
        .sort((a, b) => b.length - a.length)[0];
    const id = domain !== undefined ? zones[domain] : undefined;
    return domain !== undefined && id !== undefined ? { domain, id } : undefined;
}

/** Whether the organization's wildcard answers for the hostname (a wildcard never covers the apex itself). */
export const coveredByWildcard = (s: DnsSubject): boolean =>
    s.dns?.wildcard === true && s.hostname !== s.domain && isUnderDomain(s.hostname, s.domain);

/** The record of one app under the stack's DNS settings. */
export function appDnsOf(s: DnsSubject, dns: DnsConfig): AppDnsRecord {
    const base = {
        organization: s.organization,
        app: s.app,
        hostname: s.hostname,
        type: "CNAME" as const,
        ...(dns.target !== undefined ? { target: dns.target } : {}),
        ttl: dns.ttl,
    };
    if (coveredByWildcard(s)) return { ...base, managedBy: "wildcard", coveredBy: `*.${s.domain}` };
    if (dns.provider === "none") return { ...base, managedBy: "by-hand" };
    if (dns.provider === "route53") {
        const zone = zoneOf(s.hostname, dns.zones);
        return { ...base, managedBy: "route53", ...(zone !== undefined ? { zone } : {}) };
    }
    return { ...base, managedBy: "externaldns", owner: dns.ownerId };
}

/**
 * Why the stack cannot give this app its record, or undefined (domain ownership is checked with
 * the catalog's other cross-file rules). Only a Route53 zone's apex is known to be one: an
 * organization's domain may be a plain name inside its registrar's zone, where a CNAME is fine.
 */
export function dnsProblemOf(s: DnsSubject, dns: DnsConfig): string | undefined {
    const record = appDnsOf(s, dns);
    if (record.managedBy !== "route53") return undefined;
    if (record.zone !== undefined && record.zone.domain === s.hostname)
        return `"${s.hostname}" is the apex of Route53 zone ${record.zone.id}, where DNS allows no CNAME; give the app a hostname under it, or point the apex at the gateway by hand (an alias record) with tenant-apps:dns.provider none`;
    if (record.zone === undefined)
        return `no Route53 zone for "${s.hostname}": tenant-apps:dns.zones lists ${Object.keys(dns.zones).join(", ")}; add the zone id of its domain`;
    return undefined;
}

/**
 * The label that hands a DNSEndpoint to one ExternalDNS instance: each runs with
 * `--label-filter=tenant-apps/dns-owner=<its --txt-owner-id>` (deploy/external-dns/; the CRD source
 * lists only matching objects: external-dns source/crd.go@v0.22.0 L193-194), so pre's and pro's
 * instances on one cluster each write only their own stack's records.
 */
export const dnsOwnerLabel = "tenant-apps/dns-owner";

/** The `externaldns.k8s.io/v1alpha1` DNSEndpoint of one record (CRD at external-dns@v0.22.0 config/crd/standard/). */
export function dnsEndpointManifest(record: AppDnsRecord, namespace: string) {
    if (record.target === undefined || record.owner === undefined)
        throw new Error(`${record.hostname}: a DNSEndpoint needs tenant-apps:dns.target and an owner id`);
    return {
        apiVersion: "externaldns.k8s.io/v1alpha1",
        kind: "DNSEndpoint",
        metadata: {
            name: record.hostname,
            namespace,
            labels: { ...labelsOf(record.organization, record.app), [dnsOwnerLabel]: record.owner },
        },
        spec: { endpoints: [{ dnsName: record.hostname, recordType: record.type, recordTTL: record.ttl, targets: [record.target] }] },
    };
}

/** The id `aws.route53.Record` imports a record by: `ZONEID_NAME_TYPE` (pulumi-aws route53/record.d.ts "## Import"). */
export const route53ImportId = (zoneId: string, hostname: string, type = "CNAME"): string => `${zoneId}_${hostname}_${type}`;

/** The record as a zone-file line, for the records a person must create: `world.r3s3t.xyz. 300 IN CNAME gw.example.` */
export function zoneFileLine(record: Pick<AppDnsRecord, "hostname" | "ttl" | "target"> & { readonly type: string }): string {
    const target = record.target !== undefined ? `${record.target}.` : "<the Kourier gateway's hostname; set tenant-apps:dns.target>";
    return `${record.hostname}. ${record.ttl} IN ${record.type} ${target}`;
}

/** One line saying who makes the record, for the summary. */
export function describeDns(record: AppDnsRecord): string {
    switch (record.managedBy) {
        case "externaldns":
            return "DNSEndpoint, written by ExternalDNS";
        case "route53":
            return `Route53 zone ${record.zone?.domain ?? "?"} (${record.zone?.id ?? "?"})`;
        case "wildcard":
            return `covered by ${record.coveredBy ?? "a wildcard"}`;
        case "by-hand":
            return "by hand (tenant-apps:dns.provider none)";
    }
}
