/**
 * The program keeps no app alive once the app is registered. The stack outputs last until the
 * end of the run, and an output that waits on a resource holds that resource, its parent, and
 * through the parent every resource of the app with their outputs: about 260 KB per app, all of
 * it for the garbage collector to walk again and again (docs/bench.md). Measured as the bench
 * measures it: the V8 heap still in use once the evaluation is over, each in a fresh process,
 * against the data floor, which records the same registrations and holds nothing else.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { syntheticCatalog } from "../../bench/catalog";
import { measureInChild, writeCatalogDir } from "../../bench/run";

describe("program memory", () => {
    let own: string;
    const dirs: string[] = [];
    before(() => {
        own = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-live-heap-"));
    });
    after(() => {
        for (const dir of [own, ...dirs]) fs.rmSync(dir, { recursive: true, force: true });
    });

    /** The live heap of the program and of the data floor after evaluating `apps` apps, MiB. */
    function liveHeaps(apps: number): { program: number; floor: number } {
        const catalogDir = writeCatalogDir(syntheticCatalog(apps));
        dirs.push(catalogDir);
        const shapeFile = path.join(own, `shape-${apps}.json`);
        const program = measureInChild({ kind: "program", stack: "pro", catalogDir, shapeFile });
        const floor = measureInChild({ kind: "data-floor", stack: "pro", catalogDir, shapeFile });
        assert.equal(floor.resources, program.resources);
        return { program: program.liveHeapMb, floor: floor.liveHeapMb };
    }

    it("holds, per app, no more than the floor that records the same registrations: under 100 KB an app between 10 and 40 apps", function () {
        // Four fresh processes; the timeout only guards against a hang on a busy machine.
        this.timeout(600_000);
        this.slow(30_000);
        const small = liveHeaps(10);
        const large = liveHeaps(40);
        assert.ok(small.program > 0 && small.floor > 0, "the children ran without --expose-gc");
        const programPerApp = ((large.program - small.program) * 1024) / 30;
        const floorPerApp = ((large.floor - small.floor) * 1024) / 30;
        assert.ok(
            programPerApp - floorPerApp < 100,
            `the program keeps ${programPerApp.toFixed(0)} KB per app alive, the floor ${floorPerApp.toFixed(0)} KB`,
        );
    });
});
