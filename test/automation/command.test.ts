/**
 * The one command-line helper (cli/command.ts) and every command that uses it: render,
 * render:diff, bench, deploy, preview and drift answer bad usage the same way, once on
 * stderr with the usage line, exit 64, and --help on stdout with exit 0.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseCommand, settle, usageError, type CommandSpec } from "../../cli/command";
import { parseArgs as parseBenchArgs } from "../../bench/cli";
import { parseDiffArgs } from "../../render/diffCli";
import { parseRenderArgs } from "../../render/cli";
import { repoRoot } from "./support";

const spec: CommandSpec = {
    name: "demo",
    usage: "Usage: npm run demo -- --stack <stack> [--yes]\n\nDemo.\n",
    options: { stack: { type: "string", short: "s" }, yes: { type: "boolean", short: "y" }, tag: { type: "string", multiple: true } },
};
const build = (args: Parameters<Parameters<typeof parseCommand>[2]>[0]) => {
    const stack = args.string("stack");
    if (stack === undefined) usageError("--stack is required");
    return { stack, yes: args.boolean("yes"), tags: args.strings("tag") };
};

function message(argv: readonly string[]): string {
    const parsed = parseCommand(spec, argv, build);
    assert.equal(parsed.kind, "usage", argv.join(" "));
    return parsed.kind === "usage" ? parsed.message : "";
}

describe("cli/command: one parser for every command", () => {
    it("parses flags, short aliases, inline values and repeatable flags", () => {
        assert.deepEqual(parseCommand(spec, ["-s", "pro", "-y", "--tag", "a", "--tag=b"], build), {
            kind: "run",
            options: { stack: "pro", yes: true, tags: ["a", "b"] },
        });
        assert.deepEqual(parseCommand(spec, ["--stack=pre"], build), { kind: "run", options: { stack: "pre", yes: false, tags: [] } });
    });

    it("refuses a single-valued flag given twice instead of silently taking the last", () => {
        assert.equal(message(["--stack", "pre", "--stack", "pro"]), '--stack is given twice ("pre" and "pro"); give it once');
        assert.equal(message(["-s", "pre", "--stack=pro"]), '--stack is given twice ("pre" and "pro"); give it once');
        assert.equal(message(["--stack", "pro", "--yes", "-y"]), "--yes is given twice; give it once");
    });

    it("refuses unknown flags, stray words and missing values, in the same words for every command", () => {
        assert.equal(message(["--stack", "pro", "--force"]), 'unknown argument "--force"');
        assert.equal(message(["--stack", "pro", "-x"]), 'unknown argument "-x"');
        assert.equal(message(["--stack", "pro", "now"]), 'unexpected argument "now"');
        assert.equal(message(["--stack"]), "--stack needs a value");
        assert.equal(message(["--stack", "--yes"]), "--stack needs a value");
        assert.equal(message(["--stack", "pro", "--yes=no"]), "--yes takes no value");
        assert.equal(message([]), "--stack is required");
    });

    it("answers --help whatever else is given, but not after --", () => {
        assert.deepEqual(parseCommand(spec, ["--stack", "pre", "--stack", "pro", "--help"], build), { kind: "help" });
        assert.deepEqual(parseCommand(spec, ["--bogus", "-h"], build), { kind: "help" });
        assert.equal(parseCommand(spec, ["--", "--help"], build).kind, "usage");
    });

    it("prints a usage error once, with the usage line, and returns 64; help on stdout returns 0", () => {
        const out: string[] = [];
        const err: string[] = [];
        const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
        assert.equal(settle(parseCommand(spec, ["--nope"], build), spec, io), 64);
        assert.deepEqual(err, [
            'error: unknown argument "--nope"\nUsage: npm run demo -- --stack <stack> [--yes]\nrun `npm run demo -- --help` for every option\n',
        ]);
        assert.deepEqual(out, []);
        assert.equal(settle(parseCommand(spec, ["-h"], build), spec, io), 0);
        assert.deepEqual(out, ["Usage: npm run demo -- --stack <stack> [--yes]\n\nDemo.\n"]);
        assert.deepEqual(settle(parseCommand(spec, ["-s", "pro"], build), spec, io), { stack: "pro", yes: false, tags: [] });
    });

    it("render, render:diff and bench parse through it", () => {
        assert.deepEqual(parseRenderArgs(["--stack", "pro", "--out", "o", "--json"]), {
            kind: "run",
            options: { stack: "pro", out: "o", json: true, skipPolicy: false },
        });
        assert.deepEqual(parseRenderArgs(["--stack", "pre", "--stack", "pro"]), {
            kind: "usage",
            message: '--stack is given twice ("pre" and "pro"); give it once',
        });
        assert.deepEqual(parseDiffArgs(["a", "b", "--out", "d.md"]), { kind: "run", options: { base: "a", head: "b", out: "d.md" } });
        assert.deepEqual(parseDiffArgs(["a"]), { kind: "usage", message: "give exactly two renders, BASE_DIR and HEAD_DIR" });
        assert.deepEqual(parseBenchArgs(["--apps", "10", "100", "--apps=5,6", "--runs", "2", "--stack", "pre"]), {
            apps: [10, 100, 5, 6],
            runs: 2,
            json: false,
            stack: "pre",
            appsPerOrganization: 10,
            compareTypescript: false,
        });
        assert.throws(() => parseBenchArgs(["--apps=10", "100"]), /^UsageError: unexpected argument "100"$/);
        assert.throws(() => parseBenchArgs(["--runs", "1", "--runs", "2"]), /--runs is given twice \("1" and "2"\)/);
    });

    describe("every command, as a process: bad usage exits 64 with one message and the usage line", () => {
        const commands: readonly (readonly [string, string, readonly string[]])[] = [
            ["render", "render/cli.js", ["--stack", "pre", "--stack", "pro"]],
            ["render:diff", "render/diffCli.js", ["only-one"]],
            ["bench", "bench/cli.js", ["--runs", "1", "--runs", "2"]],
            ["deploy", "automation/deploy.js", ["--stack", "pre", "--stack", "pro", "--yes"]],
            ["preview", "automation/preview.js", ["--all", "--all"]],
            ["drift", "automation/drift.js", ["--stack", "pro", "--bogus"]],
        ];
        for (const [name, file, argv] of commands) {
            it(`${name} ${argv.join(" ")}`, () => {
                const run = spawnSync(process.execPath, [path.join(repoRoot, "dist", file), ...argv], {
                    cwd: repoRoot,
                    encoding: "utf8",
                    env: { PATH: path.dirname(process.execPath) },
                });
                assert.equal(run.status, 64, run.stderr);
                assert.equal(run.stdout, "");
                const lines = run.stderr.split("\n");
                assert.equal(lines.length, 4, run.stderr);
                assert.match(lines[0] ?? "", /^error: /);
                assert.match(lines[1] ?? "", new RegExp(`^Usage: npm run ${name} -- `));
                assert.equal(lines[2], `run \`npm run ${name} -- --help\` for every option`);
                assert.equal(run.stderr.split("error:").length, 2, "the error is printed once");
                const help = spawnSync(process.execPath, [path.join(repoRoot, "dist", file), "--help"], {
                    cwd: repoRoot,
                    encoding: "utf8",
                });
                assert.equal(help.status, 0);
                assert.match(help.stdout, new RegExp(`^Usage: npm run ${name} -- `));
                assert.equal(help.stderr, "");
            });
        }
    });
});
