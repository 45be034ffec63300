/**
 * Plans built by hand for the tests of render:diff's reading and comparing: one resource as the
 * render writes it, with what a test changes laid over.
 */
import type { PlanResource } from "../../render/plan";

/** A custom resource of app acme/web, unprotected, with no inputs, unless `extra` says otherwise. */
export const planResource = (name: string, type: string, extra: Partial<PlanResource> = {}): PlanResource => ({
    urn: `urn:pulumi:pro::tenant-apps::${type}::${name}`,
    name,
    type,
    custom: true,
    organization: "acme",
    app: "web",
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    inputs: {},
    secretInputs: [],
    secretFingerprints: {},
    dependencies: [],
    ...extra,
});
