/**
 * What a render says about the last mile of each app: its DNS record and who makes it, what
 * `pulumi up` waits for (claim, DNS, certificate, revision) and how long, and the seeding of a
 * new world. Read from the link components' plain inputs (components/dns.ts, domainMapping.ts,
 * worldSeed.ts) and the KNative Service's wait annotations. Pure.
 */
import { zoneFileLine } from "../model/dns";
import { timeoutSecondsAnnotation } from "../model/readiness";
import { typeTokens } from "../model/typeTokens";
import { codeSpan } from "./markdown";

/** What these rows read of a plan's resource (render/plan.ts), declared here so plan.ts can import this file. */
interface PlanResource {
    readonly type: string;
    readonly inputs: Record<string, unknown>;
}

/** What the summary reads of an app row of the plan (render/plan.ts `AppRow`). */
interface AppRow {
    readonly organization: string;
    readonly app: string;
    readonly dns?: DnsRow;
    readonly waits?: WaitRow;
    readonly seeding?: SeedRow;
}

/** An app's DNS record as the render shows it. */
export interface DnsRow {
    readonly hostname: string;
    readonly type: string;
    /** The gateway hostname the CNAME points at, when the stack gives it. */
    readonly target?: string;
    readonly ttl: number;
    /** externaldns | route53 | by-hand | wildcard (model/dns.ts). */
    readonly managedBy: string;
    readonly zone?: { readonly domain: string; readonly id: string };
    readonly coveredBy?: string;
}

/** What `pulumi up` waits for on the app, in order, each with its timeout. */
export interface WaitRow {
    readonly steps: readonly { readonly object: string; readonly waitsFor: readonly string[]; readonly timeoutSeconds?: number }[];
    readonly note?: string;
}

/** A new world's seeding. */
export interface SeedRow {
    readonly from: string;
    readonly to: string;
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/** The DNS, wait and seeding rows of one app from its resources. */
export function lastMileOf(own: readonly PlanResource[]): { dns?: DnsRow; waits?: WaitRow; seeding?: SeedRow } {
    const dnsLink = own.find((r) => r.type === typeTokens.dnsLink)?.inputs;
    const mappingLink = own.find((r) => r.type === typeTokens.domainMappingLink)?.inputs;
    const seedLink = own.find((r) => r.type === typeTokens.seedingLink)?.inputs;
    const service = own.find((r) => r.type === typeTokens.knativeService)?.inputs;
    const mapping = own.find((r) => r.type === typeTokens.domainMapping)?.inputs;
    const timeoutOf = (object: Record<string, unknown> | undefined): number | undefined => {
        const annotations = (object?.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
        const value = text(annotations?.[timeoutSecondsAnnotation]);
        return value !== undefined ? Number(value) : undefined;
    };
    const out: { dns?: DnsRow; waits?: WaitRow; seeding?: SeedRow } = {};
    if (dnsLink !== undefined) {
        const zone = dnsLink.zone as { domain?: unknown; id?: unknown } | undefined;
        out.dns = {
            hostname: text(dnsLink.hostname) ?? "",
            type: text(dnsLink.type) ?? "",
            ...(text(dnsLink.target) !== undefined ? { target: text(dnsLink.target) } : {}),
            ttl: Number(dnsLink.ttl),
            managedBy: text(dnsLink.managedBy) ?? "",
            ...(zone !== undefined ? { zone: { domain: text(zone.domain) ?? "", id: text(zone.id) ?? "" } } : {}),
            ...(text(dnsLink.coveredBy) !== undefined ? { coveredBy: text(dnsLink.coveredBy) } : {}),
        };
    }
    if (service !== undefined || mappingLink !== undefined) {
        const steps: WaitRow["steps"][number][] = [];
        const serviceTimeout = timeoutOf(service);
        if (service !== undefined)
            steps.push({
                object: "KNative Service",
                waitsFor: ["revision"],
                ...(serviceTimeout !== undefined ? { timeoutSeconds: serviceTimeout } : {}),
            });
        const mappingTimeout = timeoutOf(mapping);
        if (mappingLink !== undefined && strings(mappingLink.waitsFor).length > 0)
            steps.push({
                object: "DomainMapping",
                waitsFor: strings(mappingLink.waitsFor),
                ...(mappingTimeout !== undefined ? { timeoutSeconds: mappingTimeout } : {}),
            });
        const note = text(mappingLink?.note);
        out.waits = { steps, ...(note !== undefined ? { note } : {}) };
    }
    if (seedLink !== undefined) out.seeding = { from: text(seedLink.from) ?? "", to: text(seedLink.to) ?? "" };
    return out;
}

const cell = (value: string): string => codeSpan(value, { inTable: true });

/** One line for the record: `CNAME world.r3s3t.xyz → gw (300 s)`. */
const recordText = (d: DnsRow): string => `${d.type} ${d.hostname} → ${d.target ?? "(tenant-apps:dns.target)"} (${d.ttl} s)`;

function madeBy(d: DnsRow): string {
    switch (d.managedBy) {
        case "externaldns":
            return "DNSEndpoint → ExternalDNS";
        case "route53":
            return `Route53 ${cell(d.zone?.domain ?? "?")} ${cell(d.zone?.id ?? "?")}`;
        case "wildcard":
            return `nothing: ${cell(d.coveredBy ?? "a wildcard")} answers`;
        default:
            return "**by hand** (see below)";
    }
}

const waitText = (w: WaitRow | undefined): string =>
    (w?.steps ?? [])
        .map((s) => `${s.object}: ${s.waitsFor.join(", ")}${s.timeoutSeconds !== undefined ? ` (≤ ${s.timeoutSeconds} s)` : ""}`)
        .join("; ") || "—";

/** The DNS and seeding sections of `summary.md`. */
export function lastMileMarkdown(apps: readonly AppRow[]): string[] {
    const withDns = apps.filter((a) => a.dns !== undefined);
    const lines: string[] = [];
    if (withDns.length > 0) {
        lines.push(
            "## DNS and readiness",
            "",
            "Each record exists before the app's DomainMapping, whose certificate (ACME HTTP-01) needs it.",
            "",
            "| App | Record | Made by | `pulumi up` waits for |",
            "| --- | --- | --- | --- |",
        );
        for (const a of withDns) {
            const d = a.dns as DnsRow;
            const marked = a.waits?.note !== undefined ? " ¹" : "";
            lines.push(`| ${cell(`${a.organization}/${a.app}`)} | ${cell(recordText(d))} | ${madeBy(d)} | ${waitText(a.waits)}${marked} |`);
        }
        lines.push("");
        for (const note of new Set(withDns.map((a) => a.waits?.note).filter((n): n is string => n !== undefined)))
            lines.push(`¹ ${note}.`, "");
        const byHand = withDns.filter((a) => a.dns?.managedBy === "by-hand");
        if (byHand.length > 0) {
            lines.push(
                `### Records to create by hand (${byHand.length})`,
                "",
                "`tenant-apps:dns.provider` is `none`: create exactly these at the registrar; each app's certificate follows once its record resolves.",
                "",
                "```",
                ...byHand.map((a) => zoneFileLine(a.dns as DnsRow)),
                "```",
                "",
            );
        }
    }
    const seeded = apps.filter((a) => a.seeding !== undefined);
    if (seeded.length > 0) {
        lines.push(
            "## World seeding",
            "",
            "Copied once when the world is created, never overwritten (a world that holds objects gets nothing) and never deleted with the app; a missing or empty template stops the deploy.",
            "",
            "| App | From | To |",
            "| --- | --- | --- |",
            ...seeded.map(
                (a) => `| ${cell(`${a.organization}/${a.app}`)} | ${cell(a.seeding?.from ?? "")} | ${cell(a.seeding?.to ?? "")} |`,
            ),
            "",
        );
    }
    return lines;
}
