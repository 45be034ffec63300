/** Resource options shared by the links of the chain. */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../model/config";

/**
 * Options for data-bearing resources (schema, role, S3 objects, secret): kept in the cloud
 * when an app leaves the catalog, and protected where the stack says so (pro by default).
 */
export function dataBearing(deletion: PlatformConfig["deletion"], opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...opts, protect: deletion.protect, retainOnDelete: deletion.retainOnDelete };
}

/**
 * Options for a child of a link component: parented to it, and waiting on what the
 * component itself waits on (Pulumi does not pass a component's `dependsOn` to children).
 */
export function childOf(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined): pulumi.CustomResourceOptions {
    return { parent, dependsOn: opts?.dependsOn };
}
