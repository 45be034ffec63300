import { strict as assert } from "node:assert";
import { CatalogError, formatProblem, parseCatalog, readCatalogDir, type Catalog } from "../../../model/catalog";
import { isPinnedImage } from "../../../model/rules";
import { fixtureCatalogDir, repoRoot } from "../../support/harness";
import { oneApp, platformOf } from "../../support/fixtures";

const sources = (files: Record<string, string>) => Object.entries(files).map(([file, text]) => ({ file: `stacks/pro/${file}`, text }));

function parse(files: Record<string, string>, stack: "pre" | "pro" = "pro", overrides: Record<string, unknown> = {}): Catalog {
    return parseCatalog(sources(files), platformOf(stack, overrides));
}

/** Every problem the catalog reports, formatted as the user sees them. */
function problems(files: Record<string, string>, stack: "pre" | "pro" = "pro", overrides: Record<string, unknown> = {}): string[] {
    try {
        parse(files, stack, overrides);
    } catch (error) {
        if (error instanceof CatalogError) return error.problems.map(formatProblem);
        throw error;
    }
    return [];
}

/** Asserts exactly one problem that contains every fragment. */
function expectProblem(
    files: Record<string, string>,
    fragments: string[],
    stack: "pre" | "pro" = "pro",
    overrides: Record<string, unknown> = {},
) {
    const found = problems(files, stack, overrides);
    assert.equal(found.length, 1, `expected one problem, got:\n${found.join("\n")}`);
    for (const fragment of fragments) assert.ok(found[0]?.includes(fragment), `"${found[0]}" lacks "${fragment}"`);
}

const hyperfy = (extra = "") => `name: world\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2\n${extra}`;

describe("catalog validation", () => {
    it("reads a catalog directory: organizations sorted by name, apps in file order, with their types", () => {
        const appsOf = (stack: "pre" | "pro") =>
            parseCatalog(readCatalogDir(fixtureCatalogDir(stack), repoRoot), platformOf(stack)).organizations.map((o) => [
                o.name,
                o.namespace,
                o.apps.map((a) => `${a.name}:${a.type}`),
            ]);
        assert.deepEqual(appsOf("pro"), [
            ["active-inference", "active-inference-pro", ["agent:eliza", "gallery:custom"]],
            ["numinia", "numinia-pro", ["plaza:hyperfy2", "api:custom"]],
            ["r3s3t", "r3s3t-pro", ["world:hyperfy2", "guide:eliza"]],
        ]);
        assert.deepEqual(appsOf("pre"), [
            ["active-inference", "active-inference-pre", ["agent:eliza", "gallery:custom"]],
            ["numinia", "numinia-pre", ["plaza:hyperfy2", "api:custom", "sandbox:hyperfy2"]],
            ["r3s3t", "r3s3t-pre", ["world:hyperfy2", "guide:eliza"]],
        ]);
    });

    it("applies the type's defaults and the catalog's values", () => {
        const catalog = parse({ "acme.yaml": oneApp("acme", hyperfy('scale: { max: 3 }\nenv: { PUBLIC_MAX_UPLOAD_SIZE: "2000" }')) });
        const app = catalog.organizations[0]?.apps[0];
        assert.deepEqual(app?.scale, { min: 0, max: 3 });
        assert.equal(app?.port, 3000);
        assert.equal(app?.probePath, "/health");
        assert.deepEqual(app?.resources, { requests: { cpu: "256m", memory: "256Mi" }, limits: { cpu: "2048m", memory: "4096Mi" } });
        assert.equal(app?.database, true);
        assert.equal(app?.storage, true);
    });

    it("reports an unknown top-level key with file, line and the allowed keys", () => {
        expectProblem({ "acme.yaml": `organization: acme\ndomain: acme.io\nowner: bob\napps: []\n` }, [
            "stacks/pro/acme.yaml:3",
            'field "owner"',
            'unknown key "owner"',
            "allowed: organization, domain, quota, apps",
        ]);
    });

    it("reports an unknown app key naming the app", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("replicas: 2")) }, [
            'organization "acme"',
            'app "world"',
            'field "replicas"',
            "unknown key",
        ]);
    });

    it("reports an unknown nested key", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("scale: { min: 0, maximum: 2 }")) }, [
            'field "scale.maximum"',
            "allowed: min, max",
        ]);
    });

    it("rejects names that are not DNS labels", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy().replace("name: world", "name: World_1")) }, [
            'app "World_1"',
            'field "name"',
            "DNS label",
        ]);
        expectProblem({ "Acme.yaml": oneApp("Acme", hyperfy()).replace("Acme.example.com", "acme.example.com") }, [
            'field "organization"',
            "DNS label",
        ]);
    });

    it("rejects duplicate app names within an organization", () => {
        const text = `organization: acme\ndomain: acme.io\napps:\n  - ${hyperfy().trim().split("\n").join("\n    ")}\n  - ${hyperfy().trim().split("\n").join("\n    ")}\n`;
        expectProblem({ "acme.yaml": text }, ['app "world"', "duplicate app name", "apps[0]"]);
    });

    it("rejects an organization defined twice", () => {
        const found = problems({ "acme.yaml": oneApp("acme", hyperfy()), "acme.yml": oneApp("acme", hyperfy()) });
        assert.ok(
            found.some((p) => p.includes("duplicate organization") && p.includes("stacks/pro/acme.yaml")),
            found.join("\n"),
        );
    });

    it("requires the file to be named after the organization", () => {
        expectProblem({ "other.yaml": oneApp("acme", hyperfy()) }, ["stacks/pro/other.yaml", "must be named acme.yaml"]);
    });

    it("rejects names that collide after - is mapped to _ (schemas)", () => {
        const found = problems({
            "z.yaml": oneApp("z", hyperfy().replace("name: world", "name: x-y")),
            "y-z.yaml": oneApp("y-z", hyperfy().replace("name: world", "name: x")),
        });
        assert.equal(found.length, 1, found.join("\n"));
        assert.match(
            found[0] ?? "",
            /schema name \(after mapping - to _\) "x_y_z_pro" is already used by app "x(-y)?" of organization "(y-z|z)"/,
        );
    });

    it("rejects IAM role names that collide across organizations", () => {
        const found = problems({
            "a-b.yaml": oneApp("a-b", hyperfy().replace("name: world", "name: c")),
            "a.yaml": oneApp("a", hyperfy().replace("name: world", "name: b-c")),
        });
        assert.ok(
            found.some((p) => p.includes('IAM role name "a-b-c-pro" is already used')),
            found.join("\n"),
        );
    });

    it("enforces the schema limit of 63 bytes", () => {
        const org = "o".repeat(30);
        const found = problems({ [`${org}.yaml`]: oneApp(org, hyperfy().replace("name: world", `name: ${"a".repeat(30)}`)) });
        assert.ok(
            found.some((p) => p.includes("PostgreSQL schema/role name") && p.includes("at most 63")),
            found.join("\n"),
        );
    });

    it("enforces the IAM role limit of 64 characters", () => {
        // Role {org}-{app}-{env} = 65 characters while the schema (mapped, same length) would be 65 too: use a pattern.
        const org = "o".repeat(40);
        const found = problems({ [`${org}.yaml`]: oneApp(org, hyperfy().replace("name: world", `name: ${"a".repeat(20)}`)) }, "pro", {
            names: { schema: "{app}_{org}" },
        });
        assert.equal(found.length, 1, found.join("\n"));
        assert.ok(found[0]?.includes("IAM role name") && found[0].includes("65 characters; at most 64"), found[0]);
    });

    it("enforces the KNative service limit of 57 characters", () => {
        const found = problems({ "acme.yaml": oneApp("acme", hyperfy().replace("name: world", `name: ${"s".repeat(54)}`)) });
        assert.ok(
            found.some((p) => p.includes("KNative service name") && p.includes("58 characters; at most 57")),
            found.join("\n"),
        );
    });

    it("enforces the namespace limit of 63 characters", () => {
        const org = "n".repeat(60);
        const found = problems({ [`${org}.yaml`]: oneApp(org, hyperfy()) });
        assert.ok(
            found.some((p) => p.includes('namespace "') && p.includes("64 characters; at most 63")),
            found.join("\n"),
        );
    });

    it("refuses reserved namespaces", () => {
        expectProblem({ "kube.yaml": oneApp("kube", hyperfy()) }, ['namespace "kube-pro" is reserved']);
        expectProblem({ "default.yaml": oneApp("default", hyperfy()) }, ['namespace "default" is reserved'], "pro", {
            names: { namespace: "{org}" },
        });
        expectProblem({ "knative.yaml": oneApp("knative", hyperfy()) }, ['namespace "knative-serving" is reserved'], "pro", {
            names: { namespace: "{org}-serving" },
        });
    });

    it("requires pinned images in pro and allows :latest in pre", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy().replace(":1.4.2", ":latest")) }, ['field "image"', "not pinned"]);
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy().replace(":1.4.2", "")) }, ['field "image"', "not pinned"]);
        assert.deepEqual(problems({ "acme.yaml": oneApp("acme", hyperfy().replace(":1.4.2", ":latest")) }, "pre"), []);
        assert.ok(isPinnedImage("registry.local:5000/team/app@sha256:" + "a".repeat(64)));
        assert.ok(!isPinnedImage("registry.local:5000/team/app"));
    });

    it("rejects min-scale above max-scale", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("scale: { min: 3, max: 1 }")) }, [
            'field "scale.min"',
            "greater than max-scale 1",
        ]);
    });

    it("rejects bad quantities", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("resources: { requests: { cpu: 2 cores } }")) }, [
            'field "resources.requests.cpu"',
            "CPU quantity",
        ]);
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("resources: { limits: { memory: 4GB } }")) }, [
            'field "resources.limits.memory"',
            "memory quantity",
        ]);
    });

    it("rejects requests above limits", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("resources: { requests: { memory: 8Gi } }")) }, [
            'field "resources.requests.memory"',
            "memory request 8Gi is greater than its limit 4096Mi",
        ]);
    });

    it("rejects a pod that cannot fit the organization's quota", () => {
        expectProblem(
            {
                "acme.yaml": oneApp(
                    "acme",
                    hyperfy('resources: { requests: { cpu: "2" }, limits: { cpu: "4" } }'),
                    'quota: { cpu: "1", memory: 8Gi, pods: 10 }\n',
                ),
            },
            ['field "resources.requests.cpu"', "whole CPU quota 1"],
        );
    });

    it("refuses a hostname inside another organization's domain, and allows a vanity domain the organization declares", () => {
        const found = problems({ "a.yaml": oneApp("a", hyperfy()), "b.yaml": oneApp("b", hyperfy("hostname: shop.a.example.com")) });
        assert.equal(found.length, 1, found.join("\n"));
        assert.ok(found[0]?.includes(`"shop.a.example.com" is inside organization "a"'s domain a.example.com`), found[0]);
        assert.deepEqual(problems({ "a.yaml": oneApp("a", hyperfy("hostname: world.vanity.io"), "domains: [vanity.io]\n") }), []);
        assert.deepEqual(problems({ "a.yaml": oneApp("a", hyperfy("hostname: world.vanity.io")) }), [
            `stacks/pro/a.yaml:7: organization "a", app "world", field "hostname": "world.vanity.io" is under none of the organization's domains (a.example.com); use a hostname under a.example.com, or list its domain under "domains:" to own it`,
        ]);
    });

    it("rejects bad and duplicate hostnames", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("hostname: https://world.acme.io")) }, ['field "hostname"', "DNS hostname"]);
        const found = problems({
            "a.yaml": oneApp("a", hyperfy("hostname: w.shared.io"), "domains: [shared.io]\n"),
            "b.yaml": oneApp("b", hyperfy("hostname: w.shared.io"), "domains: [w.shared.io]\n"),
        });
        assert.deepEqual(found, [
            `stacks/pro/a.yaml:3: organization "a", field "domains[0]": domain shared.io contains organization "b"'s domain w.shared.io (stacks/pro/b.yaml); each domain belongs to exactly one organization`,
            `stacks/pro/b.yaml:3: organization "b", field "domains[0]": domain w.shared.io is under organization "a"'s domain shared.io (stacks/pro/a.yaml); each domain belongs to exactly one organization`,
            `stacks/pro/b.yaml:8: organization "b", app "world", field "hostname": hostname "w.shared.io" is already used by app "world" of organization "a"`,
        ]);
    });

    it("rejects env vars KNative reserves", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy('env: { PORT: "8080" }')) }, ['field "env.PORT"', "reserved"]);
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy('env: { K_SERVICE: "x" }')) }, ['field "env.K_SERVICE"', "reserved"]);
    });

    it("rejects plain env that would shadow a secret key, bad names and non-string values", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy('env: { DB_URI: "postgres://x" }')) }, [
            'field "env.DB_URI"',
            "comes from the app's secret",
        ]);
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy('env: { 1BAD: "x" }')) }, ['field "env.1BAD"', "environment variable name"]);
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("env: { PUBLIC_MAX_UPLOAD_SIZE: 2000 }")) }, [
            'field "env.PUBLIC_MAX_UPLOAD_SIZE"',
            "must be a string",
        ]);
    });

    it("rejects bad ports and a custom app without one", () => {
        const custom = (extra: string) => `name: api\ntype: custom\nimage: ghcr.io/a/api:1.0.0\n${extra}`;
        expectProblem({ "acme.yaml": oneApp("acme", custom("port: 70000")) }, ['field "port"', "1 to 65535"]);
        expectProblem({ "acme.yaml": oneApp("acme", custom("port: 8012")) }, ['field "port"', "queue-proxy"]);
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("port: 8080")) }, ['field "port"', "always listens on 3000"]);
        expectProblem({ "acme.yaml": oneApp("acme", "name: api\ntype: custom\nimage: ghcr.io/a/api:1.0.0") }, [
            'app "api"',
            'field "port"',
            "must give its container port",
        ]);
    });

    it("refuses to turn off a hyperfy2 app's database", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("database: false")) }, ['field "database"', "always has its database"]);
    });

    it("caps timeoutSeconds at the cluster's max revision timeout from the stack config", () => {
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("timeoutSeconds: 7200")) }, [
            'field "timeoutSeconds"',
            "7200 s is over the cluster's max-revision-timeout-seconds 3600",
        ]);
        // KNative's own default cap is 600: then even hyperfy2's default of 3600 is refused.
        expectProblem(
            { "acme.yaml": oneApp("acme", hyperfy()) },
            ['field "timeoutSeconds"', "a hyperfy2 app's default timeout 3600 s is over the cluster's max-revision-timeout-seconds 600"],
            "pro",
            {
                knative: {},
            },
        );
    });

    it("refuses the ports the stack's KNative reserves, 8008 (profiling) among them", () => {
        const custom = (port: number) => `name: api\ntype: custom\nimage: ghcr.io/a/api:1.0.0\nport: ${port}`;
        expectProblem({ "acme.yaml": oneApp("acme", custom(8008)) }, ['field "port"', "8008 is reserved by KNative"]);
        assert.deepEqual(
            problems({ "acme.yaml": oneApp("acme", custom(8008)) }, "pro", {
                knative: { maxRevisionTimeoutSeconds: 3600, reservedPorts: [9999] },
            }),
            [],
        );
    });

    it("refuses an eliza agent with neither a model provider of its own nor a stack default, with file, org, app and field", () => {
        const agent = "name: agent\ntype: eliza\nimage: ghcr.io/a/agent:1.0.0";
        assert.deepEqual(problems({ "acme.yaml": oneApp("acme", agent) }, "pro", { eliza: {} }), [
            'stacks/pro/acme.yaml:4: organization "acme", app "agent", field "agent.modelProvider": an eliza agent needs a model provider, and the stack has no default (tenant-apps:eliza.modelProvider); set agent.modelProvider to openai, anthropic, openrouter or ollama',
        ]);
        assert.deepEqual(
            problems({ "acme.yaml": oneApp("acme", `${agent}\nagent: { modelProvider: anthropic }`) }, "pro", { eliza: {} }),
            [],
        );
        expectProblem({ "acme.yaml": oneApp("acme", hyperfy("agent: { modelProvider: openai }")) }, [
            'field "agent"',
            "only eliza apps take agent settings",
        ]);
    });

    it("reports YAML syntax errors with the file and line", () => {
        assert.deepEqual(
            problems({ "acme.yaml": "organization: acme\ndomain: acme.io\napps:\n  - name: w\n  type: x\n" }).map((p) => p.split(": ")[0]),
            ["stacks/pro/acme.yaml:5"],
        );
        const found = problems({ "acme.yaml": "organization: acme\ndomain: acme.io\napps: [\n" });
        assert.ok(
            found.length >= 1 && found.every((p) => p.startsWith("stacks/pro/acme.yaml:")) && found[0]?.includes("not valid YAML"),
            found.join("\n"),
        );
    });

    it("reports every problem of every file at once", () => {
        const found = problems({
            "a.yaml": oneApp("a", hyperfy("scale: { min: 2, max: 1 }\nport: 8013")),
            "b.yaml": oneApp("b", hyperfy("bogus: 1")),
        });
        assert.equal(found.length, 3, found.join("\n"));
        assert.ok(found.some((p) => p.startsWith("stacks/pro/b.yaml")));
        assert.ok(found.filter((p) => p.startsWith("stacks/pro/a.yaml")).length === 2);
    });

    it("rejects a catalog directory without organizations", () => {
        assert.throws(() => parseCatalog([], platformOf("pro")), /no organization files/);
    });

    it("rejects a missing app list item type", () => {
        expectProblem({ "acme.yaml": oneApp("acme", "name: w\ntype: wordpress\nimage: ghcr.io/a/w:1") }, [
            'field "type"',
            "must be one of hyperfy2, eliza, custom",
        ]);
    });
});
