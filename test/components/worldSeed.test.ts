/**
 * The world seeding link as Pulumi would run it: the provider the program serializes into the
 * dynamic resource's `__provider` input is loaded the way Pulumi's dynamic provider host loads it
 * (`requireFromString(text).handler()`, pulumi/pulumi sdk/nodejs/cmd/dynamic-provider/index.ts
 * getProvider) and driven through check, create, diff and delete against a local S3.
 */
import { strict as assert } from "node:assert";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type * as pulumi from "@pulumi/pulumi";
import requireFromString from "require-from-string";
import { WorldSeed } from "../../components/worldSeed";
import type { WorldSeeding } from "../../model/seeding";
import type { Evaluation } from "../../render/evaluate";
import { localCredentials, startLocalS3, type LocalS3 } from "../support/localS3";
import { construct, inventory, named, optionsOf, upstream } from "./support";

const bucket = "numinia-statics";
const seeding: WorldSeeding = {
    bucket,
    region: "eu-west-1",
    template: "hyperfy-spaces/_default/latest/",
    destination: "hyperfy-spaces/acme/world/pro/",
};

describe("WorldSeed alone, its serialized provider run against a local S3", function () {
    let ev: Evaluation;
    let s3: LocalS3;
    let provider: pulumi.dynamic.ResourceProvider;
    const saved = { ...process.env };

    before(async function () {
        ev = await construct(() => {
            new WorldSeed("acme/world/seed", { seeding }, { dependsOn: [upstream()] });
            return {};
        });
        s3 = await startLocalS3([bucket]);
        await s3.put(bucket, `${seeding.template}world.json`, "{}");
        await s3.put(bucket, `${seeding.template}assets/avatar.vrm`, "VRM");
        // The provider host's S3 client reads endpoint and credentials from the environment, as in a deploy.
        process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
        process.env.AWS_ACCESS_KEY_ID = localCredentials.accessKeyId;
        process.env.AWS_SECRET_ACCESS_KEY = localCredentials.secretAccessKey;
        const text = named(ev, "acme/world/seed/copy").inputs.__provider;
        assert.equal(typeof text, "string");
        provider = (requireFromString(text as string) as { handler(): pulumi.dynamic.ResourceProvider }).handler();
    });
    after(async () => {
        for (const key of ["AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
            if (saved[key] === undefined) delete process.env[key];
            else process.env[key] = saved[key];
        }
        await s3?.close();
    });

    const keysUnder = async (prefix: string): Promise<string[]> =>
        ((await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? [])
            .map((o) => o.Key ?? "")
            .sort();

    it("registers one retained dynamic resource with plain names, after what the caller waits on (the storage)", () => {
        assert.deepEqual(inventory(ev), [
            "pulumi-nodejs:dynamic/tenant-apps:WorldSeed acme/world/seed/copy",
            "tenant-apps:chain:WorldSeed acme/world/seed",
            "test:index:Upstream upstream",
        ]);
        assert.deepEqual(named(ev, "acme/world/seed").inputs, {
            from: "s3://numinia-statics/hyperfy-spaces/_default/latest/",
            to: "s3://numinia-statics/hyperfy-spaces/acme/world/pro/",
        });
        const { __provider: _code, ...inputs } = named(ev, "acme/world/seed/copy").inputs;
        assert.deepEqual(inputs, { ...seeding });
        assert.deepEqual(optionsOf(ev, "acme/world/seed/copy"), {
            parent: "acme/world/seed",
            dependsOn: ["upstream"],
            protect: false,
            retainOnDelete: true,
        });
    });

    it("check refuses a new world whose template is missing, naming the path, and lets an existing world's through", async () => {
        const missing = { ...seeding, template: "hyperfy-spaces/_default/gone/" };
        const refused = await provider.check?.({}, missing);
        assert.deepEqual(refused?.failures, [
            {
                property: "template",
                reason: "the world template s3://numinia-statics/hyperfy-spaces/_default/gone/ does not exist (no object under it); upload the template or set tenant-apps:seeding.template",
            },
        ]);
        // Seeding happened at creation; a template removed later stops nothing.
        const existing = await provider.check?.({ ...seeding }, missing);
        assert.equal(existing?.failures, undefined);
        assert.equal((await provider.check?.({}, seeding))?.failures, undefined);
    });

    it("create copies the template once; diff never asks for an update or replacement; delete leaves every object", async () => {
        const created = await provider.create(seeding);
        assert.deepEqual(created, {
            id: "s3://numinia-statics/hyperfy-spaces/acme/world/pro/",
            outs: { ...seeding, outcome: "seeded", copied: 2 },
        });
        const seeded = ["hyperfy-spaces/acme/world/pro/assets/avatar.vrm", "hyperfy-spaces/acme/world/pro/world.json"];
        assert.deepEqual(await keysUnder(seeding.destination), seeded);
        const changed = await provider.diff?.(created.id, created.outs, { ...seeding, template: "hyperfy-spaces/_default/dev/" });
        assert.deepEqual(changed, { changes: false });
        await provider.delete?.(created.id, created.outs);
        assert.deepEqual(await keysUnder(seeding.destination), seeded);
    });
});
