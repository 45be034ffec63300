/**
 * Shared plumbing of the Automation API scripts (deploy, preview, drift): exit codes, finding
 * the Pulumi CLI without ever hanging, locating the project and its stacks, and turning the
 * Automation API's errors into one line each. Argument parsing is the project's one helper
 * (cli/command.ts).
 *
 * Convention: progress (the CLI's own output, streamed) goes to stderr; the result (a
 * markdown summary, a table, a drift list) goes to stdout, so `npm run --silent preview > x.md`
 * captures only the result.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConcurrentUpdateError } from "@pulumi/pulumi/automation";
import { ExitStatus, processOutput, type Output } from "../cli/command";

/** Exit codes shared by every script; documented once, in docs/automation.md. */
export const ExitCode = {
    /** Success (and, for preview/drift, nothing to report). */
    ok: ExitStatus.ok,
    /** The operation failed: the CLI, the program, a provider, or a declined confirmation. */
    failed: 1,
    /** Drift found (drift) or changes pending (preview with --exit-code). */
    changes: 2,
    /** The Pulumi CLI is not installed or does not answer. */
    cliMissing: 3,
    /** Another update holds the stack's lock (the Automation API's ConcurrentUpdateError). */
    locked: 4,
    /** deploy: the update succeeded, but an app does not answer at its URL yet (npm run verify). */
    notAnswering: 5,
    /** deploy refused a pro stack whose platform cannot isolate tenants (npm run preflight says why). */
    unisolated: 6,
    /** Bad arguments (sysexits EX_USAGE), as for every command of the project. */
    usage: ExitStatus.usage,
    /** Cancelled by SIGINT (Ctrl-C); the CLI was asked to stop exactly once. */
    interrupted: ExitStatus.interrupted,
    /** Cancelled by SIGTERM (a CI job cancelled); the CLI was asked to stop exactly once. */
    terminated: ExitStatus.terminated,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a script writes: `out` the result (markdown, tables, lists), `err` progress and diagnostics. */
export type Console = Output;

/** The process console. */
export const processConsole: Console = processOutput;

/** The directory holding Pulumi.yaml, searched upward from `start` (dist/automation when compiled). */
export function findProjectDir(start: string = __dirname): string {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`no Pulumi.yaml found in ${start} or any parent directory`);
    }
}

/** The stacks this project configures: one per `Pulumi.<stack>.yaml`, sorted. */
export function knownStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * Checks a `--stack` value: a short name (`pro`) or a fully qualified one (`acme/tenant-apps/pro`)
 * whose last segment has a `Pulumi.<stack>.yaml`. Returns a usage message, or undefined if fine.
 */
export function checkStack(stack: string | undefined, stacks: readonly string[]): string | undefined {
    if (stack === undefined || stack === "") return "--stack is required";
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(stack)) return `--stack ${JSON.stringify(stack)} is not a valid stack name`;
    const short = stack.split("/").pop() as string;
    if (!stacks.includes(short))
        return `unknown stack "${short}": this project configures ${stacks.map((s) => `"${s}"`).join(", ")} (Pulumi.<stack>.yaml)`;
    return undefined;
}

/** The message printed when the CLI is missing: one line, with how to install it. */
export const cliMissingMessage =
    "pulumi CLI not found on PATH; install it: curl -fsSL https://get.pulumi.com | sh (see https://www.pulumi.com/docs/install/)";

/** The outcome of looking for the CLI. */
export type CliCheck =
    { readonly ok: true; readonly path: string; readonly version: string } | { readonly ok: false; readonly message: string };

/** The first executable `pulumi` on `PATH`, or undefined. */
export function findOnPath(name: string, envPath: string | undefined): string | undefined {
    const exts = process.platform === "win32" ? ["", ".exe", ".cmd"] : [""];
    for (const dir of (envPath ?? "").split(path.delimiter)) {
        if (dir === "") continue;
        for (const ext of exts) {
            const candidate = path.join(dir, name + ext);
            try {
                fs.accessSync(candidate, fs.constants.X_OK);
                if (fs.statSync(candidate).isFile()) return candidate;
            } catch {
                // not here
            }
        }
    }
    return undefined;
}

/**
 * Finds the Pulumi CLI on PATH and asks it for its version with a timeout, so a missing or
 * wedged CLI produces one clear line instead of an Automation API stack trace or a hang.
 */
export function checkPulumiCli(env: NodeJS.ProcessEnv = process.env, timeoutMs = 15_000): CliCheck {
    const found = findOnPath("pulumi", env.PATH);
    if (found === undefined) return { ok: false, message: cliMissingMessage };
    const result = spawnSync(found, ["version"], {
        env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
        timeout: timeoutMs,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (result.error !== undefined || result.status !== 0) {
        const why =
            result.error !== undefined && "code" in result.error && result.error.code === "ETIMEDOUT"
                ? `did not answer within ${timeoutMs / 1000} s`
                : `failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`;
        return {
            ok: false,
            message: `pulumi CLI at ${found}: \`pulumi version\` ${why}; reinstall it: curl -fsSL https://get.pulumi.com | sh`,
        };
    }
    return { ok: true, path: found, version: result.stdout.trim() };
}

/** Fails unless the compiled program (Pulumi.yaml `main: dist/index.js`) exists. */
export function checkBuilt(projectDir: string): string | undefined {
    const main = path.join(projectDir, "dist", "index.js");
    if (!fs.existsSync(main))
        return `the program is not built (${path.relative(process.cwd(), main) || main} is missing): run \`npm run build\` first`;
    return undefined;
}

/** The lines of a CommandError's stderr section, or of the whole message for other errors. */
function stderrOf(text: string): string {
    // CommandResult.toString() is "code: N\n stdout: …\n stderr: …\n err?: …"
    // (node_modules/@pulumi/pulumi/automation/cmd.js:46-52). For a CLI that exits non-zero the
    // SDK wraps execa's error, whose message already holds the CLI's stderr, into a second
    // CommandResult with that message as its stderr and the same error as `err?`
    // (cmd.js:186-194): every line of the CLI's stderr is in the text twice. Take one section.
    const section = /\n stderr: ([\s\S]*?)(?:\n err\?: [\s\S]*)?$/.exec(text)?.[1];
    return section ?? text;
}

/** An error as one line (or the CLI's `error:` lines, each once), without the CommandError preamble. */
export function describeError(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    const lines = [
        ...new Set(
            stderrOf(text)
                .split("\n")
                .map((line) => line.trim())
                .filter((line) => line !== "" && !/^Command failed with exit code/.test(line)),
        ),
    ];
    const errorLines = lines.filter((line) => /^error:/i.test(line));
    return (errorLines.length > 0 ? errorLines : lines.slice(0, 3)).join("\n") || "unknown error";
}

/** The Automation API's error for a stack whose lock another update holds (errors.js: 409 Conflict, "currently locked by"). */
export function isLocked(error: unknown): boolean {
    return error instanceof ConcurrentUpdateError;
}

/** What to tell, and exit with, when an operation on `stack` failed with `error`. */
export function failureOf(error: unknown, stack: string): { readonly code: number; readonly message: string } {
    if (isLocked(error))
        return {
            code: ExitCode.locked,
            message: `another update holds the lock of stack ${stack}, so nothing was run: wait for it to finish, or if none is running (a cancelled or crashed run left the lock), release it with: pulumi cancel --stack ${stack}`,
        };
    return { code: ExitCode.failed, message: describeError(error) };
}

/** Runs a script's `main` and exits with its code; unexpected errors exit 1 with one message. */
export function runMain(main: (argv: readonly string[], con: Console) => Promise<number>): void {
    main(process.argv.slice(2), processConsole).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`error: ${describeError(error)}\n`);
            process.exitCode = ExitCode.failed;
        },
    );
}
