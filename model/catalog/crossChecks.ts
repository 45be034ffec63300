/**
 * Rules across organization files: names that must be unique in the whole stack, and
 * hostnames that must stay inside their own organization's domain. Pure.
 */
import type { AppNames } from "../naming";
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

/**
 * A hostname belongs to the organization with the longest `domain` it falls under, so no
 * tenant can map a name inside another tenant's domain. Hostnames under no tenant domain
 * (an app's own vanity domain) are free.
 */
export function checkHostnameOwnership(
    organizations: readonly OrganizationSpec[],
    valid: ReadonlyArray<{ parsed: ParsedFile; raw: RawCatalogFile }>,
    sink: ProblemSink,
): void {
    const byLength = [...organizations].sort((a, b) => b.domain.length - a.domain.length);
    const ownerOf = (host: string) => byLength.find((o) => host === o.domain || host.endsWith(`.${o.domain}`));
    const parsedOf = new Map(valid.map((v) => [v.raw.organization, v]));
    for (const org of organizations) {
        const source = parsedOf.get(org.name);
        if (source === undefined) continue;
        source.raw.apps.forEach((rawApp, index) => {
            if (rawApp.hostname === undefined) return;
            const owner = ownerOf(rawApp.hostname);
            if (owner !== undefined && owner.name !== org.name) {
                sink.add(
                    source.parsed,
                    ["apps", index, "hostname"],
                    `"${rawApp.hostname}" is inside organization "${owner.name}"'s domain ${owner.domain}; use a hostname under ${org.domain} or a domain no other organization owns`,
                );
            }
        });
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
