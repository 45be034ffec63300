/**
 * The stack's platform configuration (`Pulumi.<stack>.yaml`): parsed and validated as a
 * plain object, so every link reads typed values and bad config fails before anything
 * is registered. Pure: the caller hands in the raw values.
 */
import { z } from "zod/v3";
import { elizaModelProviders, type ElizaModelProvider, type SecretDeliveryMode } from "./appTypes";
import { coerceToSchema, platformConfigProblems, problemsOfRaw, rawConfigOf } from "./configChecks";
import { clusterSchema, missingClusterMessage, resolveCluster, type ClusterConfig } from "./cluster";
import { isolationSchema, resolveIsolation, type IsolationConfig } from "./isolationConfig";
import { defaultNamePatterns, type Environment, type NamePatterns } from "./naming";
import { cpuQuantity, formatZodPath, memoryQuantity } from "./quantities";
import { builtInReservedNamespaces, knativeDefaultMaxRevisionTimeoutSeconds, recoveryWindowDays, reservedPorts } from "./rules";

/** Config namespace of this project. */
export const configNamespace = "tenant-apps";

/**
 * The stack's shared secret values, each read with `getSecret` from `tenant-apps:<config key>`
 * and handed to apps under its secret key (`tenant-apps:livekitApiKey` → `LIVEKIT_API_KEY`).
 */
export const sharedSecretConfigKeys = {
    LIVEKIT_API_KEY: "livekitApiKey",
    LIVEKIT_API_SECRET: "livekitApiSecret",
    LIVEKIT_WS_URL: "livekitWsUrl",
    AI_PROVIDER: "aiProvider",
    AI_MODEL: "aiModel",
    AI_EFFORT: "aiEffort",
    AI_API_KEY: "aiApiKey",
    OPENAI_API_KEY: "openaiApiKey",
    ANTHROPIC_API_KEY: "anthropicApiKey",
    OPENROUTER_API_KEY: "openrouterApiKey",
} as const;

/** A secret key whose value comes from the stack's secret config. */
export type SharedSecretKey = keyof typeof sharedSecretConfigKeys;

/** The shared secret keys, in the order of `sharedSecretConfigKeys`. */
export const sharedSecretKeys = Object.keys(sharedSecretConfigKeys) as SharedSecretKey[];

/** Config keys that hold secrets; they are read with `getSecret`, never as plain values. */
export const secretConfigKeys: readonly string[] = Object.values(sharedSecretConfigKeys);

/** Config keys that hold plain platform values. */
export const plainConfigKeys = [
    "environment",
    "catalogDir",
    "cluster",
    "database",
    "storage",
    "tls",
    "secretDelivery",
    "externalSecrets",
    "kubernetes",
    "knative",
    "eliza",
    "names",
    "deletion",
    "namespaceDefaults",
    "reservedNamespaces",
    "isolation",
] as const;

const arn = (service: string) => z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ARN of ${service}`);

const quota = z.strictObject({
    cpu: cpuQuantity,
    memory: memoryQuantity,
    pods: z.number().int().positive(),
});

const cpuMemory = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

const rawPlatformSchema = z.strictObject({
    environment: z.enum(["pre", "pro"]).optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
    catalogDir: z.string().min(1).optional(),
    cluster: z.strictObject({
        oidcProviderArn: z
            .string()
            .regex(
                /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/,
                "must be the cluster's OIDC provider ARN, arn:aws:iam::<account>:oidc-provider/<issuer>",
            ),
        oidcIssuer: z.string().regex(/^https:\/\/[^\s]+$/, "must be the cluster's https:// OIDC issuer URL"),
    }),
    database: z.strictObject({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535).default(5432),
        name: z.string().regex(/^[a-z_][a-z0-9_]*$/, "must be a PostgreSQL database name"),
        adminSecretArn: arn("secretsmanager"),
        /**
         * TLS of the apps' `DB_URI`/`POSTGRES_URL`. node-postgres (pg-connection-string 2.9.1
         * index.js L76-145; 2.14.1 L138-158) treats `require` and `verify-ca` as verify-full
         * against Node's own CAs, which lack RDS's, so only `verify-full` (with the RDS CA the
         * app receives) or an explicit `no-verify` mean what they say.
         */
        sslMode: z
            .enum(["verify-full", "no-verify"], {
                errorMap: () => ({
                    message:
                        "must be verify-full (the app gets the RDS CA) or no-verify; node-postgres treats require and verify-ca as verify-full",
                }),
            })
            .default("verify-full"),
        /** The admin provider's libpq-style sslmode (the Go provider, not node-postgres). */
        adminSslMode: z.enum(["require", "verify-ca", "verify-full"]).default("require"),
    }),
    storage: z.strictObject({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
        publicBaseUrl: z.string().regex(/^https:\/\/[^\s]+[^/]$/, "must be an https:// URL without a trailing /"),
        prefix: z
            .string()
            .regex(/^([a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*)?$/, "must be an S3 key prefix without slashes at its ends"),
        /** The bucket's region, when it is not the stack's `aws:region`. */
        region: z
            .string()
            .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1")
            .optional(),
    }),
    tls: z
        .strictObject({
            mode: z.enum(["external-domain-tls", "secret"]),
            secretName: z.string().min(1).optional(),
        })
        .default({ mode: "external-domain-tls" }),
    secretDelivery: z.enum(["external-secrets", "aws-sdk"]).default("external-secrets"),
    externalSecrets: z
        .strictObject({
            /** The installed ESO chart version, e.g. `0.9.13`; the API version follows from it. */
            version: z
                .string()
                .regex(/^\d+\.\d+\.\d+$/, "must be the installed External Secrets chart version, such as 0.9.13")
                .optional(),
            apiVersion: z.enum(["external-secrets.io/v1", "external-secrets.io/v1beta1"]).optional(),
            refreshInterval: z
                .string()
                .regex(/^\d+[smh]$/, "must be a duration such as 1h")
                .default("1h"),
        })
        .default({ refreshInterval: "1h" }),
    knative: z
        .strictObject({
            /** `config-defaults` `max-revision-timeout-seconds` of the cluster's KNative Serving. */
            maxRevisionTimeoutSeconds: z.number().int().min(1).default(knativeDefaultMaxRevisionTimeoutSeconds),
            /** `config-network` `autocreate-cluster-domain-claims`; KNative's default is false. */
            autocreateClusterDomainClaims: z.boolean().default(false),
            /** Container ports KNative refuses or takes for itself. */
            reservedPorts: z.array(z.number().int().min(1).max(65535)).default([...reservedPorts]),
        })
        .default({}),
    eliza: z
        .strictObject({
            /** The model provider of every eliza agent that names none of its own. */
            modelProvider: z.enum(elizaModelProviders).optional(),
        })
        .default({}),
    kubernetes: clusterSchema.optional(),
    names: z
        .strictObject({
            namespace: z.string().min(1),
            service: z.string().min(1),
            serviceAccount: z.string().min(1),
            schema: z.string().min(1),
            role: z.string().min(1),
            secret: z.string().min(1),
            hostname: z.string().min(1),
            tlsSecret: z.string().min(1),
            deliveredSecret: z.string().min(1),
            assetsSegment: z.string().regex(/^[a-z0-9{][a-z0-9{}._-]*$/, "must be one S3 key segment, such as {env} or latest"),
        })
        .partial()
        .default({}),
    deletion: z
        .strictObject({
            protect: z.boolean(),
            retainOnDelete: z.boolean(),
            recoveryWindowInDays: z.number().int().min(recoveryWindowDays.min).max(recoveryWindowDays.max),
        })
        .partial()
        .default({}),
    namespaceDefaults: z
        .strictObject({
            quota: quota.optional(),
            defaultRequest: cpuMemory.optional(),
            defaultLimit: cpuMemory.optional(),
        })
        .default({}),
    reservedNamespaces: z.array(z.string()).default([]),
    isolation: isolationSchema,
});

/**
 * The raw values `parsePlatformConfig` takes, from config as the Pulumi CLI hands it to a
 * program (every value a string, objects as JSON): `get` answers a full key such as
 * `tenant-apps:database` or `aws:region`, and `allKeys` lists every key the stack sets, so a
 * mistyped one is reported. Objects and lists are parsed; everything else stays text, and
 * `parsePlatformConfig` coerces numbers and booleans only where its schema expects them.
 */
export function rawPlatformConfigOf(get: (key: string) => string | undefined, allKeys: readonly string[] = []): Record<string, unknown> {
    // Every `tenant-apps:*` key is read, so a mistyped one is reported (configChecks.ts).
    return rawConfigOf(get, allKeys, {
        namespace: configNamespace,
        plain: plainConfigKeys,
        secret: secretConfigKeys,
    });
}

/** The validated platform configuration of one stack. */
export interface PlatformConfig {
    readonly stack: string;
    readonly env: Environment;
    readonly region: string;
    readonly partition: string;
    readonly accountId: string;
    readonly catalogDir?: string;
    readonly cluster: {
        readonly oidcProviderArn: string;
        /** Issuer without the scheme, as IAM condition keys spell it. */
        readonly oidcIssuerHostPath: string;
    };
    readonly database: {
        readonly host: string;
        readonly port: number;
        readonly name: string;
        readonly adminSecretArn: string;
        readonly sslMode: "verify-full" | "no-verify";
        readonly adminSslMode: string;
    };
    readonly storage: {
        readonly bucket: string;
        readonly publicBaseUrl: string;
        readonly prefix: string;
        /** The bucket's region (the stack's region unless the config says otherwise). */
        readonly region: string;
    };
    readonly tls: { readonly mode: "external-domain-tls" | "secret" };
    readonly secretDelivery: SecretDeliveryMode;
    readonly externalSecrets: { readonly apiVersion: string; readonly refreshInterval: string };
    /** The one cluster the stack applies to, and how long it waits for Ready (issue 12). */
    readonly kubernetes: ClusterConfig;
    readonly knative: {
        readonly maxRevisionTimeoutSeconds: number;
        readonly autocreateClusterDomainClaims: boolean;
        readonly reservedPorts: readonly number[];
    };
    readonly eliza: { readonly modelProvider?: ElizaModelProvider };
    readonly names: NamePatterns;
    readonly deletion: {
        /** `protect` on data-bearing resources: the engine refuses to delete them. */
        readonly protect: boolean;
        /** Data-bearing resources leave the state, not the cloud, when an app leaves the catalog. */
        readonly retainOnDelete: boolean;
        readonly recoveryWindowInDays: number;
    };
    readonly namespaceDefaults: {
        readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
        readonly defaultRequest: { readonly cpu: string; readonly memory: string };
        readonly defaultLimit: { readonly cpu: string; readonly memory: string };
    };
    readonly reservedNamespaces: readonly string[];
    /** Network isolation facts and the bucket listing scope (model/isolationConfig.ts). */
    readonly isolation: IsolationConfig;
}

/** A config problem, reported as `file: key: message`. */
export class PlatformConfigError extends Error {
    constructor(
        readonly file: string,
        readonly problems: readonly string[],
    ) {
        super(`${file}: invalid platform configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "PlatformConfigError";
    }
}

/**
 * Validates the raw config of one stack. `raw` holds the `tenant-apps:*` keys (objects
 * already parsed from JSON) plus `region` from `aws:region`.
 */
export function parsePlatformConfig(stack: string, raw: Record<string, unknown>, file = `Pulumi.${stack}.yaml`): PlatformConfig {
    const rawProblems = problemsOfRaw(raw);
    const parsed = rawPlatformSchema.safeParse(coerceToSchema(rawPlatformSchema, raw));
    if (!parsed.success || rawProblems.length > 0) {
        const problems = (parsed.success ? [] : parsed.error.issues).map((issue) => {
            const path = formatZodPath(issue.path);
            const key = path.startsWith("region") ? "aws:region" : `${configNamespace}:${path}`;
            const unknown = issue.code === "unrecognized_keys" ? `: unknown key(s) ${issue.keys.join(", ")}` : "";
            return `${key}${unknown ? unknown : `: ${issue.message}`}`;
        });
        throw new PlatformConfigError(file, [...rawProblems, ...problems]);
    }
    const c = parsed.data;
    if (c.kubernetes === undefined) throw new PlatformConfigError(file, [missingClusterMessage]);
    const env: Environment | undefined = c.environment ?? (stack === "pre" || stack === "pro" ? stack : undefined);
    if (env === undefined) {
        throw new PlatformConfigError(file, [
            `${configNamespace}:environment: stack "${stack}" is neither pre nor pro, so set environment to pre or pro`,
        ]);
    }
    const issuerHostPath = c.cluster.oidcIssuer.replace(/^https:\/\//, "").replace(/\/+$/, "");
    if (!c.cluster.oidcProviderArn.endsWith(`:oidc-provider/${issuerHostPath}`)) {
        throw new PlatformConfigError(file, [
            `${configNamespace}:cluster: oidcProviderArn names another issuer than oidcIssuer (${issuerHostPath}); both must describe the same cluster`,
        ]);
    }
    const [, partition = "aws", , , accountId = ""] = c.cluster.oidcProviderArn.split(":");
    const isPro = env === "pro";
    const patterns = { ...defaultNamePatterns(env), ...c.names };
    const platform: PlatformConfig = {
        stack,
        env,
        region: c.region,
        partition,
        accountId,
        catalogDir: c.catalogDir,
        cluster: {
            oidcProviderArn: c.cluster.oidcProviderArn,
            oidcIssuerHostPath: issuerHostPath,
        },
        database: c.database,
        storage: { ...c.storage, region: c.storage.region ?? c.region },
        tls: { mode: c.tls.mode },
        secretDelivery: c.secretDelivery,
        kubernetes: resolveCluster(c.kubernetes),
        externalSecrets: { apiVersion: esoApiVersion(file, c.externalSecrets), refreshInterval: c.externalSecrets.refreshInterval },
        knative: c.knative,
        eliza: c.eliza,
        names: { ...patterns, tlsSecret: c.tls.secretName ?? patterns.tlsSecret },
        deletion: {
            protect: c.deletion.protect ?? isPro,
            retainOnDelete: c.deletion.retainOnDelete ?? true,
            recoveryWindowInDays: c.deletion.recoveryWindowInDays ?? (isPro ? 30 : 7),
        },
        namespaceDefaults: {
            quota: c.namespaceDefaults.quota ?? { cpu: "8", memory: "16Gi", pods: 40 },
            defaultRequest: c.namespaceDefaults.defaultRequest ?? { cpu: "25m", memory: "64Mi" },
            defaultLimit: c.namespaceDefaults.defaultLimit ?? { cpu: "1", memory: "1Gi" },
        },
        reservedNamespaces: [...builtInReservedNamespaces, ...c.reservedNamespaces],
        isolation: resolveIsolation(c.isolation),
    };
    const problems = platformConfigProblems(platform, configNamespace);
    if (problems.length > 0) throw new PlatformConfigError(file, problems);
    return platform;
}

/**
 * The External Secrets API version of the installed chart: `external-secrets.io/v1beta1` up to
 * 0.15.x (chart 0.9.13 serves only v1alpha1/v1beta1: numinia-k8s
 * infrastructure/base/external-secrets/helmrelease.yaml L10-11), `external-secrets.io/v1` from
 * 0.16.0 on. An explicit `apiVersion` must agree with the version when both are given.
 */
function esoApiVersion(file: string, eso: { version?: string; apiVersion?: string }): string {
    const fromVersion = (() => {
        if (eso.version === undefined) return undefined;
        const [major = 0, minor = 0] = eso.version.split(".").map(Number);
        return major === 0 && minor < 16 ? "external-secrets.io/v1beta1" : "external-secrets.io/v1";
    })();
    if (eso.apiVersion !== undefined && fromVersion !== undefined && eso.apiVersion !== fromVersion) {
        throw new PlatformConfigError(file, [
            `${configNamespace}:externalSecrets.apiVersion: ${eso.apiVersion} does not match chart version ${eso.version ?? ""}, which serves ${fromVersion}`,
        ]);
    }
    return eso.apiVersion ?? fromVersion ?? "external-secrets.io/v1";
}
