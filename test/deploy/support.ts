/** Shared readers of deploy/ for the operator tests: objects, the Stack schema, the live evaluation and the IAM simulator. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { ValidateFunction } from "ajv";
import { parseAllDocuments, parse } from "yaml";
import { evaluateStack, type Evaluation } from "../../render/evaluate";
import { crdValidator } from "../support/crds";
import { repoRoot } from "../support/harness";

export type Env = "pre" | "pro";
export type Json = Record<string, unknown>;
export interface K8sObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
    readonly spec?: Json;
    readonly rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    readonly subjects?: { kind: string; name: string; namespace?: string }[];
    readonly roleRef?: { kind: string; name: string };
}
export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string[];
    readonly Resource: string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}
export interface Policy {
    readonly Version: string;
    readonly Statement: Statement[];
}

export const deployDir = path.join(repoRoot, "deploy");
export const account = "482103417651";
export const envs: readonly Env[] = ["pre", "pro"];

/** Every object of a multi-document YAML file under deploy/. */
export const objectsOf = (file: string): K8sObject[] =>
    parseAllDocuments(fs.readFileSync(path.join(deployDir, file), "utf8")).map((doc) => doc.toJS() as K8sObject);
export const listed = (): string[] =>
    (parse(fs.readFileSync(path.join(deployDir, "kustomization.yaml"), "utf8")) as { resources: string[] }).resources;
export const allObjects = (): K8sObject[] => listed().flatMap(objectsOf);
export const stackOf = (env: Env): K8sObject => {
    const found = allObjects().filter((o) => o.kind === "Stack" && o.metadata.name === `tenant-apps-${env}`);
    assert.equal(found.length, 1);
    return found[0] as K8sObject;
};
export const policyOf = (env: Env, kind: "policy" | "trust"): Policy =>
    JSON.parse(fs.readFileSync(path.join(deployDir, "iam", `operator-${env}.${kind}.json`), "utf8")) as Policy;
/** The permissions boundary of the environment's tenant roles and users, created once at bootstrap. */
export const boundaryOf = (env: Env): Policy =>
    JSON.parse(fs.readFileSync(path.join(deployDir, "iam", `tenant-boundary-${env}.policy.json`), "utf8")) as Policy;

/** The Stack CRD's schema for `version`, closed as the API server's strict field validation treats it (test/support/crds.ts). */
export const stackValidator = (version: string): ValidateFunction => crdValidator("pulumi.com_stacks.yaml", version);

export const errorsOf = (validate: ValidateFunction, value: unknown): string[] =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);

/** The live Pulumi.<env>.yaml as the engine passes it: values as strings, objects JSON-encoded, secure values as placeholders. */
export function liveConfig(env: Env): Parameters<typeof evaluateStack>[0]["config"] {
    const doc = parse(fs.readFileSync(path.join(repoRoot, `Pulumi.${env}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(doc.config)) {
        const secure = typeof value === "object" && value !== null && "secure" in value;
        if (secure) secretKeys.push(key);
        config[key] = secure ? `[secure config ${key}]` : typeof value === "string" ? value : JSON.stringify(value);
    }
    return { config, secretKeys };
}

/** Evaluates the live stack (Pulumi.<env>.yaml and stacks/<env>/): the policy is written for it. */
export function evaluateLive(env: Env): Promise<Evaluation> {
    return evaluateStack({ stack: env, config: liveConfig(env), catalogDir: path.join(repoRoot, "stacks", env) });
}

/** One AWS request of the chain: what the provider calls for a resource, with its context keys. */
export interface Request {
    readonly action: string;
    readonly resource: string;
    readonly context: Record<string, string | string[]>;
}

/**
 * The key policy AWS gives a new KMS key (and the bootstrap's keys): the account's root, which
 * lets the account's IAM policies decide. A KMS request needs the key policy's consent too.
 */
const defaultKeyPolicy = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "Enable IAM User Permissions",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ],
};

/**
 * The simulator's decision on `request` by a principal with `policy`; `boundary` is set as its
 * permissions boundary (then the principal is a tenant role: `principal` names it).
 */
export async function decision(
    policy: Policy,
    request: Request,
    as: { readonly boundary?: Policy; readonly principal?: string } = {},
): Promise<string> {
    const result = await runSimulation(
        {
            identityPolicies: [{ name: "operator", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            ...(as.boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: as.boundary }] } : {}),
            ...(request.action.startsWith("kms:") ? { resourcePolicy: defaultKeyPolicy } : {}),
            request: {
                action: request.action,
                principal: as.principal ?? `arn:aws:sts::${account}:assumed-role/tenant-apps-operator/workspace`,
                resource: { accountId: account, resource: request.resource },
                contextVariables: request.context,
            },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`${request.action} ${request.resource}: ${result.errors.message}`);
    return result.overallResult;
}

export const tagContext = (
    prefix: "aws:RequestTag" | "aws:ResourceTag",
    tags: Record<string, string>,
): Record<string, string | string[]> => ({
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v])),
    ...(prefix === "aws:RequestTag" ? { "aws:TagKeys": Object.keys(tags) } : {}),
});

/**
 * Every AWS request the program's resources of one stack need, from what the program registered.
 * IAM calls per terraform-provider-aws internal/service/iam (stored commit 058fd40 of user.go,
 * 1271cd2 of access_key.go, 02f97af of user_policy.go): a user is created with its tags and
 * boundary in one CreateUser (TagUser where a partition refuses tag-on-create), read with GetUser,
 * renamed or moved with UpdateUser, its boundary set with PutUserPermissionsBoundary, tagged and
 * untagged, and deleted after ListGroupsForUser (resourceUserDelete; no force_destroy, so no MFA,
 * login-profile, SSH-key or certificate calls); an access key is CreateAccessKey, read through
 * ListAccessKeys (FindAccessKey) and DeleteAccessKey (status never changes, so no
 * UpdateAccessKey); a user policy is PutUserPolicy, GetUserPolicy, DeleteUserPolicy. A role is
 * the same with PutRolePermissionsBoundary on a boundary change (role.go resourceRoleUpdate).
 * `iam:PermissionsBoundary` is the boundary in the request (create, put boundary) or the one the
 * entity carries (policy writes).
 */
export function requestsOf(ev: Evaluation, recoveryWindow: number): Request[] {
    const out: Request[] = [];
    const push = (service: string, actions: readonly string[], resource: string, context: Request["context"]) => {
        for (const action of actions) out.push({ action: `${service}:${action}`, resource, context });
    };
    const iamEntities = new Map<string, { arn: string; tags: Record<string, string>; boundary: string }>();
    for (const r of ev.resources) {
        if (r.type !== "aws:iam/role:Role" && r.type !== "aws:iam/user:User") continue;
        const kind = r.type === "aws:iam/role:Role" ? "role" : "user";
        const name = String(r.inputs.name);
        iamEntities.set(`${kind}:${name}`, {
            arn: `arn:aws:iam::${account}:${kind}${String(r.inputs.path ?? "/")}${name}`,
            tags: (r.inputs.tags ?? {}) as Record<string, string>,
            boundary: String(r.inputs.permissionsBoundary ?? ""),
        });
    }
    const entity = (kind: "role" | "user", name: unknown) => {
        const found = iamEntities.get(`${kind}:${String(name)}`);
        assert.ok(found, `the plan registers ${kind} ${String(name)}`);
        const existing = tagContext("aws:ResourceTag", found.tags);
        const bounded = found.boundary === "" ? existing : { ...existing, "iam:PermissionsBoundary": found.boundary };
        return { ...found, existing, bounded };
    };
    for (const r of ev.resources) {
        const tags = (r.inputs.tags ?? {}) as Record<string, string>;
        const onCreate = tagContext("aws:RequestTag", tags);
        const existing = tagContext("aws:ResourceTag", tags);
        if (r.type === "aws:secretsmanager/secret:Secret") {
            const arn = `arn:aws:secretsmanager:eu-west-1:${account}:secret:${String(r.inputs.name)}-AbC123`;
            push("secretsmanager", ["CreateSecret", "TagResource"], arn, onCreate);
            push(
                "secretsmanager",
                [
                    "DescribeSecret",
                    "GetResourcePolicy",
                    "GetSecretValue",
                    "ListSecretVersionIds",
                    "PutSecretValue",
                    "TagResource",
                    "UntagResource",
                    "UpdateSecret",
                    "UpdateSecretVersionStage",
                ],
                arn,
                existing,
            );
            push("secretsmanager", ["DeleteSecret"], arn, { ...existing, "secretsmanager:RecoveryWindowInDays": String(recoveryWindow) });
        } else if (r.type === "aws:iam/role:Role" || r.type === "aws:iam/user:User") {
            const kind = r.type === "aws:iam/role:Role" ? "Role" : "User";
            const e = entity(kind === "Role" ? "role" : "user", r.inputs.name);
            const withBoundary = e.boundary === "" ? onCreate : { ...onCreate, "iam:PermissionsBoundary": e.boundary };
            push("iam", [`Create${kind}`], e.arn, withBoundary);
            push("iam", [`Tag${kind}`], e.arn, onCreate);
            push("iam", [`Put${kind}PermissionsBoundary`], e.arn, e.bounded);
            const manage =
                kind === "Role"
                    ? [
                          "DeleteRole",
                          "GetRole",
                          "ListAttachedRolePolicies",
                          "ListInstanceProfilesForRole",
                          "ListRolePolicies",
                          "UntagRole",
                          "UpdateAssumeRolePolicy",
                          "UpdateRole",
                          "UpdateRoleDescription",
                      ]
                    : ["DeleteUser", "GetUser", "ListGroupsForUser", "UntagUser", "UpdateUser"];
            push("iam", manage, e.arn, e.existing);
        } else if (r.type === "aws:iam/rolePolicy:RolePolicy" || r.type === "aws:iam/userPolicy:UserPolicy") {
            const kind = r.type === "aws:iam/rolePolicy:RolePolicy" ? "Role" : "User";
            const e = entity(kind === "Role" ? "role" : "user", kind === "Role" ? r.inputs.role : r.inputs.user);
            push("iam", [`Put${kind}Policy`, `Delete${kind}Policy`], e.arn, e.bounded);
            push("iam", [`Get${kind}Policy`], e.arn, e.existing);
        } else if (r.type === "aws:iam/accessKey:AccessKey") {
            const e = entity("user", r.inputs.user);
            push("iam", ["CreateAccessKey", "ListAccessKeys", "DeleteAccessKey"], e.arn, e.existing);
        } else if (r.type === "aws:s3/bucketObjectv2:BucketObjectv2") {
            const arn = `arn:aws:s3:::${String(r.inputs.bucket)}/${String(r.inputs.key)}`;
            push("s3", ["DeleteObject", "GetObject", "GetObjectTagging", "PutObject", "PutObjectTagging"], arn, {});
        }
    }
    // A new world's seeding (components/worldSeed.ts): the template listed and read, the world listed and written.
    for (const r of ev.resources.filter((x) => x.type === "pulumi-nodejs:dynamic/tenant-apps:WorldSeed")) {
        const [bucket, template, destination] = [String(r.inputs.bucket), String(r.inputs.template), String(r.inputs.destination)];
        for (const prefix of [template, destination])
            out.push({ action: "s3:ListBucket", resource: `arn:aws:s3:::${bucket}`, context: { "s3:prefix": prefix } });
        out.push({ action: "s3:GetObject", resource: `arn:aws:s3:::${bucket}/${template}world.json`, context: {} });
        out.push({
            action: "s3:PutObject",
            resource: `arn:aws:s3:::${bucket}/${destination}world.json`,
            context: { "s3:x-amz-copy-source": `${bucket}/${template}world.json` },
        });
    }
    for (const invoke of ev.invokes.filter((i) => i.token === "aws:secretsmanager/getSecretVersion:getSecretVersion"))
        out.push({ action: "secretsmanager:GetSecretValue", resource: String(invoke.args.secretId), context: {} });
    return out;
}
