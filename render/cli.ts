#!/usr/bin/env node
/**
 * `npm run render -- --stack <pre|pro> [--catalog DIR] [--config FILE] [--out DIR] [--json]`
 *
 * Renders a stack's desired state without credentials or network: evaluates the real program
 * under the mock runtime and writes plan.json, k8s/, iam/ and summary.md to --out. An invalid
 * catalog or config exits with status 1, every problem on stderr, and nothing written.
 */
import * as path from "node:path";
import { parseCommand, settle, usageError, type CommandSpec } from "../cli/command";
import { projectRoot } from "../program/program";
import { policyChecks } from "../policy/config";
import { userFingerprintSecret } from "./fingerprint";
import { problemsOf, renderStack } from "./render";
import { readStackConfig, type StackConfig } from "../model/stackConfig";
import { formatTree, formatViolation } from "./tree";
import { findLeak, planFile, writeRender } from "./write";

export const usage = `Usage: npm run render -- --stack <pre|pro> [--catalog DIR] [--config FILE] [--out DIR] [--json]

Renders the stack's desired state under Pulumi's mock runtime. Needs no credentials and
contacts nothing; ARNs and ids are deterministic stand-ins, secret values are [secret].

  --stack NAME     stack to render (pre or pro)                            required
  --catalog DIR    catalog directory                       default: stacks/<stack>
  --config FILE    stack config file                       default: Pulumi.<stack>.yaml
  --out DIR        output directory (replaced)             default: out/<stack>
  --json           print plan.json instead of the tree
  --skip-policy    do not run the policy pack's rules over the plan
  -h, --help       show this help

Writes: plan.json, k8s/<namespace>/<kind>-<name>.yaml, iam/<role>.{trust,policy}.json, summary.md
Exit status: 0 rendered, 1 invalid catalog or config (nothing written),
             3 rendered and written, but the policy pack reports violations (listed after the tree),
             64 bad usage.
`;

/** The render command line. */
export const command: CommandSpec = {
    name: "render",
    usage,
    options: {
        stack: { type: "string" },
        catalog: { type: "string" },
        config: { type: "string" },
        out: { type: "string" },
        json: { type: "boolean" },
        "skip-policy": { type: "boolean" },
    },
};

/** What the render command was asked to do. */
export interface RenderOptions {
    readonly stack: string;
    readonly catalog?: string;
    readonly config?: string;
    readonly out?: string;
    readonly json: boolean;
    readonly skipPolicy: boolean;
}

/** Parses the render command line. */
export function parseRenderArgs(argv: readonly string[]) {
    return parseCommand<RenderOptions>(command, argv, (args) => {
        const stack = args.string("stack");
        if (stack === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(stack))
            usageError("--stack is required and must be a stack name such as pre or pro");
        const paths: { catalog?: string; config?: string; out?: string } = {};
        for (const key of ["catalog", "config", "out"] as const) {
            const value = args.string(key);
            if (value === "") usageError(`--${key} needs a path`);
            if (value !== undefined) paths[key] = value;
        }
        return { stack, ...paths, json: args.boolean("json"), skipPolicy: args.boolean("skip-policy") };
    });
}

/** Where relative paths given by the user start: the shell's directory, also under `npm run`. */
function invocationDir(): string {
    const viaNpm = (process.env.npm_lifecycle_event ?? "").startsWith("render") && process.env.INIT_CWD;
    return viaNpm ? (process.env.INIT_CWD as string) : process.cwd();
}

/** A path as the user would recognize it. */
function shown(file: string, base: string): string {
    const relative = path.relative(base, file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** The program names catalog files relative to the project; show files outside it as the user named them. */
function relocate(problem: string, root: string, base: string): string {
    const match = /^(\.\.[^:]*)(.*)$/s.exec(problem);
    return match ? `${shown(path.resolve(root, match[1] ?? ""), base)}${match[2] ?? ""}` : problem;
}

export async function main(argv: readonly string[]): Promise<number> {
    const values = settle(parseRenderArgs(argv), command);
    if (typeof values === "number") return values;
    const stack = values.stack;

    const root = projectRoot();
    const base = invocationDir();
    const configFile = values.config !== undefined ? path.resolve(base, values.config) : path.join(root, `Pulumi.${stack}.yaml`);
    const catalogDir = values.catalog !== undefined ? path.resolve(base, values.catalog) : undefined;
    const outDir = values.out !== undefined ? path.resolve(base, values.out) : path.join(root, "out", stack);
    const configShown = shown(configFile, base);

    let config: StackConfig;
    try {
        config = readStackConfig(configFile);
    } catch (error) {
        const message = (error as Error).message;
        process.stderr.write(
            `error: ${message.startsWith(configFile) ? configShown + message.slice(configFile.length) : `${configShown}: ${message}`}\n`,
        );
        return 1;
    }

    let fingerprintSecret: string;
    try {
        fingerprintSecret = userFingerprintSecret();
    } catch (error) {
        process.stderr.write(`error: ${(error as Error).message}; nothing was written\n`);
        return 1;
    }

    let result: Awaited<ReturnType<typeof renderStack>>;
    try {
        const checks = values.skipPolicy ? undefined : policyChecks(stack, config.config);
        result = await renderStack({ stack, config, catalogDir, checks, fingerprintSecret });
    } catch (error) {
        const problems = problemsOf(error, configShown);
        process.stderr.write(`error: stack ${stack} cannot be rendered (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n`);
        for (const p of problems) process.stderr.write(`${relocate(p, root, base)}\n`);
        process.stderr.write("nothing was written\n");
        return 1;
    }

    const outShown = shown(outDir, base);
    const printed = values.json
        ? (result.files.get(planFile) ?? "")
        : formatTree(result.plan, { outDir: outShown, fileCount: result.files.size, violations: result.violations });
    if (findLeak(new Map(), result.secretValues, [printed]) !== undefined) {
        process.stderr.write("error: the printed output would hold a secret value; nothing was written\n");
        return 1;
    }
    try {
        writeRender(outDir, result.files);
    } catch (error) {
        process.stderr.write(`error: ${(error as Error).message}\n`);
        return 1;
    }
    process.stdout.write(printed);
    if (values.json && result.violations && result.violations.length > 0) {
        for (const v of result.violations) process.stderr.write(`policy ${formatViolation(v)}\n`);
    }
    return result.violations !== undefined && result.violations.length > 0 ? 3 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exitCode = 1;
        },
    );
}
