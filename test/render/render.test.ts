import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ExternalSecret as ExternalSecretV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import { SecretStore as SecretStoreV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/SecretStore";
import { Service as KnativeService } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";
import { DomainMapping } from "@kubernetes-models/knative/serving.knative.dev/v1beta1/DomainMapping";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parse } from "yaml";
import { standInSecret } from "../../render/evaluate";
import { crdErrorsOf, crdValidator } from "../support/crds";
import { renderStack, type Render } from "../../render/render";
import { formatTree } from "../../render/tree";
import { readTree } from "../support/files";
import { fixtureCatalogDir, fixtureConfigFile, repoRoot, resourcesOf, stackConfig, types } from "../support/harness";

const cli = path.join(repoRoot, "dist", "render", "cli.js");

/** Runs the compiled render CLI; never through npm, so no build happens here. */
function runCli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [cli, ...args], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, npm_lifecycle_event: "" },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The fixture pro stack, so the CLI never reads the live catalog or config. */
const fixturePro = ["--stack", "pro", "--catalog", fixtureCatalogDir("pro"), "--config", fixtureConfigFile("pro")] as const;

const tempDir = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `tenant-apps-render-${prefix}-`));

interface Validatable {
    validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/**
 * Upstream schemas by apiVersion/kind, from the kubernetes-models packages. The installed
 * @kubernetes-models/external-secrets (0.5.2, the newest release that is CommonJS and runs on
 * Node 20) ships only v1alpha1/v1beta1; external-secrets.io/v1 is v1beta1 promoted without
 * schema changes to the fields used here, so v1 objects are validated against v1beta1.
 */
const models: Record<string, { model: ModelClass; asApiVersion?: string }> = {
    "v1/Namespace": { model: Namespace },
    "v1/ResourceQuota": { model: ResourceQuota },
    "v1/LimitRange": { model: LimitRange },
    "v1/ServiceAccount": { model: ServiceAccount },
    "v1/ConfigMap": { model: ConfigMap },
    "networking.k8s.io/v1/NetworkPolicy": { model: NetworkPolicy },
    "serving.knative.dev/v1/Service": { model: KnativeService },
    "serving.knative.dev/v1beta1/DomainMapping": { model: DomainMapping },
    "external-secrets.io/v1/SecretStore": { model: SecretStoreV1beta1, asApiVersion: "external-secrets.io/v1beta1" },
    "external-secrets.io/v1/ExternalSecret": { model: ExternalSecretV1beta1, asApiVersion: "external-secrets.io/v1beta1" },
    "external-secrets.io/v1beta1/SecretStore": { model: SecretStoreV1beta1 },
    "external-secrets.io/v1beta1/ExternalSecret": { model: ExternalSecretV1beta1 },
    "externaldns.k8s.io/v1alpha1/DNSEndpoint": { model: crdModel("externaldns.k8s.io_dnsendpoints.yaml", "v1alpha1") },
};

/** A model class over a vendored upstream CRD schema (test/fixtures/crds/), for kinds kubernetes-models does not ship. */
function crdModel(file: string, version: string): ModelClass {
    const validate = crdValidator(file, version);
    return class {
        constructor(private readonly data: never) {}
        validate(): void {
            const errors = crdErrorsOf(validate, this.data);
            if (errors.length > 0) throw new Error(errors.join("; "));
        }
    };
}

/** Validates one manifest against its upstream schema; throws with the schema's message. */
function validateManifest(object: Record<string, unknown>): void {
    const key = `${String(object.apiVersion)}/${String(object.kind)}`;
    const entry = models[key];
    if (!entry) throw new Error(`no upstream schema for ${key}: add its kubernetes-models class to the test`);
    const data = entry.asApiVersion ? { ...object, apiVersion: entry.asApiVersion } : object;
    new entry.model(data as never).validate();
}

describe("npm run render", () => {
    let pro: Render;
    let pre: Render;
    before(async () => {
        pro = await renderStack({ stack: "pro", config: stackConfig("pro") });
        pre = await renderStack({ stack: "pre", config: stackConfig("pre") });
    });

    it("writes every Kubernetes object, and each validates against the upstream Kubernetes/KNative/External Secrets schema", () => {
        for (const render of [pro, pre]) {
            const manifests = [...render.files].filter(([file]) => file.startsWith("k8s/"));
            const k8sResources = render.plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            assert.equal(manifests.length, k8sResources.length);
            assert.ok(manifests.length > 20);
            for (const [file, text] of manifests) {
                const object = parse(text) as Record<string, unknown>;
                assert.doesNotThrow(
                    () => validateManifest(object),
                    (e: Error) => `${file}: ${e.message}`,
                );
            }
        }
    });

    it("schema validation really fails on a broken object (a port as a string, a store without a provider)", () => {
        const ksvc = parse(pro.files.get("k8s/r3s3t-pro/service-world-pro.yaml") ?? "") as {
            spec: { template: { spec: { containers: Array<{ ports: Array<{ containerPort: unknown }> }> } } };
        };
        const port = ksvc.spec.template.spec.containers[0]?.ports[0];
        assert.ok(port);
        port.containerPort = "3000";
        assert.throws(() => validateManifest(ksvc as unknown as Record<string, unknown>), /containerPort must be integer/);
        const store = parse(pro.files.get("k8s/r3s3t-pro/secretstore-world-pro.yaml") ?? "") as { spec: Record<string, unknown> };
        delete store.spec.provider;
        assert.throws(() => validateManifest(store as unknown as Record<string, unknown>), /provider/);
    });

    it("writes the manifests exactly as registered: the ServiceAccount carries the stand-in role ARN", () => {
        assert.equal(
            pro.files.get("k8s/r3s3t-pro/serviceaccount-world-pro.yaml"),
            [
                "apiVersion: v1",
                "kind: ServiceAccount",
                "metadata:",
                "  annotations:",
                "    eks.amazonaws.com/role-arn: arn:aws:iam::482103417651:role/tenant-apps/pro/r3s3t-world-pro",
                "  labels:",
                "    app.kubernetes.io/managed-by: tenant-apps",
                "    app.kubernetes.io/name: world",
                "    app.kubernetes.io/part-of: r3s3t",
                "  name: world-pro",
                "  namespace: r3s3t-pro",
                "",
            ].join("\n"),
        );
        assert.equal(
            pro.files.get("k8s/r3s3t-pro/domainmapping-world.r3s3t.xyz.yaml"),
            [
                "apiVersion: serving.knative.dev/v1beta1",
                "kind: DomainMapping",
                "metadata:",
                "  annotations:",
                '    kourier.knative.dev/disable-http2: "true"',
                '    pulumi.com/timeoutSeconds: "300"',
                "    pulumi.com/waitFor: condition=Ready",
                "  labels:",
                "    app.kubernetes.io/managed-by: tenant-apps",
                "    app.kubernetes.io/name: world",
                "    app.kubernetes.io/part-of: r3s3t",
                "  name: world.r3s3t.xyz",
                "  namespace: r3s3t-pro",
                "spec:",
                "  ref:",
                "    apiVersion: serving.knative.dev/v1",
                "    kind: Service",
                "    name: world-pro",
                "",
            ].join("\n"),
        );
    });

    it("writes trust and permission policies per role, as JSON", () => {
        const trust = JSON.parse(pro.files.get("iam/r3s3t-world-pro.trust.json") ?? "") as { Statement: Array<{ Condition: unknown }> };
        assert.deepEqual(trust.Statement[0]?.Condition, {
            StringEquals: {
                "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87:aud": "sts.amazonaws.com",
                "oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87:sub": "system:serviceaccount:r3s3t-pro:world-pro",
            },
        });
        const policy = JSON.parse(pro.files.get("iam/r3s3t-world-pro.policy.json") ?? "") as { Statement: Array<{ Sid: string }> };
        // A hyperfy2 world reaches S3 as its own IAM user (Hyperfy's URI carries static keys), so its role reads only its secret.
        assert.deepEqual(policy.Statement.map((s) => s.Sid).sort(), ["ReadOwnSecret"]);
        const user = JSON.parse(pro.files.get("iam/r3s3t-world-pro.user-policy.json") ?? "") as { Statement: Array<{ Sid: string }> };
        assert.deepEqual(
            user.Statement.map((s) => s.Sid),
            ["ReadWriteOwnPrefix", "ListOwnPrefix", "HyperfyInitProbe"],
        );
        assert.deepEqual(
            [...pro.files.keys()].filter((f) => f.startsWith("iam/")),
            [
                "iam/active-inference-agent-pro.policy.json",
                "iam/active-inference-agent-pro.trust.json",
                "iam/active-inference-gallery-pro.policy.json",
                "iam/active-inference-gallery-pro.trust.json",
                "iam/numinia-api-pro.policy.json",
                "iam/numinia-api-pro.trust.json",
                "iam/numinia-plaza-pro.policy.json",
                "iam/numinia-plaza-pro.trust.json",
                "iam/numinia-plaza-pro.user-policy.json",
                "iam/r3s3t-guide-pro.policy.json",
                "iam/r3s3t-guide-pro.trust.json",
                "iam/r3s3t-world-pro.policy.json",
                "iam/r3s3t-world-pro.trust.json",
                "iam/r3s3t-world-pro.user-policy.json",
            ],
        );
    });

    it("records every resource in plan.json with parent, dependencies, masked inputs, protect and retainOnDelete", () => {
        const plan = JSON.parse(pro.files.get("plan.json") ?? "") as typeof pro.plan;
        assert.equal(plan.resources.length, 166);
        for (const r of plan.resources) {
            assert.equal(typeof r.protect, "boolean", r.name);
            assert.equal(typeof r.retainOnDelete, "boolean", r.name);
            assert.ok(Array.isArray(r.dependencies), r.name);
        }
        const schema = plan.resources.find((r) => r.type === types.pgSchema && r.name === "r3s3t/world/database/schema");
        assert.equal(schema?.protect, true);
        assert.equal(schema?.retainOnDelete, true);
        assert.equal(schema?.organization, "r3s3t");
        assert.equal(schema?.app, "world");
        const version = plan.resources.find((r) => r.type === types.secretVersion && r.name === "r3s3t/world/secret/version");
        assert.equal(version?.inputs.secretString, "[secret]");
        assert.match(version?.secretFingerprints.secretString ?? "", /^hmac-sha256:[0-9a-f]{16}$/);
        // URNs in the engine's form: every ancestor's type, so `pulumi state` commands take them.
        assert.equal(
            schema?.urn,
            "urn:pulumi:pro::tenant-apps::tenant-apps:index:TenantOrganization$tenant-apps:index:TenantApp$" +
                "tenant-apps:chain:TenantDatabase$postgresql:index/schema:Schema::r3s3t/world/database/schema",
        );
        const urns = new Set(plan.resources.map((r) => r.urn));
        for (const r of plan.resources)
            for (const d of [...r.dependencies, ...(r.parent ? [r.parent] : [])]) assert.ok(urns.has(d), `${r.name} → ${d}`);
    });

    it("summarizes one row per app with URL, namespace, service, schema, S3 prefix, secret and role", () => {
        const summary = pro.files.get("summary.md") ?? "";
        assert.ok(
            summary.includes(
                "| `r3s3t` | `world` | `hyperfy2` | `https://world.r3s3t.xyz` | `r3s3t-pro` | `world-pro` | `world_r3s3t_pro` | " +
                    "`s3://numinia-statics/hyperfy-spaces/r3s3t/world/pro/` | `hyperfy2-r3s3t-world-pro` | `r3s3t-world-pro` |",
            ),
            summary,
        );
        assert.equal(
            (summary.split("## DNS and readiness")[0] ?? "")
                .split("\n")
                .filter((l) => l.startsWith("| ") && !l.startsWith("| Organization") && !l.startsWith("| ---")).length,
            6,
        );
    });

    it("says plainly in the summary what a world's storage key can enumerate", () => {
        const summary = pro.files.get("summary.md") ?? "";
        assert.ok(
            summary.includes(
                "Storage listing: the S3 key of each of the 2 Hyperfy world(s) can list the key NAMES of the whole bucket " +
                    "(one per request, all of them with start-after), other worlds' and private prefixes such as backups/ included;",
            ),
            summary,
        );
    });

    it("shows every key of an app's secret with its value's shape, only the secret parts masked", () => {
        const plan = JSON.parse(pro.files.get("plan.json") ?? "") as typeof pro.plan;
        const shapes = (name: string) => {
            const keys = plan.resources.find((r) => r.name === name)?.secretKeys?.secretString ?? {};
            return Object.fromEntries(Object.entries(keys).map(([key, { shape }]) => [key, shape]));
        };
        const world = shapes("r3s3t/world/secret/version");
        assert.match(
            world.ASSETS_S3_URI ?? "",
            /^s3:\/\/AKIA[A-Z0-9]{16}:\[secret\]@numinia-statics\.s3\.eu-west-1\.amazonaws\.com\/hyperfy-spaces\/r3s3t\/world\/pro\/assets$/,
        );
        assert.deepEqual(
            { ...world, ASSETS_S3_URI: "(above)" },
            {
                ADMIN_CODE: "[secret]",
                ASSETS_S3_URI: "(above)",
                DB_SCHEMA: "world_r3s3t_pro",
                DB_URI: "postgres://world_r3s3t_pro:[secret]@numinia-shared.cluster-c8x2k4q1zt7m.eu-west-1.rds.amazonaws.com:5432/numinia?sslmode=verify-full&sslrootcert=/etc/tenant-apps/db-ca/rds-ca.pem",
                JWT_SECRET: "[secret]",
                LIVEKIT_API_KEY: "",
                LIVEKIT_API_SECRET: "",
                LIVEKIT_WS_URL: "",
                AI_PROVIDER: "",
                AI_MODEL: "",
                AI_EFFORT: "",
                AI_API_KEY: "",
            },
        );
        assert.deepEqual(shapes("r3s3t/guide/secret/version"), { OPENAI_API_KEY: "" });
    });

    it("prints a tree of organizations, apps and resources with their deletion options", () => {
        const tree = formatTree(pro.plan);
        assert.ok(tree.startsWith("stack pro: 6 apps in 3 organizations, 110 resources (+56 components)\n"), tree);
        assert.match(tree, /world \(hyperfy2\) → https:\/\/world\.r3s3t\.xyz/);
        assert.match(tree, /PostgreSQL schema world_r3s3t_pro {2}\[protected; retained on delete\]/);
    });

    it("is deterministic: rendering again gives byte-identical files", async () => {
        const again = await renderStack({ stack: "pro", config: stackConfig("pro") });
        assert.deepEqual([...again.files.keys()], [...pro.files.keys()]);
        for (const [file, content] of pro.files) assert.equal(again.files.get(file), content, file);
    });

    it("refuses a secret key set in plaintext in the stack file, without printing it, and writes nothing", () => {
        const apiKey = "sk-live-4f1c2a9e7d3b4e559a0c1b2d3e4f5a6b";
        const configFile = path.join(tempDir("config"), "Pulumi.pro.yaml");
        fs.writeFileSync(configFile, fs.readFileSync(fixtureConfigFile("pro"), "utf8") + `  tenant-apps:aiApiKey: ${apiKey}\n`);
        const out = path.join(tempDir("plaintext"), "out");
        const run = runCli(["--stack", "pro", "--catalog", fixtureCatalogDir("pro"), "--config", configFile, "--out", out]);
        assert.equal(run.status, 1);
        assert.equal(
            run.stderr,
            `error: ${configFile}: tenant-apps:aiApiKey: holds a secret in plaintext; remove the line and set it with \`pulumi config set --secret tenant-apps:aiApiKey <value>\`\n`,
        );
        assert.ok(!run.stdout.includes(apiKey) && !run.stderr.includes(apiKey));
        assert.equal(fs.existsSync(out), false);
    });

    it("never writes or prints a secret value set in config, nor a generated password", () => {
        const configFile = path.join(tempDir("config"), "Pulumi.pro.yaml");
        fs.writeFileSync(
            configFile,
            fs.readFileSync(fixtureConfigFile("pro"), "utf8") +
                `  tenant-apps:livekitApiSecret:\n    secure: v1:c2VjcmV0LWZyb20tYS1zdGFjay1rZXk=\n`,
        );
        const out = path.join(tempDir("secret"), "out");
        const run = runCli(["--stack", "pro", "--catalog", fixtureCatalogDir("pro"), "--config", configFile, "--out", out, "--json"]);
        assert.equal(run.status, 0, run.stderr);
        const files = readTree(out);
        assert.equal(run.stdout, files.get("plan.json"));

        // The generated passwords and the stand-in admin password the mocks hand out.
        const generated = resourcesOf(pro.evaluation, types.randomPassword).map((r) => standInSecret(r.name, Number(r.inputs.length)));
        // ... and the stand-in secret access keys of the worlds' IAM users.
        const accessKeys = resourcesOf(pro.evaluation, "aws:iam/accessKey:AccessKey").map((r) => standInSecret(`${r.name}/secret`, 40));
        assert.equal(accessKeys.length, 2);
        const needles = ["v1:c2VjcmV0LWZyb20tYS1zdGFjay1rZXk=", standInSecret("rds-admin", 32), ...generated, ...accessKeys];
        assert.ok(generated.length >= 7);
        const tree = runCli(["--stack", "pro", "--catalog", fixtureCatalogDir("pro"), "--config", configFile, "--out", out]);
        assert.equal(tree.status, 0, tree.stderr);
        for (const needle of needles) {
            for (const [file, content] of files) assert.ok(!content.includes(needle), `${file} holds a secret`);
            for (const output of [run.stdout, run.stderr, tree.stdout, tree.stderr])
                assert.ok(!output.includes(needle), "the output holds a secret");
        }
        // The value did reach the program: the app secrets' fingerprints differ from the sample stack's.
        const fingerprintOf = (plan: string) =>
            (JSON.parse(plan) as typeof pro.plan).resources.find((r) => r.name === "r3s3t/world/secret/version")?.secretFingerprints
                .secretString;
        assert.notEqual(fingerprintOf(files.get("plan.json") ?? ""), fingerprintOf(pro.files.get("plan.json") ?? ""));
    });

    it("exits 1 on an invalid catalog, names file, app and field on stderr, and writes nothing", () => {
        const catalog = tempDir("catalog");
        for (const f of fs.readdirSync(fixtureCatalogDir("pro")))
            fs.copyFileSync(path.join(fixtureCatalogDir("pro"), f), path.join(catalog, f));
        const r3s3t = path.join(catalog, "r3s3t.yaml");
        fs.writeFileSync(r3s3t, fs.readFileSync(r3s3t, "utf8").replace("- name: world", "- name: World"));
        const numinia = path.join(catalog, "numinia.yaml");
        fs.writeFileSync(numinia, fs.readFileSync(numinia, "utf8").replace("scale: { min: 0, max: 3 }", "scale: { min: 4, max: 3 }"));
        const out = path.join(tempDir("invalid"), "out");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "plan.json"), "previous render\n");

        const run = runCli(["--stack", "pro", "--catalog", catalog, "--config", fixtureConfigFile("pro"), "--out", out]);
        assert.equal(run.status, 1);
        assert.equal(run.stdout, "");
        const lines = run.stderr.split("\n");
        assert.ok(
            lines.some((l) => l.includes("r3s3t.yaml") && l.includes('app "World"') && l.includes('field "name"')),
            run.stderr,
        );
        assert.ok(
            lines.some((l) => l.includes("numinia.yaml") && l.includes('app "api"') && l.includes('field "scale')),
            run.stderr,
        );
        assert.deepEqual([...readTree(out)], [["plan.json", "previous render\n"]]);
        const fresh = path.join(tempDir("invalid"), "never");
        assert.equal(runCli(["--stack", "pro", "--catalog", catalog, "--config", fixtureConfigFile("pro"), "--out", fresh]).status, 1);
        assert.equal(fs.existsSync(fresh), false);
    });

    it("exits 1 on an invalid config, naming the config file and key, and writes nothing", () => {
        const configFile = path.join(tempDir("badconfig"), "broken.yaml");
        fs.writeFileSync(
            configFile,
            fs.readFileSync(fixtureConfigFile("pro"), "utf8").replace("recoveryWindowInDays: 30", "recoveryWindowInDays: soon"),
        );
        const out = path.join(tempDir("badconfig"), "out");
        const run = runCli(["--stack", "pro", "--catalog", fixtureCatalogDir("pro"), "--config", configFile, "--out", out]);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /broken\.yaml: tenant-apps:deletion\.recoveryWindowInDays: /);
        assert.equal(fs.existsSync(out), false);
    });

    it("refuses to replace a directory that is not a render's output", () => {
        const out = tempDir("foreign");
        fs.writeFileSync(path.join(out, "notes.txt"), "mine\n");
        const run = runCli([...fixturePro, "--out", out]);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /not a render output/);
        assert.deepEqual([...readTree(out).keys()], ["notes.txt"]);
    });
});
