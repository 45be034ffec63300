/**
 * `npm run preview -- [--stack S | --all] [--refresh] [--out FILE] [--exit-code] [--quiet]`
 *
 * Previews one stack or every stack of the project (one after the other) through the
 * Automation API and prints a markdown summary built from the engine events: counts by
 * operation, changes per organization and app, replacements and deletions called out.
 */
import * as fs from "node:fs";
import { parseCommand, usageError, type CommandSpec } from "../cli/command";
import { cancelled, watchSignals, type Cancellation } from "./cancel";
import { checkStack, ExitCode, failureOf, findProjectDir, knownStacks, runMain, type Console } from "./cli";
import { hasChanges, renderPreviewMarkdown, summarizePreview, type StackPreview } from "./previewReport";
import { openStack, recorder, startScript } from "./workspace";

export const usage = `Usage: npm run preview -- (--stack <stack> | --all) [options]

Previews the tenant-apps program (a dry run; nothing changes) and prints a markdown summary
of the planned changes on stdout. The Pulumi CLI's own progress streams to stderr.

Options:
  --stack <stack>  the stack to preview (pre, pro, or org/tenant-apps/<stack>)
  --all            preview every stack of the project (every Pulumi.<stack>.yaml), in turn
  --refresh        refresh the state from the cloud before previewing (re-running the
                   program, so providers get today's credentials)
  --out <file>     also write the markdown summary to <file>
  --exit-code      exit 2 when any stack has changes (like git diff --exit-code)
  --quiet          do not stream the CLI's output
  -h, --help       show this help

Exit codes: 0 ok, 1 a preview failed, 2 changes pending (only with --exit-code),
            3 pulumi CLI missing, 4 another update holds a stack's lock, 64 bad arguments,
            130/143 cancelled by SIGINT/SIGTERM.
`;

/** The preview command line. */
export const command: CommandSpec = {
    name: "preview",
    usage,
    options: {
        stack: { type: "string", short: "s" },
        all: { type: "boolean" },
        refresh: { type: "boolean" },
        out: { type: "string" },
        "exit-code": { type: "boolean" },
        quiet: { type: "boolean" },
    },
};

export interface PreviewOptions {
    readonly stacks: readonly string[];
    readonly refresh: boolean;
    readonly out?: string;
    readonly exitCode: boolean;
    readonly quiet: boolean;
}

/** Parses the preview command line against the project's stacks. */
export function parsePreviewArgs(argv: readonly string[], stacks: readonly string[]) {
    return parseCommand<PreviewOptions>(command, argv, (args) => {
        const stack = args.string("stack");
        const all = args.boolean("all");
        if (all && stack !== undefined) usageError("give either --stack or --all, not both");
        if (!all) {
            const problem = checkStack(stack, stacks);
            if (problem !== undefined) usageError(stack === undefined ? "give --stack <stack> or --all" : problem);
        }
        const out = args.string("out");
        if (out === "") usageError("--out needs a file name");
        return {
            stacks: all ? stacks : [stack as string],
            refresh: args.boolean("refresh"),
            ...(out === undefined ? {} : { out }),
            exitCode: args.boolean("exit-code"),
            quiet: args.boolean("quiet"),
        };
    });
}

/** A stack's preview summary, and the exit code its failure calls for. */
interface Previewed {
    readonly preview: StackPreview;
    readonly code: number;
}

/** Previews one stack; a failure becomes part of the summary rather than an exception. */
async function previewStack(
    con: Console,
    projectDir: string,
    stackName: string,
    options: PreviewOptions,
    cancel: Cancellation,
): Promise<Previewed> {
    const rec = recorder(con, options.quiet);
    con.err(`\n== preview of stack ${stackName}${options.refresh ? " (with refresh)" : ""}\n`);
    try {
        const stack = await openStack(projectDir, stackName);
        await stack.preview({
            onEvent: rec.onEvent,
            onOutput: rec.onOutput,
            onError: rec.onError,
            color: rec.color,
            signal: cancel.signal,
            // Re-run the program for the refresh as well (stack.js:393-398), see deploy.ts.
            ...(options.refresh ? { refresh: true, runProgram: true } : {}),
        });
        return { preview: summarizePreview(stackName, rec.events), code: ExitCode.ok };
    } catch (error) {
        if (cancel.explains(error)) return { preview: summarizePreview(stackName, rec.events, "cancelled"), code: ExitCode.ok };
        const failure = failureOf(error, stackName);
        con.err(`error: preview of ${stackName} failed: ${failure.message}\n`);
        return { preview: summarizePreview(stackName, rec.events, failure.message), code: failure.code };
    }
}

export async function main(argv: readonly string[], con: Console, projectDir = findProjectDir()): Promise<number> {
    const options = startScript(parsePreviewArgs(argv, knownStacks(projectDir)), con, projectDir, command);
    if (typeof options === "number") return options;

    const cancel = watchSignals(con);
    const results: Previewed[] = [];
    let current = options.stacks[0] ?? "";
    for (const stack of options.stacks) {
        if (cancel.requested !== undefined) break;
        current = stack;
        results.push(await previewStack(con, projectDir, stack, options, cancel));
    }
    const previews = results.map((r) => r.preview);
    const markdown = renderPreviewMarkdown(previews);
    con.out(markdown);
    if (options.out !== undefined) fs.writeFileSync(options.out, markdown);

    if (cancel.requested !== undefined) return cancelled(con, cancel, current, "preview");
    if (results.some((r) => r.code === ExitCode.locked)) return ExitCode.locked;
    if (previews.some((p) => p.failure !== undefined)) return ExitCode.failed;
    return options.exitCode && previews.some(hasChanges) ? ExitCode.changes : ExitCode.ok;
}

if (require.main === module) runMain(main);
