/**
 * The samples of the render's output in README.md and docs/ are what the render prints today:
 * the sample of `npm run render -- --stack pro` against the live stack, and the sample of a
 * refused catalog against test/fixtures/docs. A sample may elide lines with a line holding
 * only "…"; every other line must be printed exactly, runs of lines contiguously, in order.
 * On a mismatch the test prints the lines the render printed, to paste into the doc.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/harness";

const cli = path.join(repoRoot, "dist", "render", "cli.js");

/** Runs the compiled render CLI in `cwd` and returns what it printed, stdout then stderr. */
function render(cwd: string, args: readonly string[]): string {
    const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
    return `${result.stdout}${result.stderr}`;
}

/** Every ```text block of a markdown file whose first line starts with `start`. */
export function textBlocks(markdown: string, start: string): string[][] {
    const blocks: string[][] = [];
    const fence = /^```text\n([\s\S]*?)^```$/gm;
    for (const match of markdown.matchAll(fence)) {
        const lines = (match[1] ?? "").replace(/\n$/, "").split("\n");
        if ((lines[0] ?? "").startsWith(start)) blocks.push(lines);
    }
    return blocks;
}

/** The first line of `sample` that the printed output does not reproduce, or undefined. */
export function firstMismatch(sample: readonly string[], printed: readonly string[]): string | undefined {
    let from = 0;
    let run: string[] = [];
    const runs: string[][] = [];
    for (const line of sample) {
        if (line === "…") {
            runs.push(run);
            run = [];
        } else run.push(line);
    }
    runs.push(run);
    for (const [index, segment] of runs.entries()) {
        if (segment.length === 0) continue;
        const anchored = index === 0;
        let at = -1;
        for (let i = from; i + segment.length <= printed.length; i++) {
            if (segment.every((line, k) => printed[i + k] === line)) {
                at = i;
                break;
            }
            if (anchored) break;
        }
        if (at < 0) {
            const missing = segment.find((line) => !printed.includes(line)) ?? segment[0];
            return missing;
        }
        from = at + segment.length;
    }
    const last = runs[runs.length - 1] ?? [];
    if (last.length > 0 && from !== printed.length) return `(the sample ends before the output does: ${printed[from]})`;
    return undefined;
}

const docs = ["README.md", ...fs.readdirSync(path.join(repoRoot, "docs")).map((f) => path.join("docs", f))].filter((f) =>
    f.endsWith(".md"),
);

describe("the docs' samples of the render's output", function () {
    this.timeout(120_000);
    let proOutput: string[] = [];
    let refusedOutput: string[] = [];

    before(() => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-doc-samples-"));
        proOutput = render(repoRoot, ["--stack", "pro", "--out", out]).replaceAll(out, "out/pro").trimEnd().split("\n");
        fs.rmSync(out, { recursive: true, force: true });
        const fixture = path.join(repoRoot, "test", "fixtures", "docs");
        const config = path.join(repoRoot, "test", "fixtures", "stacks", "Pulumi.pro.yaml");
        // The fixture stands in for the live catalog directory, so its files print as stacks/pro/….
        refusedOutput = render(fixture, ["--stack", "pro", "--catalog", "stacks/pro", "--config", config])
            .replaceAll("test/fixtures/docs/", "")
            .trimEnd()
            .split("\n");
    });

    it("README.md shows both samples", () => {
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        assert.equal(textBlocks(readme, "stack pro:").length, 1);
        assert.equal(textBlocks(readme, "error: stack pro").length, 1);
    });

    for (const doc of docs) {
        it(`${doc}: every sample of npm run render -- --stack pro is what the render prints`, () => {
            for (const sample of textBlocks(fs.readFileSync(path.join(repoRoot, doc), "utf8"), "stack pro:")) {
                const mismatch = firstMismatch(sample, proOutput);
                assert.equal(mismatch, undefined, `${doc}: "${mismatch}" is not printed; the render prints:\n${proOutput.join("\n")}`);
            }
        });
        it(`${doc}: every sample of a refused catalog is what the render prints for test/fixtures/docs`, () => {
            for (const sample of textBlocks(fs.readFileSync(path.join(repoRoot, doc), "utf8"), "error: stack pro")) {
                const mismatch = firstMismatch(sample, refusedOutput);
                assert.equal(mismatch, undefined, `${doc}: "${mismatch}" is not printed; the render prints:\n${refusedOutput.join("\n")}`);
            }
        });
    }

    it("a sample line the render does not print is found, even inside a run", () => {
        const printed = ["a", "b", "c", "d", "e"];
        assert.equal(firstMismatch(["a", "b", "…", "d", "e"], printed), undefined);
        assert.equal(firstMismatch(["a", "c", "…", "e"], printed), "a");
        assert.equal(firstMismatch(["a", "…", "d", "x"], printed), "x");
        assert.equal(firstMismatch(["a", "…", "c"], printed), "(the sample ends before the output does: d)");
        assert.equal(firstMismatch(["b", "…", "e"], printed), "b");
    });
});
