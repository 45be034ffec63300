import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { usage as diffUsage } from "../../render/diffCli";
import { usage as renderUsage } from "../../render/cli";
import { renderStack } from "../../render/render";
import { writeRender } from "../../render/write";
import { fixtureCatalogDir, fixtureConfigFile, repoRoot, stackConfig } from "../support/harness";

const probe = path.join(repoRoot, "dist", "test", "support", "loadedModules.js");
const renderCli = path.join(repoRoot, "dist", "render", "cli.js");
const diffCli = path.join(repoRoot, "dist", "render", "diffCli.js");

let tmp: string;

/** Runs `node [args]` with the probe preloaded: exit status, output, every file it loaded and the `@pulumi/*` ones. */
function run(args: readonly string[]): { status: number | null; stdout: string; stderr: string; loaded: string[]; pulumi: string[] } {
    const record = path.join(tmp, `loaded-${Math.random().toString(36).slice(2)}.json`);
    const result = spawnSync(process.execPath, ["--require", probe, ...args], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, LOADED_MODULES_FILE: record, npm_lifecycle_event: "" },
    });
    const loaded = JSON.parse(fs.readFileSync(record, "utf8")) as string[];
    const pulumi = loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}@pulumi${path.sep}`));
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, loaded, pulumi };
}

describe("render commands load the Pulumi SDK only to render, and the S3 SDK never", () => {
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-cli-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the probe sees @pulumi/pulumi when a command does load it", () => {
        const loaded = run(["-e", 'require("@pulumi/pulumi")']);
        assert.equal(loaded.status, 0, loaded.stderr);
        assert.ok(
            loaded.pulumi.some((f) => f.endsWith(path.join("@pulumi", "pulumi", "index.js"))),
            loaded.pulumi.join("\n"),
        );
    });

    it("render --help prints the usage and loads no @pulumi module", () => {
        const help = run([renderCli, "--help"]);
        assert.equal(help.status, 0, help.stderr);
        assert.equal(help.stdout, renderUsage);
        assert.deepEqual(help.pulumi, []);
    });

    it("render with bad usage answers with status 64 and loads no @pulumi module", () => {
        const bad = run([renderCli, "--stack", "Pro!"]);
        assert.equal(bad.status, 64);
        assert.deepEqual(bad.pulumi, []);
    });

    it("render:diff --help and a real comparison load no @pulumi module", async () => {
        const help = run([diffCli, "--help"]);
        assert.equal(help.status, 0, help.stderr);
        assert.equal(help.stdout, diffUsage);
        assert.deepEqual(help.pulumi, []);

        const rendered = await renderStack({ stack: "pro", config: stackConfig("pro"), catalogDir: fixtureCatalogDir("pro") });
        const out = path.join(tmp, "pro");
        writeRender(out, rendered.files);
        const diff = run([diffCli, out, out]);
        assert.equal(diff.status, 0, diff.stderr);
        assert.match(diff.stdout, /No changes/);
        assert.deepEqual(diff.pulumi, []);
    });

    it("rendering pro, whose worlds are seeded, loads no @aws-sdk/client-s3: only the seeding provider's host calls S3", () => {
        const out = path.join(tmp, "pro");
        const render = run([renderCli, "--stack", "pro", "--out", out]);
        assert.equal(render.status, 0, render.stderr);
        const plan = fs.readFileSync(path.join(out, "plan.json"), "utf8");
        assert.match(plan, /pulumi-nodejs:dynamic\/tenant-apps:WorldSeed/);
        const s3 = render.loaded.filter((file) => file.includes(path.join("@aws-sdk", "client-s3")));
        assert.deepEqual(s3, []);
    });
});

describe("render reports the stack's problems from their fields", () => {
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-cli-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("lists every config problem at once, naming the stack file as given, and writes nothing", () => {
        const config = fs
            .readFileSync(fixtureConfigFile("pro"), "utf8")
            .replace(/\n {2}tenant-apps:kubernetes:\n( {4}.*\n)+/, "\n")
            .replace("recoveryWindowInDays: 30", "recoveryWindowInDays: 3");
        const configFile = path.join(tmp, "Pulumi.pro.yaml");
        fs.writeFileSync(configFile, config);
        const out = path.join(tmp, "out");
        const result = run([renderCli, "--stack", "pro", "--config", configFile, "--catalog", fixtureCatalogDir("pro"), "--out", out]);
        assert.equal(result.status, 1);
        assert.equal(
            result.stderr,
            [
                "error: stack pro cannot be rendered (2 problems):",
                `${configFile}: tenant-apps:deletion.recoveryWindowInDays: Number must be greater than or equal to 7`,
                `${configFile}: tenant-apps:kubernetes: missing; name the cluster this stack applies to (context, kubeconfig or kubeconfigEnv), so it can never apply to whatever cluster the shell points at`,
                "nothing was written",
                "",
            ].join("\n"),
        );
        assert.equal(fs.existsSync(out), false);
    });
});
