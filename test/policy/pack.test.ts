import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { packConfigOf, packConfigOfStack, policyChecks } from "../../policy/config";
import { policies, type PackPolicyConfig } from "../../policy/policies";
import { checkResources, type CheckedResource } from "../../policy/rules";
import type { Evaluation } from "../../render/evaluate";
import { readStackConfig } from "../../model/stackConfig";
import { fixtureConfigFile, repoRoot } from "../support/harness";
import { copy, preContext, proContext, runResourcePolicy, runStackPolicy, sample, sampleEvaluation } from "./support";
import { typeTokens as t } from "../../model/typeTokens";

type Bag = Record<string, unknown>;

/** One violating and one compliant resource per resource policy, run through the pack's own objects. */
interface PackCase {
    readonly policy: string;
    readonly type: string;
    readonly good: (ev: Evaluation) => Bag;
    readonly bad: (ev: Evaluation) => Bag;
    readonly expected: RegExp;
    readonly protect?: { good: boolean; bad: boolean };
}

const knativeWith = (ev: Evaluation, patch: (c: Bag) => void): Bag => {
    const props = sample(ev, t.knativeService).inputs;
    const containers = (((props.spec as Bag).template as Bag).spec as Bag).containers as Bag[];
    patch(containers[0] as Bag);
    return props;
};

const cases: readonly PackCase[] = [
    {
        policy: "knative-service-resources",
        type: t.knativeService,
        good: (ev) => sample(ev, t.knativeService).inputs,
        bad: (ev) => knativeWith(ev, (c) => delete (c.resources as Bag).limits),
        expected: /has no resources\.limits\.cpu/,
    },
    {
        policy: "knative-image-pinned-in-pro",
        type: t.knativeService,
        good: (ev) => sample(ev, t.knativeService).inputs,
        bad: (ev) => knativeWith(ev, (c) => (c.image = "ghcr.io/numengames/numinia-hyperfy2:latest")),
        expected: /is not pinned/,
    },
    {
        policy: "knative-pod-security-restricted",
        type: t.knativeService,
        good: (ev) => sample(ev, t.knativeService).inputs,
        bad: (ev) => knativeWith(ev, (c) => ((c.securityContext as Bag).runAsUser = 0)),
        expected:
            /^pss-run-as-user: container "app" runs as uid 0 \(root\) \(spec\.template\.spec\.containers\[0\]\.securityContext\.runAsUser\)$/,
    },
    {
        policy: "namespace-pod-security-restricted",
        type: t.namespace,
        good: (ev) => sample(ev, t.namespace).inputs,
        bad: (ev) => {
            const namespace = sample(ev, t.namespace).inputs;
            ((namespace.metadata as Bag).labels as Bag)["pod-security.kubernetes.io/enforce"] = "privileged";
            return namespace;
        },
        expected: /^label pod-security\.kubernetes\.io\/enforce is "privileged"; it must be "restricted"$/,
    },
    {
        policy: "irsa-trust-own-service-account",
        type: t.iamRole,
        good: (ev) => sample(ev, t.iamRole).inputs,
        bad: (ev) => {
            const role = sample(ev, t.iamRole).inputs;
            role.assumeRolePolicy = String(role.assumeRolePolicy).replace("StringEquals", "StringLike");
            return role;
        },
        expected: /no StringEquals condition/,
    },
    {
        policy: "iam-no-wildcards",
        type: t.iamRolePolicy,
        good: (ev) => sample(ev, t.iamRolePolicy).inputs,
        bad: (ev) => ({
            ...sample(ev, t.iamRolePolicy).inputs,
            policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
        }),
        expected: /wildcard action "s3:\*"/,
    },
    {
        policy: "s3-objects-under-prefix",
        type: t.bucketObjectV2,
        good: (ev) => sample(ev, t.bucketObjectV2).inputs,
        bad: (ev) => ({ ...sample(ev, t.bucketObjectV2).inputs, key: "backups/everything/" }),
        expected: /outside the configured prefix/,
    },
    {
        policy: "domain-mapping-tls",
        type: t.domainMapping,
        good: (ev) => sample(ev, t.domainMapping).inputs,
        bad: (ev) => {
            const mapping = sample(ev, t.domainMapping).inputs;
            (mapping.spec as Bag).tls = { secretName: "" };
            return mapping;
        },
        expected: /without a secretName/,
    },
    {
        policy: "secret-recovery-window-in-pro",
        type: t.secret,
        good: (ev) => sample(ev, t.secret).inputs,
        bad: (ev) => ({ ...sample(ev, t.secret).inputs, recoveryWindowInDays: 0 }),
        expected: /recoveryWindowInDays is 0/,
    },
    {
        policy: "postgres-never-cascade",
        type: t.pgSchema,
        good: (ev) => sample(ev, t.pgSchema).inputs,
        bad: (ev) => ({ ...sample(ev, t.pgSchema).inputs, dropCascade: true }),
        expected: /dropCascade is true/,
    },
    {
        policy: "data-protected-in-pro",
        type: t.pgSchema,
        good: (ev) => sample(ev, t.pgSchema).inputs,
        bad: (ev) => sample(ev, t.pgSchema).inputs,
        protect: { good: true, bad: false },
        expected: /must be protected/,
    },
];

const proPackConfig = packConfigOf(proContext);

describe("the CrossGuard policy pack", () => {
    let pro: Evaluation;
    before(async () => {
        pro = await sampleEvaluation("pro");
    });

    it("has every policy once, all mandatory, each with its description", () => {
        assert.deepEqual(
            policies.map((p) => [p.name, p.enforcementLevel, p.description]),
            [
                [
                    "knative-service-resources",
                    "mandatory",
                    "KNative Services set CPU/memory requests and limits (requests ≤ limits) and a max-scale ≥ 1.",
                ],
                [
                    "knative-image-pinned-in-pro",
                    "mandatory",
                    "In pro, KNative Service images are pinned to a version tag (not latest) or a digest.",
                ],
                [
                    "irsa-trust-own-service-account",
                    "mandatory",
                    "IAM role trust policies federate only the cluster's OIDC provider, with StringEquals on both sub (one service account) and aud.",
                ],
                ["iam-no-wildcards", "mandatory", "No IAM Allow statement has a wildcard action or resource, NotAction or NotResource."],
                [
                    "s3-objects-under-prefix",
                    "mandatory",
                    "S3 objects live in the shared bucket under the configured prefix, in their own app's folder.",
                ],
                [
                    "domain-mapping-tls",
                    "mandatory",
                    "DomainMappings have TLS: an explicit spec.tls.secretName or the external-domain-tls mode.",
                ],
                [
                    "secret-recovery-window-in-pro",
                    "mandatory",
                    "In pro, Secrets Manager secrets keep a recovery window (7–30 days, never 0).",
                ],
                [
                    "postgres-never-cascade",
                    "mandatory",
                    "Schemas never drop with CASCADE; tenant DB roles skip REASSIGN OWNED and DROP OWNED on delete.",
                ],
                [
                    "data-protected-in-pro",
                    "mandatory",
                    "In pro, data-bearing resources (schema, DB role, secret, S3 objects) are protected; a secret's version never is (a rotation replaces it).",
                ],
                ["tenant-namespace-guarded", "mandatory", "Every tenant namespace has a ResourceQuota and an ingress NetworkPolicy."],
                [
                    "knative-pod-security-restricted",
                    "mandatory",
                    'KNative Service pod templates meet Pod Security "restricted" (non-root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp, restricted volume types) with a read-only root filesystem.',
                ],
                [
                    "namespace-pod-security-restricted",
                    "mandatory",
                    'Tenant namespaces enforce, audit and warn at Pod Security "restricted", pinned to a version, as labels.',
                ],
            ],
        );
    });

    for (const c of cases) {
        describe(c.policy, () => {
            const config = (proPackConfig[c.policy] ?? {}) as PackPolicyConfig;
            it("reports the violating resource", async () => {
                const reported = await runResourcePolicy(c.policy, { type: c.type, props: c.bad(pro), protect: c.protect?.bad }, config);
                assert.ok(reported.length > 0, "nothing reported");
                assert.match(reported.join("\n"), c.expected);
            });
            it("passes the compliant resource", async () => {
                const reported = await runResourcePolicy(
                    c.policy,
                    { type: c.type, props: c.good(pro), protect: c.protect?.good ?? true },
                    config,
                );
                assert.deepEqual(reported, []);
            });
        });
    }

    describe("tenant-namespace-guarded (stack policy)", () => {
        const stackOf = (ev: Evaluation) => ev.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
        it("passes the rendered stack", async () => {
            assert.deepEqual(await runStackPolicy("tenant-namespace-guarded", stackOf(pro)), []);
        });
        it("reports the namespace, by URN, whose NetworkPolicy is missing", async () => {
            const stack = stackOf(pro).filter((r) => !(r.type === t.networkPolicy && r.name === "r3s3t/ingress"));
            const reported = await runStackPolicy("tenant-namespace-guarded", stack);
            const namespace = pro.resources.find((r) => r.type === t.namespace && r.name === "r3s3t/namespace");
            assert.deepEqual(reported, [{ message: 'tenant namespace "r3s3t-pro" has no ingress NetworkPolicy', urn: namespace?.urn }]);
        });
    });

    describe("without policy config", () => {
        it("takes the environment from the resource's tenant-apps/environment tag", async () => {
            const secret: Bag = { ...sample(pro, t.secret).inputs, recoveryWindowInDays: 0 };
            assert.equal((await runResourcePolicy("secret-recovery-window-in-pro", { type: t.secret, props: secret })).length, 1);
            const preSecret = { ...secret, tags: { ...(secret.tags as Bag), "tenant-apps/environment": "pre" } };
            assert.deepEqual(await runResourcePolicy("secret-recovery-window-in-pro", { type: t.secret, props: preSecret }), []);
        });
        it("treats an untagged resource as pro (strictest)", async () => {
            const ksvc = knativeWith(pro, (c) => (c.image = "app:latest"));
            assert.equal((await runResourcePolicy("knative-image-pinned-in-pro", { type: t.knativeService, props: ksvc })).length, 1);
        });
        it("reports S3 objects until storagePrefix is configured", async () => {
            assert.deepEqual(
                await runResourcePolicy("s3-objects-under-prefix", { type: t.bucketObjectV2, props: sample(pro, t.bucketObjectV2).inputs }),
                ["storagePrefix is not configured for this policy; run with --policy-pack-config policy/config.<stack>.json"],
            );
        });
    });

    describe("config files", () => {
        for (const stack of ["pre", "pro"] as const) {
            it(`policy/config.${stack}.json matches Pulumi.${stack}.yaml (npm run policy:config rewrites it)`, () => {
                const file = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", `config.${stack}.json`), "utf8")) as unknown;
                assert.deepEqual(file, packConfigOfStack(stack, repoRoot));
            });
        }
        it("give each policy exactly the keys it reads, and declare those keys in its configSchema", () => {
            assert.deepEqual(packConfigOf({ ...proContext, environment: "pre", tlsMode: "secret" }), {
                "knative-image-pinned-in-pro": { environment: "pre" },
                "irsa-trust-own-service-account": {
                    oidcProviderArn:
                        "arn:aws:iam::482103417651:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87",
                },
                "s3-objects-under-prefix": { storagePrefix: "hyperfy-spaces", assetsSegment: "{env}", bucket: "numinia-statics" },
                "domain-mapping-tls": { tlsMode: "secret" },
                "secret-recovery-window-in-pro": { environment: "pre" },
                "data-protected-in-pro": { environment: "pre" },
            });
            assert.deepEqual(
                policies.filter((p) => p.configSchema !== undefined).map((p) => [p.name, Object.keys(p.configSchema?.properties ?? {})]),
                [
                    ["knative-image-pinned-in-pro", ["environment"]],
                    ["irsa-trust-own-service-account", ["oidcProviderArn"]],
                    ["s3-objects-under-prefix", ["storagePrefix", "assetsSegment", "bucket"]],
                    ["domain-mapping-tls", ["tlsMode"]],
                    ["secret-recovery-window-in-pro", ["environment"]],
                    ["data-protected-in-pro", ["environment"]],
                ],
            );
        });
    });

    describe("project files", () => {
        it("policy/package.json points main at the compiled pack and pins the root's versions", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", "package.json"), "utf8")) as Bag;
            assert.match(String(pkg.version), /^\d+\.\d+\.\d+$/, "PolicyPack reads its version from package.json in its directory");
            assert.ok(fs.existsSync(path.resolve(repoRoot, "policy", String(pkg.main))), `${String(pkg.main)} is built`);
            const root = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { dependencies: Bag };
            for (const [dep, version] of Object.entries(pkg.dependencies as Bag)) assert.equal(version, root.dependencies[dep], dep);
        });
    });
});

describe("checkResources (the render's view of the pack)", () => {
    let pro: Evaluation;
    let pre: Evaluation;
    before(async () => {
        pro = await sampleEvaluation("pro");
        pre = await sampleEvaluation("pre");
    });

    it("finds no violation in the sample pro and pre stacks", () => {
        assert.ok(pro.resources.length > 100);
        assert.deepEqual(checkResources(pro.resources, proContext), []);
        assert.deepEqual(checkResources(pre.resources, preContext), []);
    });

    it("finds exactly the tampered resources of a pro stack, with their URNs", () => {
        const resources: CheckedResource[] = [...copy(pro.resources)];
        const find = (type: string, name: string) => {
            const r = resources.find((x) => x.type === type && x.name === name);
            assert.ok(r, `${type} ${name}`);
            return r;
        };
        const ksvc = find(t.knativeService, "r3s3t/world/service/service");
        (((((ksvc.inputs.spec as Bag).template as Bag).spec as Bag).containers as Bag[])[0] as Bag).image =
            "ghcr.io/numengames/numinia-hyperfy2:latest";
        find(t.secret, "numinia/plaza/secret/secret").inputs.recoveryWindowInDays = 0;
        const agent = find(t.knativeService, "r3s3t/guide/service/service");
        ((((((agent.inputs.spec as Bag).template as Bag).spec as Bag).containers as Bag[])[0] as Bag).securityContext as Bag).privileged =
            true;
        delete ((find(t.namespace, "numinia/namespace").inputs.metadata as Bag).labels as Bag)["pod-security.kubernetes.io/warn"];
        const schema = find(t.pgSchema, "numinia/plaza/database/schema");
        Object.assign(schema, { protect: false });
        const withoutQuota = resources.filter((r) => !(r.type === t.resourceQuota && r.name === "active-inference/quota"));

        const found = checkResources(withoutQuota, proContext);
        assert.deepEqual(found.map((v) => `${v.policy} ${v.resource}`).sort(), [
            "data-protected-in-pro numinia/plaza/database/schema",
            "knative-image-pinned-in-pro r3s3t/world/service/service",
            "knative-pod-security-restricted r3s3t/guide/service/service",
            "namespace-pod-security-restricted numinia/namespace",
            "secret-recovery-window-in-pro numinia/plaza/secret/secret",
            "tenant-namespace-guarded active-inference/namespace",
        ]);
        for (const v of found) assert.ok(v.urn?.startsWith("urn:pulumi:pro::"), `${v.policy} carries the URN`);
    });

    it("as a render check, reports every finding named by policy and resource", () => {
        const { config } = readStackConfig(fixtureConfigFile("pro"));
        const resources = copy(pro.resources);
        const secret = resources.find((r) => r.type === t.secret && r.name === "r3s3t/world/secret/secret");
        assert.ok(secret);
        secret.inputs.recoveryWindowInDays = 0;
        const findings = policyChecks("pro", config)({ resources });
        assert.deepEqual(findings, [
            {
                policy: "secret-recovery-window-in-pro",
                resource: "r3s3t/world/secret/secret",
                message: "recoveryWindowInDays is 0; in pro a secret must keep a recovery window of 7–30 days (0 force-deletes it)",
                urn: secret.urn,
            },
        ]);
    });
});
