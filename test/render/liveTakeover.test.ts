/**
 * Issue 12, problem 7: taking over the live r3s3t/world in pro. The fixture
 * (test/fixtures/live-r3s3t) is the stack config and catalog docs/migration.md walks through;
 * every name the render gives is asserted equal to the live one, literally, and the steps are
 * walked: adopt (stage 1), then own (stage 2), with nothing protected replaced and nothing refused.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { evaluateStack, type Evaluation, type RecordedResource } from "../../render/evaluate";
import { diffPlans } from "../../render/diff";
import { buildPlan } from "../../render/plan";
import { refusedRenames } from "../../render/renames";
import { blockedReplacements } from "../../render/replacements";
import { readStackConfig } from "../../model/stackConfig";
import { repoRoot, resourcesOf, types } from "../support/harness";

const live = path.join(repoRoot, "test", "fixtures", "live-r3s3t");

const stage = (dir: string): Promise<Evaluation> =>
    evaluateStack({ stack: "pro", config: readStackConfig(path.join(live, "Pulumi.pro.yaml")), catalogDir: path.join(live, dir) });

const one = (ev: Evaluation, type: string): RecordedResource => {
    const found = resourcesOf(ev, type);
    assert.equal(found.length, 1, type);
    return found[0] as RecordedResource;
};
const metadataOf = (r: RecordedResource): { name?: unknown; namespace?: unknown } =>
    r.inputs.metadata as { name?: unknown; namespace?: unknown };
const envOf = (ev: Evaluation): Record<string, unknown> => {
    const spec = one(ev, types.ksvc).inputs.spec as {
        template: { spec: { containers: Array<{ env: Array<{ name: string; value: unknown }> }> } };
    };
    return Object.fromEntries((spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
};

describe("taking over the live r3s3t/world", () => {
    let adopt: Evaluation;
    let own: Evaluation;
    before(async () => {
        adopt = await stage("stage1-adopt");
        own = await stage("stage2-own");
    });

    it("renders the live names: namespace, KNative Service, delivered secret, AWS secret, DomainMapping", () => {
        assert.deepEqual(metadataOf(one(adopt, types.namespace)).name, "r3s3t");
        assert.deepEqual(
            [metadataOf(one(adopt, types.ksvc)).namespace, metadataOf(one(adopt, types.ksvc)).name],
            ["r3s3t", "hyperfy2-r3s3t-world-pro"],
        );
        const externalSecret = adopt.resources.find((r) => r.custom && r.type.endsWith(":ExternalSecret")) as RecordedResource;
        assert.deepEqual(metadataOf(externalSecret).name, "aws-secrets-hyperfy2-r3s3t-world-pro");
        assert.deepEqual((externalSecret.inputs.spec as { target: unknown }).target, {
            name: "aws-secrets-hyperfy2-r3s3t-world-pro",
            creationPolicy: "Owner",
        });
        assert.equal(one(adopt, types.secret).inputs.name, "hyperfy2-r3s3t-world-pro");
        assert.deepEqual(
            [metadataOf(one(adopt, types.domainMapping)).namespace, metadataOf(one(adopt, types.domainMapping)).name],
            ["r3s3t", "world.r3s3t.xyz"],
        );
    });

    it("renders the live data names: schema pro-r3s3t-world in database postgres, assets under latest/", () => {
        assert.deepEqual(
            [one(adopt, types.pgSchema).inputs.database, one(adopt, types.pgSchema).inputs.name],
            ["postgres", "pro-r3s3t-world"],
        );
        assert.deepEqual(
            [one(adopt, types.bucketObject).inputs.bucket, one(adopt, types.bucketObject).inputs.key],
            ["statics.numinia.xyz", "hyperfy-spaces/r3s3t/world/latest/assets/"],
        );
        const env = envOf(adopt);
        assert.equal(env.ASSETS_BASE_URL, "https://statics.numinia.xyz/hyperfy-spaces/r3s3t/world/latest/assets");
        assert.equal(env.PUBLIC_WS_URL, "wss://world.r3s3t.xyz/ws");
        assert.equal(env.PUBLIC_API_URL, "https://world.r3s3t.xyz/api");
        assert.equal(env.PUBLIC_MAX_UPLOAD_SIZE, "1");
    });

    it("step 2 adopts the live secret, schema, assets, namespace, service, ExternalSecret and DomainMapping", () => {
        const imported = adopt.resources.filter((r) => r.importId !== undefined).map((r) => [r.name, r.importId]);
        assert.deepEqual(imported.sort(), [
            ["r3s3t/namespace", "r3s3t"],
            ["r3s3t/world/database/schema", "postgres.pro-r3s3t-world"],
            ["r3s3t/world/domain/mapping", "r3s3t/world.r3s3t.xyz"],
            ["r3s3t/world/secret-delivery/external-secret", "r3s3t/aws-secrets-hyperfy2-r3s3t-world-pro"],
            ["r3s3t/world/secret/secret", "arn:aws:secretsmanager:eu-west-1:241533135482:secret:hyperfy2-r3s3t-world-pro-XXXXXX"],
            ["r3s3t/world/service/service", "r3s3t/hyperfy2-r3s3t-world-pro"],
            ["r3s3t/world/storage/assets-folder", "statics.numinia.xyz/hyperfy-spaces/r3s3t/world/latest/assets/"],
        ]);
    });

    it("orders the cut-over: the DomainMapping waits for the service, which waits for Ready and for the delivered secret", () => {
        const mapping = one(adopt, types.domainMapping);
        const service = one(adopt, types.ksvc);
        assert.ok(mapping.dependencies.includes(service.urn), "DomainMapping after the KNative Service");
        const annotations = (service.inputs.metadata as { annotations?: Record<string, string> }).annotations ?? {};
        assert.equal(annotations["pulumi.com/waitFor"], "condition=Ready");
        const externalSecret = adopt.resources.find((r) => r.custom && r.type.endsWith(":ExternalSecret")) as RecordedResource;
        assert.ok(service.dependencies.includes(externalSecret.urn), "KNative Service after the ExternalSecret");
    });

    it("step 4 (the adopt entries removed) replaces nothing protected and renames nothing", () => {
        const [base, head] = [buildPlan(adopt), buildPlan(own)];
        const diff = diffPlans(base, head);
        assert.deepEqual(blockedReplacements(base, head), []);
        assert.deepEqual(refusedRenames(diff), []);
        assert.deepEqual(
            diff.added.concat(diff.removed).map((r) => r.name),
            [],
        );
        assert.deepEqual(
            own.resources.filter((r) => r.importId !== undefined),
            [],
        );
        assert.deepEqual(one(own, types.pgSchema).ignoreChanges, []);
    });
});
