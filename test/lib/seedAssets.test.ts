/**
 * The world seeding copy (lib/seedAssets.ts) with @aws-sdk/client-s3 against a local S3: what is
 * copied where, and every case where nothing may be copied.
 */
import { strict as assert } from "node:assert";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { copySourceOf, seedWorld } from "../../lib/seedAssets";
import { startLocalS3, type LocalS3 } from "../support/localS3";

const bucket = "numinia-statics";
const template = "hyperfy-spaces/_default/latest/";

describe("seeding a new world from the template, against a local S3", function () {
    let s3: LocalS3;
    before(async () => {
        s3 = await startLocalS3([bucket]);
        // The template: a folder marker, a world file and assets, one key with a space and non-ASCII.
        await s3.put(bucket, template, "");
        await s3.put(bucket, `${template}world.json`, '{"spawn":[0,0,0]}');
        await s3.put(bucket, `${template}assets/avatar.vrm`, "VRM");
        await s3.put(bucket, `${template}assets/sky böx.hdr`, "HDR");
        // Another template with folder markers only.
        await s3.put(bucket, "hyperfy-spaces/_default/dev/", "");
        await s3.put(bucket, "hyperfy-spaces/_default/dev/assets/", "");
    });
    after(async () => s3?.close());

    const keysUnder = async (prefix: string): Promise<string[]> =>
        ((await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
            .map((o) => o.Key ?? "")
            .sort();

    it("copies every template object, folder markers skipped, to the same relative key under the world's prefix", async () => {
        // The program's own zero-byte assets folder exists before seeding (components/storage.ts).
        await s3.put(bucket, "hyperfy-spaces/r3s3t/world/pro/assets/", "");
        const result = await seedWorld(s3.client, { bucket, template, destination: "hyperfy-spaces/r3s3t/world/pro/" });
        assert.deepEqual(result, {
            outcome: "seeded",
            copied: [
                "hyperfy-spaces/r3s3t/world/pro/assets/avatar.vrm",
                "hyperfy-spaces/r3s3t/world/pro/assets/sky böx.hdr",
                "hyperfy-spaces/r3s3t/world/pro/world.json",
            ],
        });
        assert.deepEqual(await keysUnder("hyperfy-spaces/r3s3t/world/pro/"), [
            "hyperfy-spaces/r3s3t/world/pro/assets/",
            "hyperfy-spaces/r3s3t/world/pro/assets/avatar.vrm",
            "hyperfy-spaces/r3s3t/world/pro/assets/sky böx.hdr",
            "hyperfy-spaces/r3s3t/world/pro/world.json",
        ]);
        assert.equal(await s3.get(bucket, "hyperfy-spaces/r3s3t/world/pro/world.json"), '{"spawn":[0,0,0]}');
        assert.equal(await s3.get(bucket, "hyperfy-spaces/r3s3t/world/pro/assets/sky böx.hdr"), "HDR");
    });

    it("copies nothing into a world that already holds an object, so none of its objects is overwritten", async () => {
        await s3.put(bucket, "hyperfy-spaces/numinia/plaza/pro/world.json", '{"built":"by its users"}');
        const result = await seedWorld(s3.client, { bucket, template, destination: "hyperfy-spaces/numinia/plaza/pro/" });
        assert.deepEqual(result, { outcome: "world-has-objects", existing: 1 });
        assert.deepEqual(await keysUnder("hyperfy-spaces/numinia/plaza/pro/"), ["hyperfy-spaces/numinia/plaza/pro/world.json"]);
        assert.equal(await s3.get(bucket, "hyperfy-spaces/numinia/plaza/pro/world.json"), '{"built":"by its users"}');
    });

    const refusals: { reason: string; template: string; message: string }[] = [
        {
            reason: "no object at all under the template's prefix: the template does not exist",
            template: "hyperfy-spaces/_default/staging/",
            message:
                "the world template s3://numinia-statics/hyperfy-spaces/_default/staging/ does not exist (no object under it); upload the template or set tenant-apps:seeding.template",
        },
        {
            reason: "folder markers only: the template exists but would seed nothing",
            template: "hyperfy-spaces/_default/dev/",
            message:
                "the world template s3://numinia-statics/hyperfy-spaces/_default/dev/ is empty (folder markers only); upload the template's objects or set tenant-apps:seeding.template",
        },
    ];
    for (const row of refusals) {
        it(`refuses, naming the path, and writes nothing when ${row.reason}`, async () => {
            const destination = "hyperfy-spaces/acme/new-world/pre/";
            await assert.rejects(
                seedWorld(s3.client, { bucket, template: row.template, destination }),
                (error: unknown) => error instanceof Error && error.message === row.message,
            );
            assert.deepEqual(await keysUnder(destination), []);
        });
    }

    it("encodes each segment of a CopySource key and keeps its slashes", () => {
        assert.equal(copySourceOf("b", "a/sky böx.hdr"), "b/a/sky%20b%C3%B6x.hdr");
    });
});
