#!/usr/bin/env node
/**
 * `npm run render:diff -- BASE_DIR HEAD_DIR [--out FILE]`
 *
 * Compares two renders (directories holding plan.json, or plan.json files) and prints the
 * markdown a pull request gets as a comment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommand, settle, usageError, type CommandSpec } from "../cli/command";
import { diffPlans, formatDiffMarkdown } from "./diff";
import { readRenderPlan } from "./readRender";
import { refusedRenames } from "./renames";

export const usage = `Usage: npm run render:diff -- BASE_DIR HEAD_DIR [--out FILE]

Compares two renders (each a directory written by \`npm run render\`, or its plan.json) and
prints markdown for a pull-request comment: resources added, removed and changed, with
field-level changes (secret fields only as "changed"), grouped by organization and app.

  --out FILE    also write the markdown to FILE
  -h, --help    show this help

Exit status: 0 compared (with or without changes), 2 a render cannot be read, 3 compared but
refused: a data-bearing name (schema, role, secret, assets) of an existing app would change and
the catalog does not declare the move, or the stack is bound to another cluster (which replaces
every Kubernetes object) or loses deletion protection in pro without the stack config declaring
it, 64 bad usage.
`;

/** The render:diff command line. */
export const command: CommandSpec = { name: "render:diff", usage, options: { out: { type: "string" } }, positionals: true };

/** What render:diff was asked to compare. */
export interface DiffOptions {
    readonly base: string;
    readonly head: string;
    readonly out?: string;
}

/** Parses the render:diff command line: exactly two renders, and maybe --out. */
export function parseDiffArgs(argv: readonly string[]) {
    return parseCommand<DiffOptions>(command, argv, (args) => {
        const [base, head, ...extra] = args.positionals;
        if (base === undefined || head === undefined || extra.length > 0) usageError("give exactly two renders, BASE_DIR and HEAD_DIR");
        const out = args.string("out");
        if (out === "") usageError("--out needs a file name");
        return { base, head, ...(out === undefined ? {} : { out }) };
    });
}

function invocationDir(): string {
    const viaNpm = (process.env.npm_lifecycle_event ?? "").startsWith("render") && process.env.INIT_CWD;
    return viaNpm ? (process.env.INIT_CWD as string) : process.cwd();
}

export function main(argv: readonly string[]): number {
    const options = settle(parseDiffArgs(argv), command);
    if (typeof options === "number") return options;
    const { base: baseDir, head: headDir } = options;
    const base = invocationDir();
    let markdown: string;
    let refused: number;
    try {
        const diff = diffPlans(readRenderPlan(baseDir, base, "base"), readRenderPlan(headDir, base, "head"));
        refused = refusedRenames(diff).length + (diff.risky ?? []).filter((c) => !c.declared).length;
        markdown = formatDiffMarkdown(diff, { base: baseDir, head: headDir });
    } catch (error) {
        process.stderr.write(`error: ${(error as Error).message}\n`);
        return 2;
    }
    if (options.out !== undefined) fs.writeFileSync(path.resolve(base, options.out), markdown);
    process.stdout.write(markdown);
    return refused > 0 ? 3 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
