/**
 * The floors register what `bench/floor.ts` says they do, checked registration by registration
 * against the program's own evaluation of a synthetic catalog with every link (seeded worlds,
 * databases, storage with IRSA and with access keys, adopted nothing).
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { syntheticCatalog } from "../../bench/catalog";
import { floorShapeOf, setFloorShape, type FloorMode } from "../../bench/floor";
import { evaluateStack, type Evaluation, type RecordedResource } from "../../render/evaluate";
import { repoRoot, stackConfig, writeCatalog } from "../support/harness";

const floorProgram = path.join(repoRoot, "dist", "bench", "floorProgram");
const worldSeed = "pulumi-nodejs:dynamic/tenant-apps:WorldSeed";

describe("bench floors", () => {
    let catalogDir: string;
    let program: Evaluation;
    const byUrn = (ev: Evaluation): Map<string, RecordedResource> => new Map(ev.resources.map((r) => [r.urn, r]));

    async function floor(mode: FloorMode): Promise<Evaluation> {
        setFloorShape(floorShapeOf(program), mode);
        return evaluateStack({ stack: "pro", config: stackConfig("pro"), catalogDir, entryModule: floorProgram });
    }

    before(async () => {
        catalogDir = writeCatalog(syntheticCatalog(10));
        program = await evaluateStack({ stack: "pro", config: stackConfig("pro"), catalogDir });
    });

    it("the program's evaluation has what the floors must match: seeded worlds, secrets, dependencies, protection", () => {
        const custom = program.resources.filter((r) => r.custom);
        assert.equal(custom.filter((r) => r.type === worldSeed).length, 5);
        assert.ok(custom.some((r) => r.secretInputs.length > 0));
        assert.ok(custom.some((r) => r.dependencies.length > 0));
        assert.ok(custom.some((r) => r.protect));
    });

    it("the data floor sends, resource by resource, the program's inputs (secrets masked and still secret), dependencies and options", async () => {
        const data = byUrn(await floor("data"));
        assert.deepEqual([...data.keys()].sort(), [...byUrn(program).keys()].sort());
        for (const mine of program.resources) {
            const theirs = data.get(mine.urn) as RecordedResource;
            const { __provider: _ours, ...inputs } = mine.maskedInputs;
            const { __provider: _floors, ...floorInputs } = theirs.maskedInputs;
            assert.deepEqual(floorInputs, inputs, mine.urn);
            assert.deepEqual(theirs.secretInputs, mine.secretInputs, mine.urn);
            assert.deepEqual(theirs.dependencies, mine.dependencies, mine.urn);
            assert.deepEqual(
                [theirs.parent, theirs.provider, theirs.protect, theirs.retainOnDelete, theirs.deleteBeforeReplace, theirs.ignoreChanges],
                [mine.parent, mine.provider, mine.protect, mine.retainOnDelete, mine.deleteBeforeReplace, mine.ignoreChanges],
                mine.urn,
            );
        }
    });

    it('the floor sends "x" for every input key the program sets, no dependency, and the seeding through a serialized dynamic provider', async () => {
        const trivial = await floor("sdk");
        const mine = byUrn(program);
        assert.equal(trivial.resources.length, program.resources.length);
        for (const theirs of trivial.resources.filter((r) => r.custom)) {
            const own = mine.get(theirs.urn) as RecordedResource;
            assert.deepEqual(Object.keys(theirs.inputs).sort(), Object.keys(own.inputs).sort(), theirs.urn);
            assert.deepEqual(theirs.dependencies, [], theirs.urn);
            if (theirs.type === worldSeed) {
                // pulumi.dynamic.Resource serializes its provider into `__provider`, the program's and the floor's alike.
                assert.match(String(theirs.inputs.__provider), /exports\.handler = /);
                assert.deepEqual(
                    Object.entries(theirs.inputs).filter(([k]) => k !== "__provider"),
                    Object.keys(own.inputs)
                        .filter((k) => k !== "__provider")
                        .map((k) => [k, "x"]),
                );
            }
        }
    });
});
