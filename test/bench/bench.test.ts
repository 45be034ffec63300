import { strict as assert } from "node:assert";
import { parseCatalog } from "../../model/catalog";
import { syntheticCatalog } from "../../bench/catalog";
import { parseArgs } from "../../bench/cli";
import { median, runBench, type BenchRow } from "../../bench/run";
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

    it("measures the program and both floors at 10 apps in fresh processes, with the same resources", function () {
        this.timeout(120_000);
        this.slow(20_000);
        const kinds: string[] = [];
        const rows: BenchRow[] = runBench({ apps: [10], runs: 1, onMeasure: (_, r) => kinds.push(r.kind) });
        assert.deepEqual(kinds, ["program", "floor", "bare-floor"]);
        assert.equal(rows.length, 1);
        const row = rows[0] as BenchRow;
        // The JSON shape `npm run bench -- --json` prints, one object per size.
        for (const key of ["apps", "resources", "ms", "floorMs", "ratio", "rssMb", "bareFloorMs", "bareRatio", "msPerResource"] as const) {
            assert.equal(typeof row[key], "number", key);
            assert.ok(Number.isFinite(row[key]) && row[key] > 0, `${key} = ${row[key]}`);
        }
        assert.equal(row.apps, 10);
        // 1 organization (its namespace: 2 components + 4 objects) and 10 apps; runBench throws if a floor's types differ.
        assert.ok(row.resources > 150, `resources = ${row.resources}`);
    });
});
