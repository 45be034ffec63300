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
import { ServiceAccount } from "kubernetes-models/v1";
import { ClusterRole, ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { repoRoot } from "../support/harness";
import {
    account,
    allObjects,
    deployDir,
    liveConfig,
    policyOf,
    envs,
    errorsOf,
    evaluateLive,
    listed,
    objectsOf,
    stackOf,
    stackValidator,
    type Json,
} from "./support";

describe("deploy: the Pulumi Kubernetes Operator setup", () => {
    it("kustomization.yaml lists every object file of deploy/, and the Flux Kustomization applies that folder from the platform's GitRepository", () => {
        const yamlFiles = fs
            .readdirSync(deployDir)
            .filter((f) => f.endsWith(".yaml"))
            .sort();
        assert.deepEqual(yamlFiles, [
            "admission.yaml",
            "flux-kustomization.yaml",
            "kustomization.yaml",
            "rbac.yaml",
            "serviceaccounts.yaml",
            "stack-pre.yaml",
            "stack-pro.yaml",
        ]);
        assert.deepEqual(listed(), ["serviceaccounts.yaml", "rbac.yaml", "admission.yaml", "stack-pre.yaml", "stack-pro.yaml"]);
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
        // admission.yaml's objects are validated in admission.test.ts.
        for (const o of allObjects().filter((x) => x.kind !== "Stack" && !x.kind.startsWith("ValidatingAdmissionPolicy"))) {
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
            "/configmaps",
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
});
