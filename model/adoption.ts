/**
 * Adoption: the catalog declares, in a reviewed pull request, resources that already exist
 * (a re-added app's retained secret and role, or the hand-made live platform) and the id each
 * is imported by (Pulumi's `import` resource option) instead of being created. Without it a
 * re-added app fails: `CreateSecret` on a live name gives ResourceExistsException, which the
 * provider does not retry (terraform-provider-aws secret.go@00c21ce L178-192), and the role's
 * plain `CREATE ROLE` fails with "already exists" (terraform-provider-postgresql
 * resource_postgresql_role.go@ff936b9 L347); pulumi-kubernetes ≥ 4.29 creates client-side,
 * so an existing object fails with AlreadyExists (CHANGELOG 4.29.0, #2926).
 *
 * Every id is checked against the name the app would get before anything is registered, so an
 * id for another app, account, region or database is refused naming the app and field. Pure.
 */
import { z } from "zod/v3";
import type { AppNames } from "./naming";
import { typeTokens } from "./typeTokens";

/** What one app may adopt, each by the id its provider imports it by. */
export const appAdoptionSchema = z.strictObject({
    /** Secrets Manager secret, by ARN (secret.d.ts "## Import"). */
    secret: z.string().min(1).optional(),
    /** IRSA role, by name (iam/role.d.ts "## Import"). */
    iamRole: z.string().min(1).optional(),
    /** PostgreSQL login role, by name (postgresql_role docs L194). */
    dbRole: z.string().min(1).optional(),
    /** PostgreSQL schema, as `database.schema` (resource_postgresql_schema.go L604-617). */
    schema: z.string().min(1).optional(),
    /** An eliza agent's own PostgreSQL database, by name (the provider imports `postgresql_database` by its name). */
    database: z.string().min(1).optional(),
    /** The assets folder object, as `bucket/key` or `s3://bucket/key` (s3/bucketObjectv2.d.ts L164-175). */
    assets: z.string().min(1).optional(),
    /** Kubernetes objects, as `namespace/name` (pulumi-kubernetes provider/pkg/provider/util.go L102-118). */
    serviceAccount: z.string().min(1).optional(),
    service: z.string().min(1).optional(),
    externalSecret: z.string().min(1).optional(),
    domainMapping: z.string().min(1).optional(),
    /** A hand-made Route53 record of the app's hostname, as `ZONEID_hostname_CNAME` (route53/record.d.ts L179-185). */
    dnsRecord: z.string().min(1).optional(),
    /** What the takeover leaves behind for a person to remove (e.g. `HelmRelease r3s3t/world-pro`), printed by the render. */
    leaveBehind: z.array(z.string().min(1)).optional(),
});

/** What an organization may adopt: its namespace, by name. */
export const organizationAdoptionSchema = z.strictObject({ namespace: z.string().min(1) });

/**
 * Data-bearing names of an existing app whose change is intended (`moves: [schema]`): the data
 * was moved by hand, so render:diff does not refuse the rename (render/renames.ts).
 */
export const movableFields = ["schema", "database", "dbRole", "secret", "assets"] as const;
export type MovableField = (typeof movableFields)[number];
export const movesSchema = z.array(z.enum(movableFields));

export type AppAdoption = z.infer<typeof appAdoptionSchema>;
export type OrganizationAdoption = z.infer<typeof organizationAdoptionSchema>;

/** The adoptable fields of an app, in the order the render lists them. */
export const adoptableFields = [
    "secret",
    "iamRole",
    "dbRole",
    "schema",
    "database",
    "assets",
    "serviceAccount",
    "service",
    "externalSecret",
    "domainMapping",
    "dnsRecord",
] as const;
export type AdoptableField = (typeof adoptableFields)[number];

/** Platform facts an id is checked against. */
export interface AdoptionContext {
    readonly partition: string;
    readonly accountId: string;
    readonly region: string;
    readonly database: string;
    readonly bucket: string;
    /** Links the app has: a schema can be adopted only by an app with a database, and so on. */
    readonly links: {
        readonly database: boolean;
        /** The app keeps its data in a database of its own (an eliza agent), not a schema of the shared one. */
        readonly ownDatabase: boolean;
        readonly storage: boolean;
        readonly externalSecrets: boolean;
    };
    /** The import id of the app's Route53 record, when the stack makes it with route53 (model/dns.ts). */
    readonly dnsRecordId?: string;
}

/** One refused id: the field under `adopt` and why. */
export interface AdoptionProblem {
    readonly field: readonly string[];
    readonly message: string;
}

const secretArn = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)-[A-Za-z0-9]{6}$/;

/** `namespace/name` ids of the app's Kubernetes objects, by field. */
function kubernetesIds(names: AppNames): Record<"serviceAccount" | "service" | "externalSecret" | "domainMapping", string> {
    return {
        serviceAccount: `${names.namespace}/${names.serviceAccount}`,
        service: `${names.namespace}/${names.service}`,
        externalSecret: `${names.namespace}/${names.deliveredSecret}`,
        domainMapping: `${names.namespace}/${names.hostname}`,
    };
}

/** Why an id does not name this app's resource, or undefined when it does. */
function idProblem(field: AdoptableField, id: string, names: AppNames, ctx: AdoptionContext): string | undefined {
    switch (field) {
        case "secret": {
            const m = secretArn.exec(id);
            if (!m)
                return `"${id}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)`;
            const [, partition, region, account, name] = m;
            if (partition !== ctx.partition) return `the ARN is in partition ${partition ?? ""}; this stack is in ${ctx.partition}`;
            if (account !== ctx.accountId) return `the ARN is in account ${account ?? ""}; this stack's account is ${ctx.accountId}`;
            if (region !== ctx.region) return `the ARN is in region ${region ?? ""}; this stack's region is ${ctx.region}`;
            if (name !== names.secret) return `the ARN names secret "${name ?? ""}"; this app's secret is "${names.secret}"`;
            return undefined;
        }
        case "iamRole":
            if (id.startsWith("arn:")) return `give the role's name ("${names.iamRole}"), not its ARN: IAM roles are imported by name`;
            return id === names.iamRole ? undefined : `"${id}" is not this app's IAM role "${names.iamRole}"`;
        case "dbRole":
            if (!ctx.links.database) return "the app has no database, so it has no PostgreSQL role to adopt";
            return id === names.dbRole ? undefined : `"${id}" is not this app's PostgreSQL role "${names.dbRole}"`;
        case "schema": {
            if (!ctx.links.database) return "the app has no database, so it has no schema to adopt";
            if (ctx.links.ownDatabase)
                return `the app keeps its data in a database of its own ("${names.schema}"), not in a schema of the shared database; adopt it as adopt.database`;
            const dot = id.indexOf(".");
            if (dot < 0) return `"${id}" is not database.schema (e.g. ${ctx.database}.${names.schema})`;
            const [database, schema] = [id.slice(0, dot), id.slice(dot + 1)];
            if (database !== ctx.database)
                return `"${id}" is a schema of database "${database}"; this stack's database is "${ctx.database}"`;
            return schema === names.schema ? undefined : `"${schema}" is not this app's schema "${names.schema}"`;
        }
        case "database": {
            if (!ctx.links.database) return "the app has no database to adopt";
            if (!ctx.links.ownDatabase)
                return `the app keeps its data in schema "${names.schema}" of the shared database, not a database of its own; adopt it as adopt.schema`;
            return id === names.schema ? undefined : `"${id}" is not this app's database "${names.schema}"`;
        }
        case "assets": {
            if (!ctx.links.storage) return "the app has no storage, so it has no assets folder to adopt";
            const path = id.replace(/^s3:\/\//, "");
            const slash = path.indexOf("/");
            const [bucket, key] = slash < 0 ? [path, ""] : [path.slice(0, slash), path.slice(slash + 1)];
            if (bucket !== ctx.bucket) return `"${id}" is in bucket "${bucket}"; this stack's bucket is "${ctx.bucket}"`;
            return key === names.assetsFolderKey ? undefined : `"${key}" is not this app's assets folder "${names.assetsFolderKey}"`;
        }
        case "dnsRecord":
            if (ctx.dnsRecordId === undefined)
                return "the stack makes no Route53 record for this app (tenant-apps:dns.provider is not route53, or a wildcard covers it); ExternalDNS never takes over a record it did not create";
            return id === ctx.dnsRecordId ? undefined : `"${id}" is not this app's record "${ctx.dnsRecordId}" (ZONEID_hostname_CNAME)`;
        case "externalSecret":
        case "serviceAccount":
        case "service":
        case "domainMapping": {
            if (field === "externalSecret" && !ctx.links.externalSecrets) return "the stack does not deliver secrets with External Secrets";
            const expected = kubernetesIds(names)[field];
            return id === expected ? undefined : `"${id}" is not this app's object "${expected}" (namespace/name)`;
        }
    }
}

/** Every id of an app's `adopt` that does not name this app's own resource. */
export function adoptionProblems(adopt: AppAdoption, names: AppNames, ctx: AdoptionContext): AdoptionProblem[] {
    const problems: AdoptionProblem[] = [];
    for (const field of adoptableFields) {
        const id = adopt[field];
        if (id === undefined) continue;
        const problem = idProblem(field, id, names, ctx);
        if (problem !== undefined) problems.push({ field: ["adopt", field], message: `cannot adopt: ${problem}` });
    }
    return problems;
}

/** An organization's namespace id, or why it is not its namespace. */
export function namespaceAdoptionProblem(adopt: OrganizationAdoption, namespace: string): AdoptionProblem | undefined {
    if (adopt.namespace === namespace) return undefined;
    return {
        field: ["adopt", "namespace"],
        message: `cannot adopt: "${adopt.namespace}" is not this organization's namespace "${namespace}"`,
    };
}

/**
 * Inputs a hand-made resource is expected to differ in. Pulumi fails an import whose inputs
 * differ from what it reads, so these are ignored while the `adopt` entry stays; once it is
 * removed, the next `up` applies the program's values as an ordinary update.
 */
export const ignoredWhileAdopting: Readonly<Record<AdoptableField | "namespace", readonly string[]>> = {
    secret: ["description", "tags", "recoveryWindowInDays"],
    iamRole: ["description", "assumeRolePolicy", "tags"],
    dbRole: ["password", "searchPaths", "inherit"],
    schema: ["owner"],
    database: ["template", "allowConnections", "owner", "encoding", "lcCollate", "lcCtype"],
    assets: ["content", "contentType", "tags"],
    serviceAccount: ["metadata"],
    service: ["metadata", "spec"],
    externalSecret: ["metadata", "spec"],
    domainMapping: ["metadata", "spec"],
    dnsRecord: ["ttl", "records"],
    namespace: ["metadata"],
};

/** One resource to adopt, found by type and physical name when it is registered. */
export interface Adoption {
    readonly organization: string;
    readonly app?: string;
    readonly field: AdoptableField | "namespace";
    readonly id: string;
    readonly ignoreChanges: readonly string[];
}

/** `type|identity`: how a registration is matched to an adoption (identity as `adoptionIdentity` computes it). */
export const adoptionKey = (type: string, identity: string): string => `${type}|${identity}`;

/** The key of each adoptable field of an app: its type and the physical name the program gives it. */
export function adoptionKeys(names: AppNames, database: string, bucket: string): Record<AdoptableField, string> {
    const k8s = kubernetesIds(names);
    return {
        secret: adoptionKey(typeTokens.secret, names.secret),
        iamRole: adoptionKey(typeTokens.iamRole, names.iamRole),
        dbRole: adoptionKey(typeTokens.pgRole, names.dbRole),
        schema: adoptionKey(typeTokens.pgSchema, `${database}.${names.schema}`),
        database: adoptionKey(typeTokens.pgDatabase, names.schema),
        assets: adoptionKey(typeTokens.bucketObjectV2, `${bucket}/${names.assetsFolderKey}`),
        serviceAccount: adoptionKey("ServiceAccount", k8s.serviceAccount),
        service: adoptionKey("Service", k8s.service),
        externalSecret: adoptionKey("ExternalSecret", k8s.externalSecret),
        domainMapping: adoptionKey("DomainMapping", k8s.domainMapping),
        dnsRecord: adoptionKey(typeTokens.route53Record, names.hostname),
    };
}

/**
 * The identity of a registration, comparable with `adoptionKeys`: Kubernetes objects by kind and
 * `namespace/name`, schemas by `database.schema`, S3 objects by `bucket/key`, others by `name`.
 * Undefined when the inputs do not name the resource with plain strings.
 */
export function adoptionIdentity(type: string, props: Record<string, unknown>): string | undefined {
    const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
    if (type.startsWith("kubernetes:")) {
        const metadata = props.metadata as { name?: unknown; namespace?: unknown } | undefined;
        const kind = str(props.kind);
        const name = str(metadata?.name);
        if (kind === undefined || name === undefined) return undefined;
        const namespace = str(metadata?.namespace);
        return adoptionKey(kind, namespace === undefined ? name : `${namespace}/${name}`);
    }
    if (type === typeTokens.pgSchema) {
        const [database, name] = [str(props.database), str(props.name)];
        return database !== undefined && name !== undefined ? adoptionKey(type, `${database}.${name}`) : undefined;
    }
    if (type === typeTokens.bucketObjectV2) {
        const [bucket, key] = [str(props.bucket), str(props.key)];
        return bucket !== undefined && key !== undefined ? adoptionKey(type, `${bucket}/${key}`) : undefined;
    }
    const name = str(props.name);
    return name !== undefined ? adoptionKey(type, name) : undefined;
}
