/**
 * The Automation API side shared by the scripts: the preflight (CLI present, program built),
 * selecting a stack of the local project directory, and the options every operation gets
 * (streamed output, recorded engine events, Ctrl-C).
 */
import { LocalWorkspace, StackNotFoundError, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { settle, type CommandSpec, type Parsed } from "../cli/command";
import { checkBuilt, checkPulumiCli, ExitCode, type Console } from "./cli";

/** Checks the CLI and the build; prints one line and returns the exit code when either is missing. */
export function preflight(con: Console, projectDir: string): number | undefined {
    const cli = checkPulumiCli();
    if (!cli.ok) {
        con.err(`${cli.message}\n`);
        return ExitCode.cliMissing;
    }
    const notBuilt = checkBuilt(projectDir);
    if (notBuilt !== undefined) {
        con.err(`error: ${notBuilt}\n`);
        return ExitCode.failed;
    }
    con.err(`using pulumi ${cli.version} (${cli.path}) on project ${projectDir}\n`);
    return undefined;
}

/**
 * The common start of every script: `--help` prints the usage (exit 0), bad usage prints the
 * message and the usage line once (exit 64), then the preflight. Returns the options to run
 * with, or the exit code to stop with.
 */
export function startScript<T extends object>(
    parsed: Parsed<T>,
    con: Console,
    projectDir: string,
    spec: Pick<CommandSpec, "name" | "usage">,
): T | number {
    const options = settle(parsed, spec, con);
    if (typeof options === "number") return options;
    return preflight(con, projectDir) ?? options;
}

/** Selects `stackName` of the project in `projectDir` (Pulumi.yaml `main: dist/index.js`). */
export async function openStack(projectDir: string, stackName: string): Promise<Stack> {
    try {
        return await LocalWorkspace.selectStack({ stackName, workDir: projectDir }, { envVars: { PULUMI_SKIP_UPDATE_CHECK: "true" } });
    } catch (error) {
        if (error instanceof StackNotFoundError) {
            throw new Error(
                `stack "${stackName}" does not exist in the current backend; log in to the right one (pulumi login) or create it (pulumi stack init ${stackName})`,
                { cause: error },
            );
        }
        throw error;
    }
}

/** What each operation streams and records. */
export interface Recorder {
    /** Every engine event of the operation, in arrival order. */
    readonly events: EngineEvent[];
    readonly onEvent: (event: EngineEvent) => void;
    readonly onOutput: (text: string) => void;
    readonly onError: (text: string) => void;
    readonly color: "always" | "never";
}

/** A fresh recorder streaming the CLI's output to the console's progress stream. */
export function recorder(con: Console, quiet = false): Recorder {
    const events: EngineEvent[] = [];
    const stream = (text: string) => {
        if (!quiet) con.err(text);
    };
    return {
        events,
        onEvent: (event) => events.push(event),
        onOutput: stream,
        onError: stream,
        color: process.stderr.isTTY ? "always" : "never",
    };
}
