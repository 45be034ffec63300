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
 * Options for a value held by a data-bearing resource (a secret's version): kept when the app
 * goes, like its holder, but never protected. A new value is a new version: `secret_string` is
 * ForceNew (terraform-provider-aws secret_version.go L73-79), so Pulumi replaces the version on
 * every rotation, and `protect` on it would refuse every rotation.
 */
export function valueOf(deletion: PlatformConfig["deletion"], opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return { ...opts, retainOnDelete: deletion.retainOnDelete };
}

/**
 * Options for a child of a link component: parented to it, and waiting on what the
 * component itself waits on (Pulumi does not pass a component's `dependsOn` to children).
 */
export function childOf(parent: pulumi.Resource, opts: pulumi.ComponentResourceOptions | undefined): pulumi.CustomResourceOptions {
    return { parent, dependsOn: opts?.dependsOn };
}
