/** Checks that keep tenant data safe and fenced: S3 keys, recovery windows, PostgreSQL deletion, protection, namespaces. Pure. */
import { awsTagKeys, hasUnsafeKeySegment, isAllowedRecoveryWindow, keyPrefixOf, managedByLabel, recoveryWindowDays } from "../model/rules";
import { dataBearingTypes, typeTokens } from "../model/typeTokens";
import { at, list, str, type Bag } from "./bag";
import type { PolicyContext } from "./context";

/**
 * The app's own key prefix, `{prefix}/{org}/{app}/{assetsSegment}/`, as a pattern: the stack's
 * `names.assetsSegment` (default `{env}`; the live takeover's `latest`) filled from the object's
 * tags; `{type}` and `{domain}`, which no tag carries, match any one segment.
 */
function ownPrefixPattern(prefix: string, org: string, app: string, env: string, assetsSegment: string): RegExp {
    const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const known: Record<string, string> = { org, app, env };
    const segment = assetsSegment
        .split(/(\{\w+\})/)
        .map((part) => {
            const key = /^\{(\w+)\}$/.exec(part)?.[1];
            if (key === undefined) return escape(part);
            const value = known[key];
            return value !== undefined ? escape(value) : "[^/]+";
        })
        .join("");
    return new RegExp(`^${escape(`${prefix}${org}/${app}/`)}${segment}/`);
}

/**
 * Tenant objects live in the shared bucket under `{prefix}/`, and under the app's own
 * `{prefix}/{org}/{app}/{assetsSegment}/` when tagged with their app.
 */
export function s3ObjectUnderPrefix(
    type: string,
    props: Bag,
    context: Pick<PolicyContext, "storagePrefix" | "bucket" | "assetsSegment">,
): string[] {
    if (type !== typeTokens.bucketObjectV2 && type !== typeTokens.bucketObject) return [];
    const out: string[] = [];
    const bucket = str(props.bucket);
    if (context.bucket !== undefined && bucket !== undefined && bucket !== context.bucket) {
        out.push(`object is in bucket "${bucket}"; tenant objects belong in "${context.bucket}"`);
    }
    const key = str(props.key);
    if (key === undefined || key === "") return [...out, "object has no key"];
    const prefix = keyPrefixOf(context.storagePrefix);
    if (hasUnsafeKeySegment(key)) {
        out.push(`key "${key}" has an empty, "." or ".." path segment`);
    }
    if (!key.startsWith(prefix)) {
        out.push(`key "${key}" is outside the configured prefix "${prefix}"`);
        return out;
    }
    const org = str(at(props, "tags", awsTagKeys.organization));
    const app = str(at(props, "tags", awsTagKeys.app));
    const env = str(at(props, "tags", awsTagKeys.environment));
    if (org !== undefined && app !== undefined && env !== undefined) {
        const segment = context.assetsSegment ?? "{env}";
        if (!ownPrefixPattern(prefix, org, app, env, segment).test(key)) {
            const shown = segment.replace(/\{(org|app|env)\}/g, (_, k: string) => ({ org, app, env })[k as "org" | "app" | "env"]);
            out.push(`key "${key}" is outside its app's own prefix "${prefix}${org}/${app}/${shown}/"`);
        }
    }
    return out;
}

/** In `pro`, a secret keeps a recovery window of 7–30 days (0 would force-delete it). Unset means AWS's default of 30. */
export function secretRecoveryWindow(type: string, props: Bag, context: Pick<PolicyContext, "environment">): string[] {
    if (type !== typeTokens.secret || context.environment !== "pro") return [];
    const days = props.recoveryWindowInDays;
    if (days === undefined) return [];
    if (typeof days !== "number" || !isAllowedRecoveryWindow(days)) {
        return [
            `recoveryWindowInDays is ${JSON.stringify(days)}; in pro a secret must keep a recovery window of ${recoveryWindowDays.min}–${recoveryWindowDays.max} days (0 force-deletes it)`,
        ];
    }
    return [];
}

// ---------------------------------------------------------------------------------------
// PostgreSQL and deletion safety.

/** A schema never drops with CASCADE; a tenant DB role never runs REASSIGN OWNED / DROP OWNED on delete. */
export function postgresNeverCascade(type: string, props: Bag): string[] {
    if (type === typeTokens.pgSchema && props.dropCascade === true) {
        return ["dropCascade is true; deleting the schema would drop every table in it"];
    }
    if (type === typeTokens.pgRole) {
        const out: string[] = [];
        if (props.skipReassignOwned !== true)
            out.push("skipReassignOwned must be true; REASSIGN OWNED on delete moves the app's tables away");
        if (props.skipDropRole !== true) out.push("skipDropRole must be true; DROP OWNED on delete would drop the app's tables");
        return out;
    }
    return [];
}

export { dataBearingTypes } from "../model/typeTokens";

/** In `pro`, data-bearing resources carry `protect`. `protect` undefined means the caller cannot tell. */
export function dataProtected(type: string, protect: boolean | undefined, context: Pick<PolicyContext, "environment">): string[] {
    // A secret's version holds a value, not the data: `secret_string` is ForceNew, so every
    // rotation replaces it, and `protect` on it would refuse every rotation (issue 12).
    if (type === typeTokens.secretVersion && protect === true)
        return [
            "a secret version must not be protected: a new value replaces the version (secret_string is ForceNew), so protect blocks every rotation",
        ];
    if (context.environment !== "pro" || !dataBearingTypes.includes(type) || protect !== false) return [];
    return ["a data-bearing resource in pro must be protected (resource option protect: true)"];
}

interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly props: Bag;
}

/** Every namespace labelled `app.kubernetes.io/managed-by: tenant-apps` has a ResourceQuota and an ingress NetworkPolicy. */
export function tenantNamespacesGuarded(resources: readonly StackResource[]): Array<{ resource: string; message: string }> {
    const namespaced = (type: string) =>
        new Set(resources.filter((r) => r.type === type).map((r) => str(at(r.props, "metadata", "namespace")) ?? ""));
    const withQuota = namespaced(typeTokens.resourceQuota);
    const withIngressPolicy = new Set(
        resources
            .filter((r) => r.type === typeTokens.networkPolicy)
            .filter((r) => {
                const types = list(at(r.props, "spec", "policyTypes"));
                return types.length === 0 || types.includes("Ingress");
            })
            .map((r) => str(at(r.props, "metadata", "namespace")) ?? ""),
    );
    const out: Array<{ resource: string; message: string }> = [];
    for (const ns of resources.filter((r) => r.type === typeTokens.namespace)) {
        if (at(ns.props, "metadata", "labels", managedByLabel.key) !== managedByLabel.value) continue;
        const name = str(at(ns.props, "metadata", "name")) ?? ns.name;
        if (!withQuota.has(name)) out.push({ resource: ns.name, message: `tenant namespace "${name}" has no ResourceQuota` });
        if (!withIngressPolicy.has(name))
            out.push({ resource: ns.name, message: `tenant namespace "${name}" has no ingress NetworkPolicy` });
    }
    return out;
}
