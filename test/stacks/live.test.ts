/**
 * The one test that reads the live catalogs (`stacks/<stack>/`) and `Pulumi.<stack>.yaml`:
 * it is meant to go red when someone breaks the real catalog or config. Every other test runs
 * on the copies under test/fixtures/stacks, so adding an app to the real catalog changes nothing
 * there.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { readStackConfig } from "../../model/stackConfig";
import { policyChecks } from "../../policy/config";
import { renderStack } from "../../render/render";
import { repoRoot } from "../support/harness";

describe("the live stacks", () => {
    it("stacks/pre, stacks/pro, Pulumi.pre.yaml and Pulumi.pro.yaml validate, evaluate and pass the policy pack", async () => {
        for (const stack of ["pre", "pro"] as const) {
            const config = readStackConfig(path.join(repoRoot, `Pulumi.${stack}.yaml`));
            const render = await renderStack({
                stack,
                config,
                catalogDir: path.join(repoRoot, "stacks", stack),
                checks: policyChecks(stack, config.config),
            });
            assert.deepEqual(render.violations, [], stack);
            assert.equal(render.plan.stack, stack);
            assert.ok(render.plan.apps.length > 0, `${stack}: no app`);
        }
    });
});
