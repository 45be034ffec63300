/**
 * The validated platform configuration of one stack, as every link reads it. Pure.
 */
import type { ElizaModelProvider, SecretDeliveryMode } from "../appTypes";
import type { ClusterConfig } from "../cluster";
import type { DnsConfig } from "../dnsConfig";
import type { SeedingConfig } from "../seedingConfig";
import type { IsolationConfig } from "../isolationConfig";
import type { Acknowledgements } from "../guardsConfig";
import type { Environment, NamePatterns } from "../naming";
import type { PodSecurityConfig } from "../podSecurityConfig";
import type { TenantIamConfig } from "../tenantIamConfig";

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
    /** IAM path and permissions boundary of every tenant role and user (model/tenantIamConfig.ts). */
    readonly iam: TenantIamConfig;
    /** Pod Security labels and KNative's pod-level securityContext flag (model/podSecurityConfig.ts). */
    readonly podSecurity: PodSecurityConfig;
    /** Hostnames the platform serves itself; no tenant may take them (model/guardsConfig.ts). */
    readonly platformHostnames: readonly string[];
    /** Deletion-safety settings a stack turns off on purpose, with the reason (model/guardsConfig.ts). */
    readonly acknowledge: Acknowledgements;
    /** How each app's hostname gets its DNS record (model/dnsConfig.ts). */
    readonly dns: DnsConfig;
    /** Where a new world's first assets come from (model/seedingConfig.ts). */
    readonly seeding: SeedingConfig;
    /** Network isolation facts and the bucket listing scope (model/isolationConfig.ts). */
    readonly isolation: IsolationConfig;
}
