/**
 * Helpers of the Automation API tests: the recorded engine-event fixtures, and running a
 * compiled script with the stand-in `pulumi` (test/fixtures/fake-pulumi/pulumi) first on PATH.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";

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

/** What a script run produced. */
export interface ScriptRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** Every `pulumi` invocation, `pulumi version` included. */
    readonly calls: readonly Invocation[];
    /** The invocations other than `pulumi version`. */
    readonly commands: readonly Invocation[];
    readonly ms: number;
}

/** Scenario of the stand-in CLI (see its header). */
export interface Scenario {
    readonly stacks?: readonly string[];
    readonly operations?: Readonly<Record<string, { readonly events?: string; readonly exitCode?: number; readonly stderr?: string }>>;
    readonly outputs?: Readonly<Record<string, unknown>>;
    readonly versionHangs?: boolean;
}

export interface RunOptions {
    readonly scenario?: Scenario;
    /** Leave the stand-in off PATH (PATH holds only node's directory). */
    readonly noCli?: boolean;
    readonly env?: Readonly<Record<string, string>>;
}

/** Runs `node dist/automation/<script>.js ...args` with stdin closed (not a terminal). */
export async function runScript(
    script: "deploy" | "preview" | "drift",
    args: readonly string[],
    options: RunOptions = {},
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
        ...options.env,
    };
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(repoRoot, "dist", "automation", `${script}.js`), ...args], {
        cwd: repoRoot,
        env,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    clearTimeout(timer);
    const calls = fs.existsSync(log)
        ? fs
              .readFileSync(log, "utf8")
              .split("\n")
              .filter((line) => line !== "")
              .map((line) => JSON.parse(line) as Invocation)
        : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { code, stdout, stderr, calls, commands: calls.filter((c) => c.argv[0] !== "version"), ms: Date.now() - started };
}

/** The value following `flag` in an argv. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
}
