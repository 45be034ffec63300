/**
 * One measurement, run in a fresh child process so peak memory and JIT/module caches are
 * comparable between runs: evaluates the program (or the floor) once under the mock runtime
 * and prints one JSON line with the wall time of the evaluation and the process's peak RSS.
 *
 * The timed region is `evaluateStack` as a whole, the same for program and floor: mocks and
 * config set, entry module required (with every module it loads), stack outputs resolved and
 * every RPC drained. What precedes it (loading the SDK and the recorder, reading the stack
 * config, reading the floor's shape) is outside.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import * as v8 from "node:v8";
import { evaluateStack } from "../render/evaluate";
import { readStackConfig } from "../model/stackConfig";
import { floorShapeOf, setFloorShape, typeCounts, type FloorShape } from "./floor";

/** What runs in the child. */
export type MeasureKind = "program" | "program-source-maps" | "floor" | "data-floor" | "bare-floor" | "ts-node" | "ts-node-typecheck";

export interface MeasureRequest {
    readonly kind: MeasureKind;
    readonly stack: string;
    /** Catalog directory; the stack's own catalog when absent. */
    readonly catalogDir?: string;
    /** Program runs: where to write the floor shape. Floor runs: where to read it. */
    readonly shapeFile?: string;
}

export interface MeasureResult {
    readonly kind: MeasureKind;
    readonly resources: number;
    readonly ms: number;
    /**
     * CPU time (user + system) of this process over the same region, ms: what the evaluation
     * itself cost, which other work on a shared machine inflates far less than the wall time.
     */
    readonly cpuMs: number;
    /** Peak resident set size of the whole child process, in MiB. */
    readonly rssMb: number;
    /**
     * What stays alive once the evaluation is over (the recorded registrations, and whatever the
     * program still holds), MiB of V8 heap after a full collection; 0 unless node ran with `--expose-gc`.
     */
    readonly liveHeapMb: number;
    /** Resources per type token. */
    readonly types: Record<string, number>;
}

/** The floor each floor kind registers. */
const floorModes = { floor: "sdk", "data-floor": "data", "bare-floor": "bare" } as const;

/** The repository root (this file runs from `dist/bench`). */
export const repoRoot = path.resolve(__dirname, "..", "..");

export async function measure(request: MeasureRequest): Promise<MeasureResult> {
    const config = readStackConfig(path.join(repoRoot, `Pulumi.${request.stack}.yaml`));
    let entryModule: string | undefined;
    if (request.kind === "floor" || request.kind === "data-floor" || request.kind === "bare-floor") {
        if (request.shapeFile === undefined) throw new Error("a floor run needs the shape file of a program run");
        setFloorShape(JSON.parse(fs.readFileSync(request.shapeFile, "utf8")) as FloorShape, floorModes[request.kind]);
        entryModule = path.join(__dirname, "floorProgram");
    } else if (request.kind === "program-source-maps") {
        // Pulumi's nodejs language host registers source-map-support before it loads any program.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("source-map-support/register");
    } else if (request.kind === "ts-node" || request.kind === "ts-node-typecheck") {
        // As Pulumi's nodejs runtime does with `typescript: true` (type checking unless transpile-only).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const tsNode = require("ts-node") as { register(options: Record<string, unknown>): unknown };
        tsNode.register({
            project: path.join(repoRoot, "tsconfig.json"),
            transpileOnly: request.kind === "ts-node",
            compilerOptions: { incremental: false, sourceMap: true },
        });
        entryModule = path.join(repoRoot, "index.ts");
    }

    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const evaluation = await evaluateStack({ stack: request.stack, config, catalogDir: request.catalogDir, entryModule });
    const cpu = process.cpuUsage(cpuStart);
    const ms = performance.now() - start;

    if (request.kind === "program" && request.shapeFile !== undefined) {
        fs.writeFileSync(request.shapeFile, JSON.stringify(floorShapeOf(evaluation)));
    }
    return {
        kind: request.kind,
        liveHeapMb: liveHeapMb(),
        resources: evaluation.resources.length,
        ms,
        cpuMs: (cpu.user + cpu.system) / 1000,
        rssMb: process.resourceUsage().maxRSS / 1024,
        types: typeCounts(evaluation.resources.map((r) => r.type)),
    };
}

/** V8's used heap after a full garbage collection, MiB (0 without `--expose-gc`). */
function liveHeapMb(): number {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) return 0;
    gc();
    return v8.getHeapStatistics().used_heap_size / 1024 / 1024;
}

if (require.main === module) {
    const request = JSON.parse(process.argv[2] ?? "{}") as MeasureRequest;
    measure(request).then(
        (result) => {
            process.stdout.write(`${JSON.stringify(result)}\n`);
            // The mock runtime may keep handles open; the measurement is done.
            process.exit(0);
        },
        (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            process.exit(1);
        },
    );
}
