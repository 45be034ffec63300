/**
 * `npm run deploy -- --stack S [--refresh] [--yes] [--quiet]`
 *
 * Previews the stack, then (with --yes, or after a confirmation on a terminal) runs the
 * update, and ends with a table of every app's URL and what the update did to it. Without
 * --yes and without a terminal it refuses up front instead of waiting for an answer.
 */
import * as readline from "node:readline/promises";
import type { Stack } from "@pulumi/pulumi/automation";
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
import {
    appOutcomes,
    appRows,
    hasChanges,
    headline,
    renderAppTable,
    renderStackMarkdown,
    summarizePreview,
    type AppOutput,
} from "./summary";
import { openStack, recorder, startScript } from "./workspace";

export const usage = `Usage: npm run deploy -- --stack <stack> [options]

Previews the stack, asks for confirmation (or takes --yes), runs the update, and prints the
preview summary and a table of every app's URL and status on stdout. The CLI's progress
streams to stderr.

Options:
  --stack <stack>  the stack to deploy (pre, pro, or org/tenant-apps/<stack>)
  --refresh        refresh the state from the cloud before the preview and the update
  --yes, -y        deploy without asking (required when stdin is not a terminal, e.g. in CI)
  --quiet          do not stream the CLI's output
  -h, --help       show this help

Exit codes: 0 deployed (or nothing to do), 1 failed or declined, 3 pulumi CLI missing,
            64 bad arguments (including no --yes without a terminal).
`;

export interface DeployOptions {
    readonly stack: string;
    readonly refresh: boolean;
    readonly yes: boolean;
    readonly quiet: boolean;
}

/** Parses the deploy command line; without a terminal, --yes is required. */
export function parseDeployArgs(argv: readonly string[], stacks: readonly string[], interactive: boolean) {
    return parseCommandLine<DeployOptions>(
        argv,
        {
            stack: { type: "string", short: "s" },
            refresh: { type: "boolean" },
            yes: { type: "boolean", short: "y" },
            quiet: { type: "boolean" },
        },
        (v) => {
            const problem = checkStack(v.stack as string | undefined, stacks);
            if (problem !== undefined) return problem;
            if (v.yes !== true && !interactive)
                return "stdin is not a terminal, so there is no one to confirm the deploy: pass --yes (nothing was run)";
            return { stack: v.stack as string, refresh: v.refresh === true, yes: v.yes === true, quiet: v.quiet === true };
        },
    );
}

/** How deploy talks to the person running it; tests replace it. */
export interface Prompter {
    /** Whether a person can answer (stdin is a terminal). */
    readonly interactive: boolean;
    /** Asks a yes/no question; resolves true only on an explicit yes. */
    readonly confirm: (question: string) => Promise<boolean>;
}

/** Asks on the terminal (question on stderr, so stdout stays the result). */
export const terminalPrompter: Prompter = {
    interactive: process.stdin.isTTY === true,
    confirm: async (question) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        try {
            return /^y(es)?$/i.test((await rl.question(question)).trim());
        } finally {
            rl.close();
        }
    },
};

/** The `apps` stack output as table input (values are plain; secret ones are not shown). */
function appsOutput(value: unknown): Record<string, AppOutput> {
    if (value === null || typeof value !== "object") return {};
    return value as Record<string, AppOutput>;
}

export async function main(
    argv: readonly string[],
    con: Console,
    projectDir = findProjectDir(),
    prompter: Prompter = terminalPrompter,
): Promise<number> {
    const options = startScript(parseDeployArgs(argv, knownStacks(projectDir), prompter.interactive), con, projectDir, "deploy", usage);
    if (typeof options === "number") return options;

    const signal = interruptSignal(con);
    const stackName = options.stack;
    let stack: Stack;
    const planned = recorder(con, options.quiet);
    try {
        stack = await openStack(projectDir, stackName);
        con.err(`\n== preview of stack ${stackName}${options.refresh ? " (with refresh)" : ""}\n`);
        await stack.preview({
            onEvent: planned.onEvent,
            onOutput: planned.onOutput,
            onError: planned.onError,
            refresh: options.refresh,
            color: planned.color,
            signal,
        });
    } catch (error) {
        const reason = describeError(error);
        con.out(renderStackMarkdown(summarizePreview(stackName, planned.events, reason)));
        con.err(`error: preview of ${stackName} failed, nothing was deployed: ${reason}\n`);
        return ExitCode.failed;
    }
    const preview = summarizePreview(stackName, planned.events);
    con.out(renderStackMarkdown(preview));

    if (!hasChanges(preview)) {
        con.err(`stack ${stackName} has no changes; skipping the update\n`);
        const outputs = await stack.outputs();
        con.out(`\n${renderAppTable(appRows(appsOutput(outputs.apps?.value), new Map()))}`);
        return ExitCode.ok;
    }

    if (!options.yes) {
        const yes = await prompter.confirm(`Deploy to stack ${stackName} (${headline(preview.changes)})? [y/N] `);
        if (!yes) {
            con.err("declined: nothing was deployed\n");
            return ExitCode.failed;
        }
    }

    const done = recorder(con, options.quiet);
    let failure: string | undefined;
    con.err(`\n== update of stack ${stackName}\n`);
    try {
        await stack.up({
            onEvent: done.onEvent,
            onOutput: done.onOutput,
            onError: done.onError,
            refresh: options.refresh,
            color: done.color,
            signal,
        });
    } catch (error) {
        failure = describeError(error);
        con.err(`error: update of ${stackName} failed: ${failure}\n`);
    }

    let apps: Record<string, AppOutput> = {};
    try {
        apps = appsOutput((await stack.outputs()).apps?.value);
    } catch (error) {
        con.err(`warning: could not read the stack outputs: ${describeError(error)}\n`);
    }
    const rows = appRows(apps, appOutcomes(done.events), failure === undefined);
    con.out(`\n### ${failure === undefined ? "Deployed" : "Update failed on"} stack \`${stackName}\`\n\n${renderAppTable(rows)}`);
    return failure === undefined ? ExitCode.ok : ExitCode.failed;
}

if (require.main === module) runMain(main);
