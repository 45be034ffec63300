/**
 * The bad-input corpus: `test/fixtures/invalid-catalogs/<case>/` holds catalog files and
 * `expected.txt` (one substring per line the error must contain). Every case goes through
 * the validator directly and through the render command (`main` of render/cli.ts in
 * process; a few also as a real child process): exit 1, each expected substring on
 * stderr, nothing written. A case with a `GAP.md` is a bad input the catalog still
 * accepts; its test proves the gap is still open and fails once it is closed.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CatalogError, parseCatalog, readCatalogDir } from "../../model/catalog";
import { parsePlatformConfig, type PlatformConfig } from "../../model/config";
import { rawPlatformConfigOf } from "../../model/config";
import { readStackConfig } from "../../model/stackConfig";
import { repoRoot } from "../support/harness";

const corpusDir = path.join(repoRoot, "test", "fixtures", "invalid-catalogs");
const cliPath = path.join(repoRoot, "dist", "render", "cli.js");

interface Case {
    readonly name: string;
    readonly dir: string;
    readonly expected: readonly string[];
    /** Why the catalog still accepts it, when it is a known gap. */
    readonly gap?: string;
}

const cases: Case[] = fs
    .readdirSync(corpusDir)
    .filter((name) => fs.statSync(path.join(corpusDir, name)).isDirectory())
    .sort()
    .map((name) => {
        const dir = path.join(corpusDir, name);
        const expected = fs
            .readFileSync(path.join(dir, "expected.txt"), "utf8")
            .split("\n")
            .filter((line) => line.trim() !== "");
        const gapFile = path.join(dir, "GAP.md");
        return { name, dir, expected, ...(fs.existsSync(gapFile) ? { gap: fs.readFileSync(gapFile, "utf8").trim() } : {}) };
    });
const invalid = cases.filter((c) => c.gap === undefined);
const gaps = cases.filter((c) => c.gap !== undefined);

/** Cases also run as a real child process, to prove the built command's exit status and stderr. */
const spawned = ["unknown-app-key", "latest-image-in-pro", "yaml-syntax-error", "empty-catalog-dir", "duplicate-hostname-across-orgs"];

function proPlatform(catalogDir: string): PlatformConfig {
    const { config } = readStackConfig(path.join(repoRoot, "Pulumi.pro.yaml"));
    return {
        ...parsePlatformConfig(
            "pro",
            rawPlatformConfigOf((key) => config[key]),
        ),
        catalogDir,
    };
}

function validationMessage(c: Case): string | undefined {
    try {
        parseCatalog(readCatalogDir(c.dir, repoRoot), proPlatform(path.relative(repoRoot, c.dir)));
        return undefined;
    } catch (error) {
        assert.ok(error instanceof CatalogError, `${c.name}: expected a CatalogError, got ${String(error)}`);
        return error.message;
    }
}

/** Runs `main` of the render command in this process, capturing what it writes. */
async function renderInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cli = require(cliPath) as { main(argv: readonly string[]): Promise<number> };
    let stdout = "";
    let stderr = "";
    const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
    try {
        const code = await cli.main(argv);
        return { code, stdout, stderr };
    } finally {
        process.stdout.write = write.out;
        process.stderr.write = write.err;
    }
}

function renderChild(argv: string[]): Promise<{ code: number; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [cliPath, ...argv], { cwd: repoRoot, timeout: 60_000 }, (error, _stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ code, stderr });
        });
    });
}

function assertContainsAll(text: string, expected: readonly string[], what: string): void {
    for (const s of expected) assert.ok(text.includes(s), `${what} does not contain ${JSON.stringify(s)}:\n${text}`);
}

describe("the bad-input corpus (test/fixtures/invalid-catalogs)", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-corpus-"));
    });
    after(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("holds at least 30 distinct invalid catalogs, each with its expected message", () => {
        assert.ok(invalid.length >= 30, `only ${invalid.length} cases`);
        for (const c of cases) assert.ok(c.expected.length > 0, `${c.name}/expected.txt is empty`);
    });

    it("has the render command built (dist/render/cli.js)", () => {
        assert.ok(fs.existsSync(cliPath), "dist/render/cli.js is missing: run npm run build");
    });

    for (const c of invalid) {
        describe(c.name, () => {
            it("is rejected by the catalog validator with the expected message", () => {
                const message = validationMessage(c);
                assert.ok(message !== undefined, "the catalog was accepted");
                assertContainsAll(message, c.expected, "the validation error");
            });

            it("makes render exit 1, name the problem on stderr and write nothing", async () => {
                const out = path.join(tmp, c.name, "out");
                const result = await renderInProcess(["--stack", "pro", "--catalog", c.dir, "--out", out]);
                assert.equal(result.code, 1, result.stderr);
                assertContainsAll(result.stderr, c.expected, "stderr");
                assert.equal(result.stdout, "");
                assert.ok(!fs.existsSync(out), `${out} was written`);
            });

            if (spawned.includes(c.name)) {
                it("does the same as a child process (node dist/render/cli.js)", async () => {
                    const out = path.join(tmp, `${c.name}-child`, "out");
                    const result = await renderChild(["--stack", "pro", "--catalog", c.dir, "--out", out]);
                    assert.equal(result.code, 1, result.stderr);
                    assertContainsAll(result.stderr, c.expected, "stderr");
                    assert.ok(!fs.existsSync(out), `${out} was written`);
                });
            }
        });
    }

    for (const c of gaps) {
        it(`known gap, still open: ${c.name} (${c.gap ?? ""})`, () => {
            const message = validationMessage(c);
            const closed = message !== undefined && c.expected.every((s) => message.includes(s));
            assert.ok(!closed, `the gap is closed (${message ?? ""}): delete ${c.name}/GAP.md so the case runs as an invalid catalog`);
        });
    }
});
