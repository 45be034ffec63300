/**
 * `npm run deploy -- --stack S [--refresh] [--yes] [--quiet]`
 *
 * Previews the stack, then (with --yes, or after a confirmation on a terminal) runs the
 * update, and ends with a table of every app's URL and what the update did to it. Without
 * --yes and without a terminal it refuses up front instead of waiting for an answer. A pro stack
 * is deployed only on a platform that can isolate tenants (the preflight, automation/platformPreflight.ts),
 * unless --accept-unisolated-platform says otherwise, loudly.
 */
import * as readline from "node:readline/promises";
import type { Stack } from "@pulumi/pulumi/automation";
import { parseCommand, usageError, type CommandSpec } from "../cli/command";
import { cancelled, watchSignals } from "./cancel";
import { checkStack, describeError, ExitCode, failureOf, findProjectDir, knownStacks, runMain, type Console } from "./cli";
import { appOutcomes, appRows, renderAppTable, type AppOutput } from "./deployReport";
import { checkPlatform, platformOfStack, renderFindings } from "./platformPreflight";
import { hasChanges, headline, renderStackMarkdown, summarizePreview } from "./previewReport";
import { verifyAfterDeploy } from "./verify";
import { openStack, recorder, startScript } from "./workspace";

export const usage = `Usage: npm run deploy -- --stack <stack> [options]

Previews the stack, asks for confirmation (or takes --yes), runs the update, and prints the
preview summary and a table of every app's URL and status on stdout. The CLI's progress
streams to stderr.

Options:
  --stack <stack>  the stack to deploy (pre, pro, or org/tenant-apps/<stack>)
  --refresh        refresh the state from the cloud before the preview and the update
                   (re-running the program, so providers get today's credentials)
  --yes, -y        deploy without asking (required when stdin is not a terminal, e.g. in CI)
  --quiet          do not stream the CLI's output
  --gateway <host> the gateway every hostname must lead to, for the check after the update
                   (default: the stack's tenant-apps:dns.target)
  --no-verify      do not run npm run verify's checks after a successful update
  --accept-unisolated-platform
                   deploy a pro stack even though the preflight finds that the platform cannot
                   isolate tenants (NetworkPolicies not enforced, pods reach IMDS, Pod Security
                   not honoured); printed loudly, never the default
  -h, --help       show this help

Before a pro deploy, the platform preflight runs (npm run preflight -- --stack pro).

After a successful update, every app is checked as npm run verify checks it: DNS to the
gateway, a valid certificate, a 2xx health path.

Exit codes: 0 deployed (or nothing to do), 1 failed or declined, 3 pulumi CLI missing,
            4 another update holds the stack's lock, 5 deployed but an app does not answer
            at its URL yet, 6 pro refused: the platform cannot isolate tenants,
            64 bad arguments (including no --yes without a terminal),
            130/143 cancelled by SIGINT/SIGTERM.
`;

/** The deploy command line. */
export const command: CommandSpec = {
    name: "deploy",
    usage,
    options: {
        stack: { type: "string", short: "s" },
        refresh: { type: "boolean" },
        yes: { type: "boolean", short: "y" },
        quiet: { type: "boolean" },
        gateway: { type: "string" },
        "no-verify": { type: "boolean" },
        "accept-unisolated-platform": { type: "boolean" },
    },
};

export interface DeployOptions {
    readonly stack: string;
    readonly refresh: boolean;
    readonly yes: boolean;
    readonly quiet: boolean;
    /** The gateway for the checks after the update, when not the stack's own. */
    readonly gateway?: string;
    readonly verify: boolean;
    readonly acceptUnisolatedPlatform: boolean;
}

/** Parses the deploy command line; without a terminal, --yes is required. */
export function parseDeployArgs(argv: readonly string[], stacks: readonly string[], interactive: boolean) {
    return parseCommand<DeployOptions>(command, argv, (args) => {
        const stack = args.string("stack");
        const problem = checkStack(stack, stacks);
        if (problem !== undefined) usageError(problem);
        if (!args.boolean("yes") && !interactive)
            usageError("stdin is not a terminal, so there is no one to confirm the deploy: pass --yes (nothing was run)");
        return {
            stack: stack as string,
            refresh: args.boolean("refresh"),
            yes: args.boolean("yes"),
            quiet: args.boolean("quiet"),
            gateway: args.string("gateway"),
            verify: !args.boolean("no-verify"),
            acceptUnisolatedPlatform: args.boolean("accept-unisolated-platform"),
        };
    });
}

/** How deploy talks to the person running it; tests replace it. */
export interface Prompter {
    /** Whether a person can answer (stdin is a terminal). */
    readonly interactive: boolean;
    /** Asks a yes/no question; resolves true only on an explicit yes. */
    readonly confirm: (question: string) => Promise<boolean>;
}

/** Whether an answer is an explicit yes (`y`, `yes`, any case); anything else declines. */
export function isYes(answer: string): boolean {
    return /^y(es)?$/i.test(answer.trim());
}

/**
 * Asks on `input` (question on `output`, stderr by default, so stdout stays the result).
 * Ctrl-C or the end of input at the question declines.
 */
export function streamPrompter(
    input: NodeJS.ReadableStream & { readonly isTTY?: boolean },
    output: NodeJS.WritableStream = process.stderr,
): Prompter {
    return {
        interactive: input.isTTY === true,
        confirm: async (question) => {
            const rl = readline.createInterface({ input, output });
            const ended = new Promise<string>((resolve) => {
                rl.once("SIGINT", () => resolve(""));
                rl.once("close", () => resolve(""));
            });
            const asked = rl.question(question);
            asked.catch(() => undefined); // closing the interface rejects an unanswered question
            try {
                return isYes(await Promise.race([asked, ended]));
            } finally {
                rl.close();
            }
        },
    };
}

/** Asks the person at the terminal. */
export const terminalPrompter: Prompter = streamPrompter(process.stdin);

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
    const options = startScript(parseDeployArgs(argv, knownStacks(projectDir), prompter.interactive), con, projectDir, command);
    if (typeof options === "number") return options;

    const refused = await isolationGate(options, con, projectDir);
    if (refused !== undefined) return refused;

    const cancel = watchSignals(con);
    const stackName = options.stack;
    // With --refresh, re-run the program for the refresh too, so providers are configured from
    // today's config (the RDS master password rotates) rather than the stale copy in the state
    // (pulumi/pulumi#4981). `runProgram` → `--run-program=true`: stack.js:245-250, 393-398.
    const fresh = options.refresh ? { refresh: true, runProgram: true } : { refresh: false };
    let stack: Stack;
    const planned = recorder(con, options.quiet);
    try {
        stack = await openStack(projectDir, stackName);
        con.err(`\n== preview of stack ${stackName}${options.refresh ? " (with refresh)" : ""}\n`);
        await stack.preview({
            onEvent: planned.onEvent,
            onOutput: planned.onOutput,
            onError: planned.onError,
            color: planned.color,
            signal: cancel.signal,
            ...fresh,
        });
    } catch (error) {
        if (cancel.explains(error)) return cancelled(con, cancel, stackName, "preview");
        const failure = failureOf(error, stackName);
        con.out(renderStackMarkdown(summarizePreview(stackName, planned.events, failure.message)));
        con.err(`error: preview of ${stackName} failed, nothing was deployed: ${failure.message}\n`);
        return failure.code;
    }
    const preview = summarizePreview(stackName, planned.events);
    con.out(renderStackMarkdown(preview));
    if (cancel.requested !== undefined) return cancelled(con, cancel, stackName, "preview");

    if (!hasChanges(preview)) {
        con.err(`stack ${stackName} has no changes; skipping the update\n`);
        const outputs = await stack.outputs();
        con.out(`\n${renderAppTable(appRows(appsOutput(outputs.apps?.value), new Map()))}`);
        return ExitCode.ok;
    }

    if (!options.yes) {
        const yes = await prompter.confirm(`Deploy to stack ${stackName} (${headline(preview.changes)})? [y/N] `);
        if (cancel.requested !== undefined) return cancelled(con, cancel, stackName, "deploy");
        if (!yes) {
            con.err("declined: nothing was deployed\n");
            return ExitCode.failed;
        }
    }

    const done = recorder(con, options.quiet);
    let failure: { readonly code: number; readonly message: string } | undefined;
    con.err(`\n== update of stack ${stackName}\n`);
    try {
        await stack.up({
            onEvent: done.onEvent,
            onOutput: done.onOutput,
            onError: done.onError,
            color: done.color,
            signal: cancel.signal,
            ...fresh,
        });
    } catch (error) {
        failure = failureOf(error, stackName);
        if (!cancel.explains(error)) con.err(`error: update of ${stackName} failed: ${failure.message}\n`);
    }

    let apps: Record<string, AppOutput> = {};
    try {
        apps = appsOutput((await stack.outputs()).apps?.value);
    } catch (error) {
        con.err(`warning: could not read the stack outputs: ${describeError(error)}\n`);
    }
    const rows = appRows(apps, appOutcomes(done.events), failure === undefined);
    con.out(`\n### ${failure === undefined ? "Deployed" : "Update failed on"} stack \`${stackName}\`\n\n${renderAppTable(rows)}`);
    if (cancel.requested !== undefined) return cancelled(con, cancel, stackName, "update");
    if (failure !== undefined) return failure.code;
    return options.verify ? verifyAfterDeploy(con, projectDir, stackName, options.gateway) : notVerified(con, stackName);
}

/** Says that the outcome was not checked, and how to check it; a skipped check is never silent. */
function notVerified(con: Console, stack: string): number {
    con.err(`not verified (--no-verify): check the apps with npm run verify -- --stack ${stack}\n`);
    return ExitCode.ok;
}

const loud = "!".repeat(78);

/**
 * Before a pro deploy: whether the platform can isolate tenants. Refuses (exit 6) with the
 * findings and their fixes, or with --accept-unisolated-platform goes on after a banner on both
 * streams. A pre stack is not checked. Returns the exit code to stop with, or undefined to go on.
 */
async function isolationGate(options: DeployOptions, con: Console, projectDir: string): Promise<number | undefined> {
    const platform = platformOfStack(projectDir, options.stack);
    if (platform.env !== "pro") return undefined;
    con.err(`\n== platform preflight of stack ${options.stack}\n`);
    const { findings, isolated } = await checkPlatform(platform);
    con.err(`${renderFindings(findings)}\n`);
    if (isolated) return undefined;
    if (!options.acceptUnisolatedPlatform) {
        con.err(
            `error: refusing to deploy ${options.stack}: the platform cannot isolate tenants (see above; docs/platform.md). ` +
                "Nothing was run. Apply the fixes, or pass --accept-unisolated-platform to deploy anyway.\n",
        );
        return ExitCode.unisolated;
    }
    const banner = `${loud}\n!! DEPLOYING ${options.stack} ON A PLATFORM THAT CANNOT ISOLATE TENANTS (--accept-unisolated-platform)\n!! ${findings
        .filter((f) => f.status === "missing" || f.status === "unknown")
        .map((f) => `${f.check} ${f.status.toUpperCase()}`)
        .join(", ")}\n${loud}\n`;
    con.err(banner);
    con.out(banner);
    return undefined;
}

if (require.main === module) runMain(main);
