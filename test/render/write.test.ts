import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeRender } from "../../render/write";
import { readTree } from "../support/files";

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

describe("writeRender after a failed write", () => {
    /** A previous render in `parent/out`, as a later render must find it again after failing. */
    function previousRender(): { parent: string; out: string } {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-write-"));
        const out = path.join(parent, "out");
        writeRender(out, new Map([["plan.json", "previous render\n"]]));
        return { parent, out };
    }
    // "k8s" is written as a file, so creating the directory k8s/ for the next file fails half-way.
    const failing = new Map([
        ["iam/role.trust.json", "{}\n"],
        ["k8s", "a file where a directory must go\n"],
        ["k8s/ns/service-web.yaml", "kind: Service\n"],
        ["plan.json", "new render\n"],
    ]);

    it("leaves the previous render untouched and no staging directory behind", () => {
        const { parent, out } = previousRender();
        assert.throws(() => writeRender(out, failing), { code: "ENOTDIR" });
        assert.deepEqual([...readTree(out)], [["plan.json", "previous render\n"]]);
        assert.deepEqual(fs.readdirSync(parent), ["out"]);
    });

    it("creates nothing when the output directory did not exist", () => {
        const parent = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-write-"));
        assert.throws(() => writeRender(path.join(parent, "out"), failing), { code: "ENOTDIR" });
        assert.deepEqual(fs.readdirSync(parent), []);
    });

    it("replaces the previous render only when every file was written", () => {
        const { parent, out } = previousRender();
        writeRender(out, new Map([...failing].filter(([file]) => file !== "k8s")));
        assert.deepEqual(
            [...readTree(out)],
            [
                ["iam/role.trust.json", "{}\n"],
                ["k8s/ns/service-web.yaml", "kind: Service\n"],
                ["plan.json", "new render\n"],
            ],
        );
        assert.deepEqual(fs.readdirSync(parent), ["out"]);
    });
});
