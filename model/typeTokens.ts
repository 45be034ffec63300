/**
 * Pulumi type tokens of everything the program registers, in one table: the components
 * use them in `super(...)`, the render names and reads resources by them, the policy pack
 * matches them, and the automation summary groups engine events by them. Pure.
 */
export const typeTokens = {
    organization: "tenant-apps:index:TenantOrganization",
    app: "tenant-apps:index:TenantApp",
    namespaceLink: "tenant-apps:chain:TenantNamespace",
    databaseLink: "tenant-apps:chain:TenantDatabase",
    storageLink: "tenant-apps:chain:TenantStorage",
    secretLink: "tenant-apps:chain:TenantSecret",
    identityLink: "tenant-apps:chain:TenantIdentity",
    secretDeliveryLink: "tenant-apps:chain:SecretDelivery",
    knativeServiceLink: "tenant-apps:chain:KnativeService",
    domainMappingLink: "tenant-apps:chain:DomainMapping",
    dnsLink: "tenant-apps:chain:TenantDns",
    seedingLink: "tenant-apps:chain:WorldSeed",

    namespace: "kubernetes:core/v1:Namespace",
    resourceQuota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    knativeService: "kubernetes:serving.knative.dev/v1:Service",
    domainMapping: "kubernetes:serving.knative.dev/v1beta1:DomainMapping",
    domainMappingV1alpha1: "kubernetes:serving.knative.dev/v1alpha1:DomainMapping",
    dnsEndpoint: "kubernetes:externaldns.k8s.io/v1alpha1:DNSEndpoint",

    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamPolicy: "aws:iam/policy:Policy",
    iamUser: "aws:iam/user:User",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamAccessKey: "aws:iam/accessKey:AccessKey",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    bucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    bucketObject: "aws:s3/bucketObject:BucketObject",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    route53Record: "aws:route53/record:Record",
    /** The dynamic resource that copies a world's template once (components/worldSeed.ts). */
    worldSeed: "pulumi-nodejs:dynamic/tenant-apps:WorldSeed",
    getSecretVersion: "aws:secretsmanager/getSecretVersion:getSecretVersion",

    pgSchema: "postgresql:index/schema:Schema",
    pgRole: "postgresql:index/role:Role",
    pgGrant: "postgresql:index/grant:Grant",
    pgDatabase: "postgresql:index/database:Database",
    randomPassword: "random:index/randomPassword:RandomPassword",
} as const;

/**
 * Types whose deletion loses tenant data: an app's schema and role, an eliza agent's own
 * database, its secret and its assets folder. Protected in pro (the policy pack), watched by
 * the rename refusal (render/renames.ts) and summarized in plan.json's `protection`. A
 * secret's version is not one: it is replaced on every rotation.
 */
export const dataBearingTypes: readonly string[] = [
    typeTokens.pgSchema,
    typeTokens.pgRole,
    typeTokens.pgDatabase,
    typeTokens.secret,
    typeTokens.bucketObjectV2,
    typeTokens.bucketObject,
];

/** Whether a type token is a Kubernetes object (core or custom resource). */
export const isKubernetesType = (type: string): boolean => type.startsWith("kubernetes:");
