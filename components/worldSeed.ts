import type { S3Client } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import { s3Sdk } from "../lib/s3Sdk";
import { seedWorld, templateKeys } from "../lib/seedAssets";
import type { WorldSeeding } from "../model/seeding";
import { typeTokens } from "../model/typeTokens";
import { childOf } from "./options";

/** The inputs (and outputs) of the seeding resource: plain names only. */
interface SeedState extends WorldSeeding {
    /** After creation: `seeded`, or `world-has-objects` when nothing was copied. */
    readonly outcome?: string;
    readonly copied?: number;
}

const clientFor = (state: WorldSeeding): S3Client => new (s3Sdk().S3Client)({ region: state.region });

/**
 * Copies the template into a world once, at creation, and never again: `check` (run by preview
 * and up, pulumi/pulumi sdk/nodejs/cmd/dynamic-provider/index.ts checkRPC) refuses a missing or
 * empty template for a world not yet created, naming its path; `diff` reports no change, so the
 * seeding is never redone or replaced; `delete` leaves every object in place. Runs in Pulumi's
 * dynamic provider host with the deploying identity's AWS credentials (docs/dns.md lists the
 * S3 actions it needs); the copy itself is `seedWorld` (lib/seedAssets.ts).
 */
export const worldSeedProvider: pulumi.dynamic.ResourceProvider = {
    async check(olds: SeedState, news: SeedState): Promise<pulumi.dynamic.CheckResult> {
        const created = typeof olds.destination === "string";
        if (created) return { inputs: news };
        const template = await templateKeys(clientFor(news), news);
        return "problem" in template ? { inputs: news, failures: [{ property: "template", reason: template.problem }] } : { inputs: news };
    },
    async create(inputs: SeedState): Promise<pulumi.dynamic.CreateResult> {
        const result = await seedWorld(clientFor(inputs), inputs);
        const copied = result.outcome === "seeded" ? result.copied.length : 0;
        return { id: `s3://${inputs.bucket}/${inputs.destination}`, outs: { ...inputs, outcome: result.outcome, copied } };
    },
    async diff(): Promise<pulumi.dynamic.DiffResult> {
        return { changes: false };
    },
    async update(_id: string, olds: SeedState): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: olds };
    },
    async delete(): Promise<void> {
        // Retained: the world's objects are its data.
    },
};

class WorldSeedResource extends pulumi.dynamic.Resource {
    constructor(name: string, seeding: WorldSeeding, opts: pulumi.CustomResourceOptions) {
        super(worldSeedProvider, name, { ...seeding }, opts, "tenant-apps", "WorldSeed");
    }
}

export interface WorldSeedArgs {
    readonly seeding: WorldSeeding;
}

/** A new world's first assets: the stack's template copied once into the world's prefix (model/seeding.ts). */
export class WorldSeed extends pulumi.ComponentResource {
    constructor(name: string, args: WorldSeedArgs, opts?: pulumi.ComponentResourceOptions) {
        const s = args.seeding;
        super(typeTokens.seedingLink, name, { from: `s3://${s.bucket}/${s.template}`, to: `s3://${s.bucket}/${s.destination}` }, opts);
        new WorldSeedResource(`${name}/copy`, s, { ...childOf(this, opts), retainOnDelete: true });
        this.registerOutputs({});
    }
}
