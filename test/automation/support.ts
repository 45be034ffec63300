/**
 * Helpers of the Automation API tests: the recorded engine-event fixtures, and running a
 * compiled script with the stand-in `pulumi` (test/fixtures/fake-pulumi/pulumi) first on PATH,
 * either with stdin closed (as in CI) or on a pseudo-terminal (util-linux `script`), where a
 * test types answers and Ctrl-C as a person would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { startFakePlatform } from "../support/fakePlatform";

/** The repository root (tests run from `dist/test/automation`). */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");
export const fakePulumiDir = path.join(repoRoot, "test", "fixtures", "fake-pulumi");

/** A hand-written engine-event fixture from test/fixtures/fake-pulumi/events/. */
export function events(name: string): EngineEvent[] {
    return JSON.parse(fs.readFileSync(path.join(fakePulumiDir, "events", name), "utf8")) as EngineEvent[];
}

/** One invocation of the stand-in CLI, as it logged it. */
export interface Invocation {
    readonly argv: readonly string[];
    readonly cwd: string;
    readonly env: Readonly<Record<string, string | boolean | null>>;
}

/** A signal the stand-in CLI received, as it logged it. */
export interface ReceivedSignal {
    readonly signal: string;
    readonly pid: number;
}

/** What a script run produced. */
export interface ScriptRun {
    readonly code: number | null;
    /** On a terminal, stdout and stderr both (the terminal's output, `\r\n` made `\n`, without cursor moves). */
    readonly stdout: string;
    readonly stderr: string;
    /** Every `pulumi` invocation, `pulumi version` included. */
    readonly calls: readonly Invocation[];
    /** The invocations other than `pulumi version`. */
    readonly commands: readonly Invocation[];
    /** Every signal the stand-in received, in order. */
    readonly signals: readonly ReceivedSignal[];
}

/** A running script, for a test to act on. */
export interface Session {
    /** Resolves once `text` has appeared in the output (stdout or stderr; the terminal's). */
    readonly waitFor: (text: string) => Promise<void>;
    /**
     * Resolves once the stand-in CLI has armed its signal handlers for `operation` (its
     * `{ "armed": operation }` log record): from then on a signal reaches a running operation.
     */
    readonly waitForArmed: (operation: "preview" | "up" | "refresh") => Promise<void>;
    /** Types on the terminal (`terminal` runs only). */
    readonly type: (text: string) => void;
    /** Sends a signal to the script's node process only. */
    readonly kill: (signal: NodeJS.Signals) => void;
}

/** Scenario of the stand-in CLI (see its header). */
export interface Scenario {
    readonly stacks?: readonly string[];
    readonly operations?: Readonly<
        Record<string, { readonly events?: string; readonly exitCode?: number; readonly stderr?: string; readonly waitForSignal?: boolean }>
    >;
    readonly outputs?: Readonly<Record<string, unknown>>;
    readonly versionHangs?: boolean;
}

export interface RunOptions {
    readonly scenario?: Scenario;
    /** Leave the stand-in off PATH (PATH holds only node's directory). */
    readonly noCli?: boolean;
    readonly env?: Readonly<Record<string, string>>;
    /**
     * The platform deploy's preflight reads (test/fixtures/platform/<scenario>.json, served on
     * 127.0.0.1): deploy runs get "isolated" unless a test says otherwise.
     */
    readonly platform?: string;
    /** Run on a pseudo-terminal (stdin is a terminal; stdout and stderr arrive merged). */
    readonly terminal?: boolean;
    /** Acts on the running script: answers a prompt, sends a signal. */
    readonly interact?: (session: Session) => Promise<void>;
}

/** The scripts still running: killed after each test, so a test that failed or timed out leaves none behind. */
const running = new Set<ChildProcess>();
afterEach(() => {
    for (const child of running) child.kill("SIGKILL");
    running.clear();
});

/** Lines of the stand-in's log so far (an invocation, a signal, or an `armed` record each). */
function logRecords(log: string): Array<Record<string, unknown>> {
    if (!fs.existsSync(log)) return [];
    return fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Resolves once a record of the log in `dir` satisfies `wanted`: woken by file-system events,
 * never by a timer. Rejects if the script ends first (`ended`), so a run that never gets there
 * fails with what it was waiting for instead of leaving a watcher open.
 */
function waitForRecord(
    dir: string,
    log: string,
    what: string,
    wanted: (record: Record<string, unknown>) => boolean,
    ended: Promise<unknown>,
): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        // Watch first, then look: a record appended in between still wakes the watcher.
        const watcher = fs.watch(dir, () => check());
        const check = (): boolean => {
            // A line is appended in one write; a half-written one cannot parse yet, so wait for the next event.
            let found: boolean;
            try {
                found = logRecords(log).some(wanted);
            } catch {
                return false;
            }
            if (found) {
                watcher.close();
                resolve();
            }
            return found;
        };
        void ended.then(() => {
            if (check()) return;
            watcher.close();
            reject(new Error(`the script ended before the stand-in CLI logged ${what}`));
        });
        check();
    });
}

/** A word quoted for sh. */
function shellQuote(word: string): string {
    return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Runs `node dist/automation/<script>.js ...args` with stdin closed (not a terminal). */
export async function runScript(
    script: "deploy" | "preview" | "drift",
    args: readonly string[],
    options: RunOptions = {},
): Promise<ScriptRun> {
    const platform = script === "deploy" ? await startFakePlatform(options.platform ?? "isolated") : undefined;
    try {
        return await runScriptOn(script, args, options, platform?.env ?? {});
    } finally {
        await platform?.close();
    }
}

async function runScriptOn(
    script: "deploy" | "preview" | "drift",
    args: readonly string[],
    options: RunOptions,
    platformEnv: Readonly<Record<string, string>>,
): Promise<ScriptRun> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-automation-"));
    const log = path.join(dir, "pulumi.log");
    const scenarioFile = path.join(dir, "scenario.json");
    fs.writeFileSync(scenarioFile, JSON.stringify(options.scenario ?? {}));
    const nodeDir = path.dirname(process.execPath);
    const env: NodeJS.ProcessEnv = {
        HOME: dir,
        TMPDIR: dir,
        PATH: options.noCli ? nodeDir : [fakePulumiDir, nodeDir, "/usr/bin", "/bin"].join(path.delimiter),
        FAKE_PULUMI_LOG: log,
        FAKE_PULUMI_SCENARIO: scenarioFile,
        ...platformEnv,
        ...options.env,
    };
    const scriptPath = path.join(repoRoot, "dist", "automation", `${script}.js`);
    const child: ChildProcess = options.terminal
        ? // `script` gives the command a pseudo-terminal as its controlling terminal, in its
          // foreground process group, as a shell does: typing ^C there signals the whole group.
          spawn("script", ["-qfec", `exec ${[process.execPath, scriptPath, ...args].map(shellQuote).join(" ")}`, "/dev/null"], {
              cwd: repoRoot,
              env,
              stdio: ["pipe", "pipe", "pipe"],
          })
        : spawn(process.execPath, [scriptPath, ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const waiters: { text: string; resolve: () => void }[] = [];
    // A terminal's output has CRLF line ends (CRCRLF after readline) and cursor moves (`ESC[1G`): drop them.
    const cursorMoves = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, "g");
    const plain = (text: string) => (options.terminal ? text.replace(/\r+\n/g, "\n").replace(cursorMoves, "") : text);
    const check = () => {
        for (const w of [...waiters])
            if ((plain(stdout) + stderr).includes(w.text)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve();
            }
    };
    child.stdout?.on("data", (chunk: Buffer) => ((stdout += chunk.toString()), check()));
    child.stderr?.on("data", (chunk: Buffer) => ((stderr += chunk.toString()), check()));
    running.add(child);
    const closed = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    if (options.interact)
        await options.interact({
            waitFor: (text) =>
                new Promise<void>((resolve) => {
                    waiters.push({ text, resolve });
                    check();
                }),
            waitForArmed: (operation) =>
                waitForRecord(dir, log, `{"armed":"${operation}"}`, (record) => record.armed === operation, closed),
            type: (text) => child.stdin?.write(text),
            kill: (signal) => {
                // On a terminal the node process is `script`'s child (exec'd by its shell).
                const pid = options.terminal ? nodePidUnder(child.pid) : child.pid;
                if (pid !== undefined) process.kill(pid, signal);
            },
        });
    const code = await closed;
    running.delete(child);
    const lines = logRecords(log) as unknown as Array<Invocation | ReceivedSignal | { readonly armed: string }>;
    fs.rmSync(dir, { recursive: true, force: true });
    const calls = lines.filter((l): l is Invocation => "argv" in l);
    const signals = lines.filter((l): l is ReceivedSignal => "signal" in l);
    return {
        code,
        stdout: plain(stdout),
        stderr,
        calls,
        commands: calls.filter((c) => c.argv[0] !== "version"),
        signals,
    };
}

/** The child of `pid` (Linux /proc), i.e. the script's node process under `script`. */
function nodePidUnder(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
        return children[0] ? Number(children[0]) : undefined;
    } catch {
        return undefined;
    }
}

/** The value following `flag` in an argv. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
}
