/**
 * The bench: for each size, a synthetic catalog rendered by the real program and the floor
 * program registering the same resources, each run `runs` times in fresh child processes
 * (program and floor alternating, so background load affects both alike). Medians only.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { syntheticCatalog } from "./catalog";
import type { MeasureKind, MeasureRequest, MeasureResult } from "./measure";

export const defaultSizes: readonly number[] = [10, 100, 1000, 2000];
export const defaultRuns = 3;

export interface BenchOptions {
    /** Numbers of apps, one row each. */
    readonly apps: readonly number[];
    readonly runs: number;
    /** Apps per organization of the synthetic catalog; 10 by default. */
    readonly appsPerOrganization?: number;
    /** Stack whose platform config is used; `pro` by default. */
    readonly stack?: string;
    /** Extra node flags for every child (the same for program and floor). */
    readonly nodeFlags?: readonly string[];
    /** Called after each child, e.g. to show progress. */
    readonly onMeasure?: (apps: number, result: MeasureResult) => void;
    /** Called with each row as soon as its size is done. */
    readonly onRow?: (row: BenchRow) => void;
}

/** One row of the bench: medians over the runs of one size. */
export interface BenchRow {
    readonly apps: number;
    readonly organizations: number;
    readonly resources: number;
    /** Median wall time of the program's evaluation, ms. */
    readonly ms: number;
    /** Median wall time of the floor (same resources through the provider SDK classes, trivial inputs), ms. */
    readonly floorMs: number;
    /** `ms / floorMs`. */
    readonly ratio: number;
    /**
     * Median wall time of the data floor (the floor's resources with the program's own inputs,
     * secrets, dependencies and options, as constants), ms: what the resources' data costs the
     * SDK, whatever program computes it.
     */
    readonly dataFloorMs: number;
    /** `ms / dataFloorMs`: the program's own cost over its resources' data. */
    readonly dataRatio: number;
    /** Median CPU time of the data floor's evaluation, ms. */
    readonly dataFloorCpuMs: number;
    /** `cpuMs / dataFloorCpuMs`. */
    readonly dataCpuRatio: number;
    /** Median wall time of the bare floor (bare `pulumi.CustomResource`s, no inputs), ms. */
    readonly bareFloorMs: number;
    /** `ms / bareFloorMs`. */
    readonly bareRatio: number;
    /** Median CPU time (user + system) of the program's evaluation, ms. */
    readonly cpuMs: number;
    /** Median CPU time of the floor's evaluation, ms. */
    readonly floorCpuMs: number;
    /** `cpuMs / floorCpuMs`: the ratio to trust when the machine is shared. */
    readonly cpuRatio: number;
    /** `ms / resources`. */
    readonly msPerResource: number;
    readonly floorMsPerResource: number;
    readonly bareFloorMsPerResource: number;
    /** Median peak RSS of the program's process, MiB. */
    readonly rssMb: number;
    /** Median peak RSS of the floors' processes, MiB. */
    readonly floorRssMb: number;
    readonly bareFloorRssMb: number;
    /** Median V8 heap the program's process still holds once its evaluation is over, MiB. */
    readonly liveHeapMb: number;
    /** The same for the data floor, which records the same registrations: the difference is what the program keeps alive. */
    readonly dataFloorLiveHeapMb: number;
    readonly runs: number;
}

export function median(values: readonly number[]): number {
    if (values.length === 0) throw new Error("median of nothing");
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** Runs one measurement in a fresh node process. */
export function measureInChild(request: MeasureRequest, nodeFlags: readonly string[] = []): MeasureResult {
    // --expose-gc only lets the child collect garbage once the timed region is over (`liveHeapMb`).
    const child = spawnSync(process.execPath, ["--expose-gc", ...nodeFlags, path.join(__dirname, "measure.js"), JSON.stringify(request)], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) {
        throw new Error(`${request.kind} measurement failed (exit ${String(child.status ?? child.signal)}):\n${child.stderr}`);
    }
    const line = child.stdout.trim().split("\n").pop() ?? "";
    return JSON.parse(line) as MeasureResult;
}

/** Writes a catalog's files to a fresh temporary directory. */
export function writeCatalogDir(files: Readonly<Record<string, string>>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-bench-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** What each run of a size measures, in this order, each in a fresh process. */
const benchKinds = ["program", "floor", "data-floor", "bare-floor"] as const;

/** Runs the bench for every size. Throws if program and floor ever register different resources. */
export function runBench(options: BenchOptions): BenchRow[] {
    const stack = options.stack ?? "pro";
    const rows: BenchRow[] = [];
    for (const apps of options.apps) {
        const files = syntheticCatalog(apps, options.appsPerOrganization);
        // The catalog directory holds organization files only (the catalog reader refuses
        // anything else); the bench's own files live in a directory of their own.
        const catalogDir = writeCatalogDir(files);
        const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-bench-own-"));
        const shapeFile = path.join(ownDir, "floor-shape.json");
        try {
            const runs: Record<(typeof benchKinds)[number], MeasureResult[]> = {
                program: [],
                floor: [],
                "data-floor": [],
                "bare-floor": [],
            };
            for (let run = 0; run < options.runs; run++) {
                for (const kind of benchKinds) {
                    const request: MeasureRequest = {
                        kind,
                        stack,
                        catalogDir,
                        shapeFile: run === 0 || kind !== "program" ? shapeFile : undefined,
                    };
                    const result = measureInChild(request, options.nodeFlags);
                    options.onMeasure?.(apps, result);
                    runs[kind].push(result);
                }
            }
            const program = runs.program[0] as MeasureResult;
            for (const result of Object.values(runs).flat()) {
                if (!sameCounts(result.types, program.types)) {
                    throw new Error(
                        `${result.kind} registered other resources than the program at ${apps} apps:\n` +
                            `${JSON.stringify(result.types)}\nvs\n${JSON.stringify(program.types)}`,
                    );
                }
            }
            const ms = median(runs.program.map((r) => r.ms));
            const floorMs = median(runs.floor.map((r) => r.ms));
            const dataFloorMs = median(runs["data-floor"].map((r) => r.ms));
            const dataFloorCpuMs = median(runs["data-floor"].map((r) => r.cpuMs));
            const bareFloorMs = median(runs["bare-floor"].map((r) => r.ms));
            const cpuMs = median(runs.program.map((r) => r.cpuMs));
            const floorCpuMs = median(runs.floor.map((r) => r.cpuMs));
            const row: BenchRow = {
                apps,
                organizations: Object.keys(files).length,
                resources: program.resources,
                ms: round(ms, 1),
                floorMs: round(floorMs, 1),
                ratio: round(ms / floorMs, 3),
                dataFloorMs: round(dataFloorMs, 1),
                dataRatio: round(ms / dataFloorMs, 3),
                dataFloorCpuMs: round(dataFloorCpuMs, 1),
                dataCpuRatio: round(cpuMs / dataFloorCpuMs, 3),
                bareFloorMs: round(bareFloorMs, 1),
                bareRatio: round(ms / bareFloorMs, 3),
                cpuMs: round(cpuMs, 1),
                floorCpuMs: round(floorCpuMs, 1),
                cpuRatio: round(cpuMs / floorCpuMs, 3),
                msPerResource: round(ms / program.resources, 4),
                floorMsPerResource: round(floorMs / program.resources, 4),
                bareFloorMsPerResource: round(bareFloorMs / program.resources, 4),
                rssMb: round(median(runs.program.map((r) => r.rssMb)), 1),
                floorRssMb: round(median(runs.floor.map((r) => r.rssMb)), 1),
                bareFloorRssMb: round(median(runs["bare-floor"].map((r) => r.rssMb)), 1),
                liveHeapMb: round(median(runs.program.map((r) => r.liveHeapMb)), 1),
                dataFloorLiveHeapMb: round(median(runs["data-floor"].map((r) => r.liveHeapMb)), 1),
                runs: options.runs,
            };
            options.onRow?.(row);
            rows.push(row);
        } finally {
            fs.rmSync(catalogDir, { recursive: true, force: true });
            fs.rmSync(ownDir, { recursive: true, force: true });
        }
    }
    return rows;
}

/** One row of the compiled-vs-TypeScript comparison: median ms of each way of loading the program. */
export interface LoadRow {
    readonly catalog: string;
    readonly resources: number;
    readonly ms: Readonly<Partial<Record<MeasureKind, number>>>;
}

/**
 * Evaluates the program compiled (`dist/index.js`) and through ts-node (transpile-only and
 * type-checking), for the stack's own catalog and for synthetic catalogs of `apps` apps.
 */
export function runLoadComparison(options: {
    readonly apps: readonly number[];
    readonly runs: number;
    readonly stack?: string;
    readonly kinds?: readonly MeasureKind[];
    readonly onMeasure?: (catalog: string, result: MeasureResult) => void;
}): LoadRow[] {
    const stack = options.stack ?? "pro";
    const kinds = options.kinds ?? (["program", "program-source-maps", "ts-node", "ts-node-typecheck"] as const);
    const catalogs: Array<{ label: string; dir?: string }> = [
        { label: `stacks/${stack}` },
        ...options.apps.map((apps) => ({ label: `${apps} apps`, dir: writeCatalogDir(syntheticCatalog(apps)) })),
    ];
    const rows: LoadRow[] = [];
    try {
        for (const catalog of catalogs) {
            const times: Partial<Record<MeasureKind, number[]>> = {};
            let resources = 0;
            for (let run = 0; run < options.runs; run++) {
                for (const kind of kinds) {
                    const result = measureInChild({ kind, stack, catalogDir: catalog.dir });
                    options.onMeasure?.(catalog.label, result);
                    resources = result.resources;
                    (times[kind] ??= []).push(result.ms);
                }
            }
            const ms: Partial<Record<MeasureKind, number>> = {};
            for (const kind of kinds) ms[kind] = round(median(times[kind] ?? []), 1);
            rows.push({ catalog: catalog.label, resources, ms });
        }
    } finally {
        for (const catalog of catalogs) if (catalog.dir !== undefined) fs.rmSync(catalog.dir, { recursive: true, force: true });
    }
    return rows;
}
