/**
 * The desired state of one stack as a plain, deterministic document (`plan.json`): every
 * registered resource with its logical name, type, parent, masked inputs, dependencies and
 * deletion options, plus one summary row per app. Pure: built from an `Evaluation`.
 */
import { isKubernetesType, typeTokens } from "../model/typeTokens";
import type { Evaluation, RecordedResource } from "./evaluate";
import { createHash } from "node:crypto";
import { canonical } from "./canonical";
import { processFingerprintSecret, stackFingerprintKey, type FingerprintKey } from "./fingerprint";
import { clusterOf, protectionOf, type Declarations, type PlanCluster, type PlanProtection } from "./planSafety";
import { secretKeyShapes, secretMarker, type SecretKeyShape } from "./secretShapes";
import { lastMileOf, type DnsRow, type SeedRow, type WaitRow } from "./dnsAndSeeding";

export { canonical, stableJson } from "./canonical";

/** Version of the `plan.json` layout; bump when a field changes meaning. */
export const planFormatVersion = 1;

/** One resource as `plan.json` records it. */
export interface PlanResource {
    /** Identity of the resource across renders (what Pulumi diffs by). */
    readonly urn: string;
    /** Logical name. */
    readonly name: string;
    /** Type token, e.g. `aws:iam/role:Role`. */
    readonly type: string;
    /** False for component resources, which exist only in Pulumi's state. */
    readonly custom: boolean;
    /** URN of the parent resource, when there is one. */
    readonly parent?: string;
    /** Organization the resource belongs to (from its TenantOrganization/TenantApp ancestors). */
    readonly organization?: string;
    /** App the resource belongs to (from its TenantApp ancestor). */
    readonly app?: string;
    /** Explicit provider reference (`urn::id`), when not the default provider. */
    readonly provider?: string;
    /** `protect`: Pulumi refuses to delete or replace the resource while set. */
    readonly protect: boolean;
    /** `retainOnDelete`: when Pulumi deletes the resource, it only forgets it; it stays in the cloud. */
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** The id Pulumi imports the resource by instead of creating it, when the catalog adopts it (issue 12). */
    readonly adopt?: string;
    /** Inputs as the engine receives them, every secret value replaced by `secretMarker`. */
    readonly inputs: Record<string, unknown>;
    /** Top-level input keys that hold a secret. */
    readonly secretInputs: readonly string[];
    /**
     * A truncated HMAC-SHA256 of each secret input under the plan's fingerprint key
     * (render/fingerprint.ts), so a diff can tell that a secret changed without either render
     * holding its value, and nobody without the key can confirm a guess.
     */
    readonly secretFingerprints: Readonly<Record<string, string>>;
    /**
     * For a secret input holding an app's secret document (a SecretVersion's `secretString`):
     * its keys, each value's shape with only the secret parts masked, and a fingerprint per key.
     */
    readonly secretKeys?: Readonly<Record<string, Readonly<Record<string, SecretKeyShape>>>>;
    /** URNs this resource depends on, sorted. */
    readonly dependencies: readonly string[];
}

/** One tenant app of the stack, as `summary.md` shows it. */
export interface AppRow {
    readonly organization: string;
    readonly app: string;
    readonly type: string;
    readonly url: string;
    readonly namespace: string;
    readonly service: string;
    readonly schema?: string;
    /** `s3://bucket/prefix/` the app owns, when it has storage. */
    readonly s3Prefix?: string;
    readonly secret: string;
    readonly role: string;
    /** The hostname's DNS record and who makes it. */
    readonly dns?: DnsRow;
    /** What `pulumi up` waits for on the app (revision; claim, DNS, certificate). */
    readonly waits?: WaitRow;
    /** A new world's seeding. */
    readonly seeding?: SeedRow;
}

export interface Plan {
    readonly formatVersion: number;
    readonly stack: string;
    /**
     * Id of the key the secret fingerprints were made with: two plans' fingerprints are
     * comparable only when it is the same (absent in plans written before fingerprints were keyed).
     */
    readonly fingerprintKeyId?: string;
    /** What replaces secret values in `inputs`. */
    readonly secretMarker: string;
    /** Reminder that provider-computed values are stand-ins. */
    readonly note: string;
    readonly apps: readonly AppRow[];
    /** Sorted by logical name, then type, then URN. */
    readonly resources: readonly PlanResource[];
    /** The Kubernetes provider's cluster identity (render/planSafety.ts). */
    readonly cluster?: PlanCluster;
    /** Deletion protection of the data-bearing resources (render/planSafety.ts). */
    readonly protection?: PlanProtection;
}

/** Organization and app of a resource, from the nearest TenantApp/TenantOrganization ancestor (or itself). */
function ownersOf(resources: readonly RecordedResource[]): Map<string, { organization?: string; app?: string }> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const owners = new Map<string, { organization?: string; app?: string }>();
    const ownerOf = (r: RecordedResource): { organization?: string; app?: string } => {
        const known = owners.get(r.urn);
        if (known) return known;
        let owner: { organization?: string; app?: string };
        const organization = typeof r.inputs.organization === "string" ? r.inputs.organization : undefined;
        if (r.type === typeTokens.app && typeof r.inputs.app === "string") owner = { organization, app: r.inputs.app };
        else if (r.type === typeTokens.organization) owner = { organization };
        else {
            const parent = r.parent !== undefined ? byUrn.get(r.parent) : undefined;
            owner = parent ? ownerOf(parent) : {};
        }
        owners.set(r.urn, owner);
        return owner;
    };
    for (const r of resources) ownerOf(r);
    return owners;
}

/**
 * The URN the Pulumi engine gives each resource. The SDK's mock monitor qualifies a type by
 * its parent's type only; the engine qualifies it by every ancestor's type (the stack's own
 * type excepted), e.g. `…::TenantOrganization$tenant-apps:index:TenantApp$…`. Using the
 * engine's form makes the URNs in plan.json the ones `pulumi state` commands take.
 */
export function engineUrns(resources: readonly RecordedResource[]): Map<string, string> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const chains = new Map<string, string>();
    const chainOf = (r: RecordedResource): string => {
        const known = chains.get(r.urn);
        if (known !== undefined) return known;
        const parent = r.parent !== undefined ? byUrn.get(r.parent) : undefined;
        const chain = parent ? `${chainOf(parent)}$${r.type}` : r.type;
        chains.set(r.urn, chain);
        return chain;
    };
    const urns = new Map<string, string>();
    for (const r of resources) {
        const [prefix = "", project = ""] = r.urn.split("::");
        urns.set(r.urn, `${prefix}::${project}::${chainOf(r)}::${r.name}`);
    }
    return urns;
}

/** A provider reference `urn::id` with its URN in the engine's form. */
function providerRef(ref: string, urns: ReadonlyMap<string, string>): string {
    const cut = ref.lastIndexOf("::");
    const urn = ref.slice(0, cut);
    return `${urns.get(urn) ?? urn}${ref.slice(cut)}`;
}

function planResource(
    r: RecordedResource,
    owner: { organization?: string; app?: string },
    urns: ReadonlyMap<string, string>,
    fingerprint: FingerprintKey["fingerprint"],
): PlanResource {
    const secretFingerprints: Record<string, string> = {};
    const secretKeys: Record<string, Record<string, SecretKeyShape>> = {};
    for (const key of r.secretInputs) {
        secretFingerprints[key] = fingerprint(r.inputs[key]);
        const shapes = r.type === typeTokens.secretVersion ? secretKeyShapes(r.inputs[key], fingerprint) : undefined;
        if (shapes !== undefined) secretKeys[key] = shapes;
    }
    const urn = (u: string): string => urns.get(u) ?? u;
    // A dynamic resource's serialized provider is code, not desired state and not a secret: a plain
    // digest (the same in every render, whatever the fingerprint key) shows that it changed.
    const inputs =
        typeof r.maskedInputs.__provider === "string"
            ? { ...r.maskedInputs, __provider: `serialized dynamic provider, ${codeDigest(r.maskedInputs.__provider)}` }
            : r.maskedInputs;
    return {
        urn: urn(r.urn),
        name: r.name,
        type: r.type,
        custom: r.custom,
        ...(r.parent !== undefined ? { parent: urn(r.parent) } : {}),
        ...(owner.organization !== undefined ? { organization: owner.organization } : {}),
        ...(owner.app !== undefined ? { app: owner.app } : {}),
        ...(r.provider !== undefined ? { provider: providerRef(r.provider, urns) } : {}),
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        deleteBeforeReplace: r.deleteBeforeReplace,
        ignoreChanges: [...r.ignoreChanges].sort(),
        ...(r.importId !== undefined ? { adopt: r.importId } : {}),
        inputs: canonical(inputs) as Record<string, unknown>,
        secretInputs: [...r.secretInputs].sort(),
        secretFingerprints,
        ...(Object.keys(secretKeys).length > 0 ? { secretKeys } : {}),
        dependencies: r.dependencies.map(urn).sort(),
    };
}

const compareResources = (a: PlanResource, b: PlanResource): number =>
    a.name.localeCompare(b.name, "en") || a.type.localeCompare(b.type, "en") || a.urn.localeCompare(b.urn, "en");

/** The last path segment of an ARN (`arn:…:role/name` → `name`). */
const arnName = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** One row per app from the stack outputs, with the S3 prefix read from the app's folder object. */
function appRows(ev: Evaluation, resources: readonly PlanResource[]): AppRow[] {
    const apps = (ev.outputs.apps ?? {}) as Record<string, Record<string, unknown>>;
    const rows: AppRow[] = [];
    for (const [key, out] of Object.entries(apps)) {
        const [organization = "", app = ""] = key.split("/");
        const folder = resources.find((r) => r.type === typeTokens.bucketObjectV2 && r.organization === organization && r.app === app);
        const folderKey = text(folder?.inputs.key);
        const prefix = folderKey.replace(/[^/]+\/$/, "");
        rows.push({
            organization,
            app,
            type: text(out.type),
            url: text(out.url),
            namespace: text(out.namespace),
            service: text(out.service),
            ...(typeof out.schema === "string" ? { schema: out.schema } : {}),
            ...(folder ? { s3Prefix: `s3://${text(folder.inputs.bucket)}/${prefix}` } : {}),
            secret: text(out.secretName),
            role: arnName(text(out.roleArn)),
            ...lastMileOf(resources.filter((r) => r.organization === organization && r.app === app)),
        });
    }
    return rows.sort((a, b) => a.organization.localeCompare(b.organization, "en") || a.app.localeCompare(b.app, "en"));
}

/** A short SHA-256 of code the plan shows only as changed or not (a dynamic resource's serialized provider). */
const codeDigest = (code: string): string => `sha256:${createHash("sha256").update(code).digest("hex").slice(0, 16)}`;

/**
 * Builds the plan of an evaluation. Throws when a stack output is a secret (the program must
 * never export one). Secret values are fingerprinted with `key`; by default with a key drawn for
 * this process only (render/cli.ts passes the user's own, so two runs can be diffed). `declared`
 * is what the stack config declares about a cluster rebinding or protection off in pro.
 */
export function buildPlan(
    ev: Evaluation,
    key: FingerprintKey = stackFingerprintKey(processFingerprintSecret, ev.stack),
    declared: Declarations = {},
): Plan {
    if (ev.outputsSecret) throw new Error("a stack output is a Pulumi secret; render refuses to write stack outputs that hold secrets");
    const owners = ownersOf(ev.resources);
    const urns = engineUrns(ev.resources);
    const resources = ev.resources.map((r) => planResource(r, owners.get(r.urn) ?? {}, urns, key.fingerprint)).sort(compareResources);
    return {
        formatVersion: planFormatVersion,
        stack: ev.stack,
        fingerprintKeyId: key.id,
        secretMarker,
        note: "Rendered under Pulumi's mock runtime: ARNs and ids are deterministic stand-ins; secret values are replaced by the marker.",
        apps: appRows(ev, resources),
        resources,
        ...withCluster(clusterOf(resources, declared)),
        protection: protectionOf(resources, declared),
    };
}

const withCluster = (cluster: PlanCluster | undefined): { cluster?: PlanCluster } => (cluster !== undefined ? { cluster } : {});

/** Reads a plan back from `plan.json` text, checking its shape enough to diff it. */
export function parsePlan(textValue: string, file: string): Plan {
    const doc = JSON.parse(textValue) as Partial<Plan>;
    if (doc.formatVersion !== planFormatVersion || !Array.isArray(doc.resources) || !Array.isArray(doc.apps)) {
        throw new Error(`${file}: not a plan.json of format ${planFormatVersion} written by \`npm run render\``);
    }
    return doc as Plan;
}

/** Friendly kind of a resource type, e.g. "PostgreSQL schema" or "KNative Service". */
export function kindOf(type: string): string {
    const known: Record<string, string> = {
        [typeTokens.pgSchema]: "PostgreSQL schema",
        [typeTokens.pgRole]: "PostgreSQL role",
        [typeTokens.pgGrant]: "PostgreSQL grant",
        [typeTokens.secret]: "Secrets Manager secret",
        [typeTokens.secretVersion]: "Secrets Manager secret version",
        [typeTokens.bucketObjectV2]: "S3 object",
        [typeTokens.iamRole]: "IAM role",
        [typeTokens.iamRolePolicy]: "IAM role policy",
        [typeTokens.randomPassword]: "random password",
    };
    const found = known[type];
    if (found) return found;
    const k8s = /^kubernetes:(.+):(\w+)$/.exec(type);
    if (k8s) {
        const [, apiVersion = "", kind = ""] = k8s;
        return apiVersion.startsWith("serving.knative.dev/") ? `KNative ${kind}` : kind;
    }
    const provider = /^pulumi:providers:(.+)$/.exec(type);
    if (provider) return `${provider[1]} provider`;
    const parts = type.split(":");
    return parts[parts.length - 1] ?? type;
}

/** The name a resource has in its cloud or cluster, e.g. `r3s3t-pro/world-pro` or `s3://bucket/key`. */
export function physicalNameOf(r: Pick<PlanResource, "type" | "name" | "inputs">): string {
    const inputs = r.inputs;
    const metadata = inputs.metadata as { name?: unknown; namespace?: unknown } | undefined;
    if (isKubernetesType(r.type) && metadata && typeof metadata.name === "string") {
        return typeof metadata.namespace === "string" ? `${metadata.namespace}/${metadata.name}` : metadata.name;
    }
    if (r.type === typeTokens.bucketObjectV2) return `s3://${text(inputs.bucket)}/${text(inputs.key)}`;
    if (r.type === typeTokens.iamRolePolicy) return `${text(inputs.role)}/${text(inputs.name)}`;
    if (r.type === typeTokens.pgGrant) {
        const privileges = Array.isArray(inputs.privileges) ? inputs.privileges.join(", ") : "";
        return `${privileges} on ${text(inputs.objectType)} ${text(inputs.database)} to ${text(inputs.role)}`;
    }
    if (r.type === typeTokens.secretVersion) {
        // The secret's ARN ends in `:secret:<name>-<6 characters>`.
        return text(inputs.secretId)
            .replace(/^.*:secret:/, "")
            .replace(/-[0-9A-Za-z]{6}$/, "");
    }
    if (r.type === typeTokens.randomPassword) return `${r.name} (${String(inputs.length)} characters)`;
    if (r.type.startsWith("pulumi:providers:") && typeof inputs.host === "string") return `${inputs.host}`;
    if (typeof inputs.name === "string") return inputs.name;
    return r.name;
}
