/**
 * `npm run drift -- --stack S [--quiet]`
 *
 * A refresh preview (`pulumi refresh --preview-only`): reads every resource from the cloud
 * without writing the state, and lists the resources whose cloud state differs from it.
 * Exits 2 when there is drift, so a scheduled job fails visibly.
 */
import {
    checkStack,
    describeError,
    ExitCode,
    findProjectDir,
    interruptSignal,
    knownStacks,
    parseCommandLine,
    runMain,
    type Console,
} from "./cli";
import { detectDrift, refreshChangeCount, renderDrift } from "./summary";
import { openStack, recorder, startScript } from "./workspace";

export const usage = `Usage: npm run drift -- --stack <stack> [options]

Checks whether the cloud still matches the stack's state: runs a refresh preview (nothing is
written) and lists every drifted resource on stdout. The CLI's progress streams to stderr.

Options:
  --stack <stack>  the stack to check (pre, pro, or org/tenant-apps/<stack>)
  --quiet          do not stream the CLI's output
  -h, --help       show this help

Exit codes: 0 no drift, 1 the check failed, 2 drift found, 3 pulumi CLI missing, 64 bad arguments.
`;

export interface DriftOptions {
    readonly stack: string;
    readonly quiet: boolean;
}

/** Parses the drift command line against the project's stacks. */
export function parseDriftArgs(argv: readonly string[], stacks: readonly string[]) {
    return parseCommandLine<DriftOptions>(argv, { stack: { type: "string", short: "s" }, quiet: { type: "boolean" } }, (v) => {
        const problem = checkStack(v.stack as string | undefined, stacks);
        return problem ?? { stack: v.stack as string, quiet: v.quiet === true };
    });
}

export async function main(argv: readonly string[], con: Console, projectDir = findProjectDir()): Promise<number> {
    const started = startScript(parseDriftArgs(argv, knownStacks(projectDir)), con, projectDir, "drift", usage);
    if (typeof started === "number") return started;
    const { stack: stackName, quiet } = started;

    const signal = interruptSignal(con);
    const rec = recorder(con, quiet);
    con.err(`\n== drift check of stack ${stackName} (refresh preview; the state is not written)\n`);
    try {
        const stack = await openStack(projectDir, stackName);
        await stack.previewRefresh({ onEvent: rec.onEvent, onOutput: rec.onOutput, onError: rec.onError, color: rec.color, signal });
    } catch (error) {
        con.err(`error: drift check of ${stackName} failed: ${describeError(error)}\n`);
        return ExitCode.failed;
    }
    const drifted = detectDrift(rec.events);
    const unexplained = drifted.length === 0 ? refreshChangeCount(rec.events) : 0;
    con.out(renderDrift(stackName, drifted, unexplained));
    return drifted.length > 0 || unexplained > 0 ? ExitCode.changes : ExitCode.ok;
}

if (require.main === module) runMain(main);
