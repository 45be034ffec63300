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
        // A promise that never settles fails this test by mocha's timeout; no timer of its own.
        await assert.rejects(evaluateStack({ stack: "pre", config: stackConfig("pre"), entryModule: entry }), /failed in a later turn/);
    });
});
