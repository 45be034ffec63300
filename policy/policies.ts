/**
 * The CrossGuard policies of the pack, built on the pure rules of `rules.ts`. Kept apart
 * from `index.ts` (which starts the analyzer server) so tests can call every
 * `validateResource` / `validateStack` directly.
 *
 * Config (`pulumi preview --policy-pack policy --policy-pack-config policy/config.<stack>.json`)
 * is per policy; each policy declares the keys it reads in its `configSchema`. Without
 * config the pack fails closed: the environment comes from the resource's
 * `tenant-apps/environment` tag or is taken to be `pro`, and S3 objects are reported
 * until `storagePrefix` is configured.
 */
import type {
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import {
    domainMappingTls,
    environmentOf,
    iamNoWildcards,
    irsaTrustPolicy,
    knativeImagePinned,
    knativePodSecurity,
    knativeServiceResources,
    namespacePodSecurity,
    policyInfo,
    postgresNeverCascade,
    s3ObjectUnderPrefix,
    secretRecoveryWindow,
    dataProtected,
    tenantNamespacesGuarded,
    type PolicyName,
    type TlsMode,
} from "./rules";
import type { Environment } from "../model/naming";
import { typeTokens } from "../model/typeTokens";

/** Every key a policy of this pack may read from its config. */
export interface PackPolicyConfig {
    readonly environment?: Environment;
    readonly storagePrefix?: string;
    readonly assetsSegment?: string;
    readonly bucket?: string;
    readonly oidcProviderArn?: string;
    readonly tlsMode?: TlsMode;
}

const configProperties: Readonly<Record<keyof PackPolicyConfig, PolicyConfigSchema["properties"][string]>> = {
    environment: { type: "string", enum: ["pre", "pro"], description: "The stack's environment; pro turns on the production-only rules." },
    storagePrefix: { type: "string", description: "Key prefix of the shared statics bucket (tenant-apps:storage.prefix)." },
    assetsSegment: {
        type: "string",
        description: "Last segment of an app's own S3 prefix, a name pattern such as {env} or latest (tenant-apps:names.assetsSegment).",
    },
    bucket: { type: "string", description: "The shared statics bucket (tenant-apps:storage.bucket)." },
    oidcProviderArn: { type: "string", description: "The cluster's IAM OIDC provider ARN (tenant-apps:cluster.oidcProviderArn)." },
    tlsMode: { type: "string", enum: ["external-domain-tls", "secret"], description: "The stack's TLS mode (tenant-apps:tls.mode)." },
};

/** Which config keys each policy reads. */
export const policyConfigKeys: Readonly<Record<PolicyName, ReadonlyArray<keyof PackPolicyConfig>>> = {
    "knative-service-resources": [],
    "knative-image-pinned-in-pro": ["environment"],
    "irsa-trust-own-service-account": ["oidcProviderArn"],
    "iam-no-wildcards": [],
    "s3-objects-under-prefix": ["storagePrefix", "assetsSegment", "bucket"],
    "domain-mapping-tls": ["tlsMode"],
    "secret-recovery-window-in-pro": ["environment"],
    "postgres-never-cascade": [],
    "data-protected-in-pro": ["environment"],
    "tenant-namespace-guarded": [],
    "knative-pod-security-restricted": [],
    "namespace-pod-security-restricted": [],
};

function schemaOf(name: PolicyName): PolicyConfigSchema | undefined {
    const keys = policyConfigKeys[name];
    if (keys.length === 0) return undefined;
    return { properties: Object.fromEntries(keys.map((k) => [k, configProperties[k]])) };
}

/** The environment a resource is checked in: configured, else its own tag, else `pro` (strictest). */
function environmentFor(config: PackPolicyConfig, props: Record<string, unknown>): Environment {
    return config.environment ?? environmentOf(props) ?? "pro";
}

type Check = (args: ResourceValidationArgs, config: PackPolicyConfig) => string[];

function resourcePolicy(name: PolicyName, check: Check): ResourceValidationPolicy {
    return {
        name,
        description: policyInfo[name],
        enforcementLevel: "mandatory",
        configSchema: schemaOf(name),
        validateResource: (args, reportViolation) => {
            for (const message of check(args, args.getConfig<PackPolicyConfig>())) reportViolation(message);
        },
    };
}

const tenantNamespaceGuarded: StackValidationPolicy = {
    name: "tenant-namespace-guarded",
    description: policyInfo["tenant-namespace-guarded"],
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const byName = new Map<string, PolicyResource>(args.resources.map((r) => [r.name, r]));
        for (const v of tenantNamespacesGuarded(args.resources.map((r) => ({ type: r.type, name: r.name, props: r.props })))) {
            reportViolation(v.message, byName.get(v.resource)?.urn);
        }
    },
};

/** Every policy of the tenant-apps pack, all mandatory. */
export const policies: Array<ResourceValidationPolicy | StackValidationPolicy> = [
    resourcePolicy("knative-service-resources", (a) => knativeServiceResources(a.type, a.props)),
    resourcePolicy("knative-image-pinned-in-pro", (a, c) =>
        knativeImagePinned(a.type, a.props, { environment: environmentFor(c, a.props) }),
    ),
    resourcePolicy("irsa-trust-own-service-account", (a, c) => irsaTrustPolicy(a.type, a.props, { oidcProviderArn: c.oidcProviderArn })),
    resourcePolicy("iam-no-wildcards", (a) => iamNoWildcards(a.type, a.props)),
    resourcePolicy("s3-objects-under-prefix", (a, c) => {
        if (c.storagePrefix === undefined && (a.type === typeTokens.bucketObjectV2 || a.type === typeTokens.bucketObject)) {
            return ["storagePrefix is not configured for this policy; run with --policy-pack-config policy/config.<stack>.json"];
        }
        return s3ObjectUnderPrefix(a.type, a.props, {
            storagePrefix: c.storagePrefix ?? "",
            bucket: c.bucket,
            assetsSegment: c.assetsSegment,
        });
    }),
    resourcePolicy("domain-mapping-tls", (a, c) => domainMappingTls(a.type, a.props, { tlsMode: c.tlsMode })),
    resourcePolicy("secret-recovery-window-in-pro", (a, c) =>
        secretRecoveryWindow(a.type, a.props, { environment: environmentFor(c, a.props) }),
    ),
    resourcePolicy("postgres-never-cascade", (a) => postgresNeverCascade(a.type, a.props)),
    resourcePolicy("data-protected-in-pro", (a, c) => dataProtected(a.type, a.opts.protect, { environment: environmentFor(c, a.props) })),
    tenantNamespaceGuarded,
    resourcePolicy("knative-pod-security-restricted", (a) => knativePodSecurity(a.type, a.props)),
    resourcePolicy("namespace-pod-security-restricted", (a) => namespacePodSecurity(a.type, a.props)),
];
