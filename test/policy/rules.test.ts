import { strict as assert } from "node:assert";
import { isPinnedImage } from "../../model/rules";
import type { Evaluation } from "../../render/evaluate";
import {
    dataProtected,
    domainMappingTls,
    iamNoWildcards,
    irsaTrustPolicy,
    knativeImagePinned,
    knativeServiceResources,
    postgresNeverCascade,
    s3ObjectUnderPrefix,
    secretRecoveryWindow,
    tenantNamespacesGuarded,
} from "../../policy/rules";
import { copy, proContext, sample, sampleEvaluation } from "./support";
import { typeTokens as t } from "../../model/typeTokens";

type Bag = Record<string, unknown>;

/** Sets a value at a dotted path of a JSON-like object (creating objects on the way). */
function set(target: Bag, dotted: string, value: unknown): Bag {
    const keys = dotted.split(".");
    let current: Bag = target;
    for (const key of keys.slice(0, -1)) {
        const next = Array.isArray(current) ? (current as unknown[])[Number(key)] : current[key];
        if (next === undefined) current[key] = {};
        current = (Array.isArray(current) ? (current as unknown[])[Number(key)] : current[key]) as Bag;
    }
    const last = keys[keys.length - 1] as string;
    if (value === undefined) delete current[last];
    else current[last] = value;
    return target;
}

const container = "spec.template.spec.containers.0";
const scale = "spec.template.metadata.annotations";

const trust = (statement: Bag) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87";
const goodTrustStatement = (): Bag => ({
    Effect: "Allow",
    Principal: { Federated: proContext.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:r3s3t-pro:world-pro", [`${issuer}:aud`]: "sts.amazonaws.com" } },
});

describe("policy rules (pure)", () => {
    let pro: Evaluation;
    before(async () => {
        pro = await sampleEvaluation("pro");
    });

    describe("knative-service-resources", () => {
        it("passes the rendered hyperfy2 service", () => {
            assert.deepEqual(knativeServiceResources(t.knativeService, sample(pro, t.knativeService, "r3s3t/world").inputs), []);
        });
        it("reports a container without a memory limit", () => {
            const props = set(sample(pro, t.knativeService).inputs, `${container}.resources.limits.memory`, undefined);
            assert.deepEqual(knativeServiceResources(t.knativeService, props), [
                'container "app" has no resources.limits.memory; every tenant container must set it',
            ]);
        });
        it("reports a container without any resources", () => {
            const props = set(sample(pro, t.knativeService).inputs, `${container}.resources`, undefined);
            assert.equal(knativeServiceResources(t.knativeService, props).length, 4);
        });
        it("reports requests above limits", () => {
            const props = set(sample(pro, t.knativeService).inputs, `${container}.resources.requests.cpu`, "4");
            assert.match(
                knativeServiceResources(t.knativeService, props).join("\n"),
                /container "app": cpu request 4 is greater than its limit/,
            );
        });
        it("reports a missing or unbounded max-scale", () => {
            const missing = set(sample(pro, t.knativeService).inputs, `${scale}`, {});
            assert.match(knativeServiceResources(t.knativeService, missing).join("\n"), /no "autoscaling.knative.dev\/max-scale"/);
            const zero = set(sample(pro, t.knativeService).inputs, `${scale}`, { "autoscaling.knative.dev/max-scale": "0" });
            assert.match(knativeServiceResources(t.knativeService, zero).join("\n"), /must be a whole number ≥ 1 \(0 means unbounded/);
        });
        it("reports min-scale above max-scale", () => {
            const props = set(sample(pro, t.knativeService).inputs, `${scale}`, {
                "autoscaling.knative.dev/min-scale": "3",
                "autoscaling.knative.dev/max-scale": "2",
            });
            assert.deepEqual(knativeServiceResources(t.knativeService, props), [
                "min-scale 3 is greater than max-scale 2; min must be ≤ max",
            ]);
        });
        it("ignores other types", () => {
            assert.deepEqual(knativeServiceResources("kubernetes:apps/v1:Deployment", {}), []);
        });
    });

    describe("knative-image-pinned-in-pro", () => {
        it("passes a tagged image in pro and anything in pre", () => {
            const ksvc = sample(pro, t.knativeService).inputs;
            assert.deepEqual(knativeImagePinned(t.knativeService, ksvc, { environment: "pro" }), []);
            const latest = set(copy(ksvc), `${container}.image`, "ghcr.io/numengames/app:latest");
            assert.deepEqual(knativeImagePinned(t.knativeService, latest, { environment: "pre" }), []);
        });
        it("reports :latest and untagged images in pro", () => {
            for (const image of ["ghcr.io/numengames/app:latest", "ghcr.io/numengames/app", "localhost:5000/app"]) {
                const props = set(sample(pro, t.knativeService).inputs, `${container}.image`, image);
                assert.deepEqual(knativeImagePinned(t.knativeService, props, { environment: "pro" }), [
                    `container "app" image "${image}" is not pinned; in pro an image needs a release tag (not latest, main, master, stable, …) or a full @sha256 digest`,
                ]);
            }
        });
        it("knows pinned references", () => {
            assert.ok(isPinnedImage(`ghcr.io/a/b@sha256:${"a".repeat(64)}`));
            assert.ok(isPinnedImage("registry:5000/a/b:1.2.3"));
            assert.ok(!isPinnedImage("registry:5000/a/b"));
            assert.ok(!isPinnedImage("a/b:latest"));
        });
    });

    describe("irsa-trust-own-service-account", () => {
        it("passes every rendered IRSA role", () => {
            const roles = pro.resources.filter((r) => r.type === t.iamRole);
            assert.ok(roles.length > 0);
            for (const role of roles) assert.deepEqual(irsaTrustPolicy(t.iamRole, role.inputs, proContext), [], role.name);
        });
        it("reports a wildcard service account (StringLike instead of StringEquals)", () => {
            const s = goodTrustStatement();
            s.Condition = { StringLike: { [`${issuer}:sub`]: "system:serviceaccount:*", [`${issuer}:aud`]: "sts.amazonaws.com" } };
            const messages = irsaTrustPolicy(t.iamRole, { assumeRolePolicy: trust(s) }, proContext);
            assert.match(messages.join("\n"), /no StringEquals condition on ".*:sub"/);
            assert.match(messages.join("\n"), /"sts.amazonaws.com"/);
        });
        it("reports a sub with a wildcard even under StringEquals, and a missing aud", () => {
            const s = goodTrustStatement();
            s.Condition = { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:r3s3t-pro:*" } };
            const messages = irsaTrustPolicy(t.iamRole, { assumeRolePolicy: trust(s) }, proContext);
            assert.equal(messages.length, 2);
            assert.match(messages[0] ?? "", /no wildcard/);
            assert.match(messages[1] ?? "", /:aud" = "sts.amazonaws.com"/);
        });
        it("reports another OIDC provider than the cluster's", () => {
            const s = goodTrustStatement();
            s.Principal = { Federated: "arn:aws:iam::482103417651:oidc-provider/token.actions.githubusercontent.com" };
            assert.match(
                irsaTrustPolicy(t.iamRole, { assumeRolePolicy: trust(s) }, proContext).join("\n"),
                /only the cluster's OIDC provider/,
            );
        });
        it("reports AWS, Service and * principals and other actions", () => {
            for (const principal of [
                { AWS: "*" },
                { Service: "ec2.amazonaws.com" },
                "*",
                { Federated: proContext.oidcProviderArn, AWS: "x" },
            ]) {
                const s = { ...goodTrustStatement(), Principal: principal };
                assert.match(irsaTrustPolicy(t.iamRole, { assumeRolePolicy: trust(s) }, proContext).join("\n"), /exactly one principal/);
            }
            const s = { ...goodTrustStatement(), Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"] };
            assert.match(
                irsaTrustPolicy(t.iamRole, { assumeRolePolicy: trust(s) }, proContext).join("\n"),
                /only "sts:AssumeRoleWithWebIdentity"/,
            );
        });
        it("reports an unreadable trust policy", () => {
            assert.deepEqual(irsaTrustPolicy(t.iamRole, { assumeRolePolicy: "{not json" }, proContext), [
                "assumeRolePolicy is not valid JSON",
            ]);
        });
    });

    describe("iam-no-wildcards", () => {
        it("passes every rendered role and role policy (the S3 prefix wildcard is scoped)", () => {
            const iam = pro.resources.filter((r) => r.type === t.iamRole || r.type === t.iamRolePolicy);
            assert.ok(iam.some((r) => String(r.inputs.policy ?? "").includes("/*")));
            for (const r of iam) assert.deepEqual(iamNoWildcards(r.type, r.inputs), [], r.name);
        });
        it("reports wildcard actions and resources", () => {
            const doc = (statement: Bag) => ({ policy: JSON.stringify({ Version: "2012-10-17", Statement: statement }) });
            const cases: Array<[Bag, RegExp]> = [
                [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/p/*" }, /wildcard action "\*"/],
                [{ Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "arn:aws:s3:::b/p/*" }, /wildcard action "s3:\*"/],
                [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, /wildcard resource "\*"/],
                [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*" }, /wildcard resource/],
                [
                    { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:eu-west-1:1:secret:*" },
                    /wildcard resource/,
                ],
                [{ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b/p/*" }, /NotAction/],
                [{ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::b/p/*" }, /NotResource/],
            ];
            for (const [statement, expected] of cases) assert.match(iamNoWildcards(t.iamRolePolicy, doc(statement)).join("\n"), expected);
        });
        it("allows wildcards in Deny statements", () => {
            const policy = JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] });
            assert.deepEqual(iamNoWildcards(t.iamRolePolicy, { policy }), []);
        });
        it("checks a role's inline policies and standalone policies", () => {
            const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
            const role = { ...sample(pro, t.iamRole).inputs, inlinePolicies: [{ name: "admin", policy }] };
            assert.equal(iamNoWildcards(t.iamRole, role).length, 2);
            assert.equal(iamNoWildcards(t.iamPolicy, { policy }).length, 2);
        });
    });

    describe("s3-objects-under-prefix", () => {
        it("passes every rendered folder object", () => {
            const objects = pro.resources.filter((r) => r.type === t.bucketObjectV2);
            assert.ok(objects.length > 0);
            for (const o of objects) assert.deepEqual(s3ObjectUnderPrefix(o.type, o.inputs, proContext), [], o.name);
        });
        it("reports a key outside the prefix, in another app's folder, with .. or in another bucket", () => {
            const object = sample(pro, t.bucketObjectV2, "r3s3t/world").inputs;
            const check = (patch: Bag) => s3ObjectUnderPrefix(t.bucketObjectV2, { ...object, ...patch }, proContext).join("\n");
            assert.match(check({ key: "other/r3s3t/world/pro/assets/" }), /outside the configured prefix "hyperfy-spaces\/"/);
            assert.match(
                check({ key: "hyperfy-spaces/numinia/plaza/pro/assets/" }),
                /outside its app's own prefix "hyperfy-spaces\/r3s3t\/world\/pro\/"/,
            );
            assert.match(check({ key: "hyperfy-spaces/r3s3t/world/pro/../../../x/" }), /"\.\." path segment/);
            assert.match(check({ bucket: "someone-elses" }), /tenant objects belong in "numinia-statics"/);
        });
        it("guards the legacy BucketObject type too", () => {
            assert.match(
                s3ObjectUnderPrefix(t.bucketObject, { bucket: "numinia-statics", key: "x" }, proContext).join(),
                /outside the configured prefix/,
            );
        });
    });

    describe("domain-mapping-tls", () => {
        it("passes a mapping without spec.tls in external-domain-tls mode", () => {
            const mapping = sample(pro, t.domainMapping).inputs;
            assert.deepEqual(domainMappingTls(t.domainMapping, mapping, { tlsMode: "external-domain-tls" }), []);
            assert.deepEqual(domainMappingTls(t.domainMapping, mapping, {}), []);
        });
        it("reports a mapping without a TLS secret when the stack's mode is secret", () => {
            const mapping = sample(pro, t.domainMapping).inputs;
            assert.match(domainMappingTls(t.domainMapping, mapping, { tlsMode: "secret" }).join(), /served without TLS/);
            const withSecret = set(copy(mapping), "spec.tls", { secretName: "r3s3t-tls" });
            assert.deepEqual(domainMappingTls(t.domainMapping, withSecret, { tlsMode: "secret" }), []);
        });
        it("reports spec.tls without a secret name", () => {
            const mapping = set(sample(pro, t.domainMapping).inputs, "spec.tls", {});
            assert.match(domainMappingTls(t.domainMapping, mapping, {}).join(), /without a secretName/);
        });
    });

    describe("secret-recovery-window-in-pro", () => {
        it("passes the rendered pro secrets (30 days) and an unset window (AWS default 30)", () => {
            const secret = sample(pro, t.secret).inputs;
            assert.equal(secret.recoveryWindowInDays, 30);
            assert.deepEqual(secretRecoveryWindow(t.secret, secret, { environment: "pro" }), []);
            assert.deepEqual(secretRecoveryWindow(t.secret, { ...secret, recoveryWindowInDays: undefined }, { environment: "pro" }), []);
        });
        it("reports a force-deleting secret in pro, not in pre", () => {
            const secret = { ...sample(pro, t.secret).inputs, recoveryWindowInDays: 0 };
            assert.match(secretRecoveryWindow(t.secret, secret, { environment: "pro" }).join(), /recoveryWindowInDays is 0/);
            assert.deepEqual(secretRecoveryWindow(t.secret, secret, { environment: "pre" }), []);
        });
    });

    describe("postgres-never-cascade", () => {
        it("passes the rendered schema and role", () => {
            for (const type of [t.pgSchema, t.pgRole]) assert.deepEqual(postgresNeverCascade(type, sample(pro, type).inputs), []);
        });
        it("reports a cascading schema and a role that would REASSIGN/DROP OWNED", () => {
            assert.match(postgresNeverCascade(t.pgSchema, { ...sample(pro, t.pgSchema).inputs, dropCascade: true }).join(), /dropCascade/);
            const role = { ...sample(pro, t.pgRole).inputs, skipDropRole: false, skipReassignOwned: undefined };
            assert.equal(postgresNeverCascade(t.pgRole, role).length, 2);
        });
    });

    describe("data-protected-in-pro", () => {
        it("passes protected data-bearing resources in pro and unprotected ones in pre", () => {
            assert.deepEqual(dataProtected(t.pgSchema, true, { environment: "pro" }), []);
            assert.deepEqual(dataProtected(t.pgSchema, false, { environment: "pre" }), []);
            assert.deepEqual(dataProtected(t.knativeService, false, { environment: "pro" }), []);
        });
        it("reports an unprotected schema, secret or S3 object in pro", () => {
            for (const type of [t.pgSchema, t.secret, t.bucketObjectV2]) {
                assert.match(dataProtected(type, false, { environment: "pro" }).join(), /must be protected/);
            }
        });
    });

    describe("tenant-namespace-guarded", () => {
        const asStack = (ev: Evaluation) => ev.resources.map((r) => ({ type: r.type, name: r.name, props: copy(r.inputs) }));
        it("passes the rendered namespaces", () => {
            assert.deepEqual(tenantNamespacesGuarded(asStack(pro)), []);
        });
        it("reports a tenant namespace without quota, and one whose network policy is egress-only", () => {
            const stack = asStack(pro).filter((r) => !(r.type === t.resourceQuota && r.name === "r3s3t/quota"));
            const netpol = stack.find((r) => r.type === t.networkPolicy && r.name === "numinia/ingress");
            assert.ok(netpol);
            set(netpol.props, "spec.policyTypes", ["Egress"]);
            assert.deepEqual(tenantNamespacesGuarded(stack), [
                { resource: "numinia/namespace", message: 'tenant namespace "numinia-pro" has no ingress NetworkPolicy' },
                { resource: "r3s3t/namespace", message: 'tenant namespace "r3s3t-pro" has no ResourceQuota' },
            ]);
        });
        it("ignores namespaces this program does not manage", () => {
            assert.deepEqual(tenantNamespacesGuarded([{ type: t.namespace, name: "x", props: { metadata: { name: "x" } } }]), []);
        });
    });
});
