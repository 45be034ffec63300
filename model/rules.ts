/**
 * The rulebook: every invariant of tenant-apps defined once, as a named pure predicate or
 * constant. The catalog and config validation (`model/catalog`, `model/config`) refuse bad
 * input with these rules before anything is registered; the CrossGuard pack (`policy/`)
 * checks the same rules again on the resources at deploy time. Neither keeps a copy.
 * No Pulumi, no I/O.
 */
import { memoryBytes, milliCpu } from "./quantities";

// ---------------------------------------------------------------------------------------
// Images.

/**
 * Tags that name a moving target rather than a release, compared case-insensitively
 * (registries treat `Latest` as a different tag from `latest`, but it floats just the same).
 */
export const floatingImageTags = [
    "latest",
    "main",
    "master",
    "stable",
    "dev",
    "develop",
    "edge",
    "nightly",
    "head",
    "canary",
    "next",
    "beta",
    "alpha",
    "current",
    "release",
    "lts",
] as const;

/** `@sha256:` with 64 hex digits or `@sha512:` with 128: the digests OCI registries accept. */
const fullDigest = /@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/**
 * Whether an image reference names one fixed build: a full digest (`@sha256:<64 hex>`,
 * with or without a tag), or a tag that is not empty and not floating. A short or unknown
 * digest (`@sha256:abc`, `@md5:…`) is not pinned.
 */
export function isPinnedImage(ref: string): boolean {
    if (fullDigest.test(ref)) return true;
    if (ref.includes("@")) return false;
    const lastSegment = ref.split("/").pop() ?? "";
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0) return false;
    const tag = lastSegment.slice(colon + 1);
    return tag !== "" && !(floatingImageTags as readonly string[]).includes(tag.toLowerCase());
}

export const unpinnedImageMessage = (ref: string): string =>
    `"${ref}" is not pinned; in pro an image needs a release tag (not ${floatingImageTags.slice(0, 4).join(", ")}, …) or a full @sha256 digest`;

// ---------------------------------------------------------------------------------------
// Scale and resources.

/** KNative reads `min-scale` and `max-scale` from the revision template's annotations. */
export const scaleAnnotations = {
    min: "autoscaling.knative.dev/min-scale",
    max: "autoscaling.knative.dev/max-scale",
} as const;

/** Older spellings KNative still honours, so the pack reads them too. */
export const legacyScaleAnnotations = {
    min: "autoscaling.knative.dev/minScale",
    max: "autoscaling.knative.dev/maxScale",
} as const;

/** A revision scales between min and max pods; max 0 would mean unbounded in KNative. */
export const isScaleInOrder = (min: number, max: number): boolean => min <= max;

/** A max-scale bounds the service: a whole number of at least 1. */
export const isBoundedMaxScale = (max: number): boolean => Number.isSafeInteger(max) && max >= 1;

export const scaleOrderMessage = (min: number, max: number): string =>
    `min-scale ${min} is greater than max-scale ${max}; min must be ≤ max`;

/** A container's request of a resource is at most its limit. Quantities in Kubernetes notation. */
export function isRequestWithinLimit(resource: "cpu" | "memory", request: string, limit: string): boolean {
    return resource === "cpu" ? milliCpu(request) <= milliCpu(limit) : memoryBytes(request) <= memoryBytes(limit);
}

export const requestOverLimitMessage = (resource: "cpu" | "memory", request: string, limit: string): string =>
    `${resource} request ${request} is greater than its limit ${limit}; requests must be ≤ limits`;

// ---------------------------------------------------------------------------------------
// What KNative reserves.

/** Environment variables KNative sets; a container that sets them is rejected or overridden. */
export const reservedEnvVars = ["PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"] as const;

/**
 * Ports of the queue-proxy sidecar (8012, 8013, 8022, 9090, 9091) and KNative's profiling
 * port 8008, which the serving webhook refuses as a user container port.
 */
export const reservedPorts = [8008, 8012, 8013, 8022, 9090, 9091] as const;

export const isReservedPort = (port: number): boolean => (reservedPorts as readonly number[]).includes(port);

/** KNative's own default `max-revision-timeout-seconds`, used when the stack does not say its platform raised it. */
export const knativeDefaultMaxRevisionTimeoutSeconds = 600;

// ---------------------------------------------------------------------------------------
// Namespaces.

/** Kubernetes namespaces no tenant may take. `*` matches any suffix. */
export const builtInReservedNamespaces = [
    "default",
    "kube-*",
    "knative-*",
    "kourier-system",
    "flux-system",
    "cert-manager",
    "external-secrets",
    "karpenter",
    "amazon-*",
    "aws-*",
    "monitoring",
    "istio-system",
    "pulumi-kubernetes-operator",
] as const;

/** Whether `name` is one of `reserved`, where an entry ending in `*` matches any continuation. */
export function isReservedNamespace(name: string, reserved: readonly string[]): boolean {
    return reserved.some((r) => (r.endsWith("*") ? name.startsWith(r.slice(0, -1)) : name === r));
}

// ---------------------------------------------------------------------------------------
// Deletion safety.

/** Secrets Manager's recovery window bounds: 0 would force-delete; AWS accepts 7 to 30 days. */
export const recoveryWindowDays = { min: 7, max: 30 } as const;

export const isAllowedRecoveryWindow = (days: number): boolean =>
    Number.isInteger(days) && days >= recoveryWindowDays.min && days <= recoveryWindowDays.max;

// ---------------------------------------------------------------------------------------
// Labels and tags every object carries, so the pack can tell tenant objects apart.

/** Label on every Kubernetes object of this program. */
export const managedByLabel = { key: "app.kubernetes.io/managed-by", value: "tenant-apps" } as const;

/** AWS tag keys of every tenant app's AWS resources. */
export const awsTagKeys = {
    organization: "tenant-apps/organization",
    app: "tenant-apps/app",
    environment: "tenant-apps/environment",
    managedBy: "managed-by",
} as const;

/** AWS tags of one app's resources. */
export function awsTagsOf(org: string, app: string, env: string): Record<string, string> {
    return {
        [awsTagKeys.organization]: org,
        [awsTagKeys.app]: app,
        [awsTagKeys.environment]: env,
        [awsTagKeys.managedBy]: managedByLabel.value,
    };
}

// ---------------------------------------------------------------------------------------
// S3 keys.

/** Whether an S3 key has an empty, `.` or `..` segment or starts with `/`. */
export function hasUnsafeKeySegment(key: string): boolean {
    return key.startsWith("/") || key.split("/").some((s, i, all) => s === ".." || s === "." || (s === "" && i < all.length - 1));
}

/** `prefix/` for a non-empty prefix, `""` for the bucket root. */
export const keyPrefixOf = (prefix: string): string => (prefix === "" ? "" : `${prefix.replace(/\/+$/, "")}/`);

// ---------------------------------------------------------------------------------------
// Catalog files (model/catalog/read.ts).

/** The names of files the catalog reads: `<organization>.yaml` or `.yml`, lowercase, not hidden. */
export const catalogFileNamePattern = /^[^.][^/]*\.ya?ml$/;

/**
 * Entries of a catalog directory that are neither read nor refused: a `README.md` and a
 * `.gitkeep`. Nothing else is skipped, so no renamed organization file can go unnoticed.
 */
export const ignorableCatalogEntries = ["README.md", ".gitkeep"] as const;

export const isIgnorableCatalogEntry = (name: string): boolean => (ignorableCatalogEntries as readonly string[]).includes(name);

/** At most 1 MiB per organization file: 2000 apps fit in about 500 KiB. */
export const maxCatalogFileBytes = 1_048_576;

/** At most 8 MiB for a whole stack's catalog. */
export const maxCatalogBytes = 8 * 1_048_576;

// ---------------------------------------------------------------------------------------
// Values the cluster or the container runtime rejects.

/**
 * Linux's `MAX_ARG_STRLEN`: one environment string `NAME=value` with its NUL must fit in
 * 32 pages (128 KiB), or `execve` fails with E2BIG and the container never starts.
 */
export const maxEnvEntryBytes = 131_072;

/** The catalog's env of one app, all `NAME=value` strings together: at most 256 KiB. */
export const maxEnvTotalBytes = 262_144;

/**
 * etcd's default `--max-request-bytes` (1.5 MiB): no Kubernetes object can be larger. The
 * env limits above keep a KNative Service (and its Revision and Pod) well below it.
 */
export const maxManifestBytes = 1_572_864;

/** Bytes of one environment string as the kernel counts it: `NAME=value` and its NUL. */
export const envEntryBytes = (name: string, value: string): number => Buffer.byteLength(name) + Buffer.byteLength(value) + 2;

/** A NUL byte ends a C string: the kernel would cut the value there. */
export const hasNulByte = (value: string): boolean => value.includes("\0");

/**
 * Object keys that JavaScript objects cannot carry as data (`__proto__` sets the prototype;
 * zod's record drops it), so they are refused rather than silently lost.
 */
export const unsafeObjectKeys = ["__proto__"] as const;

export const isUnsafeObjectKey = (key: string): boolean => (unsafeObjectKeys as readonly string[]).includes(key);

/** A revision's max-scale cannot exceed the pods its namespace's quota admits. */
export const isScaleWithinQuota = (scale: number, quotaPods: number): boolean => Number.isSafeInteger(scale) && scale <= quotaPods;

// ---------------------------------------------------------------------------------------
// Hostnames and domains.

/** An IPv4 address or any name whose last label is all digits (no top-level domain is). */
export const isIpAddressLike = (host: string): boolean => /(^|\.)\d+$/.test(host) || host.includes(":");

/** Whether `host` is `domain` or a name under it. */
export const isUnderDomain = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`);

/** Two domains overlap when they are equal or one is under the other. */
export const domainsOverlap = (a: string, b: string): boolean => isUnderDomain(a, b) || isUnderDomain(b, a);

// ---------------------------------------------------------------------------------------
// Pod Security ("restricted" plus a read-only root filesystem), in their own file.

export * from "./podSecurityRules";

// Values the platform or the runtime refuses, in their own file.
export * from "./inputRules";

/** Labels every object of one organization (and app, when given) carries. */
export function labelsOf(org: string, app?: string): Record<string, string> {
    return {
        [managedByLabel.key]: managedByLabel.value,
        "app.kubernetes.io/part-of": org,
        ...(app !== undefined ? { "app.kubernetes.io/name": app } : {}),
    };
}
