/**
 * Names of everything the chain creates, computed from the organization, the app and
 * the stack's name patterns. Pure: no Pulumi, no I/O.
 */

/** The two environments a stack can be. */
export type Environment = "pre" | "pro";

/** Placeholders a name pattern may use. */
export interface NameParts {
    readonly org: string;
    readonly app: string;
    readonly env: Environment;
    readonly type: string;
    readonly domain: string;
}

/**
 * Per-stack name patterns. Each is a string with `{org}`, `{app}`, `{env}`, `{type}`
 * and `{domain}` placeholders. The defaults are the platform docs' conventions.
 */
export interface NamePatterns {
    /** Kubernetes namespace shared by an organization's apps in one environment. */
    readonly namespace: string;
    /** KNative Service (and the SecretStore / delivered Secret derive from it). */
    readonly service: string;
    /** Kubernetes ServiceAccount the app runs as. */
    readonly serviceAccount: string;
    /** PostgreSQL schema and login role; `-` becomes `_`. */
    readonly schema: string;
    /** IAM role assumed through IRSA. */
    readonly role: string;
    /** Secrets Manager secret. */
    readonly secret: string;
    /** Public hostname when the app gives none of its own. */
    readonly hostname: string;
    /** TLS secret referenced by DomainMappings when the stack's TLS mode is `secret`. */
    readonly tlsSecret: string;
    /**
     * Kubernetes Secret the ExternalSecret writes and the service reads. The live chart names it
     * `aws-secrets-{type}-{org}-{app}-{env}` (numinia-k8s base/hyperfy2-knative external-secret.yaml L4).
     */
    readonly deliveredSecret: string;
    /**
     * Last segment of the app's S3 prefix `{prefix}/{org}/{app}/{segment}`. The live platform uses
     * `latest` in pro and `dev` in pre (alchemists-tower lib/s3-assets.ts L47-49 `envToAssetsSegment`).
     */
    readonly assetsSegment: string;
}

export const defaultNamePatterns = (env: Environment): NamePatterns => ({
    namespace: "{org}-{env}",
    service: "{app}-{env}",
    serviceAccount: "{app}-{env}",
    schema: "{app}_{org}_{env}",
    role: "{org}-{app}-{env}",
    secret: "{type}-{org}-{app}-{env}",
    hostname: env === "pro" ? "{app}.{domain}" : "pre.{app}.{domain}",
    tlsSecret: "{org}-tls",
    deliveredSecret: "{app}-{env}-env",
    assetsSegment: "{env}",
});

/** Placeholders a pattern may use, for validation messages. */
export const patternPlaceholders = ["org", "app", "env", "type", "domain"] as const;

/**
 * Fills a pattern's placeholders; unknown placeholders are left for validation to report.
 * `value` maps each placeholder's value (the schema pattern maps `-` to `_` in names only, so a
 * pattern's own literal `-` stays: `{env}-{org}-{app}` gives the live `pro-r3s3t-world`).
 */
export function fillPattern(pattern: string, parts: NameParts, value: (v: string) => string = (v) => v): string {
    return pattern.replace(/\{(\w+)\}/g, (whole, key: string) =>
        (patternPlaceholders as readonly string[]).includes(key) ? value(parts[key as keyof NameParts]) : whole,
    );
}

/** PostgreSQL identifiers cannot contain `-` unquoted, so the platform maps it to `_`. */
export const toSqlIdentifier = (name: string): string => name.replace(/-/g, "_");

/** Every name one tenant app gets. */
export interface AppNames {
    readonly namespace: string;
    readonly service: string;
    readonly serviceAccount: string;
    /** SecretStore of the app's own identity (same name as the service). */
    readonly secretStore: string;
    /** Kubernetes Secret that External Secrets writes and the service reads through envFrom. */
    readonly deliveredSecret: string;
    readonly schema: string;
    /** PostgreSQL login role; equal to the schema it owns. */
    readonly dbRole: string;
    readonly iamRole: string;
    readonly secret: string;
    readonly hostname: string;
    readonly tlsSecret: string;
    /** S3 key prefix the app owns, without a trailing slash: `{prefix}/{org}/{app}/{assetsSegment}`. */
    readonly s3Prefix: string;
    /** The zero-byte folder object of the app's assets: `{s3Prefix}/assets/`. */
    readonly assetsFolderKey: string;
}

/** Computes every name of one app. `hostname` is the app's own, when the catalog gives one. */
export function appNames(patterns: NamePatterns, parts: NameParts, storagePrefix: string, hostname?: string): AppNames {
    const fill = (pattern: string) => fillPattern(pattern, parts);
    const service = fill(patterns.service);
    const schema = fillPattern(patterns.schema, parts, toSqlIdentifier);
    const s3Prefix = [storagePrefix, parts.org, parts.app, fill(patterns.assetsSegment)].filter((p) => p !== "").join("/");
    return {
        namespace: fill(patterns.namespace),
        service,
        serviceAccount: fill(patterns.serviceAccount),
        secretStore: service,
        deliveredSecret: fill(patterns.deliveredSecret),
        schema,
        dbRole: schema,
        iamRole: fill(patterns.role),
        secret: fill(patterns.secret),
        hostname: hostname ?? fill(patterns.hostname),
        tlsSecret: fill(patterns.tlsSecret),
        s3Prefix,
        assetsFolderKey: `${s3Prefix}/assets/`,
    };
}

/** Limits of the names the chain derives, checked after the stack's patterns are applied. */
export const nameRules: ReadonlyArray<{
    readonly key: keyof AppNames;
    readonly what: string;
    readonly max: number;
    readonly pattern: RegExp;
    readonly allowed: string;
}> = [
    { key: "namespace", what: "namespace", max: 63, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, allowed: "a DNS label" },
    // KNative appends `-00001` to name revisions, so a service name has 6 characters fewer than a label.
    { key: "service", what: "KNative service name", max: 57, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, allowed: "a DNS-1035 label" },
    {
        key: "serviceAccount",
        what: "service account name",
        max: 253,
        pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
        allowed: "a DNS subdomain",
    },
    {
        key: "schema",
        what: "PostgreSQL schema/role name",
        max: 63,
        // `-` only from a pattern's own text (the live `{env}-{org}-{app}`); the provider quotes identifiers.
        pattern: /^[a-z_][a-z0-9_-]*$/,
        allowed: "lowercase letters, digits, _ and -",
    },
    { key: "iamRole", what: "IAM role name", max: 64, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-" },
    { key: "secret", what: "Secrets Manager secret name", max: 512, pattern: /^[\w/+=.@-]+$/, allowed: "letters, digits and /_+=.@-" },
    { key: "tlsSecret", what: "TLS secret name", max: 253, pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, allowed: "a DNS subdomain" },
    {
        key: "hostname",
        what: "hostname",
        max: 253,
        pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/,
        allowed: "a DNS hostname",
    },
];
