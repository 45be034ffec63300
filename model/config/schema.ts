/**
 * The shape of the stack's platform configuration (`tenant-apps:*` in `Pulumi.<stack>.yaml`):
 * its keys, which of them are secrets, and the zod schema of the plain ones. A new key gets its
 * schema in a file of its own and one line in `rawPlatformSchema`. Pure.
 */
import { z } from "zod/v3";
import { elizaModelProviders } from "../appTypes";
import { clusterSchema } from "../cluster";
import { dnsConfigSchema } from "../dnsConfig";
import { acknowledgeSchema, platformHostnamesSchema } from "../guardsConfig";
import { seedingConfigSchema } from "../seedingConfig";
import { isolationSchema } from "../isolationConfig";
import { podSecurityConfigSchema } from "../podSecurityConfig";
import { tenantIamSchema } from "../tenantIamConfig";
import { cpuQuantity, memoryQuantity } from "../quantities";
import { knativeDefaultMaxRevisionTimeoutSeconds, recoveryWindowDays, reservedPorts } from "../rules";

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

const arn = (service: string) => z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ARN of ${service}`);

const quota = z.strictObject({
    cpu: cpuQuantity,
    memory: memoryQuantity,
    pods: z.number().int().positive(),
});

const cpuMemory = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

/** The plain keys of the config, as the stack file writes them (plus `region` from `aws:region`). */
export const rawPlatformSchema = z.strictObject({
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
    kubernetes: clusterSchema.optional(),
    /** IAM path and permissions boundary of every tenant role and user (model/tenantIamConfig.ts). */
    iam: tenantIamSchema,
    /** Pod Security labels and KNative's pod-level securityContext flag (model/podSecurityConfig.ts). */
    podSecurity: podSecurityConfigSchema,
    /** Hostnames the platform serves itself; no tenant may take them (model/guardsConfig.ts). */
    platformHostnames: platformHostnamesSchema,
    /** Deletion-safety settings a stack turns off on purpose, with the reason (model/guardsConfig.ts). */
    acknowledge: acknowledgeSchema,
    /** How each app's hostname gets its DNS record (model/dnsConfig.ts). */
    dns: dnsConfigSchema.optional(),
    /** Where a new world's first assets come from (model/seedingConfig.ts). */
    seeding: seedingConfigSchema,
    /** Network isolation facts and the bucket listing scope (model/isolationConfig.ts). */
    isolation: isolationSchema,
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
});

/** The plain config once its schema accepted it, defaults filled in. */
export type ParsedPlatformConfig = z.infer<typeof rawPlatformSchema>;

/** Config keys that hold plain platform values: every key of the schema but `region` (that one is `aws:region`). */
export const plainConfigKeys: readonly string[] = Object.keys(rawPlatformSchema.shape).filter((key) => key !== "region");
