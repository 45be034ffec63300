/**
 * `npm run drift -- --stack S [--quiet]`
 *
 * A refresh preview (`pulumi refresh --preview-only --run-program`): reads every resource
 * from the cloud without writing the state, and lists the resources the engine's refresh
 * diff reports as changed or gone, ignoring fields Kubernetes controllers rewrite on their
 * own. Exits 2 when there is drift, so a scheduled job fails visibly.
 */
import { parseCommand, usageError, type CommandSpec } from "../cli/command";
import { cancelled, watchSignals } from "./cancel";
import { checkStack, ExitCode, failureOf, findProjectDir, knownStacks, runMain, type Console } from "./cli";
import { detectDrift, renderDrift, unexplainedChangeCount } from "./driftReport";
import { openStack, recorder, startScript } from "./workspace";

export const usage = `Usage: npm run drift -- --stack <stack> [options]

Checks whether the cloud still matches the stack's state: runs a refresh preview (nothing is
written; the program runs, so providers use today's credentials) and lists every drifted
resource on stdout. Fields that Kubernetes controllers own (status, resourceVersion, …) are
not drift. The CLI's progress streams to stderr.

Options:
  --stack <stack>  the stack to check (pre, pro, or org/tenant-apps/<stack>)
  --quiet          do not stream the CLI's output
  -h, --help       show this help

Exit codes: 0 no drift, 1 the check failed, 2 drift found, 3 pulumi CLI missing,
            4 another update holds the stack's lock, 64 bad arguments,
            130/143 cancelled by SIGINT/SIGTERM.
`;

/** The drift command line. */
export const command: CommandSpec = {
    name: "drift",
    usage,
    options: { stack: { type: "string", short: "s" }, quiet: { type: "boolean" } },
};

export interface DriftOptions {
    readonly stack: string;
    readonly quiet: boolean;
}

/** Parses the drift command line against the project's stacks. */
export function parseDriftArgs(argv: readonly string[], stacks: readonly string[]) {
    return parseCommand<DriftOptions>(command, argv, (args) => {
        const stack = args.string("stack");
        const problem = checkStack(stack, stacks);
        if (problem !== undefined) usageError(problem);
        return { stack: stack as string, quiet: args.boolean("quiet") };
    });
}

export async function main(argv: readonly string[], con: Console, projectDir = findProjectDir()): Promise<number> {
    const started = startScript(parseDriftArgs(argv, knownStacks(projectDir)), con, projectDir, command);
    if (typeof started === "number") return started;
    const { stack: stackName, quiet } = started;

    const cancel = watchSignals(con);
    const rec = recorder(con, quiet);
    con.err(`\n== drift check of stack ${stackName} (refresh preview; the state is not written)\n`);
    try {
        const stack = await openStack(projectDir, stackName);
        // `previewRefresh` runs `pulumi refresh --preview-only` (node_modules/@pulumi/pulumi/
        // automation/stack.js:601-602); `runProgram` adds `--run-program=true` (stack.js:636-639)
        // so the providers are configured by the program from today's config, not from the
        // copy in the state, which goes stale when the RDS master password rotates
        // (pulumi/pulumi#4981). No `expectNoChanges`: the engine's summary counts the
        // controller-owned rewrites as updates, so it would fail every day; drift is judged
        // per resource below instead.
        await stack.previewRefresh({
            onEvent: rec.onEvent,
            onOutput: rec.onOutput,
            onError: rec.onError,
            color: rec.color,
            runProgram: true,
            signal: cancel.signal,
        });
    } catch (error) {
        if (cancel.explains(error)) return cancelled(con, cancel, stackName, "drift check");
        const failure = failureOf(error, stackName);
        con.err(`error: drift check of ${stackName} failed: ${failure.message}\n`);
        return failure.code;
    }
    if (cancel.requested !== undefined) return cancelled(con, cancel, stackName, "drift check");
    const drifted = detectDrift(rec.events);
    const unexplained = drifted.length === 0 ? unexplainedChangeCount(rec.events) : 0;
    con.out(renderDrift(stackName, drifted, unexplained));
    return drifted.length > 0 || unexplained > 0 ? ExitCode.changes : ExitCode.ok;
}

if (require.main === module) runMain(main);
