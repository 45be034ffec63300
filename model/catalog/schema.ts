/**
 * The shape of one catalog file (`stacks/<stack>/<organization>.yaml`) as a zod schema:
 * which keys exist, their types and their single-field rules. Cross-field and cross-file
 * rules live in `resolve.ts` and `crossChecks.ts`. Pure.
 */
import { z } from "zod/v3";
import { appTypes, elizaModelProviders } from "../appTypes";
import { appAdoptionSchema, movesSchema, organizationAdoptionSchema } from "../adoption";
import { cpuQuantity, memoryQuantity, typeError } from "../quantities";
import { appSecurityContextSchema, appSecurityContextKeys } from "./securitySchema";

/**
 * The largest `timeoutSeconds` any KNative accepts here; the stack's own cap
 * (`tenant-apps:knative.maxRevisionTimeoutSeconds`) is checked in `resolve.ts`.
 */
export const maxTimeoutSeconds = 86400;

const dnsLabelMessage =
    "must be a DNS label: lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters";
const dnsLabel = z
    .string(typeError(dnsLabelMessage))
    .max(63, dnsLabelMessage)
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, dnsLabelMessage);

const hostnameMessage = "must be a lowercase DNS hostname with at least two labels, such as world.r3s3t.xyz";
const hostname = z
    .string(typeError(hostnameMessage))
    .max(253, hostnameMessage)
    .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, hostnameMessage);

const imageMessage = "must be a container image reference such as ghcr.io/org/app:1.2.3 or repo@sha256:<digest>";
const image = z
    .string(typeError(imageMessage))
    .regex(
        /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64}|@sha512:[a-f0-9]{128})?$/,
        imageMessage,
    );

export const appSchema = z.strictObject({
    /** Existing resources to import instead of create (issue 12, model/adoption.ts). */
    adopt: appAdoptionSchema.optional(),
    /** Data-bearing names whose change is intended, after moving the data by hand (issue 12). */
    moves: movesSchema.optional(),
    name: dnsLabel,
    type: z.enum(appTypes, { errorMap: () => ({ message: `must be one of ${appTypes.join(", ")}` }) }),
    image,
    hostname: hostname.optional(),
    scale: z
        .strictObject({
            min: z.number(typeError("must be a whole number ≥ 0")).int("must be a whole number ≥ 0").min(0, "must be ≥ 0"),
            max: z.number(typeError("must be a whole number ≥ 1")).int("must be a whole number ≥ 1").min(1, "must be ≥ 1"),
        })
        .partial()
        .optional(),
    resources: z
        .strictObject({
            requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }).partial(),
            limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }).partial(),
        })
        .partial()
        .optional(),
    env: z.record(z.string(), z.string(typeError('must be a string; quote numbers and booleans, e.g. "2000"'))).optional(),
    port: z
        .number(typeError("must be a port number from 1 to 65535"))
        .int("must be a port number from 1 to 65535")
        .min(1, "must be a port number from 1 to 65535")
        .max(65535, "must be a port number from 1 to 65535")
        .optional(),
    database: z.boolean(typeError("must be true or false")).optional(),
    storage: z.boolean(typeError("must be true or false")).optional(),
    probePath: z
        .string()
        .regex(/^\/[^\s]*$/, "must be an absolute HTTP path such as /health")
        .optional(),
    timeoutSeconds: z
        .number(typeError(`must be a whole number of seconds from 1 to ${maxTimeoutSeconds}`))
        .int()
        .min(1)
        .max(maxTimeoutSeconds, `must be at most ${maxTimeoutSeconds}`)
        .optional(),
    /** How the container runs: its uid/gid, and what "restricted" refuses (so it is named when asked for). */
    securityContext: appSecurityContextSchema.optional(),
    /** Directories the app writes, each an emptyDir; the root filesystem is read-only. */
    writablePaths: z
        .array(
            z.string(typeError("must be an absolute path such as /tmp")),
            typeError("must be a list of absolute paths such as [/tmp, /data]"),
        )
        .optional(),
    /** The app calls the Kubernetes API, so its pod keeps the service account token. */
    kubernetesApi: z.boolean(typeError("must be true or false")).optional(),
    /** Per-agent settings of an eliza app. */
    agent: z
        .strictObject({
            modelProvider: z.enum(elizaModelProviders, {
                errorMap: () => ({ message: `must be one of ${elizaModelProviders.join(", ")}` }),
            }),
            smallModel: z.string().min(1),
            largeModel: z.string().min(1),
            charactersPath: z.string().regex(/^\/[^\s]*$/, "must be an absolute path in the image, such as /app/characters"),
            daemonProcess: z.boolean(typeError("must be true or false")),
        })
        .partial()
        .optional(),
});

export const catalogFileSchema = z.strictObject({
    organization: dnsLabel,
    domain: hostname,
    quota: z
        .strictObject({
            cpu: cpuQuantity,
            memory: memoryQuantity,
            pods: z.number(typeError("must be a whole number ≥ 1")).int().min(1),
        })
        .optional(),
    apps: z.array(appSchema, typeError("must be a list of apps")).default([]),
    /** The organization's existing namespace to import (issue 12). */
    adopt: organizationAdoptionSchema.optional(),
    /** More domains this organization owns (vanity domains of its apps), beside `domain`. */
    domains: z.array(hostname, typeError("must be a list of domains the organization owns, such as [r3s3t.games]")).optional(),
    /** `wildcard: true`: `*.{domain}` already points at the gateway, so its apps need no record of their own (model/dns.ts). */
    dns: z.strictObject({ wildcard: z.boolean(typeError("must be true or false")).default(false) }).optional(),
});

export type RawCatalogFile = z.infer<typeof catalogFileSchema>;
export type RawApp = z.infer<typeof appSchema>;

/** The keys allowed where a zod `unrecognized_keys` issue points, for the error message. */
export function allowedKeysAt(issuePath: readonly PropertyKey[]): string {
    const shape = (() => {
        if (issuePath.length === 0) return catalogFileSchema.shape;
        if (issuePath[0] === "quota") return { cpu: 0, memory: 0, pods: 0 };
        if (issuePath[0] === "apps" && issuePath.length === 2) return appSchema.shape;
        const last = issuePath[issuePath.length - 1];
        if (last === "scale") return { min: 0, max: 0 };
        if (last === "resources") return { requests: 0, limits: 0 };
        if (last === "adopt") return issuePath.length === 1 ? organizationAdoptionSchema.shape : appAdoptionSchema.shape;
        if (last === "securityContext") return appSecurityContextKeys;
        if (last === "capabilities") return { add: 0 };
        if (last === "dns" && issuePath.length === 1) return { wildcard: 0 };
        if (last === "agent") return { modelProvider: 0, smallModel: 0, largeModel: 0, charactersPath: 0, daemonProcess: 0 };
        return { cpu: 0, memory: 0 };
    })();
    return Object.keys(shape).join(", ");
}
