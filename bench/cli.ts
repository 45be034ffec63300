/**
 * `npm run bench -- [--apps N ...] [--runs R] [--json] [--stack pre|pro] [--compare-typescript]`
 *
 * Renders synthetic catalogs of N apps with the real program and times it against the floor
 * (the same resources registered with trivial inputs under the same mock runtime). Prints a
 * table of medians, or with `--json` one JSON object per size. `--compare-typescript` instead
 * times the program compiled against ts-node (transpile-only and type-checking).
 */
import * as os from "node:os";
import { defaultRuns, defaultSizes, runBench, runLoadComparison, type BenchRow, type LoadRow } from "./run";

export interface CliOptions {
    readonly apps: number[];
    readonly runs: number;
    readonly json: boolean;
    readonly stack: string;
    readonly compareTypescript: boolean;
}

const usage =
    "usage: npm run bench -- [--apps N ...] [--runs R] [--json] [--stack pre|pro] [--compare-typescript]\n" +
    "  --apps N ... numbers of apps (space- or comma-separated, or repeated); default 10 100 1000 2000 (100 with --compare-typescript)\n" +
    "  --runs R     runs per size, each in a fresh process; medians are reported (default 3)\n" +
    "  --json       one JSON object per size instead of a table\n" +
    "  --stack S    stack whose platform config is used (default pro)\n" +
    "  --compare-typescript  time the compiled program against ts-node instead";

function wholeNumber(flag: string, text: string | undefined, min: number): number {
    const value = Number(text);
    if (text === undefined || !Number.isInteger(value) || value < min) throw new Error(`${flag} needs a whole number ≥ ${min}\n${usage}`);
    return value;
}

export function parseArgs(argv: readonly string[]): CliOptions {
    const apps: number[] = [];
    let runs = defaultRuns;
    let json = false;
    let stack = "pro";
    let compareTypescript = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] as string;
        const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
        const value = (): string | undefined => inline ?? argv[++i];
        switch (flag) {
            case "--apps":
                for (const part of (value() ?? "").split(",")) apps.push(wholeNumber("--apps", part, 1));
                // `--apps 10 100 1000`: the numbers that follow belong to --apps too.
                while (inline === undefined && /^\d+$/.test(argv[i + 1] ?? "")) apps.push(wholeNumber("--apps", argv[++i], 1));
                break;
            case "--runs":
                runs = wholeNumber("--runs", value(), 1);
                break;
            case "--json":
                json = true;
                break;
            case "--stack":
                stack = value() ?? "";
                if (stack !== "pre" && stack !== "pro") throw new Error(`--stack must be pre or pro\n${usage}`);
                break;
            case "--compare-typescript":
                compareTypescript = true;
                break;
            case "--help":
            case "-h":
                throw new Error(usage);
            default:
                throw new Error(`unknown argument "${arg}"\n${usage}`);
        }
    }
    return { apps: apps.length > 0 ? apps : compareTypescript ? [100] : [...defaultSizes], runs, json, stack, compareTypescript };
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
            "bareFloorMs",
            "bareRatio",
            "ms/res",
            "floor ms/res",
            "rssMb",
            "floorRssMb",
        ],
        rows.map((r) => [
            r.apps,
            r.organizations,
            r.resources,
            r.ms.toFixed(0),
            r.floorMs.toFixed(0),
            r.ratio.toFixed(2),
            r.bareFloorMs.toFixed(0),
            r.bareRatio.toFixed(2),
            r.msPerResource.toFixed(3),
            r.floorMsPerResource.toFixed(3),
            r.rssMb.toFixed(0),
            r.floorRssMb.toFixed(0),
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

function main(argv: readonly string[]): void {
    const options = parseArgs(argv);
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
        return;
    }
    const rows = runBench({
        apps: options.apps,
        runs: options.runs,
        stack: options.stack,
        onMeasure: (apps, r) => progress(`${apps} apps`, r.kind, r.ms),
        onRow: (row) => {
            if (options.json) process.stdout.write(`${JSON.stringify(row)}\n`);
        },
    });
    if (!options.json) process.stdout.write(`${formatBench(rows)}\n`);
}

if (require.main === module) {
    try {
        main(process.argv.slice(2));
    } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    }
}
