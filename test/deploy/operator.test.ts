/**
 * The in-cluster setup under deploy/: every object validated against the schema that judges it
 * (the Stack CRD's own openAPIV3Schema from pulumi-kubernetes-operator v2.9.0, vendored in
 * test/fixtures/crds/; core and RBAC objects through kubernetes-models), the Stacks' settings,
 * the RBAC held against the Kubernetes kinds the program really registers, and the IAM policy
 * of each stack's workspace held against every AWS request the program's resources need, in an
 * IAM policy simulator. No cluster or AWS account is involved: see docs/operator.md for what
 * only a real one shows.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import Ajv, { type ValidateFunction } from "ajv";
import { ServiceAccount } from "kubernetes-models/v1";
import { ClusterRole, ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { parseAllDocuments, parse } from "yaml";
import { evaluateStack, type Evaluation } from "../../render/evaluate";
import { repoRoot } from "../support/harness";

type Env = "pre" | "pro";
type Json = Record<string, unknown>;
interface K8sObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
    readonly spec?: Json;
    readonly rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    readonly subjects?: { kind: string; name: string; namespace?: string }[];
    readonly roleRef?: { kind: string; name: string };
}
interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string[];
    readonly Resource: string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}
interface Policy {
    readonly Version: string;
    readonly Statement: Statement[];
}

const deployDir = path.join(repoRoot, "deploy");
const account = "482103417651";
const envs: readonly Env[] = ["pre", "pro"];

/** Every object of a multi-document YAML file under deploy/. */
const objectsOf = (file: string): K8sObject[] =>
    parseAllDocuments(fs.readFileSync(path.join(deployDir, file), "utf8")).map((doc) => doc.toJS() as K8sObject);
const listed = (): string[] =>
    (parse(fs.readFileSync(path.join(deployDir, "kustomization.yaml"), "utf8")) as { resources: string[] }).resources;
const allObjects = (): K8sObject[] => listed().flatMap(objectsOf);
const stackOf = (env: Env): K8sObject => {
    const found = allObjects().filter((o) => o.kind === "Stack" && o.metadata.name === `tenant-apps-${env}`);
    assert.equal(found.length, 1);
    return found[0] as K8sObject;
};
const policyOf = (env: Env, kind: "policy" | "trust"): Policy =>
    JSON.parse(fs.readFileSync(path.join(deployDir, "iam", `operator-${env}.${kind}.json`), "utf8")) as Policy;

/**
 * The Stack CRD's schema for `version`, closed the way the API server's strict field validation
 * treats it: an object with `properties` and no `additionalProperties` or
 * `x-kubernetes-preserve-unknown-fields` rejects unknown fields (a typo is an error, not a
 * silently pruned field).
 */
function stackValidator(version: string): ValidateFunction {
    const crd = parse(fs.readFileSync(path.join(repoRoot, "test", "fixtures", "crds", "pulumi.com_stacks.yaml"), "utf8")) as {
        spec: { versions: { name: string; schema: { openAPIV3Schema: Json } }[] };
    };
    const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
    assert.ok(schema, `the CRD serves ${version}`);
    const close = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(close);
        if (node === null || typeof node !== "object") return node;
        const out: Json = Object.fromEntries(
            Object.entries(node).map(([k, v]) => [k, k === "properties" ? mapValues(v as Json) : close(v)]),
        );
        if (out.type === "object" && out.properties && !("additionalProperties" in out) && !out["x-kubernetes-preserve-unknown-fields"])
            out.additionalProperties = false;
        return out;
    };
    const mapValues = (props: Json): Json => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, close(v)]));
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, validateFormats: false });
    for (const keyword of [
        "x-kubernetes-int-or-string",
        "x-kubernetes-list-map-keys",
        "x-kubernetes-list-type",
        "x-kubernetes-map-type",
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-validations",
    ])
        ajv.addKeyword({ keyword });
    return ajv.compile(close(schema) as Json);
}

const errorsOf = (validate: ValidateFunction, value: unknown): string[] =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);

/** The live Pulumi.<env>.yaml as the engine passes it: values as strings, objects JSON-encoded, secure values as placeholders. */
function liveConfig(env: Env): Parameters<typeof evaluateStack>[0]["config"] {
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
function evaluateLive(env: Env): Promise<Evaluation> {
    return evaluateStack({ stack: env, config: liveConfig(env), catalogDir: path.join(repoRoot, "stacks", env) });
}

/** One AWS request of the chain: what the provider calls for a resource, with its context keys. */
interface Request {
    readonly action: string;
    readonly resource: string;
    readonly context: Record<string, string | string[]>;
}

async function decision(policy: Policy, request: Request): Promise<string> {
    const result = await runSimulation(
        {
            identityPolicies: [{ name: "operator", policy }],
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            request: {
                action: request.action,
                principal: `arn:aws:sts::${account}:assumed-role/tenant-apps-operator/workspace`,
                resource: { accountId: account, resource: request.resource },
                contextVariables: request.context,
            },
        },
        {},
    );
    if (result.resultType === "error") throw new Error(`${request.action} ${request.resource}: ${result.errors.message}`);
    return result.overallResult;
}

const tagContext = (prefix: "aws:RequestTag" | "aws:ResourceTag", tags: Record<string, string>): Record<string, string | string[]> => ({
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v])),
    ...(prefix === "aws:RequestTag" ? { "aws:TagKeys": Object.keys(tags) } : {}),
});

/** Every AWS request the program's resources of one stack need, from what the program registered. */
function requestsOf(ev: Evaluation, recoveryWindow: number): Request[] {
    const out: Request[] = [];
    for (const r of ev.resources) {
        const tags = (r.inputs.tags ?? {}) as Record<string, string>;
        const onCreate = tagContext("aws:RequestTag", tags);
        const existing = tagContext("aws:ResourceTag", tags);
        if (r.type === "aws:secretsmanager/secret:Secret") {
            const arn = `arn:aws:secretsmanager:eu-west-1:${account}:secret:${String(r.inputs.name)}-AbC123`;
            for (const action of ["CreateSecret", "TagResource"])
                out.push({ action: `secretsmanager:${action}`, resource: arn, context: onCreate });
            for (const action of [
                "DescribeSecret",
                "GetResourcePolicy",
                "GetSecretValue",
                "ListSecretVersionIds",
                "PutSecretValue",
                "TagResource",
                "UntagResource",
                "UpdateSecret",
                "UpdateSecretVersionStage",
            ])
                out.push({ action: `secretsmanager:${action}`, resource: arn, context: existing });
            out.push({
                action: "secretsmanager:DeleteSecret",
                resource: arn,
                context: { ...existing, "secretsmanager:RecoveryWindowInDays": String(recoveryWindow) },
            });
        } else if (r.type === "aws:iam/role:Role") {
            const arn = `arn:aws:iam::${account}:role/${String(r.inputs.name)}`;
            for (const action of ["CreateRole", "TagRole"]) out.push({ action: `iam:${action}`, resource: arn, context: onCreate });
            for (const action of [
                "DeleteRole",
                "DeleteRolePolicy",
                "GetRole",
                "GetRolePolicy",
                "ListAttachedRolePolicies",
                "ListInstanceProfilesForRole",
                "ListRolePolicies",
                "PutRolePolicy",
                "UntagRole",
                "UpdateAssumeRolePolicy",
                "UpdateRole",
                "UpdateRoleDescription",
            ])
                out.push({ action: `iam:${action}`, resource: arn, context: existing });
        } else if (r.type === "aws:s3/bucketObjectv2:BucketObjectv2") {
            const arn = `arn:aws:s3:::${String(r.inputs.bucket)}/${String(r.inputs.key)}`;
            for (const action of ["DeleteObject", "GetObject", "GetObjectTagging", "PutObject", "PutObjectTagging"])
                out.push({ action: `s3:${action}`, resource: arn, context: {} });
        }
    }
    for (const invoke of ev.invokes.filter((i) => i.token === "aws:secretsmanager/getSecretVersion:getSecretVersion"))
        out.push({ action: "secretsmanager:GetSecretValue", resource: String(invoke.args.secretId), context: {} });
    return out;
}

describe("deploy: the Pulumi Kubernetes Operator setup", () => {
    it("kustomization.yaml lists every object file of deploy/, and the Flux Kustomization applies that folder from the platform's GitRepository", () => {
        const yamlFiles = fs
            .readdirSync(deployDir)
            .filter((f) => f.endsWith(".yaml"))
            .sort();
        assert.deepEqual(yamlFiles, [
            "flux-kustomization.yaml",
            "kustomization.yaml",
            "rbac.yaml",
            "serviceaccounts.yaml",
            "stack-pre.yaml",
            "stack-pro.yaml",
        ]);
        assert.deepEqual(listed(), ["serviceaccounts.yaml", "rbac.yaml", "stack-pre.yaml", "stack-pro.yaml"]);
        assert.deepEqual(objectsOf("flux-kustomization.yaml"), [
            {
                apiVersion: "kustomize.toolkit.fluxcd.io/v1",
                kind: "Kustomization",
                metadata: { name: "tenant-apps", namespace: "flux-system" },
                spec: {
                    interval: "10m0s",
                    path: "./tenant-apps/deploy",
                    prune: true,
                    wait: false,
                    sourceRef: { kind: "GitRepository", name: "flux-system" },
                },
            },
        ]);
    });

    it("every Stack is valid against the operator's own CRD schema (pulumi.com/v1)", () => {
        const validate = stackValidator("v1");
        const stacks = allObjects().filter((o) => o.kind === "Stack");
        assert.deepEqual(
            stacks.map((s) => [s.apiVersion, s.metadata.name, s.metadata.namespace]),
            [
                ["pulumi.com/v1", "tenant-apps-pre", "flux-system"],
                ["pulumi.com/v1", "tenant-apps-pro", "flux-system"],
            ],
        );
        for (const stack of stacks) assert.deepEqual(errorsOf(validate, stack), [], stack.metadata.name);
    });

    it("the schema check bites: a misspelt field, a wrong type and a bad enum are rejected", () => {
        const validate = stackValidator("v1");
        const good = stackOf("pre");
        const spec = good.spec as Json;
        const withSpec = (patch: Json) => ({ ...good, spec: { ...spec, ...patch } });
        assert.deepEqual(errorsOf(validate, withSpec({ refersh: true })), [
            '/spec must NOT have additional properties {"additionalProperty":"refersh"}',
        ]);
        assert.deepEqual(errorsOf(validate, withSpec({ resyncFrequencySeconds: "1h" })), [
            '/spec/resyncFrequencySeconds must be integer {"type":"integer"}',
        ]);
        assert.equal(errorsOf(validate, withSpec({ workspaceReclaimPolicy: "Keep" })).length, 1);
        assert.equal(errorsOf(validate, withSpec({ prerequisites: [{ requirement: {} }] })).length, 1);
    });

    it("core and RBAC objects are valid Kubernetes objects", () => {
        const kinds: string[] = [];
        for (const o of allObjects().filter((x) => x.kind !== "Stack")) {
            kinds.push(`${o.kind}/${o.metadata.name}`);
            if (o.kind === "ServiceAccount") new ServiceAccount(o as unknown as ConstructorParameters<typeof ServiceAccount>[0]).validate();
            else if (o.kind === "ClusterRole") new ClusterRole(o as unknown as ConstructorParameters<typeof ClusterRole>[0]).validate();
            else if (o.kind === "ClusterRoleBinding")
                new ClusterRoleBinding(o as unknown as ConstructorParameters<typeof ClusterRoleBinding>[0]).validate();
            else assert.fail(`unexpected ${o.kind}`);
        }
        assert.deepEqual(kinds, [
            "ServiceAccount/tenant-apps-pre",
            "ServiceAccount/tenant-apps-pro",
            "ClusterRole/tenant-apps-chain",
            "ClusterRoleBinding/tenant-apps-chain",
            "ClusterRoleBinding/tenant-apps-workspace-auth-delegator",
        ]);
    });

    for (const env of envs) {
        it(`${env}: source, identity, state backend and secrets provider without plaintext secrets, refresh and resync for drift`, () => {
            const spec = stackOf(env).spec as Json;
            assert.deepEqual(spec.fluxSource, {
                sourceRef: { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", name: "flux-system" },
                dir: "tenant-apps",
            });
            assert.equal(spec.stack, env);
            assert.equal(spec.serviceAccountName, `tenant-apps-${env}`);
            assert.equal(spec.backend, "s3://numinia-pulumi-state/tenant-apps?region=eu-west-1");
            assert.equal(spec.secretsProvider, "awskms://alias/tenant-apps-pulumi?region=eu-west-1");
            assert.deepEqual(spec.envRefs, { AWS_REGION: { type: "Literal", literal: { value: "eu-west-1" } } });
            for (const key of ["secrets", "secretsRef", "envSecrets", "accessTokenSecret", "config"])
                assert.equal(spec[key], undefined, key);
            assert.equal(spec.refresh, true);
            assert.equal(spec.continueResyncOnCommitMatch, true);
            assert.equal(spec.resyncFrequencySeconds, env === "pre" ? 1800 : 3600);
            assert.equal(spec.useLocalStackOnly, true);
            assert.equal(spec.destroyOnFinalize, false);
            assert.equal(spec.retryOnUpdateConflict, false);
            // The workspace's CLI is the one the SDK in package.json is released with.
            const sdk = (
                JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> }
            ).dependencies["@pulumi/pulumi"];
            const workspace = (spec.workspaceTemplate as { spec: Json }).spec;
            assert.equal(workspace.image, `pulumi/pulumi:${sdk}-nonroot`);
            const init = (workspace.podTemplate as { spec: { initContainers: Json[] } }).spec.initContainers;
            assert.deepEqual(init, [
                {
                    name: "build",
                    image: `pulumi/pulumi:${sdk}-nonroot`,
                    workingDir: "/share/workspace",
                    command: ["sh", "-c", "npm ci --no-audit --no-fund && npm run build"],
                    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                    volumeMounts: [{ name: "share", mountPath: "/share" }],
                },
            ]);
            assert.deepEqual((workspace.podTemplate as { spec: { containers: Json[] } }).spec.containers, [{ name: "pulumi" }]);
        });

        it(`${env}: the service account carries the IRSA role whose trust admits exactly that account`, () => {
            const sa = allObjects().find((o) => o.kind === "ServiceAccount" && o.metadata.name === `tenant-apps-${env}`);
            assert.equal(
                sa?.metadata.annotations?.["eks.amazonaws.com/role-arn"],
                `arn:aws:iam::${account}:role/tenant-apps-operator-${env}-irsa`,
            );
            const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87";
            const trust = policyOf(env, "trust");
            assert.deepEqual(trust.Statement[0]?.Condition, {
                StringEquals: {
                    [`${issuer}:sub`]: `system:serviceaccount:flux-system:tenant-apps-${env}`,
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                },
            });
            const config = liveConfig(env).config;
            assert.equal(
                (trust.Statement[0] as unknown as { Principal: { Federated: string } }).Principal.Federated,
                (JSON.parse(config["tenant-apps:cluster"] as string) as { oidcProviderArn: string }).oidcProviderArn,
            );
        });
    }

    it("pro is promoted after pre: its prerequisite is a recent success of tenant-apps-pre; pre has none", () => {
        assert.deepEqual((stackOf("pro").spec as Json).prerequisites, [
            { name: "tenant-apps-pre", requirement: { succeededWithinDuration: "15m" } },
        ]);
        assert.equal((stackOf("pre").spec as Json).prerequisites, undefined);
    });

    it("RBAC grants exactly the Kubernetes kinds the program registers, bound to the two workspace accounts", async () => {
        const registered = new Set<string>();
        for (const env of envs) {
            for (const r of (await evaluateLive(env)).resources) {
                const m = /^kubernetes:([^/]+)\/[^:]+:(\w+)$/.exec(r.type);
                if (!m) continue;
                const group = m[1] === "core" ? "" : (m[1] as string);
                const kind = (m[2] as string).toLowerCase();
                registered.add(`${group}/${kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : `${kind}s`}`);
            }
        }
        const role = allObjects().find((o) => o.kind === "ClusterRole");
        const granted = (role?.rules ?? []).flatMap((rule) => rule.apiGroups.flatMap((g) => rule.resources.map((res) => `${g}/${res}`)));
        assert.deepEqual([...registered].sort(), [...granted].sort());
        assert.deepEqual(granted.sort(), [
            "/limitranges",
            "/namespaces",
            "/resourcequotas",
            "/serviceaccounts",
            "external-secrets.io/externalsecrets",
            "external-secrets.io/secretstores",
            "networking.k8s.io/networkpolicies",
            "serving.knative.dev/domainmappings",
            "serving.knative.dev/services",
        ]);
        for (const rule of role?.rules ?? []) assert.deepEqual(rule.verbs, ["get", "list", "watch", "create", "update", "patch", "delete"]);
        const subjects = [
            { kind: "ServiceAccount", name: "tenant-apps-pre", namespace: "flux-system" },
            { kind: "ServiceAccount", name: "tenant-apps-pro", namespace: "flux-system" },
        ];
        const bindings = allObjects().filter((o) => o.kind === "ClusterRoleBinding");
        assert.deepEqual(
            bindings.map((b) => [b.roleRef?.name, b.subjects]),
            [
                ["tenant-apps-chain", subjects],
                ["system:auth-delegator", subjects],
            ],
        );
    });

    it("the IAM policies: no wildcard action, no bare `*` resource, every wildcard resource pinned to the environment or a tag condition", () => {
        for (const env of envs) {
            for (const s of policyOf(env, "policy").Statement) {
                for (const action of s.Action) assert.doesNotMatch(action, /\*/, `${env} ${s.Sid}`);
                for (const resource of s.Resource) {
                    assert.notEqual(resource, "*", `${env} ${s.Sid}`);
                    if (!resource.includes("*") || s.Effect === "Deny") continue;
                    // The state objects of both stacks share one backend prefix (CI and laptops use the same backend).
                    const state = resource === "arn:aws:s3:::numinia-pulumi-state/tenant-apps/.pulumi/*";
                    const pinned = state || resource.includes(`-${env}`) || resource.includes(`/${env}/`) || s.Condition !== undefined;
                    assert.ok(pinned, `${env} ${s.Sid}: ${resource}`);
                }
            }
        }
        // The two environments' policies differ only in the environment and pro's longer recovery window.
        const normalize = (env: Env) =>
            JSON.stringify(policyOf(env, "policy"))
                .replace(new RegExp(`(-|/|")${env}(-|/|")`, "g"), "$1ENV$2")
                .replace(/"secretsmanager:RecoveryWindowInDays":"(7|30)"/, "WINDOW");
        assert.equal(normalize("pre"), normalize("pro"));
    });

    for (const env of envs) {
        it(`${env}: the simulator allows every AWS request the program's resources need, and the config's RDS secret and bucket are the policy's`, async () => {
            const ev = await evaluateLive(env);
            const requests = requestsOf(ev, env === "pre" ? 7 : 30);
            const kinds = new Set(requests.map((r) => r.action));
            assert.ok(kinds.has("secretsmanager:CreateSecret") && kinds.has("iam:PutRolePolicy") && kinds.has("s3:PutObject"));
            assert.ok(requests.length > 50, `${requests.length} requests`);
            const policy = policyOf(env, "policy");
            const denied: string[] = [];
            for (const request of requests)
                if ((await decision(policy, request)) !== "Allowed") denied.push(`${request.action} ${request.resource}`);
            assert.deepEqual(denied, []);

            const config = liveConfig(env).config;
            const database = JSON.parse(config["tenant-apps:database"] as string) as { adminSecretArn: string };
            const storage = JSON.parse(config["tenant-apps:storage"] as string) as { bucket: string; prefix: string };
            const statement = (sid: string) => policy.Statement.find((s) => s.Sid === sid);
            assert.deepEqual(statement("ReadRdsAdminSecret")?.Resource, [database.adminSecretArn]);
            assert.deepEqual(statement("TenantAssetFolders")?.Resource, [
                `arn:aws:s3:::${storage.bucket}/${storage.prefix}/*/*/${env}/assets/`,
            ]);
        });
    }

    it("the simulator denies the other environment's resources, untagged look-alikes, force deletion, short recovery windows and the operator's own role", async () => {
        const pre = policyOf("pre", "policy");
        const pro = policyOf("pro", "policy");
        const proRequests = requestsOf(await evaluateLive("pro"), 30).filter(
            (r) => !r.action.startsWith("secretsmanager:GetSecretValue") || !r.resource.includes("rds!"),
        );
        const allowedCrossEnv: string[] = [];
        for (const request of proRequests)
            if ((await decision(pre, request)) === "Allowed") allowedCrossEnv.push(`${request.action} ${request.resource}`);
        assert.deepEqual(allowedCrossEnv, []);

        const secret = `arn:aws:secretsmanager:eu-west-1:${account}:secret:hyperfy2-acme-world-pro-AbC123`;
        const tagged = { "aws:ResourceTag/managed-by": "tenant-apps", "aws:ResourceTag/tenant-apps/environment": "pro" };
        const role = `arn:aws:iam::${account}:role/platform-admin-pro`;
        const cases: [Request, string][] = [
            [{ action: "secretsmanager:PutSecretValue", resource: secret, context: tagged }, "Allowed"],
            [{ action: "secretsmanager:PutSecretValue", resource: secret, context: {} }, "ImplicitlyDenied"],
            [{ action: "iam:PutRolePolicy", resource: role, context: {} }, "ImplicitlyDenied"],
            [{ action: "iam:CreateRole", resource: role, context: { "aws:RequestTag/managed-by": "someone-else" } }, "ImplicitlyDenied"],
            [
                {
                    action: "secretsmanager:DeleteSecret",
                    resource: secret,
                    context: { ...tagged, "secretsmanager:RecoveryWindowInDays": "30" },
                },
                "Allowed",
            ],
            [
                {
                    action: "secretsmanager:DeleteSecret",
                    resource: secret,
                    context: { ...tagged, "secretsmanager:RecoveryWindowInDays": "7" },
                },
                "ImplicitlyDenied",
            ],
            [
                {
                    action: "secretsmanager:DeleteSecret",
                    resource: secret,
                    context: { ...tagged, "secretsmanager:ForceDeleteWithoutRecovery": "true" },
                },
                "ExplicitlyDenied",
            ],
            [
                {
                    action: "iam:PutRolePolicy",
                    resource: `arn:aws:iam::${account}:role/tenant-apps-operator-pro-irsa`,
                    context: { "aws:ResourceTag/managed-by": "tenant-apps", "aws:ResourceTag/tenant-apps/environment": "pro" },
                },
                "ImplicitlyDenied",
            ],
            [
                {
                    action: "s3:PutObject",
                    resource: "arn:aws:s3:::numinia-statics/hyperfy-spaces/acme/world/pro/assets/world.glb",
                    context: {},
                },
                "ImplicitlyDenied",
            ],
            [
                { action: "s3:GetObject", resource: "arn:aws:s3:::numinia-statics/other/acme/world/pro/assets/", context: {} },
                "ImplicitlyDenied",
            ],
        ];
        const got: [string, string][] = [];
        for (const [request] of cases) got.push([`${request.action} ${request.resource}`, await decision(pro, request)]);
        assert.deepEqual(
            got,
            cases.map(([request, expected]) => [`${request.action} ${request.resource}`, expected]),
        );
    });
});
