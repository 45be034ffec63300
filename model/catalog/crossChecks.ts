/**
 * Rules across organization files: names that must be unique in the whole stack, and
 * domains owned by exactly one organization, with every hostname under its owner's. Pure.
 */
import type { AppNames } from "../naming";
import { domainsOverlap, isUnderDomain } from "../rules";
import type { ParsedFile, ProblemSink } from "./problems";
import type { RawCatalogFile } from "./schema";
import type { OrganizationSpec } from "./types";

/** Global names that must be unique across the whole stack. */
const uniqueNames: ReadonlyArray<{ readonly key: keyof AppNames; readonly what: string }> = [
    { key: "hostname", what: "hostname" },
    { key: "schema", what: "schema name (after mapping - to _)" },
    { key: "iamRole", what: "IAM role name" },
    { key: "secret", what: "secret name" },
];

/** The domains an organization owns: its `domain` and any it lists under `domains`. */
const ownedDomains = (raw: RawCatalogFile): string[] => [...new Set([raw.domain, ...(raw.domains ?? [])])];

/**
 * Domain ownership. Each domain belongs to exactly one organization: two organizations that
 * declare the same domain, or one a subdomain of the other's, are refused in both files, each
 * naming the other. Every hostname, given or derived from the stack's hostname pattern, must
 * be one of the organization's own domains or a name under one: a vanity domain is declared
 * in the organization's `domains` list, so no tenant can take a name another one owns.
 */
export function checkHostnameOwnership(
    organizations: readonly OrganizationSpec[],
    valid: ReadonlyArray<{ parsed: ParsedFile; raw: RawCatalogFile }>,
    sink: ProblemSink,
): void {
    const claims = valid.flatMap(({ parsed, raw }) =>
        ownedDomains(raw).map((domain) => ({
            domain,
            parsed,
            raw,
            field: domain === raw.domain ? ["domain"] : ["domains", (raw.domains ?? []).indexOf(domain)],
        })),
    );
    for (const claim of claims) {
        for (const other of claims) {
            if (other.raw.organization === claim.raw.organization || !domainsOverlap(claim.domain, other.domain)) continue;
            const relation =
                claim.domain === other.domain ? "is also declared by" : isUnderDomain(claim.domain, other.domain) ? "is under" : "contains";
            const theirs = claim.domain === other.domain ? "" : `'s domain ${other.domain}`;
            sink.add(
                claim.parsed,
                claim.field,
                `domain ${claim.domain} ${relation} organization "${other.raw.organization}"${theirs} (${other.parsed.source.file}); each domain belongs to exactly one organization`,
            );
        }
    }
    const parsedOf = new Map(valid.map((v) => [v.raw.organization, v]));
    for (const org of organizations) {
        const source = parsedOf.get(org.name);
        if (source === undefined) continue;
        const mine = ownedDomains(source.raw);
        for (const app of org.apps) {
            const host = app.names.hostname;
            if (mine.some((d) => isUnderDomain(host, d))) continue;
            const index = source.raw.apps.findIndex((a) => a.name === app.name);
            const given = source.raw.apps[index]?.hostname !== undefined;
            const owner = claims
                .filter((c) => c.raw.organization !== org.name && isUnderDomain(host, c.domain))
                .sort((a, b) => b.domain.length - a.domain.length)[0];
            const where = owner
                ? `is inside organization "${owner.raw.organization}"'s domain ${owner.domain}`
                : `is under none of the organization's domains (${mine.join(", ")})`;
            const fix = owner
                ? `use a hostname under ${mine.join(" or ")}`
                : `use a hostname under ${mine.join(" or ")}, or list its domain under "domains:" to own it`;
            sink.add(
                source.parsed,
                ["apps", index, given ? "hostname" : "name"],
                `"${host}" ${where}${given ? "" : " (the stack's hostname pattern)"}; ${fix}`,
            );
        }
    }
}

export function checkUniqueAcrossStack(
    organizations: readonly OrganizationSpec[],
    valid: ReadonlyArray<{ parsed: ParsedFile; raw: RawCatalogFile }>,
    sink: ProblemSink,
): void {
    const parsedOf = new Map(valid.map((v) => [v.raw.organization, v]));
    for (const { key, what } of uniqueNames) {
        const owners = new Map<string, { org: string; app: string }>();
        for (const org of organizations) {
            for (const app of org.apps) {
                const value = app.names[key];
                const owner = owners.get(value);
                const source = parsedOf.get(org.name);
                if (owner === undefined) {
                    owners.set(value, { org: org.name, app: app.name });
                } else if (source !== undefined) {
                    const index = source.raw.apps.findIndex((a) => a.name === app.name);
                    sink.add(
                        source.parsed,
                        ["apps", index, key === "hostname" ? "hostname" : "name"],
                        `${what} "${value}" is already used by app "${owner.app}" of organization "${owner.org}"`,
                        {
                            organization: org.name,
                            app: app.name,
                        },
                    );
                }
            }
        }
    }
}
