import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { checkBuilt, checkPulumiCli, cliMissingMessage, describeError, knownStacks } from "../../automation/cli";
import { isYes, parseDeployArgs, streamPrompter } from "../../automation/deploy";
import { parseDriftArgs } from "../../automation/drift";
import { parsePreviewArgs } from "../../automation/preview";
import { fakePulumiDir, repoRoot } from "./support";

const stacks = ["pre", "pro"];

describe("automation: arguments and CLI detection", () => {
    it("knows the project's stacks from its Pulumi.<stack>.yaml files", () => {
        assert.deepEqual(knownStacks(repoRoot), ["pre", "pro"]);
    });

    describe("preview", () => {
        it("takes one stack, or --all for every stack", () => {
            assert.deepEqual(parsePreviewArgs(["--stack", "pro"], stacks), {
                kind: "run",
                options: { stacks: ["pro"], refresh: false, exitCode: false, quiet: false },
            });
            assert.deepEqual(parsePreviewArgs(["--all", "--refresh", "--exit-code", "--out", "preview.md"], stacks), {
                kind: "run",
                options: { stacks: ["pre", "pro"], refresh: true, out: "preview.md", exitCode: true, quiet: false },
            });
            assert.deepEqual(parsePreviewArgs(["-s", "acme/tenant-apps/pre"], stacks), {
                kind: "run",
                options: { stacks: ["acme/tenant-apps/pre"], refresh: false, exitCode: false, quiet: false },
            });
        });

        it("rejects no stack, both forms, unknown stacks, unknown flags and stray words", () => {
            const usage = (argv: string[]) => {
                const parsed = parsePreviewArgs(argv, stacks);
                assert.equal(parsed.kind, "usage", argv.join(" "));
                return parsed.kind === "usage" ? parsed.message : "";
            };
            assert.equal(usage([]), "give --stack <stack> or --all");
            assert.equal(usage(["--stack", "pro", "--all"]), "give either --stack or --all, not both");
            assert.equal(usage(["--stack", "prod"]), 'unknown stack "prod": this project configures "pre", "pro" (Pulumi.<stack>.yaml)');
            assert.equal(usage(["--stack", "pro", "--force"]), 'unknown argument "--force"');
            assert.equal(usage(["--stack", "pro", "now"]), 'unexpected argument "now"');
            assert.equal(usage(["--stack"]), "--stack needs a value");
            assert.match(usage(["--stack", "pro; rm -rf /"]), /not a valid stack name/);
            assert.equal(usage(["--stack", "pre", "--stack", "pro"]), '--stack is given twice ("pre" and "pro"); give it once');
        });

        it("answers --help whatever else is given", () => {
            assert.deepEqual(parsePreviewArgs(["--stack", "nope", "--help"], stacks), { kind: "help" });
            assert.deepEqual(parsePreviewArgs(["-h"], stacks), { kind: "help" });
        });
    });

    describe("deploy", () => {
        it("needs --yes when stdin is not a terminal, and not when someone can confirm", () => {
            const refused = parseDeployArgs(["--stack", "pro"], stacks, false);
            assert.equal(refused.kind, "usage");
            assert.match(refused.kind === "usage" ? refused.message : "", /stdin is not a terminal.*pass --yes \(nothing was run\)/);
            assert.deepEqual(parseDeployArgs(["--stack", "pro", "-y", "--refresh"], stacks, false), {
                kind: "run",
                options: {
                    stack: "pro",
                    refresh: true,
                    yes: true,
                    quiet: false,
                    gateway: undefined,
                    verify: true,
                    acceptUnisolatedPlatform: false,
                },
            });
            assert.deepEqual(parseDeployArgs(["--stack", "pre"], stacks, true), {
                kind: "run",
                options: {
                    stack: "pre",
                    refresh: false,
                    yes: false,
                    quiet: false,
                    gateway: undefined,
                    verify: true,
                    acceptUnisolatedPlatform: false,
                },
            });
        });

        it("checks the apps after the update unless --no-verify, against --gateway when given", () => {
            assert.deepEqual(parseDeployArgs(["--stack", "pro", "-y", "--no-verify", "--gateway", "lb.example.com"], stacks, false), {
                kind: "run",
                options: {
                    stack: "pro",
                    refresh: false,
                    yes: true,
                    quiet: false,
                    gateway: "lb.example.com",
                    verify: false,
                    acceptUnisolatedPlatform: false,
                },
            });
        });

        it("has no --all: one stack per deploy", () => {
            assert.equal(parseDeployArgs(["--all", "--yes"], stacks, false).kind, "usage");
        });

        it("takes the stack once: --stack pre --stack pro is refused, not a deploy to pro", () => {
            assert.deepEqual(parseDeployArgs(["--stack", "pre", "--yes", "--stack", "pro"], stacks, false), {
                kind: "usage",
                message: '--stack is given twice ("pre" and "pro"); give it once',
            });
        });

        it("confirms only on an explicit yes typed on the prompt's input", async () => {
            assert.deepEqual(["y", "Y", "yes", " YES \n", "n", "", "no", "yes please", "sure"].map(isYes), [
                true,
                true,
                true,
                true,
                false,
                false,
                false,
                false,
                false,
            ]);
            const answer = async (typed: string | undefined) => {
                const input = new PassThrough();
                const output = new PassThrough();
                let asked = "";
                output.on("data", (chunk: Buffer) => (asked += chunk.toString()));
                const prompter = streamPrompter(input, output);
                const pending = prompter.confirm("Deploy to stack pro (1 to create)? [y/N] ");
                if (typed === undefined) input.end();
                else input.write(typed);
                return { yes: await pending, asked };
            };
            assert.deepEqual(await answer("y\n"), { yes: true, asked: "Deploy to stack pro (1 to create)? [y/N] " });
            assert.deepEqual(await answer("no\n"), { yes: false, asked: "Deploy to stack pro (1 to create)? [y/N] " });
            assert.equal((await answer(undefined)).yes, false, "end of input declines");
            assert.equal(streamPrompter(new PassThrough()).interactive, false);
        });
    });

    describe("drift", () => {
        it("requires a known stack", () => {
            assert.deepEqual(parseDriftArgs([], stacks), { kind: "usage", message: "--stack is required" });
            assert.deepEqual(parseDriftArgs(["--stack", "pro", "--quiet"], stacks), {
                kind: "run",
                options: { stack: "pro", quiet: true },
            });
        });
    });

    describe("finding the Pulumi CLI", () => {
        it("reports a missing CLI in one line with how to install it", () => {
            assert.deepEqual(checkPulumiCli({ PATH: path.dirname(process.execPath) }), { ok: false, message: cliMissingMessage });
            assert.ok(!cliMissingMessage.includes("\n"));
            assert.match(cliMissingMessage, /curl -fsSL https:\/\/get\.pulumi\.com \| sh/);
        });

        it("finds the CLI on PATH and reads its version", () => {
            const found = checkPulumiCli({ PATH: [fakePulumiDir, path.dirname(process.execPath)].join(path.delimiter) });
            assert.deepEqual(found, { ok: true, path: path.join(fakePulumiDir, "pulumi"), version: "v3.270.0" });
        });

        it("gives up on a CLI that does not answer instead of hanging", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-cli-"));
            const scenario = path.join(dir, "scenario.json");
            fs.writeFileSync(scenario, JSON.stringify({ versionHangs: true }));
            // The stand-in's `version` never answers: returning at all is the property.
            const found = checkPulumiCli(
                { PATH: [fakePulumiDir, path.dirname(process.execPath)].join(path.delimiter), FAKE_PULUMI_SCENARIO: scenario },
                1_000,
            );
            assert.equal(found.ok, false);
            assert.match(found.ok ? "" : found.message, /`pulumi version` did not answer within 1 s/);
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });

    it("refuses to run an unbuilt program (Pulumi.yaml main is dist/index.js)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-unbuilt-"));
        assert.match(checkBuilt(dir) ?? "", /the program is not built .*run `npm run build` first/);
        assert.equal(checkBuilt(repoRoot), undefined);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("reduces an Automation API CommandError to its error lines, each once", () => {
        const message = [
            "code: 255",
            " stdout: Previewing update (pro):",
            "",
            " stderr: warning: something minor",
            "error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label",
            "",
        ].join("\n");
        assert.equal(describeError(new Error(message)), "error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label");
        assert.equal(describeError("plain"), "plain");
        // What the SDK really throws for a CLI exiting 255 (cmd.js:186-194): execa's message, which
        // holds the CLI's stderr, as the stderr of a second CommandResult whose `err?` is that
        // same error again.
        const execa = [
            "Command failed with exit code 255: pulumi preview --stack pro --non-interactive",
            "error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label",
            "Previewing update (pro):",
        ].join("\n");
        const wrapped = `code: -2\n stdout: \n stderr: ${execa}\n err?: Error: ${execa}\n`;
        assert.equal(describeError(new Error(wrapped)), "error: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label");
        const noErrorLine = `code: -2\n stdout: \n stderr: Command failed with exit code 1: pulumi up\nsomething odd\n err?: Error: Command failed with exit code 1: pulumi up\nsomething odd\n`;
        assert.equal(describeError(new Error(noErrorLine)), "something odd");
    });
});
