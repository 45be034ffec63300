import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { packConfigOf, packConfigOfStack, policyChecks } from "../../policy/config";
import { policies, policyConfigKeys, type PackPolicyConfig } from "../../policy/policies";
import { checkResources, policyInfo, policyTypes as t, type CheckedResource } from "../../policy/rules";
import type { Evaluation } from "../../render/evaluate";
import { readStackConfig } from "../../render/stackConfig";
import { repoRoot } from "../support/harness";
import { copy, preContext, proContext, runResourcePolicy, runStackPolicy, sample, sampleEvaluation } from "./support";

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

    it("has every policy once, all mandatory, described as in policyInfo", () => {
        assert.deepEqual(policies.map((p) => p.name).sort(), Object.keys(policyInfo).sort());
        for (const p of policies) {
            assert.equal(p.enforcementLevel, "mandatory", p.name);
            assert.equal(p.description, policyInfo[p.name as keyof typeof policyInfo]);
        }
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
        it("name only policies of the pack and keys of their configSchema", () => {
            for (const stack of ["pre", "pro"]) {
                const file = JSON.parse(fs.readFileSync(path.join(repoRoot, "policy", `config.${stack}.json`), "utf8")) as Record<
                    string,
                    Bag
                >;
                for (const [policy, values] of Object.entries(file)) {
                    const p = policies.find((x) => x.name === policy);
                    assert.ok(p, `${stack}: ${policy} is not a policy of the pack`);
                    assert.deepEqual(
                        Object.keys(values).sort(),
                        Object.keys(p.configSchema?.properties ?? {}).sort(),
                        `${stack}: ${policy}`,
                    );
                    assert.deepEqual([...policyConfigKeys[policy as keyof typeof policyConfigKeys]].sort(), Object.keys(values).sort());
                }
            }
        });
    });

    describe("project files", () => {
        it("PulumiPolicy.yaml declares the nodejs runtime and policy/package.json points main at the compiled pack", () => {
            const project = parse(fs.readFileSync(path.join(repoRoot, "policy", "PulumiPolicy.yaml"), "utf8")) as Bag;
            assert.equal(project.runtime, "nodejs");
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
        const schema = find(t.pgSchema, "numinia/plaza/database/schema");
        Object.assign(schema, { protect: false });
        const withoutQuota = resources.filter((r) => !(r.type === t.resourceQuota && r.name === "active-inference/quota"));

        const found = checkResources(withoutQuota, proContext);
        assert.deepEqual(found.map((v) => `${v.policy} ${v.resource}`).sort(), [
            "data-protected-in-pro numinia/plaza/database/schema",
            "knative-image-pinned-in-pro r3s3t/world/service/service",
            "secret-recovery-window-in-pro numinia/plaza/secret/secret",
            "tenant-namespace-guarded active-inference/namespace",
        ]);
        for (const v of found) assert.ok(v.urn?.startsWith("urn:pulumi:pro::"), `${v.policy} carries the URN`);
    });

    it("as a render check, turns every finding into a mandatory one named by policy and resource", () => {
        const { config } = readStackConfig(path.join(repoRoot, "Pulumi.pro.yaml"));
        const resources = copy(pro.resources);
        const secret = resources.find((r) => r.type === t.secret);
        assert.ok(secret);
        secret.inputs.recoveryWindowInDays = 0;
        const findings = policyChecks("pro", config)({ resources });
        assert.deepEqual(findings, [
            {
                level: "mandatory",
                policy: "secret-recovery-window-in-pro",
                message: `${secret.name}: recoveryWindowInDays is 0; in pro a secret must keep a recovery window of 7–30 days (0 force-deletes it)`,
                urn: secret.urn,
            },
        ]);
    });
});
