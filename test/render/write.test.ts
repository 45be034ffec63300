import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeRender } from "../../render/write";

describe("writeRender when renaming the new render into place fails", () => {
    let parent: string;
    beforeEach(() => {
        parent = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-write-"));
    });
    afterEach(() => {
        fs.rmSync(parent, { recursive: true, force: true });
    });

    it("puts the previous render back and leaves no staging or .old directory", () => {
        const out = path.join(parent, "out");
        writeRender(out, new Map([["plan.json", "previous render\n"]]));
        let calls = 0;
        const failSecond = (from: string, to: string): void => {
            calls++;
            if (calls === 2) throw Object.assign(new Error("EXDEV: cross-device link not permitted"), { code: "EXDEV" });
            fs.renameSync(from, to);
        };
        assert.throws(() => writeRender(out, new Map([["plan.json", "new render\n"]]), failSecond), { code: "EXDEV" });
        assert.equal(calls, 3);
        assert.equal(fs.readFileSync(path.join(out, "plan.json"), "utf8"), "previous render\n");
        assert.deepEqual(fs.readdirSync(parent), ["out"]);
    });
});
