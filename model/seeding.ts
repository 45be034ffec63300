/** Which apps get a seeded world, from where to where. Pure. */
import type { TenantAppSpec } from "./catalog";
import type { PlatformConfig } from "./config";

/** One world's seeding: `s3://bucket/template` copied once into `s3://bucket/destination`. */
export interface WorldSeeding {
    readonly bucket: string;
    readonly region: string;
    /** The template's prefix, ending in `/`. */
    readonly template: string;
    /** The world's own prefix, ending in `/` (the backoffice copies into `{org}/{world}/{segment}/`). */
    readonly destination: string;
}

/** The seeding of a hyperfy2 world with storage, or undefined (other types, or seeding off for the stack). */
export function seedingOf(app: TenantAppSpec, platform: Pick<PlatformConfig, "seeding" | "storage">): WorldSeeding | undefined {
    if (app.type !== "hyperfy2" || !app.storage || !platform.seeding.enabled) return undefined;
    return {
        bucket: platform.storage.bucket,
        region: platform.storage.region,
        template: platform.seeding.template,
        destination: `${app.names.s3Prefix}/`,
    };
}
