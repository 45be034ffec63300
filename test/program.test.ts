import { strict as assert } from "node:assert";
import type { Evaluation } from "../render/evaluate";
import { evaluate, inputAt, resource, types } from "./support/harness";

describe("the program under the mock runtime", () => {
    let pro: Evaluation;
    before(async () => {
        pro = await evaluate("pro");
    });

    it("gives the hyperfy2 world the KNative autoscaling annotations from the catalog", () => {
        const ksvc = resource(pro, types.ksvc, "r3s3t/world/service/service");
        assert.deepEqual(inputAt(ksvc, "spec.template.metadata.annotations"), {
            "autoscaling.knative.dev/min-scale": "0",
            "autoscaling.knative.dev/max-scale": "1",
        });
    });
});
