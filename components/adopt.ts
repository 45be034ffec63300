import type * as pulumi from "@pulumi/pulumi";
import { adoptableFields, adoptionIdentity, adoptionKey, adoptionKeys, ignoredWhileAdopting, type Adoption } from "../model/adoption";
import type { OrganizationSpec } from "../model/catalog";
import type { PlatformConfig } from "../model/config";

/** Every adoption an organization's catalog file declares, keyed by the resource's type and physical name. */
export function adoptionsOf(org: OrganizationSpec, platform: PlatformConfig): Map<string, Adoption> {
    const adoptions = new Map<string, Adoption>();
    if (org.adopt !== undefined) {
        adoptions.set(adoptionKey("Namespace", org.namespace), {
            organization: org.name,
            field: "namespace",
            id: org.adopt.namespace,
            ignoreChanges: ignoredWhileAdopting.namespace,
        });
    }
    for (const app of org.apps) {
        if (app.adopt === undefined) continue;
        const keys = adoptionKeys(app.names, platform.database.name, platform.storage.bucket);
        for (const field of adoptableFields) {
            const id = app.adopt[field];
            if (id === undefined) continue;
            adoptions.set(keys[field], { organization: org.name, app: app.name, field, id, ignoreChanges: ignoredWhileAdopting[field] });
        }
    }
    return adoptions;
}

/**
 * A transformation for a TenantOrganization (children inherit it): a resource the catalog
 * adopts gets `import: <id>` (Pulumi reads it instead of creating it) and ignores, while the
 * `adopt` entry stays, the inputs a hand-made resource is expected to differ in. (The app's
 * own component records what it adopts and moves: `TenantApp`.)
 */
export function adoptExisting(adoptions: ReadonlyMap<string, Adoption>): pulumi.ResourceTransformation {
    return (args) => {
        const identity = adoptionIdentity(args.type, args.props);
        const adoption = identity !== undefined ? adoptions.get(identity) : undefined;
        if (adoption === undefined) return undefined;
        const ignoreChanges = [...(args.opts.ignoreChanges ?? []), ...adoption.ignoreChanges];
        return { props: args.props, opts: { ...args.opts, import: adoption.id, ignoreChanges } };
    };
}
