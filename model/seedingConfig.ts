/**
 * `tenant-apps:seeding`: where a new hyperfy2 world's first assets come from. The backoffice
 * copies `hyperfy-spaces/_default/{latest|dev}/` into every new world (alchemists-tower
 * lib/s3-assets.ts), `latest` in pro and `dev` in pre. Pure.
 */
import { z } from "zod/v3";
import type { Environment } from "./naming";

export const seedingConfigSchema = z
    .strictObject({
        /** False: new worlds start empty. */
        enabled: z.boolean().default(true),
        /** Key prefix of the template in the stack's bucket, ending in `/`; default `{storage prefix}/_default/{latest|dev}/`. */
        template: z
            .string()
            .regex(
                /^[a-z0-9_][a-z0-9._-]*(\/[a-z0-9_][a-z0-9._-]*)*\/$/,
                "must be an S3 key prefix ending in /, such as hyperfy-spaces/_default/latest/",
            )
            .optional(),
    })
    .default({ enabled: true });

/** The validated seeding settings of one stack. */
export interface SeedingConfig {
    readonly enabled: boolean;
    /** The template's key prefix, ending in `/`. */
    readonly template: string;
}

/** The template segment the live platform uses per environment (alchemists-tower lib/s3-assets.ts `envToAssetsSegment`). */
export const templateSegment = (env: Environment): string => (env === "pro" ? "latest" : "dev");

export function resolveSeeding(raw: z.infer<typeof seedingConfigSchema>, env: Environment, storagePrefix: string): SeedingConfig {
    const template = raw.template ?? [storagePrefix, "_default", templateSegment(env)].filter((p) => p !== "").join("/") + "/";
    return { enabled: raw.enabled, template };
}
