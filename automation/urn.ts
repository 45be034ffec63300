/**
 * Who a resource belongs to, read off its URN. Ownership follows the program's naming: every
 * resource of an app has a logical name starting `{org}/{app}/` and sits under a `TenantApp`
 * component; the per-organization namespace resources start `{org}/` and sit under
 * `TenantNamespace` (in `TenantOrganization`). Pure.
 */

/** Component type tokens of the program (components/organization.ts, components/tenantApp.ts). */
export const organizationType = "tenant-apps:index:TenantOrganization";
export const appType = "tenant-apps:index:TenantApp";
export const namespaceType = "tenant-apps:chain:TenantNamespace";

/** Who a resource belongs to. */
export type Owner =
    | { readonly kind: "app"; readonly organization: string; readonly app: string }
    | { readonly kind: "organization"; readonly organization: string }
    | { readonly kind: "platform" };

/** The parts of a URN `urn:pulumi:{stack}::{project}::{type chain}::{name}`. */
export interface ParsedUrn {
    readonly stack: string;
    readonly project: string;
    /** Parent types then the resource's own type. */
    readonly typeChain: readonly string[];
    readonly type: string;
    readonly name: string;
}

/** Splits a URN; names may contain `::`, so everything after the third separator is the name. */
export function parseUrn(urn: string): ParsedUrn {
    const parts = urn.split("::");
    const stack = (parts[0] ?? "").replace(/^urn:pulumi:/, "");
    const typeChain = (parts[2] ?? "").split("$").filter((t) => t !== "");
    return {
        stack,
        project: parts[1] ?? "",
        typeChain,
        type: typeChain[typeChain.length - 1] ?? "",
        name: parts.slice(3).join("::"),
    };
}

/** Who owns the resource with this URN. */
export function ownerOf(urn: string): Owner {
    const { typeChain, name } = parseUrn(urn);
    const segments = name.split("/");
    const [org, app] = segments;
    if (!org) return { kind: "platform" };
    // The engine's URNs carry the whole parent chain; be just as right when only the nearest
    // parent is present (as under the SDK's mock runtime): the namespace is the only
    // organization-level link, every other `tenant-apps:chain:*` link belongs to an app.
    const inApp = typeChain.includes(appType);
    const inNamespace = typeChain.includes(namespaceType);
    const inLink = typeChain.some((t) => t.startsWith("tenant-apps:chain:"));
    if ((inApp || (inLink && !inNamespace)) && app) return { kind: "app", organization: org, app };
    if (inNamespace || typeChain.includes(organizationType)) return { kind: "organization", organization: org };
    return { kind: "platform" };
}

/** `org/app`, `org` or `platform`. */
export function ownerKey(owner: Owner): string {
    return owner.kind === "app" ? `${owner.organization}/${owner.app}` : owner.kind === "organization" ? owner.organization : "platform";
}
