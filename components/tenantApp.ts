import type * as postgresql from "@pulumi/postgresql";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { appTypeProfiles, assetsUrlOf } from "../model/appTypes";
import type { TenantAppSpec } from "../model/catalog";
import type { PlatformConfig, SharedSecretKey } from "../model/config";
import { TenantDatabase } from "./database";
import { DomainMapping } from "./domainMapping";
import { TenantIdentity } from "./identity";
import { KnativeService } from "./knativeService";
import { labelsOf } from "../model/manifests";
import { databaseEgressPolicySpec } from "../model/networkPolicies";
import { awsTagsOf } from "../model/rules";
import { adoptableFields } from "../model/adoption";
import { SecretDelivery } from "./secretDelivery";
import { TenantSecret } from "./secret";
import { TenantStorage } from "./storage";
import { TenantDns } from "./dns";
import { WorldSeed } from "./worldSeed";
import { seedingOf } from "../model/seeding";
import { domainMappingWait } from "../model/readiness";
import { roleArnOf } from "../model/tenantIamConfig";
import { typeTokens } from "../model/typeTokens";

/**
 * What one app exposes as stack output: names and ARNs only, never a secret, and all of them
 * plain strings the program knows. No `Output` of a resource: the stack outputs are held until
 * the end of the run, and an `Output` holds its resource, which holds its parent, which holds
 * every resource of the app and their outputs (about 260 KB per app; docs/bench.md). The
 * secret's ARN ends in six characters only AWS knows, so the secret is given by name, which
 * every Secrets Manager API accepts as `SecretId`.
 */
export interface TenantAppOutputs {
    readonly type: string;
    readonly url: string;
    readonly namespace: string;
    readonly service: string;
    readonly roleArn: string;
    readonly secretName: string;
    readonly schema?: string;
    readonly assetsBaseUrl?: string;
}

export interface TenantAppArgs {
    readonly app: TenantAppSpec;
    readonly platform: PlatformConfig;
    /** Connected to the shared RDS; required when the app has a database. */
    readonly databaseProvider?: postgresql.Provider;
    /** The stack's shared LiveKit/AI values. */
    readonly sharedSecrets: Partial<Record<SharedSecretKey, pulumi.Input<string>>>;
}

/**
 * The whole chain of one tenant app: database, storage, secret, identity, secret delivery,
 * KNative Service and DomainMapping, each created only when the app's type asks for it.
 * Pass the organization's namespace in `opts.dependsOn`.
 */
export class TenantApp extends pulumi.ComponentResource {
    readonly outputs: TenantAppOutputs;

    /** Builds each link of the chain in order, each by a method of its own that says what the link needs. */
    constructor(name: string, args: TenantAppArgs, opts?: pulumi.ComponentResourceOptions) {
        const { app, platform } = args;
        super(typeTokens.app, name, { organization: app.organization, app: app.name, type: app.type, ...adoptionRecordOf(app) }, opts);
        const link: LinkContext = {
            name,
            args,
            profile: appTypeProfiles[app.type],
            tags: awsTagsOf(app.organization, app.name, platform.env),
            afterNamespace: opts?.dependsOn,
        };
        const database = app.database ? this.database(link) : undefined;
        const storage = app.storage ? this.storage(link) : undefined;
        const seed = storage ? this.seed(link, storage) : undefined;
        const secret = this.secret(link, database, storage);
        const identity = this.identity(link, secret);
        const delivery = platform.secretDelivery === "external-secrets" ? this.secretDelivery(link, identity, secret) : undefined;
        const service = this.service(link, [delivery ?? identity, ...(seed ? [seed] : [])]);
        const mapping = this.domainMapping(link, service, this.dns(link));
        this.outputs = {
            type: app.type,
            url: mapping.url,
            namespace: app.names.namespace,
            service: service.name,
            roleArn: roleArnOf(platform, platform.iam.path, app.names.iamRole),
            secretName: secret.name,
            ...(database ? { schema: database.schema } : {}),
            ...(storage ? { assetsBaseUrl: assetsUrlOf(platform.storage.publicBaseUrl, app.names) } : {}),
        };
        this.registerOutputs({ ...this.outputs });
    }

    /** The schema or database and its role, and the egress policy that lets only this app's pods reach the RDS port. */
    private database({ name, args, profile, afterNamespace }: LinkContext): TenantDatabase {
        const { app, platform } = args;
        const database = new TenantDatabase(
            `${name}/database`,
            {
                schema: app.names.schema,
                kind: profile.databaseKind,
                createsOwnSchema: profile.createsOwnSchema,
                database: platform.database,
                deletion: platform.deletion,
                provider: required(args.databaseProvider, "databaseProvider"),
            },
            { parent: this },
        );
        // The namespace's egress policy reaches no VPC address; only this app's pods get the RDS port.
        new k8s.networking.v1.NetworkPolicy(
            `${name}/database-egress`,
            {
                metadata: {
                    name: `${app.names.service}-database-egress`,
                    namespace: app.names.namespace,
                    labels: labelsOf(app.organization, app.name),
                },
                spec: databaseEgressPolicySpec(labelsOf(app.organization, app.name), platform.isolation, platform.database.port),
            },
            { parent: this, dependsOn: afterNamespace },
        );
        return database;
    }

    private storage({ name, args, profile, tags }: LinkContext): TenantStorage {
        const { app, platform } = args;
        const names = app.names;
        return new TenantStorage(
            `${name}/storage`,
            {
                bucket: platform.storage.bucket,
                folderKey: names.assetsFolderKey,
                deletion: platform.deletion,
                tags,
                ...(profile.storageCredentials === "access-key"
                    ? {
                          accessKey: {
                              userName: names.iamRole,
                              partition: platform.partition,
                              region: platform.storage.region,
                              prefix: names.s3Prefix,
                              iam: platform.iam,
                              listScope: platform.isolation.s3ListScope,
                          },
                      }
                    : {}),
            },
            { parent: this },
        );
    }

    /** A new world's template objects, copied once into its prefix before its first revision starts. */
    private seed({ name, args }: LinkContext, storage: TenantStorage): WorldSeed | undefined {
        const seeding = seedingOf(args.app, args.platform);
        return seeding ? new WorldSeed(`${name}/seed`, { seeding }, { parent: this, dependsOn: [storage] }) : undefined;
    }

    private secret({ name, args, profile, tags }: LinkContext, database?: TenantDatabase, storage?: TenantStorage): TenantSecret {
        const { app, platform } = args;
        const generated: Record<string, pulumi.Input<string>> = {};
        if (database && profile.databaseKind === "database") generated.POSTGRES_URL = database.uri;
        else if (database) {
            generated.DB_URI = database.uri;
            generated.DB_SCHEMA = database.schema;
        }
        if (storage) generated.ASSETS_S3_URI = storage.s3Uri;
        if (app.type === "hyperfy2") {
            generated.JWT_SECRET = this.randomSecret(`${name}/jwt-secret`, 48);
            generated.ADMIN_CODE = this.randomSecret(`${name}/admin-code`, 16);
        }
        return new TenantSecret(
            `${name}/secret`,
            {
                name: app.names.secret,
                description: `Runtime secrets of tenant app ${app.organization}/${app.name} (${platform.env})`,
                keys: app.secretKeys,
                values: { ...args.sharedSecrets, ...generated },
                deletion: platform.deletion,
                tags,
            },
            { parent: this },
        );
    }

    private identity({ name, args, profile, tags, afterNamespace }: LinkContext, secret: TenantSecret): TenantIdentity {
        const { app, platform } = args;
        const names = app.names;
        return new TenantIdentity(
            `${name}/identity`,
            {
                roleName: names.iamRole,
                namespace: names.namespace,
                serviceAccount: names.serviceAccount,
                oidcProviderArn: platform.cluster.oidcProviderArn,
                oidcIssuerHostPath: platform.cluster.oidcIssuerHostPath,
                partition: platform.partition,
                secretArn: secret.arn,
                // With an access key the runtime reaches S3 as its IAM user, never through IRSA.
                storage:
                    app.storage && profile.storageCredentials === "irsa"
                        ? { bucket: platform.storage.bucket, prefix: names.s3Prefix }
                        : undefined,
                labels: labelsOf(app.organization, app.name),
                tags,
                iam: platform.iam,
            },
            { parent: this, dependsOn: afterNamespace },
        );
    }

    private secretDelivery({ name, args }: LinkContext, identity: TenantIdentity, secret: TenantSecret): SecretDelivery {
        const { app, platform } = args;
        return new SecretDelivery(
            `${name}/secret-delivery`,
            {
                app,
                region: platform.region,
                externalSecrets: platform.externalSecrets,
                readyTimeoutSeconds: platform.kubernetes.readiness.externalSecret,
            },
            { parent: this, dependsOn: [identity, secret] },
        );
    }

    private service({ name, args }: LinkContext, after: pulumi.Resource[]): KnativeService {
        const { app, platform } = args;
        return new KnativeService(
            `${name}/service`,
            {
                app,
                context: {
                    assetsBaseUrl: platform.storage.publicBaseUrl,
                    secretDelivery: platform.secretDelivery,
                    dbCa: app.database && platform.database.sslMode === "verify-full",
                    readyTimeoutSeconds: platform.kubernetes.readiness.service,
                    podSecurity: platform.podSecurity,
                },
                dbCaRegion: platform.region,
            },
            { parent: this, dependsOn: after },
        );
    }

    /** The hostname's record, which exists before the DomainMapping whose certificate (HTTP-01) needs it. */
    private dns({ name, args, afterNamespace }: LinkContext): TenantDns {
        const { app } = args;
        return new TenantDns(
            `${name}/dns`,
            { record: app.dns, namespace: app.names.namespace },
            { parent: this, dependsOn: afterNamespace },
        );
    }

    private domainMapping({ name, args }: LinkContext, service: KnativeService, dns: TenantDns): DomainMapping {
        const { app, platform } = args;
        const dnsBy = app.dns.managedBy === "by-hand" || app.dns.managedBy === "wildcard" ? app.dns.managedBy : "program";
        return new DomainMapping(
            `${name}/domain`,
            {
                app,
                tlsMode: platform.tls.mode,
                createDomainClaim: !platform.knative.autocreateClusterDomainClaims,
                readyTimeoutSeconds: platform.kubernetes.readiness.domainMapping,
                wait: domainMappingWait(platform.tls.mode, dnsBy, platform.kubernetes.readiness.domainMapping),
            },
            { parent: this, dependsOn: [service, dns] },
        );
    }

    /** A generated random string, as a Pulumi secret. */
    private randomSecret(name: string, length: number): pulumi.Output<string> {
        const value = new random.RandomPassword(name, { length, special: false }, { parent: this });
        return pulumi.secret(value.result);
    }
}

/** What every link of one app is built from. */
interface LinkContext {
    /** The app's logical name, `<organization>/<app>`; each link's name extends it. */
    readonly name: string;
    readonly args: TenantAppArgs;
    readonly profile: (typeof appTypeProfiles)[keyof typeof appTypeProfiles];
    /** AWS tags of every AWS resource of the app. */
    readonly tags: Record<string, string>;
    /** What the app's component waits on (the organization's namespace); links that create Kubernetes objects wait on it too. */
    readonly afterNamespace: pulumi.ComponentResourceOptions["dependsOn"];
}

function required<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`${what} is required`);
    return value;
}

/**
 * What the app adopts and leaves behind, and the data-bearing names it declares moved, as plain
 * inputs of its component, so the render and render:diff can list them (and refuse undeclared renames).
 */
function adoptionRecordOf(app: TenantAppSpec): Record<string, unknown> {
    const { adopt, moves } = app;
    return {
        ...(adopt !== undefined
            ? { adoption: { adopts: adoptableFields.filter((f) => adopt[f] !== undefined), leaveBehind: [...(adopt.leaveBehind ?? [])] } }
            : {}),
        ...(moves !== undefined ? { moves: [...moves] } : {}),
    };
}
