import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseCatalog } from "../../model/catalog";
import { syntheticCatalog } from "../../bench/catalog";
import { parseArgs } from "../../bench/cli";
import { median, type BenchRow } from "../../bench/run";
import { repoRoot } from "../support/harness";
import { platformOf } from "../support/fixtures";

const sources = (files: Record<string, string>) => Object.entries(files).map(([file, text]) => ({ file, text }));

describe("bench", () => {
    describe("synthetic catalog", () => {
        for (const stack of ["pre", "pro"] as const) {
            it(`validates in ${stack} with the mix of types and links at 10, 100 and 1000 apps`, () => {
                for (const apps of [10, 100, 1000]) {
                    const files = syntheticCatalog(apps);
                    assert.equal(Object.keys(files).length, apps / 10);
                    const catalog = parseCatalog(sources(files), platformOf(stack));
                    const all = catalog.organizations.flatMap((o) => o.apps);
                    assert.equal(all.length, apps);
                    const count = (pred: (a: (typeof all)[number]) => boolean) => all.filter(pred).length;
                    assert.equal(
                        count((a) => a.type === "hyperfy2"),
                        apps / 2,
                    );
                    assert.equal(
                        count((a) => a.type === "eliza"),
                        (apps * 3) / 10,
                    );
                    assert.equal(
                        count((a) => a.type === "custom"),
                        apps / 5,
                    );
                    assert.ok(count((a) => a.type === "custom" && a.database) > 0);
                    assert.ok(count((a) => a.type === "custom" && !a.database) > 0);
                    assert.ok(count((a) => a.type !== "hyperfy2" && a.storage) > 0);
                }
            });
        }

        it("is deterministic and handles sizes that are not multiples of ten", () => {
            assert.deepEqual(syntheticCatalog(37), syntheticCatalog(37));
            const catalog = parseCatalog(sources(syntheticCatalog(37)), platformOf("pro"));
            assert.equal(
                catalog.organizations.reduce((n, o) => n + o.apps.length, 0),
                37,
            );
        });
    });

    it("parses the command line", () => {
        assert.deepEqual(parseArgs([]), {
            apps: [10, 100, 1000, 2000],
            runs: 3,
            json: false,
            stack: "pro",
            appsPerOrganization: 10,
            compareTypescript: false,
        });
        assert.equal(parseArgs(["--apps", "2000", "--apps-per-org", "2000"]).appsPerOrganization, 2000);
        assert.throws(() => parseArgs(["--apps-per-org", "0"]), /--apps-per-org needs a whole number ≥ 1/);
        assert.deepEqual(Object.keys(syntheticCatalog(2000, 2000)), ["org000.yaml"]);
        assert.deepEqual(parseArgs(["--apps", "10", "--apps=20,30", "--runs", "1", "--json"]).apps, [10, 20, 30]);
        assert.deepEqual(parseArgs(["--apps", "10", "100", "1000", "--runs", "2"]).apps, [10, 100, 1000]);
        assert.throws(() => parseArgs(["--runs", "0"]), /--runs needs a whole number/);
        assert.throws(() => parseArgs(["--nope"]), /unknown argument/);
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 2, 3]), 2.5);
    });

    it("runs from its command line with the default run count: program and the three floors alternate, one JSON row per size", function () {
        // Each run is four fresh node processes, so this is the slowest test of the file; the
        // timeout only guards against a hang (the machine may be busy), it measures nothing.
        this.timeout(600_000);
        this.slow(60_000);
        const run = spawnSync(process.execPath, [path.join(repoRoot, "dist", "bench", "cli.js"), "--apps", "3", "--json"], {
            cwd: repoRoot,
            encoding: "utf8",
        });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stderr, "");
        // Three runs: the second program run reads the synthetic catalog after the first wrote the floor's shape.
        const lines = run.stdout.trim().split("\n");
        assert.equal(lines.length, 1, run.stdout);
        const row = JSON.parse(lines[0] ?? "") as BenchRow;
        assert.equal(row.runs, 3);
        assert.equal(row.apps, 3);
        assert.equal(row.organizations, 1);
        // The JSON shape `npm run bench -- --json` prints, one object per size.
        for (const key of [
            "resources",
            "ms",
            "floorMs",
            "ratio",
            "rssMb",
            "dataFloorMs",
            "dataRatio",
            "dataFloorCpuMs",
            "dataCpuRatio",
            "bareFloorMs",
            "bareRatio",
            "cpuMs",
            "floorCpuMs",
            "cpuRatio",
            "msPerResource",
            "liveHeapMb",
            "dataFloorLiveHeapMb",
        ] as const) {
            assert.equal(typeof row[key], "number", key);
            assert.ok(Number.isFinite(row[key]) && row[key] > 0, `${key} = ${row[key]}`);
        }
    });
});
