/**
 * The policy pack honours the naming settings the program honours: `names.assetsSegment` (the
 * live takeover's `latest`) moves an app's own S3 prefix, and the pack checks that prefix, not
 * `{env}`. And an eliza agent's own database is data the pack protects in pro.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { readStackConfig } from "../../model/stackConfig";
import { typeTokens } from "../../model/typeTokens";
import { dataProtected, s3ObjectUnderPrefix } from "../../policy/rules";
import { renderStack } from "../../render/render";
import { repoRoot } from "../support/harness";
import { proContext } from "./support";

const tags = { "tenant-apps/organization": "r3s3t", "tenant-apps/app": "world", "tenant-apps/environment": "pro" };
const object = (key: string) => ({ bucket: "numinia-statics", key, tags });

describe("the pack's naming settings", () => {
    it("checks an app's own prefix with the stack's assetsSegment", () => {
        const live = { ...proContext, assetsSegment: "latest" };
        assert.deepEqual(s3ObjectUnderPrefix(typeTokens.bucketObjectV2, object("hyperfy-spaces/r3s3t/world/latest/assets/"), live), []);
        assert.deepEqual(s3ObjectUnderPrefix(typeTokens.bucketObjectV2, object("hyperfy-spaces/r3s3t/world/pro/assets/"), live), [
            'key "hyperfy-spaces/r3s3t/world/pro/assets/" is outside its app\'s own prefix "hyperfy-spaces/r3s3t/world/latest/"',
        ]);
    });

    it("fills {org}, {app} and {env} from the object's tags and lets {type} and {domain} match one segment", () => {
        const typed = { ...proContext, assetsSegment: "{type}-{env}" };
        assert.deepEqual(
            s3ObjectUnderPrefix(typeTokens.bucketObjectV2, object("hyperfy-spaces/r3s3t/world/hyperfy2-pro/assets/"), typed),
            [],
        );
        assert.equal(s3ObjectUnderPrefix(typeTokens.bucketObjectV2, object("hyperfy-spaces/r3s3t/world/x/y-pro/assets/"), typed).length, 1);
        assert.equal(
            s3ObjectUnderPrefix(typeTokens.bucketObjectV2, object("hyperfy-spaces/r3s3t/world/hyperfy2-pre/assets/"), typed).length,
            1,
        );
    });

    it("passes the live takeover's render (names.assetsSegment: latest) with no violation", async () => {
        const live = path.join(repoRoot, "test", "fixtures", "live-r3s3t");
        const config = readStackConfig(path.join(live, "Pulumi.pro.yaml"));
        const render = await renderStack({
            stack: "pro",
            config,
            catalogDir: path.join(live, "stage2-own"),
            policy: true,
        });
        assert.deepEqual(render.violations, []);
        const folder = render.plan.resources.find((r) => r.type === typeTokens.bucketObjectV2);
        assert.equal(folder?.inputs.key, "hyperfy-spaces/r3s3t/world/latest/assets/");
    });

    it("requires protect on an eliza agent's own database in pro", () => {
        assert.deepEqual(dataProtected(typeTokens.pgDatabase, false, { environment: "pro" }), [
            "a data-bearing resource in pro must be protected (resource option protect: true)",
        ]);
        assert.deepEqual(dataProtected(typeTokens.pgDatabase, true, { environment: "pro" }), []);
    });
});
