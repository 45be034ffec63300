/**
 * The catalog's `securityContext` of one app. It takes the fields "restricted" forbids too
 * (uid 0, privileged, added capabilities...), so that asking for them is refused by the
 * rule's name (`model/podSecurityRules.ts`) rather than as an unknown key. Pure.
 */
import { z } from "zod/v3";
import { typeError } from "../quantities";

const id = (what: string) =>
    z
        .number(typeError(`must be a whole number from 1 to 2147483647 (the ${what})`))
        .int(`must be a whole number (the ${what})`)
        .min(0, `must be ≥ 0 (the ${what})`)
        .max(2147483647, `must be at most 2147483647 (the ${what})`);

export const appSecurityContextSchema = z.strictObject({
    runAsUser: id("uid the container runs as").optional(),
    runAsGroup: id("gid the container runs as").optional(),
    runAsNonRoot: z.boolean(typeError("must be true or false")).optional(),
    privileged: z.boolean(typeError("must be true or false")).optional(),
    allowPrivilegeEscalation: z.boolean(typeError("must be true or false")).optional(),
    readOnlyRootFilesystem: z.boolean(typeError("must be true or false")).optional(),
    capabilities: z.strictObject({ add: z.array(z.string(), typeError("must be a list of capability names")).optional() }).optional(),
});

export type RawAppSecurityContext = z.infer<typeof appSecurityContextSchema>;

/** The keys of `securityContext`, for the unknown-key message. */
export const appSecurityContextKeys = appSecurityContextSchema.shape;
