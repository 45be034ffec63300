/**
 * The bad-input corpus: `test/fixtures/invalid-catalogs/<case>/` holds the catalog in
 * `catalog/`, optionally a stack config `Pulumi.pro.yaml` (the repository's otherwise),
 * `expected.txt` (one substring per line the error must contain) and optionally
 * `forbidden.txt` (substrings stderr must never contain, such as a secret). Config cases give
 * either a whole `Pulumi.pro.yaml` or a `config.patch.json` over the repository's. Every case goes through
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
import { platformConfigOf, PlatformConfigError, type PlatformConfig } from "../../model/config";
import { rawPlatformConfigOf } from "../../model/config";
import { readStackConfig } from "../../model/stackConfig";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { repoRoot } from "../support/harness";

const corpusDir = path.join(repoRoot, "test", "fixtures", "invalid-catalogs");
const cliPath = path.join(repoRoot, "dist", "render", "cli.js");

interface Case {
    readonly name: string;
    /** The catalog directory. */
    readonly dir: string;
    /** The stack config file of the case, when it has its own. */
    readonly config?: string;
    readonly forbidden: readonly string[];
    readonly expected: readonly string[];
    /** Why the catalog still accepts it, when it is a known gap. */
    readonly gap?: string;
}

/** Where patched stack configs are written (removed after the run). */
const patchDir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-corpus-config-"));

/**
 * The repository's `Pulumi.pro.yaml` with a case's `config.patch.json` applied: `set` replaces
 * whole keys, `merge` replaces fields inside a key's mapping. The case states only what it breaks,
 * so it follows the repository's config as that grows.
 */
function patchedConfig(name: string, patchFile: string): string {
    const patch = JSON.parse(fs.readFileSync(patchFile, "utf8")) as {
        set?: Record<string, unknown>;
        merge?: Record<string, Record<string, unknown>>;
    };
    const doc = parseYaml(fs.readFileSync(path.join(repoRoot, "Pulumi.pro.yaml"), "utf8")) as { config: Record<string, unknown> };
    for (const [key, value] of Object.entries(patch.set ?? {})) doc.config[key] = value;
    for (const [key, fields] of Object.entries(patch.merge ?? {}))
        doc.config[key] = { ...(doc.config[key] as Record<string, unknown>), ...fields };
    const file = path.join(patchDir, `${name}.Pulumi.pro.yaml`);
    fs.writeFileSync(file, stringifyYaml(doc));
    return file;
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
        const configFile = fs.existsSync(path.join(dir, "config.patch.json"))
            ? patchedConfig(name, path.join(dir, "config.patch.json"))
            : path.join(dir, "Pulumi.pro.yaml");
        const forbiddenFile = path.join(dir, "forbidden.txt");
        return {
            name,
            dir: path.join(dir, "catalog"),
            expected,
            forbidden: fs.existsSync(forbiddenFile) ? lines(fs.readFileSync(forbiddenFile, "utf8")) : [],
            ...(fs.existsSync(configFile) ? { config: configFile } : {}),
            ...(fs.existsSync(gapFile) ? { gap: fs.readFileSync(gapFile, "utf8").trim() } : {}),
        };
    });
const invalid = cases.filter((c) => c.gap === undefined);
const gaps = cases.filter((c) => c.gap !== undefined);

/** Cases also run as a real child process, to prove the built command's exit status and stderr. */
const spawned = [
    "unknown-app-key",
    "latest-image-in-pro",
    "yaml-syntax-error",
    "empty-catalog-dir",
    "duplicate-hostname-across-orgs",
    "file-symlink-to-device",
    "file-alias-bomb",
    "env-key-proto",
    "config-yaml-error-beside-plaintext-secret",
    "config-unknown-key",
];

function proPlatform(catalogDir: string, configFile = path.join(repoRoot, "Pulumi.pro.yaml")): PlatformConfig {
    const { config } = readStackConfig(configFile);
    return {
        ...platformConfigOf(
            "pro",
            rawPlatformConfigOf((key) => config[key], Object.keys(config)),
            path.relative(repoRoot, configFile),
        ),
        catalogDir,
    };
}

/** The validator's message: a catalog error, a config error, or a stack config that cannot be read. */
function validationMessage(c: Case): string | undefined {
    try {
        parseCatalog(readCatalogDir(c.dir, repoRoot), proPlatform(path.relative(repoRoot, c.dir), c.config));
        return undefined;
    } catch (error) {
        const readable =
            error instanceof CatalogError || error instanceof PlatformConfigError || (c.config !== undefined && error instanceof Error);
        assert.ok(readable, `${c.name}: expected a CatalogError or PlatformConfigError, got ${String(error)}`);
        return error.message;
    }
}

function lines(text: string): string[] {
    return text.split("\n").filter((line) => line.trim() !== "");
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
        execFile(process.execPath, [cliPath, ...argv], { cwd: repoRoot }, (error, _stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ code, stderr });
        });
    });
}

function assertContainsAll(text: string, expected: readonly string[], what: string): void {
    for (const s of expected) assert.ok(text.includes(s), `${what} does not contain ${JSON.stringify(s)}:\n${text}`);
}

/** No forbidden substring (a secret) and no stack trace on stderr. */
function assertNoneOf(stderr: string, forbidden: readonly string[]): void {
    for (const s of forbidden) assert.ok(!stderr.includes(s), `stderr contains ${JSON.stringify(s)}:\n${stderr}`);
    assert.ok(!/\n\s+at .+:\d+:\d+\)?\n/.test(stderr), `stderr holds a stack trace:\n${stderr}`);
}

const configArgs = (c: Case): string[] => (c.config !== undefined ? ["--config", c.config] : []);

describe("the bad-input corpus (test/fixtures/invalid-catalogs)", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-corpus-"));
    });
    after(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
        fs.rmSync(patchDir, { recursive: true, force: true });
    });

    it("holds at least 120 distinct invalid catalogs and configs, each with its expected message", () => {
        assert.ok(invalid.length >= 120, `only ${invalid.length} cases`);
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
                const result = await renderInProcess(["--stack", "pro", "--catalog", c.dir, "--out", out, ...configArgs(c)]);
                assert.equal(result.code, 1, result.stderr);
                assertContainsAll(result.stderr, c.expected, "stderr");
                assertNoneOf(result.stderr, c.forbidden);
                assert.equal(result.stdout, "");
                assert.ok(!fs.existsSync(out), `${out} was written`);
            });

            if (spawned.includes(c.name)) {
                it("does the same as a child process (node dist/render/cli.js)", async () => {
                    const out = path.join(tmp, `${c.name}-child`, "out");
                    const result = await renderChild(["--stack", "pro", "--catalog", c.dir, "--out", out, ...configArgs(c)]);
                    assert.equal(result.code, 1, result.stderr);
                    assertContainsAll(result.stderr, c.expected, "stderr");
                    assertNoneOf(result.stderr, c.forbidden);
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
