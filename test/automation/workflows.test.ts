/**
 * Invariants of the GitHub workflows (no runner here, so check what a reviewer would):
 * triggers, least permissions, the fork-safe comment split, the stack order and approvals,
 * and that every npm script they run exists.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./support";

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly if?: string;
}
interface Job {
    readonly needs?: string | string[];
    readonly environment?: string;
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
    readonly strategy?: { matrix?: Record<string, unknown> };
    readonly steps?: Step[];
    readonly permissions?: Record<string, string>;
}
interface Workflow {
    readonly name: string;
    readonly on: Record<string, unknown>;
    readonly permissions?: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

const dir = path.join(repoRoot, ".github", "workflows");
const load = (file: string): Workflow => parse(fs.readFileSync(path.join(dir, file), "utf8")) as Workflow;
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((job) => job.steps ?? []);
const runs = (wf: Workflow): string =>
    steps(wf)
        .map((s) => s.run ?? "")
        .join("\n");

describe("automation: GitHub workflows", () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));

    it("every workflow parses, declares its permissions and runs only npm scripts that exist", () => {
        const scripts = Object.keys(
            (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: object }).scripts,
        );
        assert.deepEqual(files.sort(), [
            "deploy.yml",
            "drift.yml",
            "preview.yml",
            "pull-request-comment.yml",
            "pull-request.yml",
            "up-stack.yml",
        ]);
        for (const file of files) {
            const wf = load(file);
            assert.ok(wf.permissions, `${file} sets top-level permissions`);
            for (const [, script] of runs(wf).matchAll(/npm run (?:--silent )?([a-z:]+)/g)) {
                // render and render:diff belong to the render work; the rest must exist here.
                if (!script?.startsWith("render")) assert.ok(scripts.includes(script as string), `${file}: npm run ${script}`);
            }
        }
    });

    it("never interpolates event data into shell scripts", () => {
        for (const file of files) assert.doesNotMatch(runs(load(file)), /\$\{\{\s*github\.event\./, file);
    });

    it("pull requests: tests and the credential-free render diff of base against head, uploaded for the comment workflow", () => {
        const wf = load("pull-request.yml");
        assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
        assert.deepEqual(wf.permissions, { contents: "read" });
        assert.match(runs(wf), /npm ci[\s\S]*npm test/);
        const render = wf.jobs["render-diff"]?.steps ?? [];
        assert.deepEqual(
            render.filter((s) => s.uses?.startsWith("actions/checkout")).map((s) => [s.with?.ref, s.with?.path]),
            [
                ["${{ github.event.pull_request.head.sha }}", "head"],
                ["${{ github.event.pull_request.base.sha }}", "base"],
            ],
        );
        const script = render.map((s) => s.run ?? "").join("\n");
        assert.match(script, /for stack in pre pro/);
        assert.match(script, /npm run --silent render -- --stack "\$stack"/);
        assert.match(script, /npm run --silent render:diff -- "\$OUT\/base\/\$stack" "\$OUT\/head\/\$stack"/);
        assert.ok(render.some((s) => s.uses?.startsWith("actions/upload-artifact") && s.with?.name === "render-diff"));
    });

    it("the comment workflow runs on workflow_run, never checks out code, and validates the PR number", () => {
        const wf = load("pull-request-comment.yml");
        assert.deepEqual(wf.on, { workflow_run: { workflows: ["Pull request"], types: ["completed"] } });
        assert.equal(load("pull-request.yml").name, "Pull request");
        assert.deepEqual(wf.permissions, { actions: "read", "pull-requests": "write" });
        assert.ok(!steps(wf).some((s) => s.uses?.startsWith("actions/checkout")));
        assert.match(runs(wf), /\*\[!0-9\]\*\)/);
        assert.ok(steps(wf).some((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment")));
    });

    it("the cloud preview is a pulumi/actions preview per stack that comments, skipped without credentials", () => {
        const wf = load("preview.yml");
        const job = wf.jobs.preview as Job;
        assert.deepEqual(job.strategy?.matrix?.stack, ["pre", "pro"]);
        const pulumi = job.steps?.find((s) => s.uses?.startsWith("pulumi/actions"));
        assert.equal(pulumi?.with?.command, "preview");
        assert.equal(pulumi?.with?.["comment-on-pr"], true);
        assert.equal(pulumi?.if, "steps.creds.outputs.available == 'true'");
    });

    it("push to main: up pre, then up pro, each in its stack's environment", () => {
        const wf = load("deploy.yml");
        assert.deepEqual(wf.on.push, { branches: ["main"] });
        assert.equal(wf.jobs["up-pre"]?.needs, "test");
        assert.equal(wf.jobs["up-pro"]?.needs, "up-pre");
        assert.deepEqual(
            ["up-pre", "up-pro"].map((j) => [wf.jobs[j]?.uses, wf.jobs[j]?.with?.stack]),
            [
                ["./.github/workflows/up-stack.yml", "pre"],
                ["./.github/workflows/up-stack.yml", "pro"],
            ],
        );
        const up = load("up-stack.yml");
        assert.equal(up.jobs.up?.environment, "${{ inputs.stack }}");
        assert.match(runs(up), /npm run --silent deploy -- --stack "\$STACK" --yes/);
    });

    it("drift runs on a schedule for both stacks and treats exit 2 as drift", () => {
        const wf = load("drift.yml");
        assert.ok(Array.isArray(wf.on.schedule));
        assert.deepEqual(wf.jobs.drift?.strategy?.matrix?.stack, ["pre", "pro"]);
        assert.match(runs(wf), /npm run --silent drift -- --stack "\$STACK"/);
        assert.ok(steps(wf).some((s) => s.if === "steps.drift.outputs.code == '2'" && s.uses?.startsWith("actions/github-script")));
    });
});
