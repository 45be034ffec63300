import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { evaluateStack } from "../../render/evaluate";
import { stackConfig } from "../support/harness";

describe("evaluateStack", () => {
    it("rejects, instead of never settling, when the program fails after its first turn", async () => {
        // The program registers organizations after a turn of the event loop, so a failure there
        // rejects the exported promise later, not the require.
        const entry = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-entry-")), "index.js");
        fs.writeFileSync(
            entry,
            'exports.apps = new Promise((_, reject) => setImmediate(() => reject(new Error("failed in a later turn"))));\n',
        );
        const settled = evaluateStack({ stack: "pre", config: stackConfig("pre"), entryModule: entry });
        const timeout = new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 10_000).unref());
        const outcome = await Promise.race([
            settled.then(
                () => "resolved" as const,
                (error: unknown) => error,
            ),
            timeout,
        ]);
        assert.ok(outcome instanceof Error, `expected a rejection, got ${String(outcome)}`);
        assert.match(outcome.message, /failed in a later turn/);
    });
});
