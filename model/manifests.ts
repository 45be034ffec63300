/**
 * Kubernetes objects of the chain as plain data, so their shape is tested without mocks
 * and the components only hand them to the provider. Pure.
 */
import { plainEnvOf, type SecretDeliveryMode } from "./appTypes";
import { dbCaFileName, dbCaMountPath } from "./connections";
import type { TenantAppSpec } from "./catalog";
import { servicePodSecurity } from "./podSecurity";
import { platformPodSecurityDefaults, type PodSecurityConfig } from "./podSecurityConfig";
import { readyAnnotations } from "./readiness";
import { awsTagKeys, labelsOf } from "./rules";

export const knativeServiceApiVersion = "serving.knative.dev/v1";
export const domainMappingApiVersion = "serving.knative.dev/v1beta1";

/** Name of the single container of every tenant service. */
export const containerName = "app";

export { labelsOf } from "./rules";

/**
 * Labels of an organization's namespace: those of every object, plus the environment. The
 * workspace's admission policy (deploy/admission.yaml) lets each environment's workspace write
 * only in namespaces carrying both `managedByLabel` and its own `namespaceEnvironmentLabel`.
 */
export function namespaceLabelsOf(org: string, env: string): Record<string, string> {
    return { ...labelsOf(org), [namespaceEnvironmentLabel]: env };
}

/** Label naming the environment whose workspace owns a namespace (the AWS tag key of the same meaning). */
export const namespaceEnvironmentLabel = awsTagKeys.environment;

export function resourceQuotaSpec(quota: { cpu: string; memory: string; pods: number }) {
    return {
        hard: {
            "requests.cpu": quota.cpu,
            "requests.memory": quota.memory,
            pods: String(quota.pods),
        },
    };
}

/** Defaults for containers that set no resources of their own (KNative's queue-proxy among them). */
export function limitRangeSpec(defaults: {
    defaultRequest: { cpu: string; memory: string };
    defaultLimit: { cpu: string; memory: string };
}) {
    return {
        limits: [
            {
                type: "Container",
                defaultRequest: { cpu: defaults.defaultRequest.cpu, memory: defaults.defaultRequest.memory },
                default: { cpu: defaults.defaultLimit.cpu, memory: defaults.defaultLimit.memory },
            },
        ],
    };
}

/** Platform facts the KNative Service needs besides the app itself. */
export interface ServiceContext {
    readonly assetsBaseUrl: string;
    readonly secretDelivery: SecretDeliveryMode;
    /** Whether the container gets the RDS CA bundle (its DB URI says `sslrootcert=`). */
    readonly dbCa?: boolean;
    /** How long `pulumi up` waits for the Service to become Ready (`tenant-apps:kubernetes.readiness.service`). */
    readonly readyTimeoutSeconds: number;
    /** The stack's Pod Security settings (`tenant-apps:podSecurity`); the platform's own when absent. */
    readonly podSecurity?: PodSecurityConfig;
}

/** Name of the ConfigMap holding the RDS CA bundle of one app. */
export const dbCaConfigMapName = (app: TenantAppSpec): string => `${app.names.service}-db-ca`;

/** The ConfigMap with the RDS CA bundle that `sslrootcert` in the app's DB URI points at. */
export function dbCaConfigMapManifest(app: TenantAppSpec, bundle: string) {
    return {
        apiVersion: "v1" as const,
        kind: "ConfigMap" as const,
        metadata: { name: dbCaConfigMapName(app), namespace: app.names.namespace, labels: labelsOf(app.organization, app.name) },
        data: { [dbCaFileName]: bundle },
    };
}

/** `{ name, value }` pairs in a stable order. */
export function envListOf(app: TenantAppSpec, ctx: ServiceContext): Array<{ name: string; value: string }> {
    const env = plainEnvOf({
        app: app.name,
        type: app.type,
        names: app.names,
        assetsBaseUrl: ctx.assetsBaseUrl,
        storage: app.storage,
        secretDelivery: ctx.secretDelivery,
        catalogEnv: app.env,
        ...(app.agent !== undefined ? { agent: app.agent, port: app.port } : {}),
    });
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** The `serving.knative.dev/v1` Service of one app. */
export function knativeServiceManifest(app: TenantAppSpec, ctx: ServiceContext) {
    const labels = labelsOf(app.organization, app.name);
    const env = envListOf(app, ctx);
    const confined = servicePodSecurity(app.type, app.security, env, ctx.podSecurity ?? platformPodSecurityDefaults);
    const dbCaMounts = ctx.dbCa === true ? [{ name: "db-ca", mountPath: dbCaMountPath, readOnly: true }] : [];
    const volumeMounts = [...dbCaMounts, ...confined.container.volumeMounts];
    const volumes = [
        ...(ctx.dbCa === true ? [{ name: "db-ca", configMap: { name: dbCaConfigMapName(app) } }] : []),
        ...confined.pod.volumes,
    ];
    return {
        apiVersion: knativeServiceApiVersion,
        kind: "Service",
        metadata: {
            name: app.names.service,
            namespace: app.names.namespace,
            labels,
            annotations: readyAnnotations(ctx.readyTimeoutSeconds),
        },
        spec: {
            template: {
                metadata: {
                    labels,
                    annotations: {
                        "autoscaling.knative.dev/min-scale": String(app.scale.min),
                        "autoscaling.knative.dev/max-scale": String(app.scale.max),
                    },
                },
                spec: {
                    serviceAccountName: app.names.serviceAccount,
                    ...(confined.pod.automountServiceAccountToken === false ? { automountServiceAccountToken: false } : {}),
                    ...(confined.pod.securityContext !== undefined ? { securityContext: confined.pod.securityContext } : {}),
                    timeoutSeconds: app.timeoutSeconds,
                    containers: [
                        {
                            name: containerName,
                            image: app.image,
                            ports: [{ name: "http1", containerPort: app.port }],
                            env,
                            ...(ctx.secretDelivery === "external-secrets"
                                ? { envFrom: [{ secretRef: { name: app.names.deliveredSecret } }] }
                                : {}),
                            resources: {
                                requests: { ...app.resources.requests },
                                limits: { ...app.resources.limits },
                            },
                            readinessProbe: { httpGet: { path: app.probePath }, periodSeconds: 5, failureThreshold: 3 },
                            securityContext: confined.container.securityContext,
                            ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
                        },
                    ],
                    ...(volumes.length > 0 ? { volumes } : {}),
                },
            },
        },
    };
}

/**
 * The `serving.knative.dev/v1beta1` DomainMapping of one app, named by its hostname; `pulumi up` waits up to
 * `readyTimeoutSeconds` for it to be Ready, or for what `waitAnnotations` say (model/readiness.ts `domainMappingWait`).
 */
export function domainMappingManifest(
    app: TenantAppSpec,
    tlsMode: "external-domain-tls" | "secret",
    readyTimeoutSeconds: number,
    waitAnnotations: Record<string, string> = readyAnnotations(readyTimeoutSeconds),
) {
    return {
        apiVersion: domainMappingApiVersion,
        kind: "DomainMapping",
        metadata: {
            name: app.names.hostname,
            namespace: app.names.namespace,
            labels: labelsOf(app.organization, app.name),
            // Hyperfy2 and agents speak websockets; Kourier must not upgrade them to HTTP/2.
            annotations: { "kourier.knative.dev/disable-http2": "true", ...waitAnnotations },
        },
        spec: {
            ref: { name: app.names.service, kind: "Service", apiVersion: knativeServiceApiVersion },
            ...(tlsMode === "secret" ? { tls: { secretName: app.names.tlsSecret } } : {}),
        },
    };
}

/**
 * KNative's ClusterDomainClaim giving the app's namespace its hostname. A DomainMapping only
 * becomes Ready once its namespace holds the claim; KNative creates claims itself only with
 * `autocreate-cluster-domain-claims: "true"` (numinia-k8s knative-serving.yaml L24; KNative's
 * default is false), so on a cluster without it the program creates the claim.
 */
export function clusterDomainClaimManifest(app: TenantAppSpec) {
    return {
        apiVersion: "networking.internal.knative.dev/v1alpha1",
        kind: "ClusterDomainClaim",
        metadata: { name: app.names.hostname, labels: labelsOf(app.organization, app.name) },
        spec: { namespace: app.names.namespace },
    };
}

/** A namespaced SecretStore that authenticates as the app's own service account. */
export function secretStoreManifest(app: TenantAppSpec, apiVersion: string, region: string) {
    return {
        apiVersion,
        kind: "SecretStore",
        metadata: { name: app.names.secretStore, namespace: app.names.namespace, labels: labelsOf(app.organization, app.name) },
        spec: {
            provider: {
                aws: {
                    service: "SecretsManager",
                    region,
                    auth: { jwt: { serviceAccountRef: { name: app.names.serviceAccount } } },
                },
            },
        },
    };
}

/**
 * An ExternalSecret that extracts every key of the app's secret into one Kubernetes Secret;
 * `pulumi up` waits up to `readyTimeoutSeconds` for it to sync.
 */
export function externalSecretManifest(app: TenantAppSpec, apiVersion: string, refreshInterval: string, readyTimeoutSeconds: number) {
    return {
        apiVersion,
        kind: "ExternalSecret",
        metadata: {
            name: app.names.deliveredSecret,
            namespace: app.names.namespace,
            labels: labelsOf(app.organization, app.name),
            annotations: readyAnnotations(readyTimeoutSeconds),
        },
        spec: {
            refreshInterval,
            secretStoreRef: { name: app.names.secretStore, kind: "SecretStore" },
            target: { name: app.names.deliveredSecret, creationPolicy: "Owner" },
            dataFrom: [{ extract: { key: app.names.secret } }],
        },
    };
}
