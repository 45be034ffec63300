/**
 * The scripts up to the CLI boundary: each runs as a real process with the stand-in `pulumi`
 * first on PATH, which records the commands and feeds recorded engine events back the way the
 * Automation API listens for the version it reports: over its gRPC Events server for current
 * CLIs (v3.270.0 by default), from an --event-log file up to v3.205.0. No real Pulumi CLI is
 * involved.
 */
import { strict as assert } from "node:assert";
import { flagValue, runScript, type Invocation, type Scenario } from "./support";

const apps = {
    "r3s3t/world": { type: "hyperfy2", url: "https://world.r3s3t.xyz", namespace: "r3s3t-pro" },
    "r3s3t/guide": { type: "eliza", url: "https://guide.r3s3t.xyz", namespace: "r3s3t-pro" },
    "numinia/lobby": { type: "hyperfy2", url: "https://lobby.numinia.xyz", namespace: "numinia-pro" },
};

const changes: Scenario = {
    operations: {
        "preview:pro": { events: "preview-pro.json" },
        "preview:pre": { events: "preview-pre-clean.json" },
        up: { events: "up-pro.json" },
    },
    outputs: { environment: "pro", apps },
};

function verbs(commands: readonly Invocation[]): string[] {
    return commands.map((c) => (c.argv[0] === "stack" ? c.argv.slice(0, 2).join(" ") : (c.argv[0] ?? "")));
}

describe("automation: the scripts at the CLI boundary (stand-in pulumi)", function () {
    this.timeout(60_000);

    it("preview: selects the stack, previews with an event log, prints the markdown summary and streams progress", async () => {
        const run = await runScript("preview", ["--stack", "pro"], {
            scenario: changes,
            env: { PULUMI_CONFIG_PASSPHRASE: "not-a-real-one" },
        });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.calls[0]?.argv[0], "version");
        assert.deepEqual(run.commands[0]?.argv, ["stack", "select", "--stack", "pro", "--non-interactive"]);
        const preview = run.commands[1];
        assert.equal(preview?.argv[0], "preview");
        assert.equal(flagValue(preview?.argv ?? [], "--stack"), "pro");
        assert.equal(flagValue(preview?.argv ?? [], "--exec-kind"), "auto.local");
        // A current CLI (> 3.205.0) streams the events to the Automation API's gRPC server
        // (node_modules/@pulumi/pulumi/automation/stack.js:118-136), not to a file.
        assert.match(flagValue(preview?.argv ?? [], "--event-log") ?? "", /^tcp:\/\/127\.0\.0\.1:\d+$/);
        assert.ok(!preview?.argv.includes("--refresh"));
        assert.ok(!preview?.argv.some((a) => a.startsWith("--run-program")), "no refresh, so no --run-program");
        assert.equal(preview?.cwd, run.calls[0]?.cwd, "runs in the project directory");
        assert.equal(preview?.env.PULUMI_CONFIG_PASSPHRASE, true, "the passphrase reaches the CLI");
        assert.equal(preview?.env.PULUMI_AUTOMATION_API, "true");
        assert.ok(run.stdout.startsWith("## Pulumi preview: `pro`\n"));
        assert.ok(run.stdout.includes("replace `r3s3t/world/database/schema`"));
        assert.match(run.stderr, /Previewing update \(pro\):/);
        assert.ok(!run.stdout.includes("Previewing update"), "progress stays off stdout");
    });

    it("preview: a CLI up to 3.205 gets an --event-log file instead, and the summary is the same", async () => {
        const run = await runScript("preview", ["--stack", "pro", "--quiet"], {
            scenario: changes,
            env: { FAKE_PULUMI_VERSION: "v3.205.0" },
        });
        assert.equal(run.code, 0, run.stderr);
        const log = flagValue(run.commands[1]?.argv ?? [], "--event-log") ?? "";
        assert.match(log, /automation-logs-preview-[^/]+\/eventlog\.txt$/);
        assert.ok(run.stdout.includes("### Stack `pro`: 10 to create, 2 to update, 1 to replace, 4 to delete, 11 unchanged"));
        assert.ok(
            run.stdout.includes(
                "- `+-` replace `r3s3t/world/database/schema` (postgresql:index/schema:Schema) — replaced because of `name`",
            ),
        );
        const grpc = await runScript("preview", ["--stack", "pro", "--quiet"], { scenario: changes });
        assert.match(flagValue(grpc.commands[1]?.argv ?? [], "--event-log") ?? "", /^tcp:/);
        assert.equal(grpc.stdout, run.stdout, "both transports carry the same events");
    });

    it("preview --all --exit-code: previews every stack in turn and exits 2 when any has changes", async () => {
        const run = await runScript("preview", ["--all", "--exit-code", "--refresh"], { scenario: changes });
        assert.equal(run.code, 2, run.stderr);
        assert.deepEqual(verbs(run.commands), ["stack select", "preview", "stack select", "preview"]);
        assert.deepEqual(
            run.commands.filter((c) => c.argv[0] === "preview").map((c) => [flagValue(c.argv, "--stack"), c.argv.includes("--refresh")]),
            [
                ["pre", true],
                ["pro", true],
            ],
        );
        assert.ok(run.stdout.includes("### Stack `pre`: no changes (6 unchanged)"));
        assert.ok(run.stdout.includes("### Stack `pro`: 10 to create"));
    });

    it("preview: a failing preview is reported in the summary and exits 1", async () => {
        const run = await runScript("preview", ["--stack", "pro"], {
            scenario: {
                operations: {
                    preview: { exitCode: 255, stderr: "error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label\n" },
                },
            },
        });
        assert.equal(run.code, 1);
        assert.ok(run.stdout.includes("### Stack `pro`: preview failed"));
        assert.ok(run.stdout.includes("error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label"));
    });

    it("deploy --yes --refresh: previews, updates with the same flags, and ends with each app's URL and status", async () => {
        const run = await runScript("deploy", ["--stack", "pro", "--yes", "--refresh"], { scenario: changes });
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(verbs(run.commands).slice(0, 3), ["stack select", "preview", "up"]);
        const up = run.commands[2]?.argv ?? [];
        assert.ok(up.includes("--yes") && up.includes("--skip-preview") && up.includes("--refresh"), up.join(" "));
        assert.ok(run.commands[1]?.argv.includes("--refresh"));
        // The refresh re-runs the program, so providers get today's RDS password (issue 12).
        assert.ok(up.includes("--run-program=true"), up.join(" "));
        assert.ok(run.commands[1]?.argv.includes("--run-program=true"));
        assert.equal(flagValue(up, "--stack"), "pro");
        const table = run.stdout.slice(run.stdout.indexOf("### Deployed stack `pro`"));
        assert.ok(table.includes("| active-inference/agent | —        | —                         | removed             |"), table);
        assert.ok(table.includes("| numinia/lobby          | hyperfy2 | https://lobby.numinia.xyz | created             |"), table);
        assert.ok(table.includes("| r3s3t/guide            | eliza    | https://guide.r3s3t.xyz   | unchanged           |"), table);
        assert.ok(table.includes("| r3s3t/world            | hyperfy2 | https://world.r3s3t.xyz   | updated (1 changed) |"), table);
        assert.match(run.stderr, /Updating \(pro\):/);
        // The outcome check after the update is never skipped in silence.
        assert.ok(
            run.stderr.endsWith(
                "not verified: stack pro names no gateway (tenant-apps:dns.target); check the apps with npm run verify -- --stack pro --gateway <hostname>\n",
            ),
            run.stderr,
        );
    });

    it("deploy --no-verify says the apps were not checked and how to check them", async () => {
        const run = await runScript("deploy", ["--stack", "pro", "--yes", "--quiet", "--no-verify"], { scenario: changes });
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stderr.endsWith("not verified (--no-verify): check the apps with npm run verify -- --stack pro\n"), run.stderr);
    });

    it("deploy without --yes and without a terminal refuses before touching the CLI", async () => {
        const run = await runScript("deploy", ["--stack", "pro"], { scenario: changes });
        assert.equal(run.code, 64);
        assert.equal(run.calls.length, 0);
        assert.match(run.stderr, /stdin is not a terminal.*pass --yes/);
    });

    it("deploy: a failed update exits 1 and still tells which apps failed and which were not reached", async () => {
        const run = await runScript("deploy", ["--stack", "pro", "--yes"], {
            scenario: {
                ...changes,
                operations: {
                    ...changes.operations,
                    up: { events: "up-pro-failed.json", exitCode: 255, stderr: "error: update failed\n" },
                },
            },
        });
        assert.equal(run.code, 1);
        assert.ok(run.stdout.includes("### Update failed on stack `pro`"));
        assert.match(run.stdout, /\| numinia\/lobby +\| hyperfy2 \| https:\/\/lobby\.numinia\.xyz \| failed +\|/);
        assert.match(run.stdout, /\| r3s3t\/guide +\| eliza +\| https:\/\/guide\.r3s3t\.xyz +\| not reached +\|/);
        assert.match(run.stderr, /error: update of pro failed: error: update failed/);
    });

    it("deploy: no changes means no update", async () => {
        const run = await runScript("deploy", ["--stack", "pre", "--yes"], {
            scenario: { ...changes, outputs: { environment: "pre", apps: {} } },
        });
        assert.equal(run.code, 0, run.stderr);
        assert.ok(!verbs(run.commands).includes("up"));
        assert.ok(run.stdout.includes("No tenant apps in this stack."));
    });

    it("drift: a refresh preview; exit 2 with the drifted resources, exit 0 when clean", async () => {
        const drifted = await runScript("drift", ["--stack", "pro"], {
            scenario: { operations: { refresh: { events: "refresh-pro-drift.json" } } },
        });
        assert.equal(drifted.code, 2, drifted.stderr);
        const refresh = drifted.commands[1]?.argv ?? [];
        assert.deepEqual(refresh.slice(0, 3), ["refresh", "--preview-only", "--run-program=true"]);
        assert.ok(!refresh.includes("--yes"), "never writes the state");
        assert.ok(drifted.stdout.includes("r3s3t/world/identity/role (aws:iam/role:Role) changed: maxSessionDuration, tags"));

        const clean = await runScript("drift", ["--stack", "pro"], {
            scenario: { operations: { refresh: { events: "refresh-pro-clean.json" } } },
        });
        assert.equal(clean.code, 0, clean.stderr);
        assert.equal(clean.stdout, "No drift in stack pro: the cloud matches the state.\n");
    });

    it("drift: External Secrets rewriting status and resourceVersion on every refresh is no drift (exit 0)", async () => {
        const run = await runScript("drift", ["--stack", "pro", "--quiet"], {
            scenario: { operations: { refresh: { events: "refresh-pro-eso.json" } } },
        });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.stdout, "No drift in stack pro: the cloud matches the state.\n");
    });

    it("prints a failure's error line once, not once per copy in the CommandError", async () => {
        const line = "error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label";
        const run = await runScript("drift", ["--stack", "pro", "--quiet"], {
            scenario: { operations: { refresh: { exitCode: 255, stderr: `${line}\n` } } },
        });
        assert.equal(run.code, 1);
        assert.equal(run.stderr.split(line).length - 1, 1, run.stderr);
        assert.ok(run.stderr.endsWith(`error: drift check of pro failed: ${line}\n`), run.stderr);
    });

    it("deploy: another update holding the stack's lock is its own exit code (4) and says so", async () => {
        const run = await runScript("deploy", ["--stack", "pro", "--yes", "--quiet"], {
            scenario: {
                ...changes,
                operations: {
                    ...changes.operations,
                    up: { exitCode: 255, stderr: "error: [409] Conflict: Another update is currently in progress.\n" },
                },
            },
        });
        assert.equal(run.code, 4, run.stderr);
        assert.ok(
            run.stderr.includes(
                "error: update of pro failed: another update holds the lock of stack pro, so nothing was run: wait for it to finish, or if none is running (a cancelled or crashed run left the lock), release it with: pulumi cancel --stack pro\n",
            ),
            run.stderr,
        );
        const drift = await runScript("drift", ["--stack", "pro", "--quiet"], {
            scenario: { operations: { refresh: { exitCode: 255, stderr: "error: the stack is currently locked by 1 lock(s)\n" } } },
        });
        assert.equal(drift.code, 4, drift.stderr);
        assert.match(drift.stderr, /another update holds the lock of stack pro/);
    });

    it("a stack missing from the backend is one clear error, exit 1", async () => {
        const run = await runScript("drift", ["--stack", "pro"], { scenario: { stacks: ["pre"] } });
        assert.equal(run.code, 1);
        assert.match(run.stderr, /stack "pro" does not exist in the current backend; .*pulumi stack init pro/);
    });

    it("without the CLI, every script says so in one line and exits 3 at once", async () => {
        for (const [script, args] of [
            ["deploy", ["--stack", "pro", "--yes"]],
            ["preview", ["--all"]],
            ["drift", ["--stack", "pre"]],
        ] as const) {
            const run = await runScript(script, args, { noCli: true });
            assert.equal(run.code, 3, script);
            assert.equal(
                run.stderr,
                "pulumi CLI not found on PATH; install it: curl -fsSL https://get.pulumi.com | sh (see https://www.pulumi.com/docs/install/)\n",
            );
            assert.equal(run.stdout, "");
            assert.ok(run.ms < 10_000, `${script} took ${run.ms} ms`);
        }
    });

    it("--help prints the usage with the exit codes and runs nothing", async () => {
        const run = await runScript("preview", ["--help"]);
        assert.equal(run.code, 0);
        assert.match(run.stdout, /^Usage: npm run preview -- \(--stack <stack> \| --all\)/);
        assert.match(run.stdout, /Exit codes: 0 ok, 1 a preview failed, 2 changes pending/);
        assert.equal(run.calls.length, 0);
    });
});
