/**
 * The stack's platform configuration (`Pulumi.<stack>.yaml`): parsed and validated as a
 * plain object, so every link reads typed values and bad config fails before anything
 * is registered. Every problem is reported at once: each key is checked on its own, and each
 * rule across keys runs whenever the keys it reads are valid. Pure: the caller hands in the
 * raw values.
 *
 * schema.ts declares the keys, read.ts reads the raw values, checks.ts holds the rules a
 * schema cannot express, problems.ts reports, types.ts is the validated result.
 */
import type { z } from "zod/v3";
import { clusterConfigKey, missingClusterMessage, resolveCluster } from "../cluster";
import { defaultNamePatterns, type Environment } from "../naming";
import { formatZodPath } from "../quantities";
import { builtInReservedNamespaces } from "../rules";
import { resolveTenantIam, tenantIamProblems } from "../tenantIamConfig";
import { guardProblems, platformHostnamesOf } from "../guardsConfig";
import { resolveDns } from "../dnsConfig";
import { resolveSeeding } from "../seedingConfig";
import { resolveIsolation } from "../isolationConfig";
import { platformConfigProblems } from "./checks";
import { PlatformConfigError, type ConfigProblem } from "./problems";
import { coerceToSchema, type RawConfig } from "./read";
import { configNamespace, rawPlatformSchema, type ParsedPlatformConfig } from "./schema";
import type { PlatformConfig } from "./types";

export { isHostNameOnly, isPlainHttpsBaseUrl, namePatternProblems, platformConfigProblems } from "./checks";
export { formatConfigProblem, PlatformConfigError, StackConfigError, type ConfigProblem } from "./problems";
export { coerceToSchema, rawConfigOf, rawPlatformConfigOf, type ConfigKeys, type RawConfig } from "./read";
export {
    configNamespace,
    plainConfigKeys,
    secretConfigKeys,
    sharedSecretConfigKeys,
    sharedSecretKeys,
    type ParsedPlatformConfig,
    type SharedSecretKey,
} from "./schema";
export type { PlatformConfig } from "./types";

/** A `key: message` line of a rule kept in its own file, as a problem of that key. */
function keyedProblem(line: string): ConfigProblem {
    const at = line.indexOf(": ");
    return at < 0 ? { message: line } : { key: line.slice(0, at), message: line.slice(at + 2) };
}

/** A schema issue as a problem of its config key (`aws:region` for the region). */
function schemaProblem(issue: z.ZodIssue): ConfigProblem {
    const path = formatZodPath(issue.path);
    const key = path.startsWith("region") ? "aws:region" : `${configNamespace}:${path}`;
    return { key, message: issue.code === "unrecognized_keys" ? `unknown key(s) ${issue.keys.join(", ")}` : issue.message };
}

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/**
 * Validates the raw config of one stack: `values` holds the `tenant-apps:*` keys (objects
 * already parsed from JSON) plus `region` from `aws:region`; `readProblems` are the problems
 * found reading them (`rawPlatformConfigOf`). Throws a `PlatformConfigError` naming every
 * problem of every key.
 */
export function parsePlatformConfig(
    stack: string,
    values: Record<string, unknown>,
    file = `Pulumi.${stack}.yaml`,
    readProblems: readonly ConfigProblem[] = [],
): PlatformConfig {
    const problems: ConfigProblem[] = [...readProblems];
    const coerced = coerceToSchema(rawPlatformSchema, values) as Record<string, unknown>;
    const whole = rawPlatformSchema.safeParse(coerced);
    const invalid = new Set<string>();
    if (!whole.success) {
        for (const issue of whole.error.issues) {
            problems.push(schemaProblem(issue));
            invalid.add(String(issue.path[0] ?? ""));
        }
    }
    // Each key that passed, parsed on its own, so the rules across keys can still run.
    const shape = rawPlatformSchema.shape as Record<string, z.ZodTypeAny>;
    const valid: Partial<Record<string, unknown>> = {};
    for (const key of Object.keys(shape)) {
        const one = invalid.has(key) ? undefined : shape[key]?.safeParse(coerced[key]);
        if (one?.success) valid[key] = one.data;
    }
    const has = (key: keyof ParsedPlatformConfig): boolean => !invalid.has(key) && key in valid;
    const c = valid as Partial<ParsedPlatformConfig>;

    const platform: Mutable<PlatformConfig> = { stack };
    if (c.region !== undefined) platform.region = c.region;
    if (has("catalogDir") && c.catalogDir !== undefined) platform.catalogDir = c.catalogDir;
    if (has("kubernetes")) {
        if (c.kubernetes === undefined) problems.push({ key: clusterConfigKey, message: missingClusterMessage });
        else platform.kubernetes = resolveCluster(c.kubernetes);
    }
    const env: Environment | undefined = c.environment ?? (stack === "pre" || stack === "pro" ? stack : undefined);
    if (has("environment")) {
        if (env === undefined) {
            problems.push({
                key: `${configNamespace}:environment`,
                message: `stack "${stack}" is neither pre nor pro, so set environment to pre or pro`,
            });
        } else platform.env = env;
    }
    if (c.cluster !== undefined) {
        const issuerHostPath = c.cluster.oidcIssuer.replace(/^https:\/\//, "").replace(/\/+$/, "");
        if (!c.cluster.oidcProviderArn.endsWith(`:oidc-provider/${issuerHostPath}`)) {
            problems.push({
                key: `${configNamespace}:cluster`,
                message: `oidcProviderArn names another issuer than oidcIssuer (${issuerHostPath}); both must describe the same cluster`,
            });
        } else {
            const [, partition = "aws", , , accountId = ""] = c.cluster.oidcProviderArn.split(":");
            platform.cluster = { oidcProviderArn: c.cluster.oidcProviderArn, oidcIssuerHostPath: issuerHostPath };
            platform.partition = partition;
            platform.accountId = accountId;
        }
    }
    if (c.externalSecrets !== undefined) {
        const apiVersion = esoApiVersion(c.externalSecrets);
        if (typeof apiVersion !== "string") problems.push(apiVersion);
        else platform.externalSecrets = { apiVersion, refreshInterval: c.externalSecrets.refreshInterval };
    }
    if (c.database !== undefined) platform.database = c.database;
    if (c.storage !== undefined) platform.storage = { ...c.storage, region: c.storage.region ?? c.region ?? "" };
    if (c.tls !== undefined) platform.tls = { mode: c.tls.mode };
    if (c.secretDelivery !== undefined) platform.secretDelivery = c.secretDelivery;
    if (c.knative !== undefined) platform.knative = c.knative;
    if (c.eliza !== undefined) platform.eliza = c.eliza;
    if (c.names !== undefined && c.tls !== undefined && env !== undefined) {
        const patterns = { ...defaultNamePatterns(env), ...c.names };
        platform.names = { ...patterns, tlsSecret: c.tls.secretName ?? patterns.tlsSecret };
    }
    if (c.deletion !== undefined && env !== undefined) {
        const isPro = env === "pro";
        platform.deletion = {
            protect: c.deletion.protect ?? isPro,
            retainOnDelete: c.deletion.retainOnDelete ?? true,
            recoveryWindowInDays: c.deletion.recoveryWindowInDays ?? (isPro ? 30 : 7),
        };
    }
    if (c.namespaceDefaults !== undefined) {
        platform.namespaceDefaults = {
            quota: c.namespaceDefaults.quota ?? { cpu: "8", memory: "16Gi", pods: 40 },
            defaultRequest: c.namespaceDefaults.defaultRequest ?? { cpu: "25m", memory: "64Mi" },
            defaultLimit: c.namespaceDefaults.defaultLimit ?? { cpu: "1", memory: "1Gi" },
        };
    }
    if (c.reservedNamespaces !== undefined) platform.reservedNamespaces = [...builtInReservedNamespaces, ...c.reservedNamespaces];
    if (c.podSecurity !== undefined) platform.podSecurity = c.podSecurity;
    if (c.iam !== undefined && env !== undefined && platform.accountId !== undefined) {
        platform.iam = resolveTenantIam(c.iam, { partition: platform.partition ?? "aws", accountId: platform.accountId, env });
        for (const problem of tenantIamProblems(platform.iam, { accountId: platform.accountId, env }, `${configNamespace}:iam`))
            problems.push(keyedProblem(problem));
    }
    if (c.platformHostnames !== undefined && c.storage !== undefined)
        platform.platformHostnames = platformHostnamesOf(c.platformHostnames, c.storage.publicBaseUrl);
    if (c.acknowledge !== undefined) platform.acknowledge = c.acknowledge;
    if (c.isolation !== undefined) platform.isolation = resolveIsolation(c.isolation);
    if (has("dns") && env !== undefined) platform.dns = resolveDns(c.dns, env);
    if (c.seeding !== undefined && c.storage !== undefined && env !== undefined)
        platform.seeding = resolveSeeding(c.seeding, env, c.storage.prefix);
    if (platform.env !== undefined && platform.deletion !== undefined && platform.acknowledge !== undefined) {
        const guarded = { env: platform.env, deletion: platform.deletion, acknowledge: platform.acknowledge };
        for (const problem of guardProblems(guarded, configNamespace)) problems.push(keyedProblem(problem));
    }
    problems.push(...platformConfigProblems(platform));
    if (problems.length > 0) throw new PlatformConfigError(file, problems);
    return platform as PlatformConfig;
}

/**
 * The External Secrets API version of the installed chart: `external-secrets.io/v1beta1` up to
 * 0.15.x (chart 0.9.13 serves only v1alpha1/v1beta1: numinia-k8s
 * infrastructure/base/external-secrets/helmrelease.yaml L10-11), `external-secrets.io/v1` from
 * 0.16.0 on. An explicit `apiVersion` must agree with the version when both are given; a
 * problem otherwise.
 */
function esoApiVersion(eso: { version?: string; apiVersion?: string }): string | ConfigProblem {
    const fromVersion = (() => {
        if (eso.version === undefined) return undefined;
        const [major = 0, minor = 0] = eso.version.split(".").map(Number);
        return major === 0 && minor < 16 ? "external-secrets.io/v1beta1" : "external-secrets.io/v1";
    })();
    if (eso.apiVersion !== undefined && fromVersion !== undefined && eso.apiVersion !== fromVersion) {
        return {
            key: `${configNamespace}:externalSecrets.apiVersion`,
            message: `${eso.apiVersion} does not match chart version ${eso.version ?? ""}, which serves ${fromVersion}`,
        };
    }
    return eso.apiVersion ?? fromVersion ?? "external-secrets.io/v1";
}

/** `parsePlatformConfig` of what `rawPlatformConfigOf` read, its reading problems reported with the rest. */
export function platformConfigOf(stack: string, raw: RawConfig, file = `Pulumi.${stack}.yaml`): PlatformConfig {
    return parsePlatformConfig(stack, raw.values, file, raw.problems);
}
