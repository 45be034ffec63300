/**
 * Stack config of the guards against changes that look harmless: the platform's own
 * hostnames no tenant may take (`tenant-apps:platformHostnames`), and the explicit
 * acknowledgements a stack needs before it turns deletion safety off in pro
 * (`tenant-apps:acknowledge`). Both are recorded in plan.json, so a review sees them. Pure.
 */
import { z } from "zod/v3";

const hostname = z
    .string()
    .regex(/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, "must be lowercase DNS hostnames");

/**
 * `tenant-apps:platformHostnames`: hostnames the platform serves itself (the statics CDN, the
 * backoffice, its APIs). The statics host of `storage.publicBaseUrl` is always one of them.
 */
export const platformHostnamesSchema = z.array(hostname).default([]);

/**
 * `tenant-apps:acknowledge`: each key states, in words a reviewer reads, why a deletion-safety
 * setting is off in pro. Without it, `deletion.protect: false` or `deletion.retainOnDelete:
 * false` in pro is refused.
 */
export const acknowledgeSchema = z
    .strictObject({
        unprotectedInPro: z.string().min(10, "must say why, in at least 10 characters").max(500).optional(),
    })
    .default({});

export type Acknowledgements = z.infer<typeof acknowledgeSchema>;

/** The platform's hostnames: the configured ones and the statics host. */
export function platformHostnamesOf(configured: readonly string[], publicBaseUrl: string): string[] {
    const statics = /^https:\/\/([^/:]+)/.exec(publicBaseUrl)?.[1];
    return [...new Set([...configured, ...(statics !== undefined ? [statics.toLowerCase()] : [])])].sort();
}

/** What the guards check of a validated config. */
export interface GuardedConfig {
    readonly env: "pre" | "pro";
    readonly deletion: { readonly protect: boolean; readonly retainOnDelete: boolean };
    readonly acknowledge: Acknowledgements;
}

/**
 * Deletion safety turned off in pro without an acknowledgement: `protect: false` lets a
 * removed catalog entry delete a schema, database, role, secret or assets folder, and
 * `retainOnDelete: false` deletes them from the cloud instead of only forgetting them.
 */
export function guardProblems(config: GuardedConfig, namespace: string): string[] {
    if (config.env !== "pro" || config.acknowledge.unprotectedInPro !== undefined) return [];
    const off = [
        ...(config.deletion.protect ? [] : ["protect: false"]),
        ...(config.deletion.retainOnDelete ? [] : ["retainOnDelete: false"]),
    ];
    if (off.length === 0) return [];
    return [
        `${namespace}:deletion: ${off.join(" and ")} turns off deletion safety of every schema, database, role, secret and assets folder in pro; ` +
            `restore it, or, if it is intended, say why in ${namespace}:acknowledge.unprotectedInPro (recorded in plan.json for review)`,
    ];
}
