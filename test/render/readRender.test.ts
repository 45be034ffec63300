/**
 * render:diff reads both renders as untrusted input: the head render is written by the code
 * of the pull request under review. Links, FIFOs, directories, huge files, deep nesting and
 * malformed plans are refused with the side named, and whatever a render holds reaches the
 * pull-request comment only inside code spans or escaped.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatDiffMarkdown } from "../../render/diff";
import type { Plan, PlanResource } from "../../render/plan";
import { maxPlanBytes, readRenderPlan, RenderReadError } from "../../render/readRender";
import { planResource } from "../support/plans";

/** A resource of a plan as the render writes it: an S3 folder object named `name`. */
const resource = (name: string, type = "aws:s3/bucketObjectv2:BucketObjectv2"): PlanResource =>
    planResource(name, type, { inputs: { key: name } });

const plan = (resources: readonly PlanResource[], stack = "pro"): Plan => ({
    formatVersion: 1,
    stack,
    secretMarker: "[secret]",
    note: "stand-ins",
    apps: [],
    resources,
});

const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-read-render-"));

/** The problems readRenderPlan reports for `given`, or [] when it reads. */
function problemsOf(given: string, base: string, side: "base" | "head" = "head"): string[] {
    try {
        readRenderPlan(given, base, side);
        return [];
    } catch (error) {
        assert.ok(error instanceof RenderReadError, String(error));
        return error.message.split("\n");
    }
}

describe("render:diff reads renders as untrusted input", () => {
    let dir: string;
    beforeEach(() => {
        dir = tempDir();
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, content: string): string => {
        fs.mkdirSync(path.join(dir, name), { recursive: true });
        fs.writeFileSync(path.join(dir, name, "plan.json"), content);
        return name;
    };

    const table: ReadonlyArray<{ readonly reason: string; readonly setUp: () => string; readonly problems: readonly string[] }> = [
        {
            reason: "a plan.json that is a link is not followed, and where it points is not said",
            setUp: () => {
                fs.mkdirSync(path.join(dir, "linked"));
                fs.symlinkSync("/etc/passwd", path.join(dir, "linked", "plan.json"));
                return "linked";
            },
            problems: ["head render linked: plan.json: is a symbolic link; give the render itself, not a link to it"],
        },
        {
            reason: "a FIFO would block the reader forever",
            setUp: () => {
                fs.mkdirSync(path.join(dir, "fifo"));
                assert.equal(spawnSync("mkfifo", [path.join(dir, "fifo", "plan.json")]).status, 0);
                return "fifo";
            },
            problems: ["head render fifo: plan.json: is not a regular file (a directory, FIFO, socket or device)"],
        },
        {
            reason: "a directory named plan.json",
            setUp: () => {
                fs.mkdirSync(path.join(dir, "dir", "plan.json"), { recursive: true });
                return "dir";
            },
            problems: ["head render dir: plan.json: is not a regular file (a directory, FIFO, socket or device)"],
        },
        {
            reason: "a file larger than any render is refused by its size, unread",
            setUp: () => {
                fs.mkdirSync(path.join(dir, "huge"));
                const fd = fs.openSync(path.join(dir, "huge", "plan.json"), "w");
                fs.ftruncateSync(fd, maxPlanBytes + 1);
                fs.closeSync(fd);
                return "huge";
            },
            problems: [`head render huge: plan.json: is ${maxPlanBytes + 1} bytes, more than a render's ${maxPlanBytes}`],
        },
        {
            reason: "text that is not JSON is not quoted back",
            setUp: () => write("text", "token=sk-live-123 not json"),
            problems: ["head render text: plan.json is not valid JSON"],
        },
        {
            reason: "nesting deep enough to overflow a recursive reader",
            setUp: () => write("deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`),
            problems: ["head render deep: plan.json nests deeper than 64 levels, which no render does"],
        },
        {
            reason: "a null resource names the render and the place",
            setUp: () => write("nulls", JSON.stringify({ ...plan([]), resources: [null] })),
            problems: ["head render nulls: plan.json.resources[0]: Expected object, received null"],
        },
        {
            reason: "another format version",
            setUp: () => write("old", JSON.stringify({ ...plan([]), formatVersion: 0 })),
            problems: ["head render old: plan.json.formatVersion: Invalid literal value, expected 1"],
        },
        {
            reason: "a key name with a terminal escape is shown escaped",
            setUp: () => write("escape", JSON.stringify({ ...plan([]), resources: [{ ...resource("a"), "\u001b[2J": 1 }] })),
            problems: ["head render escape: plan.json.resources[0]: Unrecognized key(s) in object: '\\u{1b}[2J'"],
        },
        {
            reason: "nothing there",
            setUp: () => "absent",
            problems: ["head render absent: not found; run `npm run render -- --stack <stack> --out absent` first"],
        },
    ];

    for (const row of table)
        it(`refuses ${row.reason}`, () => {
            assert.deepEqual(problemsOf(row.setUp(), dir), row.problems, row.reason);
        });

    it("reads a render directory or its plan.json, and says which side a problem is in", () => {
        const name = write("ok", JSON.stringify(plan([resource("a")])));
        assert.equal(readRenderPlan(name, dir, "base").resources.length, 1);
        assert.equal(readRenderPlan(path.join(name, "plan.json"), dir, "base").stack, "pro");
        assert.deepEqual(problemsOf("absent", dir, "base"), [
            "base render absent: not found; run `npm run render -- --stack <stack> --out absent` first",
        ]);
    });
});

describe("the pull-request comment of a hostile head render", () => {
    it("keeps a crafted type, name and stack inside code spans or escaped: no heading, image, link, mention or HTML", () => {
        const crafted = resource("x", "aws:evil:\n# Approved\n![pixel](https://evil.example/p.png) @org/admins <img src=x>");
        const head = plan([crafted], "pro` ![x](https://evil.example) `");
        const markdown = formatDiffMarkdown(diffPlans(plan([]), head));
        const lines = markdown.split("\n");
        assert.deepEqual(
            lines.filter((l) => l.startsWith("#")),
            ["## Render diff of stack `` pro` ![x](https://evil.example) ` ``", "### Organization `acme`", "#### Changed app `acme/web`"],
        );
        // The kind is read off the type token's last segment, escaped; the name is in a code span.
        assert.ok(lines.includes("- \\/\\/evil\\.example\\/p\\.png\\) \\@org\\/admins \\<img src\\=x\\> `x`"), markdown);
        assert.ok(!/(^|[^\\`])!\[/.test(markdown.replace(/`[^`\n]*`|``[^\n]*?``/g, "")), "no image outside a code span");
    });

    it("formats a diff of 150,000 resources without exceeding the call stack", () => {
        const many = Array.from({ length: 150_000 }, (_, i) => resource(`r${i}`));
        const markdown = formatDiffMarkdown(diffPlans(plan([]), plan(many)));
        assert.equal(markdown.split("\n").filter((l) => l.startsWith("- S3 object")).length, 150_000);
    });
});
