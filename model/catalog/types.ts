/** The validated catalog as the rest of the program sees it: every default applied, every name computed. */
import type { AppType, ElizaAgentSpec, Resources } from "../appTypes";
import type { AppAdoption, MovableField, OrganizationAdoption } from "../adoption";
import type { AppNames } from "../naming";
import type { AppSecurity } from "../podSecurity";
import type { AppDnsRecord, OrganizationDns } from "../dns";

/** One catalog file as read from disk. */
export interface CatalogSource {
    /** Path shown in messages, relative to the project where possible. */
    readonly file: string;
    readonly text: string;
}

/** A tenant app with every default applied and every name computed. */
export interface TenantAppSpec {
    readonly organization: string;
    readonly name: string;
    readonly type: AppType;
    readonly image: string;
    readonly scale: { readonly min: number; readonly max: number };
    readonly resources: Resources;
    /** The catalog's own env entries (the type's defaults are added by the service link). */
    readonly env: Readonly<Record<string, string>>;
    readonly port: number;
    readonly probePath: string;
    readonly timeoutSeconds: number;
    readonly database: boolean;
    readonly storage: boolean;
    /** Keys of the app's secret, in a stable order. */
    readonly secretKeys: readonly string[];
    readonly names: AppNames;
    /** How the container runs under Pod Security "restricted" (model/podSecurity.ts). */
    readonly security: AppSecurity;
    /** Existing resources this app adopts (imports) instead of creating (issue 12). */
    readonly adopt?: AppAdoption;
    /** Data-bearing names whose change the catalog declares intended (issue 12). */
    readonly moves?: readonly MovableField[];
    /** The DNS record its hostname needs and who makes it (model/dns.ts). */
    readonly dns: AppDnsRecord;
    /** An eliza app's agent settings. */
    readonly agent?: ElizaAgentSpec;
}

/** An organization of one stack with its apps. */
export interface OrganizationSpec {
    readonly name: string;
    readonly domain: string;
    readonly file: string;
    readonly namespace: string;
    readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
    readonly apps: readonly TenantAppSpec[];
    /** The existing namespace this organization adopts (issue 12). */
    readonly adopt?: OrganizationAdoption;
    /** The organization's DNS settings (`dns: { wildcard: true }`). */
    readonly dns?: OrganizationDns;
    /** Every domain the organization owns: `domain` and its `domains`. */
    readonly ownedDomains: readonly string[];
}

/** The validated catalog of one stack, organizations sorted by name. */
export interface Catalog {
    readonly organizations: readonly OrganizationSpec[];
}
