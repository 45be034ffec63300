/**
 * The guardrails of tenant-apps as pure functions: each rule takes a resource's type token
 * and input properties plus the stack's policy context, and returns violation messages.
 * The CrossGuard pack (`policy/index.ts`) and the render command (`checkResources`) call
 * the same functions, so a reviewer sees in a render exactly what `pulumi preview
 * --policy-pack policy` would block. No Pulumi runtime, no I/O.
 */
import type { PlatformConfig } from "../model/config";
import { memoryBytes, milliCpu } from "../model/quantities";

export type Environment = "pre" | "pro";
export type TlsMode = "external-domain-tls" | "secret";

/** What the rules need to know about the stack they check. */
export interface PolicyContext {
    /** The stack's environment; `pro` turns on the production-only rules. */
    readonly environment: Environment;
    /** The shared bucket's key prefix every tenant object must live under (`""` = bucket root). */
    readonly storagePrefix: string;
    /** When given, the shared bucket every tenant object must live in. */
    readonly bucket?: string;
    /** When given, the only OIDC provider an IRSA trust policy may federate. */
    readonly oidcProviderArn?: string;
    /** How DomainMappings get certificates; `external-domain-tls` (the default) needs no `spec.tls`. */
    readonly tlsMode?: TlsMode;
}

/** A resource as the render records it (type token, logical name, inputs, options when known). */
export interface CheckedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The `protect` option, when the caller knows it. */
    readonly protect?: boolean;
    /** The URN, when the caller knows it; carried into violations. */
    readonly urn?: string;
}

/** One violation found by `checkResources`. */
export interface Violation {
    readonly policy: string;
    /** Logical name of the resource (of the namespace, for stack-level findings). */
    readonly resource: string;
    readonly message: string;
    /** URN of that resource, when the caller gave one. */
    readonly urn?: string;
}

/** Type tokens the rules match. KNative and External Secrets objects are custom resources. */
export const policyTypes = {
    namespace: "kubernetes:core/v1:Namespace",
    resourceQuota: "kubernetes:core/v1:ResourceQuota",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    knativeService: "kubernetes:serving.knative.dev/v1:Service",
    domainMapping: "kubernetes:serving.knative.dev/v1beta1:DomainMapping",
    domainMappingV1alpha1: "kubernetes:serving.knative.dev/v1alpha1:DomainMapping",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamPolicy: "aws:iam/policy:Policy",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    bucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    bucketObject: "aws:s3/bucketObject:BucketObject",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    pgSchema: "postgresql:index/schema:Schema",
    pgRole: "postgresql:index/role:Role",
} as const;

/** Label every namespace (and object) of this program carries. */
export const managedByLabel = { key: "app.kubernetes.io/managed-by", value: "tenant-apps" } as const;
/** AWS tag naming the environment of a tenant app's AWS resources. */
export const environmentTag = "tenant-apps/environment";
/** Shortest recovery window Secrets Manager accepts; 0 would force-delete. */
export const minRecoveryWindowDays = 7;

// ---------------------------------------------------------------------------------------
// Small readers for untyped property bags.

type Bag = Record<string, unknown>;

function isBag(value: unknown): value is Bag {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` of a property bag, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (!isBag(current)) return undefined;
        current = current[key];
    }
    return current;
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
const quantity = (value: unknown): string | undefined =>
    typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;

/** The environment a resource declares through its AWS tags, if any. */
export function environmentOf(props: Bag): Environment | undefined {
    const env = at(props, "tags", environmentTag);
    return env === "pre" || env === "pro" ? env : undefined;
}

// ---------------------------------------------------------------------------------------
// KNative Services.

const maxScaleKeys = ["autoscaling.knative.dev/max-scale", "autoscaling.knative.dev/maxScale"];
const minScaleKeys = ["autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/minScale"];

function containersOf(props: Bag): unknown[] {
    return list(at(props, "spec", "template", "spec", "containers"));
}

function containerLabel(container: unknown, index: number): string {
    const name = str(at(container, "name"));
    return name !== undefined ? `container "${name}"` : `container #${index + 1}`;
}

/** Every container sets CPU and memory requests and limits (requests ≤ limits), and the revision has a max-scale ≥ 1. */
export function knativeServiceResources(type: string, props: Bag): string[] {
    if (type !== policyTypes.knativeService) return [];
    const out: string[] = [];
    const containers = containersOf(props);
    if (containers.length === 0) out.push("spec.template.spec.containers is empty; a KNative Service needs one container");
    containers.forEach((container, i) => {
        const label = containerLabel(container, i);
        const values: Record<string, string | undefined> = {};
        for (const kind of ["requests", "limits"] as const) {
            for (const resource of ["cpu", "memory"] as const) {
                const value = quantity(at(container, "resources", kind, resource));
                values[`${kind}.${resource}`] = value;
                if (value === undefined) out.push(`${label} has no resources.${kind}.${resource}; every tenant container must set it`);
            }
        }
        const [reqCpu, limCpu, reqMem, limMem] = ["requests.cpu", "limits.cpu", "requests.memory", "limits.memory"].map((k) => values[k]);
        if (reqCpu !== undefined && limCpu !== undefined && milliCpu(reqCpu) > milliCpu(limCpu)) {
            out.push(`${label} requests cpu ${reqCpu}, more than its limit ${limCpu}`);
        }
        if (reqMem !== undefined && limMem !== undefined && memoryBytes(reqMem) > memoryBytes(limMem)) {
            out.push(`${label} requests memory ${reqMem}, more than its limit ${limMem}`);
        }
    });
    const annotations = at(props, "spec", "template", "metadata", "annotations");
    const maxRaw = maxScaleKeys.map((k) => at(annotations, k)).find((v) => v !== undefined);
    const minRaw = minScaleKeys.map((k) => at(annotations, k)).find((v) => v !== undefined);
    const max = scaleNumber(maxRaw);
    if (maxRaw === undefined) {
        out.push(
            'spec.template.metadata.annotations has no "autoscaling.knative.dev/max-scale"; an unbounded service can exhaust the quota',
        );
    } else if (max === undefined || max < 1) {
        out.push(`max-scale "${String(maxRaw)}" must be a whole number ≥ 1 (0 means unbounded in KNative)`);
    }
    const min = scaleNumber(minRaw);
    if (minRaw !== undefined && min === undefined) out.push(`min-scale "${String(minRaw)}" must be a whole number ≥ 0`);
    if (min !== undefined && max !== undefined && max >= 1 && min > max) out.push(`min-scale ${min} is greater than max-scale ${max}`);
    return out;
}

function scaleNumber(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : str(value);
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Whether an image reference names a fixed version: a `@sha256:` digest, or a tag other than `latest`. */
export function isPinnedImageRef(ref: string): boolean {
    if (/@sha256:[a-f0-9]{64}$/.test(ref)) return true;
    if (ref.includes("@")) return false;
    const lastSegment = ref.split("/").pop() ?? "";
    const colon = lastSegment.lastIndexOf(":");
    if (colon < 0) return false;
    const tag = lastSegment.slice(colon + 1);
    return tag !== "" && tag !== "latest";
}

/** In `pro`, every container image is pinned to a version tag or digest. */
export function knativeImagePinned(type: string, props: Bag, context: Pick<PolicyContext, "environment">): string[] {
    if (type !== policyTypes.knativeService || context.environment !== "pro") return [];
    return containersOf(props).flatMap((container, i) => {
        const image = str(at(container, "image"));
        if (image === undefined || image === "") return [`${containerLabel(container, i)} has no image`];
        return isPinnedImageRef(image)
            ? []
            : [
                  `${containerLabel(container, i)} image "${image}" is not pinned; in pro use a version tag other than latest, or @sha256:<digest>`,
              ];
    });
}

// ---------------------------------------------------------------------------------------
// IAM.

interface Statement {
    readonly index: number;
    readonly raw: Bag;
}

/** Statements of an IAM document given as a JSON string or an object; `error` when it cannot be read. */
export function statementsOf(document: unknown): { statements: Statement[]; error?: string } {
    let doc: unknown = document;
    if (typeof document === "string") {
        try {
            doc = JSON.parse(document);
        } catch {
            return { statements: [], error: "is not valid JSON" };
        }
    }
    if (!isBag(doc)) return { statements: [], error: "is not an IAM policy document" };
    const raw = list(doc.Statement);
    const statements: Statement[] = [];
    raw.forEach((s, index) => {
        if (isBag(s)) statements.push({ index, raw: s });
    });
    if (statements.length !== raw.length) return { statements, error: "has a statement that is not an object" };
    return { statements };
}

const statementLabel = (s: Statement): string => (typeof s.raw.Sid === "string" ? `statement "${s.raw.Sid}"` : `statement #${s.index + 1}`);
const isAllow = (s: Statement): boolean => s.raw.Effect !== "Deny";

const oidcProviderArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;
const serviceAccountSubject = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * An IAM role's trust policy lets exactly one service account assume it through the
 * cluster's OIDC provider: principal `Federated` = the provider only, action
 * `sts:AssumeRoleWithWebIdentity` only, `StringEquals` on both `<issuer>:sub` (one
 * concrete service account, no wildcard) and `<issuer>:aud` = `sts.amazonaws.com`.
 */
export function irsaTrustPolicy(type: string, props: Bag, context: Pick<PolicyContext, "oidcProviderArn">): string[] {
    if (type !== policyTypes.iamRole) return [];
    const { statements, error } = statementsOf(props.assumeRolePolicy);
    if (error !== undefined) return [`assumeRolePolicy ${error}`];
    const allows = statements.filter(isAllow);
    if (allows.length === 0) return ["assumeRolePolicy has no Allow statement"];
    const out: string[] = [];
    for (const s of allows) {
        const label = statementLabel(s);
        const principal = s.raw.Principal;
        const federated = list(at(principal, "Federated"));
        if (!isBag(principal) || Object.keys(principal).some((k) => k !== "Federated") || federated.length !== 1) {
            out.push(`${label} must name exactly one principal, { "Federated": <the cluster's OIDC provider ARN> }`);
            continue;
        }
        const provider = str(federated[0]) ?? "";
        const match = oidcProviderArnPattern.exec(provider);
        if (match === null) {
            out.push(`${label} federates "${provider}", which is not an IAM OIDC provider ARN`);
            continue;
        }
        if (context.oidcProviderArn !== undefined && provider !== context.oidcProviderArn) {
            out.push(`${label} federates "${provider}"; only the cluster's OIDC provider "${context.oidcProviderArn}" is allowed`);
        }
        if (s.raw.NotAction !== undefined) out.push(`${label} uses NotAction; name sts:AssumeRoleWithWebIdentity only`);
        const actions = list(s.raw.Action);
        if (actions.length !== 1 || actions[0] !== "sts:AssumeRoleWithWebIdentity") {
            out.push(`${label} allows ${JSON.stringify(s.raw.Action)}; only "sts:AssumeRoleWithWebIdentity" is allowed`);
        }
        const issuer = match[1] ?? "";
        const equals = at(s.raw, "Condition", "StringEquals");
        const sub = at(equals, `${issuer}:sub`);
        const aud = at(equals, `${issuer}:aud`);
        if (typeof sub !== "string") {
            out.push(`${label} has no StringEquals condition on "${issuer}:sub" naming one service account`);
        } else if (!serviceAccountSubject.test(sub)) {
            out.push(`${label} pins "${issuer}:sub" to "${sub}"; it must be exactly system:serviceaccount:<namespace>:<name>, no wildcard`);
        }
        if (aud !== "sts.amazonaws.com") {
            out.push(`${label} must have a StringEquals condition "${issuer}:aud" = "sts.amazonaws.com"`);
        }
    }
    return out;
}

/** Where each IAM-bearing type keeps its documents. */
function iamDocumentsOf(type: string, props: Bag): Array<{ where: string; document: unknown }> {
    switch (type) {
        case policyTypes.iamRole:
            return [
                { where: "assumeRolePolicy", document: props.assumeRolePolicy },
                ...list(props.inlinePolicies).map((p, i) => ({ where: `inlinePolicies[${i}].policy`, document: at(p, "policy") })),
            ].filter((d) => d.document !== undefined && d.document !== "");
        case policyTypes.iamRolePolicy:
        case policyTypes.iamPolicy:
        case policyTypes.iamUserPolicy:
        case policyTypes.iamGroupPolicy:
            return [{ where: "policy", document: props.policy }];
        default:
            return [];
    }
}

/** An ARN or resource that matches everything of a service: `*`, `arn:aws:s3:::*`, `arn:aws:secretsmanager:*:*:*`. */
function isWildcardResource(resource: string): boolean {
    if (resource === "*") return true;
    const parts = resource.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return false;
    const rest = parts.slice(5).join(":");
    return rest === "*" || /^[\w-]+[/:]\*$/.test(rest) || (parts[2] === "s3" && /^\*/.test(rest));
}

/** No Allow statement has a wildcard action, `NotAction`, a `*` resource or `NotResource`. */
export function iamNoWildcards(type: string, props: Bag): string[] {
    const out: string[] = [];
    for (const { where, document } of iamDocumentsOf(type, props)) {
        const { statements, error } = statementsOf(document);
        if (error !== undefined) {
            out.push(`${where} ${error}`);
            continue;
        }
        for (const s of statements.filter(isAllow)) {
            const label = `${where} ${statementLabel(s)}`;
            if (s.raw.NotAction !== undefined) out.push(`${label} uses NotAction, which allows every other action`);
            if (s.raw.NotResource !== undefined) out.push(`${label} uses NotResource, which allows every other resource`);
            for (const action of list(s.raw.Action)) {
                if (typeof action === "string" && action.includes("*")) out.push(`${label} allows the wildcard action "${action}"`);
            }
            for (const resource of list(s.raw.Resource)) {
                if (typeof resource === "string" && isWildcardResource(resource)) {
                    out.push(`${label} allows the wildcard resource "${resource}"`);
                }
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// S3 objects.

/** Tenant objects live in the shared bucket under `{prefix}/`, and under `{prefix}/{org}/{app}/{env}/` when tagged with their app. */
export function s3ObjectUnderPrefix(type: string, props: Bag, context: Pick<PolicyContext, "storagePrefix" | "bucket">): string[] {
    if (type !== policyTypes.bucketObjectV2 && type !== policyTypes.bucketObject) return [];
    const out: string[] = [];
    const bucket = str(props.bucket);
    if (context.bucket !== undefined && bucket !== undefined && bucket !== context.bucket) {
        out.push(`object is in bucket "${bucket}"; tenant objects belong in "${context.bucket}"`);
    }
    const key = str(props.key);
    if (key === undefined || key === "") return [...out, "object has no key"];
    const prefix = context.storagePrefix === "" ? "" : `${context.storagePrefix.replace(/\/+$/, "")}/`;
    if (
        key.startsWith("/") ||
        key.split("/").some((segment, i, all) => segment === ".." || segment === "." || (segment === "" && i < all.length - 1))
    ) {
        out.push(`key "${key}" has an empty, "." or ".." path segment`);
    }
    if (!key.startsWith(prefix)) {
        out.push(`key "${key}" is outside the configured prefix "${prefix}"`);
        return out;
    }
    const org = str(at(props, "tags", "tenant-apps/organization"));
    const app = str(at(props, "tags", "tenant-apps/app"));
    const env = str(at(props, "tags", environmentTag));
    if (org !== undefined && app !== undefined && env !== undefined) {
        const own = `${prefix}${org}/${app}/${env}/`;
        if (!key.startsWith(own)) out.push(`key "${key}" is outside its app's own prefix "${own}"`);
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// DomainMappings.

/** TLS: an explicit `spec.tls.secretName`, or the cluster's `external-domain-tls` mode. */
export function domainMappingTls(type: string, props: Bag, context: Pick<PolicyContext, "tlsMode">): string[] {
    if (type !== policyTypes.domainMapping && type !== policyTypes.domainMappingV1alpha1) return [];
    const mode = context.tlsMode ?? "external-domain-tls";
    const tls = at(props, "spec", "tls");
    const secretName = str(at(tls, "secretName"));
    if (tls !== undefined && (secretName === undefined || secretName === "")) {
        return ["spec.tls is set without a secretName; name the TLS secret or drop spec.tls to use external-domain-tls"];
    }
    if (mode === "secret" && tls === undefined) {
        return ['the stack\'s TLS mode is "secret" but spec.tls.secretName is missing; the domain would be served without TLS'];
    }
    return [];
}

// ---------------------------------------------------------------------------------------
// Secrets Manager.

/** In `pro`, a secret keeps a recovery window of 7–30 days (0 would force-delete it). Unset means AWS's default of 30. */
export function secretRecoveryWindow(type: string, props: Bag, context: Pick<PolicyContext, "environment">): string[] {
    if (type !== policyTypes.secret || context.environment !== "pro") return [];
    const days = props.recoveryWindowInDays;
    if (days === undefined) return [];
    if (typeof days !== "number" || !Number.isInteger(days) || days < minRecoveryWindowDays || days > 30) {
        return [
            `recoveryWindowInDays is ${JSON.stringify(days)}; in pro a secret must keep a recovery window of ${minRecoveryWindowDays}–30 days (0 force-deletes it)`,
        ];
    }
    return [];
}

// ---------------------------------------------------------------------------------------
// PostgreSQL and deletion safety.

/** A schema never drops with CASCADE; a tenant DB role never runs REASSIGN OWNED / DROP OWNED on delete. */
export function postgresNeverCascade(type: string, props: Bag): string[] {
    if (type === policyTypes.pgSchema && props.dropCascade === true) {
        return ["dropCascade is true; deleting the schema would drop every table in it"];
    }
    if (type === policyTypes.pgRole) {
        const out: string[] = [];
        if (props.skipReassignOwned !== true)
            out.push("skipReassignOwned must be true; REASSIGN OWNED on delete moves the app's tables away");
        if (props.skipDropRole !== true) out.push("skipDropRole must be true; DROP OWNED on delete would drop the app's tables");
        return out;
    }
    return [];
}

/** Types whose deletion loses tenant data. */
export const dataBearingTypes: readonly string[] = [
    policyTypes.pgSchema,
    policyTypes.pgRole,
    policyTypes.secret,
    policyTypes.secretVersion,
    policyTypes.bucketObjectV2,
    policyTypes.bucketObject,
];

/** In `pro`, data-bearing resources carry `protect`. `protect` undefined means the caller cannot tell. */
export function dataProtected(type: string, protect: boolean | undefined, context: Pick<PolicyContext, "environment">): string[] {
    if (context.environment !== "pro" || !dataBearingTypes.includes(type) || protect !== false) return [];
    return ["a data-bearing resource in pro must be protected (resource option protect: true)"];
}

// ---------------------------------------------------------------------------------------
// Stack-level: tenant namespaces.

interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly props: Bag;
}

/** Every namespace labelled `app.kubernetes.io/managed-by: tenant-apps` has a ResourceQuota and an ingress NetworkPolicy. */
export function tenantNamespacesGuarded(resources: readonly StackResource[]): Array<{ resource: string; message: string }> {
    const namespaced = (type: string) =>
        new Set(resources.filter((r) => r.type === type).map((r) => str(at(r.props, "metadata", "namespace")) ?? ""));
    const withQuota = namespaced(policyTypes.resourceQuota);
    const withIngressPolicy = new Set(
        resources
            .filter((r) => r.type === policyTypes.networkPolicy)
            .filter((r) => {
                const types = list(at(r.props, "spec", "policyTypes"));
                return types.length === 0 || types.includes("Ingress");
            })
            .map((r) => str(at(r.props, "metadata", "namespace")) ?? ""),
    );
    const out: Array<{ resource: string; message: string }> = [];
    for (const ns of resources.filter((r) => r.type === policyTypes.namespace)) {
        if (at(ns.props, "metadata", "labels", managedByLabel.key) !== managedByLabel.value) continue;
        const name = str(at(ns.props, "metadata", "name")) ?? ns.name;
        if (!withQuota.has(name)) out.push({ resource: ns.name, message: `tenant namespace "${name}" has no ResourceQuota` });
        if (!withIngressPolicy.has(name))
            out.push({ resource: ns.name, message: `tenant namespace "${name}" has no ingress NetworkPolicy` });
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// The catalog of policies, shared by the pack and the render.

/** Names and descriptions of every policy, in the order they are reported. */
export const policyInfo = {
    "knative-service-resources": "KNative Services set CPU/memory requests and limits (requests ≤ limits) and a max-scale ≥ 1.",
    "knative-image-pinned-in-pro": "In pro, KNative Service images are pinned to a version tag (not latest) or a digest.",
    "irsa-trust-own-service-account":
        "IAM role trust policies federate only the cluster's OIDC provider, with StringEquals on both sub (one service account) and aud.",
    "iam-no-wildcards": "No IAM Allow statement has a wildcard action or resource, NotAction or NotResource.",
    "s3-objects-under-prefix": "S3 objects live in the shared bucket under the configured prefix, in their own app's folder.",
    "domain-mapping-tls": "DomainMappings have TLS: an explicit spec.tls.secretName or the external-domain-tls mode.",
    "secret-recovery-window-in-pro": "In pro, Secrets Manager secrets keep a recovery window (7–30 days, never 0).",
    "postgres-never-cascade": "Schemas never drop with CASCADE; tenant DB roles skip REASSIGN OWNED and DROP OWNED on delete.",
    "data-protected-in-pro": "In pro, data-bearing resources (schema, DB role, secret, S3 objects) are protected.",
    "tenant-namespace-guarded": "Every tenant namespace has a ResourceQuota and an ingress NetworkPolicy.",
} as const;

export type PolicyName = keyof typeof policyInfo;

/** Runs every per-resource rule on one resource. */
export function checkResource(resource: CheckedResource, context: PolicyContext): Violation[] {
    const { type, inputs: props } = resource;
    const results: Array<[PolicyName, string[]]> = [
        ["knative-service-resources", knativeServiceResources(type, props)],
        ["knative-image-pinned-in-pro", knativeImagePinned(type, props, context)],
        ["irsa-trust-own-service-account", irsaTrustPolicy(type, props, context)],
        ["iam-no-wildcards", iamNoWildcards(type, props)],
        ["s3-objects-under-prefix", s3ObjectUnderPrefix(type, props, context)],
        ["domain-mapping-tls", domainMappingTls(type, props, context)],
        ["secret-recovery-window-in-pro", secretRecoveryWindow(type, props, context)],
        ["postgres-never-cascade", postgresNeverCascade(type, props)],
        ["data-protected-in-pro", dataProtected(type, resource.protect, context)],
    ];
    const urn = resource.urn !== undefined ? { urn: resource.urn } : {};
    return results.flatMap(([policy, messages]) => messages.map((message) => ({ policy, resource: resource.name, message, ...urn })));
}

/**
 * Runs every policy of the pack over the resources of one stack (as the render records
 * them) and returns the violations, per-resource rules first, then stack-level ones.
 */
export function checkResources(resources: readonly CheckedResource[], context: PolicyContext): Violation[] {
    const perResource = resources.flatMap((r) => checkResource(r, context));
    const urns = new Map(resources.map((r) => [r.name, r.urn]));
    const stackLevel = tenantNamespacesGuarded(resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }))).map((v) => {
        const urn = urns.get(v.resource);
        return { policy: "tenant-namespace-guarded" as const, ...v, ...(urn !== undefined ? { urn } : {}) };
    });
    return [...perResource, ...stackLevel];
}

/** The policy context of a validated stack config, as render and the pack config files use it. */
export function policyContextOf(platform: PlatformConfig): PolicyContext {
    return {
        environment: platform.env,
        storagePrefix: platform.storage.prefix,
        bucket: platform.storage.bucket,
        oidcProviderArn: platform.cluster.oidcProviderArn,
        tlsMode: platform.tls.mode,
    };
}

/** One line per violation: `policy: resource: message`. */
export function formatViolation(v: Violation): string {
    return `[${v.policy}] ${v.resource}: ${v.message}`;
}
