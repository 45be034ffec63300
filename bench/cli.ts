/**
 * `npm run bench -- [--apps N ...] [--runs R] [--json] [--apps-per-org N] [--stack pre|pro] [--compare-typescript]`
 *
 * Renders synthetic catalogs of N apps with the real program and times it against the floors
 * (the same resources registered under the same mock runtime with trivial inputs, with the
 * program's own inputs, and bare: bench/floor.ts). Prints a table of medians, or with `--json`
 * one JSON object per size. `--compare-typescript` instead times the program compiled against
 * ts-node (transpile-only and type-checking).
 */
import * as os from "node:os";
import { parseCommand, settle, UsageError, usageError, type CommandSpec, type Parsed } from "../cli/command";
import { appsPerOrganization } from "./catalog";
import { defaultRuns, defaultSizes, runBench, runLoadComparison, type BenchRow, type LoadRow } from "./run";

export interface CliOptions {
    readonly apps: number[];
    readonly runs: number;
    readonly json: boolean;
    readonly stack: string;
    /** Apps per organization of the synthetic catalog. */
    readonly appsPerOrganization: number;
    readonly compareTypescript: boolean;
}

export const usage = `Usage: npm run bench -- [--apps N ...] [--runs R] [--json] [--apps-per-org N] [--stack pre|pro] [--compare-typescript]

  --apps N ...          numbers of apps (space- or comma-separated, or repeated);
                        default 10 100 1000 2000 (100 with --compare-typescript)
  --runs R              runs per size, each in a fresh process; medians are reported (default 3)
  --json                one JSON object per size instead of a table
  --apps-per-org N      apps per organization (default 10); --apps 2000 --apps-per-org 2000
                        puts all 2000 apps in one organization
  --stack S             stack whose platform config is used (default pro)
  --compare-typescript  time the compiled program against ts-node instead
  -h, --help            show this help

Exit status: 0 measured, 1 a measurement failed, 64 bad usage.
`;

/** The bench command line; words after `--apps N` are more sizes, so positionals are parsed. */
export const command: CommandSpec = {
    name: "bench",
    usage,
    options: {
        apps: { type: "string", multiple: true },
        runs: { type: "string" },
        json: { type: "boolean" },
        stack: { type: "string" },
        "apps-per-org": { type: "string" },
        "compare-typescript": { type: "boolean" },
    },
    positionals: true,
};

function wholeNumber(flag: string, text: string | undefined, min: number): number {
    const value = Number(text);
    if (text === undefined || text === "" || !Number.isInteger(value) || value < min) usageError(`${flag} needs a whole number ≥ ${min}`);
    return value;
}

/** Parses the bench command line. */
export function parseBenchArgs(argv: readonly string[]): Parsed<CliOptions> {
    return parseCommand<CliOptions>(command, argv, (args) => {
        const apps: number[] = [];
        // `--apps 10 100 1000`: the numbers that follow a separate `--apps` value belong to it too.
        let appsOpen = false;
        for (const token of args.tokens) {
            if (token.kind === "option") {
                appsOpen = token.name === "apps" && !token.inline;
                if (token.name === "apps") for (const part of (token.value ?? "").split(",")) apps.push(wholeNumber("--apps", part, 1));
            } else if (appsOpen && /^\d+$/.test(token.value)) apps.push(wholeNumber("--apps", token.value, 1));
            else usageError(`unexpected argument "${token.value}"`);
        }
        const runs = args.string("runs");
        const perOrg = args.string("apps-per-org");
        const stack = args.string("stack") ?? "pro";
        if (stack !== "pre" && stack !== "pro") usageError("--stack must be pre or pro");
        const compareTypescript = args.boolean("compare-typescript");
        return {
            apps: apps.length > 0 ? apps : compareTypescript ? [100] : [...defaultSizes],
            runs: runs === undefined ? defaultRuns : wholeNumber("--runs", runs, 1),
            appsPerOrganization: perOrg === undefined ? appsPerOrganization : wholeNumber("--apps-per-org", perOrg, 1),
            json: args.boolean("json"),
            stack,
            compareTypescript,
        };
    });
}

/** The options of a valid command line; throws a UsageError otherwise (also for --help). */
export function parseArgs(argv: readonly string[]): CliOptions {
    const parsed = parseBenchArgs(argv);
    if (parsed.kind === "run") return parsed.options;
    throw new UsageError(parsed.kind === "usage" ? parsed.message : usage);
}

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
    const cells = [header, ...rows.map((r) => r.map(String))];
    const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
    return cells.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join("  ")).join("\n");
}

export function formatBench(rows: readonly BenchRow[]): string {
    return table(
        [
            "apps",
            "orgs",
            "resources",
            "ms",
            "floorMs",
            "ratio",
            "dataFloorMs",
            "dataRatio",
            "bareFloorMs",
            "bareRatio",
            "cpuMs",
            "floorCpuMs",
            "cpuRatio",
            "dataCpuRatio",
            "ms/res",
            "floor ms/res",
            "rssMb",
            "floorRssMb",
            "liveHeapMb",
            "dataFloorLiveHeapMb",
        ],
        rows.map((r) => [
            r.apps,
            r.organizations,
            r.resources,
            r.ms.toFixed(0),
            r.floorMs.toFixed(0),
            r.ratio.toFixed(2),
            r.dataFloorMs.toFixed(0),
            r.dataRatio.toFixed(2),
            r.bareFloorMs.toFixed(0),
            r.bareRatio.toFixed(2),
            r.cpuMs.toFixed(0),
            r.floorCpuMs.toFixed(0),
            r.cpuRatio.toFixed(2),
            r.dataCpuRatio.toFixed(2),
            r.msPerResource.toFixed(3),
            r.floorMsPerResource.toFixed(3),
            r.rssMb.toFixed(0),
            r.floorRssMb.toFixed(0),
            r.liveHeapMb.toFixed(0),
            r.dataFloorLiveHeapMb.toFixed(0),
        ]),
    );
}

export function formatLoad(rows: readonly LoadRow[]): string {
    return table(
        ["catalog", "resources", "compiled ms", "compiled + source maps ms", "ts-node transpile-only ms", "ts-node type-check ms"],
        rows.map((r) => [
            r.catalog,
            r.resources,
            r.ms.program?.toFixed(1) ?? "-",
            r.ms["program-source-maps"]?.toFixed(1) ?? "-",
            r.ms["ts-node"]?.toFixed(1) ?? "-",
            r.ms["ts-node-typecheck"]?.toFixed(1) ?? "-",
        ]),
    );
}

function main(argv: readonly string[]): number {
    const options = settle(parseBenchArgs(argv), command);
    if (typeof options === "number") return options;
    const progress = (what: string, kind: string, ms: number) => {
        if (!options.json) process.stderr.write(`  ${what}: ${kind} ${ms.toFixed(0)} ms\n`);
    };
    if (!options.json) {
        const cpu = os.cpus()[0]?.model ?? "unknown CPU";
        process.stderr.write(`node ${process.version}, ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB\n`);
    }
    if (options.compareTypescript) {
        const rows = runLoadComparison({
            apps: options.apps,
            runs: options.runs,
            stack: options.stack,
            onMeasure: (catalog, r) => progress(catalog, r.kind, r.ms),
        });
        if (options.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
        else process.stdout.write(`${formatLoad(rows)}\n`);
        return 0;
    }
    const rows = runBench({
        apps: options.apps,
        runs: options.runs,
        stack: options.stack,
        appsPerOrganization: options.appsPerOrganization,
        onMeasure: (apps, r) => progress(`${apps} apps`, r.kind, r.ms),
        onRow: (row) => {
            if (options.json) process.stdout.write(`${JSON.stringify(row)}\n`);
        },
    });
    if (!options.json) process.stdout.write(`${formatBench(rows)}\n`);
    return 0;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    }
}
