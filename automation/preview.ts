/**
 * `npm run preview -- [--stack S | --all] [--refresh] [--out FILE] [--exit-code] [--quiet]`
 *
 * Previews one stack or every stack of the project (one after the other) through the
 * Automation API and prints a markdown summary built from the engine events: counts by
 * operation, changes per organization and app, replacements and deletions called out.
 */
import * as fs from "node:fs";
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
import { hasChanges, renderPreviewMarkdown, summarizePreview, type StackPreview } from "./summary";
import { openStack, recorder, startScript } from "./workspace";

export const usage = `Usage: npm run preview -- (--stack <stack> | --all) [options]

Previews the tenant-apps program (a dry run; nothing changes) and prints a markdown summary
of the planned changes on stdout. The Pulumi CLI's own progress streams to stderr.

Options:
  --stack <stack>  the stack to preview (pre, pro, or org/tenant-apps/<stack>)
  --all            preview every stack of the project (every Pulumi.<stack>.yaml), in turn
  --refresh        refresh the state from the cloud before previewing
  --out <file>     also write the markdown summary to <file>
  --exit-code      exit 2 when any stack has changes (like git diff --exit-code)
  --quiet          do not stream the CLI's output
  -h, --help       show this help

Exit codes: 0 ok, 1 a preview failed, 2 changes pending (only with --exit-code),
            3 pulumi CLI missing, 64 bad arguments.
`;

export interface PreviewOptions {
    readonly stacks: readonly string[];
    readonly refresh: boolean;
    readonly out?: string;
    readonly exitCode: boolean;
    readonly quiet: boolean;
}

/** Parses the preview command line against the project's stacks. */
export function parsePreviewArgs(argv: readonly string[], stacks: readonly string[]) {
    return parseCommandLine<PreviewOptions>(
        argv,
        {
            stack: { type: "string", short: "s" },
            all: { type: "boolean" },
            refresh: { type: "boolean" },
            out: { type: "string" },
            "exit-code": { type: "boolean" },
            quiet: { type: "boolean" },
        },
        (v) => {
            if (v.all === true && v.stack !== undefined) return "give either --stack or --all, not both";
            if (v.all !== true) {
                const problem = checkStack(v.stack as string | undefined, stacks);
                if (problem !== undefined) return v.stack === undefined ? "give --stack <stack> or --all" : problem;
            }
            if (v.out === "") return "--out needs a file name";
            return {
                stacks: v.all === true ? stacks : [v.stack as string],
                refresh: v.refresh === true,
                ...(typeof v.out === "string" ? { out: v.out } : {}),
                exitCode: v["exit-code"] === true,
                quiet: v.quiet === true,
            };
        },
    );
}

/** Previews one stack; a failure becomes part of the summary rather than an exception. */
async function previewStack(
    con: Console,
    projectDir: string,
    stackName: string,
    options: PreviewOptions,
    signal: AbortSignal,
): Promise<StackPreview> {
    const rec = recorder(con, options.quiet);
    con.err(`\n== preview of stack ${stackName}${options.refresh ? " (with refresh)" : ""}\n`);
    try {
        const stack = await openStack(projectDir, stackName);
        await stack.preview({
            onEvent: rec.onEvent,
            onOutput: rec.onOutput,
            onError: rec.onError,
            refresh: options.refresh,
            color: rec.color,
            signal,
        });
        return summarizePreview(stackName, rec.events);
    } catch (error) {
        const reason = describeError(error);
        con.err(`error: preview of ${stackName} failed: ${reason}\n`);
        return summarizePreview(stackName, rec.events, reason);
    }
}

export async function main(argv: readonly string[], con: Console, projectDir = findProjectDir()): Promise<number> {
    const options = startScript(parsePreviewArgs(argv, knownStacks(projectDir)), con, projectDir, "preview", usage);
    if (typeof options === "number") return options;

    const signal = interruptSignal(con);
    const previews: StackPreview[] = [];
    for (const stack of options.stacks) {
        if (signal.aborted) break;
        previews.push(await previewStack(con, projectDir, stack, options, signal));
    }
    const markdown = renderPreviewMarkdown(previews);
    con.out(markdown);
    if (options.out !== undefined) fs.writeFileSync(options.out, markdown);

    if (signal.aborted || previews.some((p) => p.failure !== undefined)) return ExitCode.failed;
    return options.exitCode && previews.some(hasChanges) ? ExitCode.changes : ExitCode.ok;
}

if (require.main === module) runMain(main);
