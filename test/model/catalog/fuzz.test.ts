/**
 * Fuzz: mutated catalogs from a seeded PRNG, for a bounded time (FUZZ_SECONDS, default 15;
 * FUZZ_SEED to replay). Every mutant goes through the validator, and every fifth through the
 * render command in process: it must never crash, never hang, exit 0 or 1 (1 with at least one
 * problem line and nothing written), and never print a stack trace.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CatalogError, parseCatalog, readCatalogDir } from "../../../model/catalog";
import { fixtureCatalogDir, repoRoot } from "../../support/harness";
import { platformOf } from "../../support/fixtures";

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Values a hostile contributor would try, dropped into scalars. */
const hostile = [
    "1e21",
    "-1",
    "0x10",
    ".inf",
    "~",
    "null",
    "__proto__",
    "constructor",
    '"\\0"',
    '"a\\r\\nb"',
    "&a x",
    "*a",
    "!!js/function x",
    "!!binary AA==",
    "[",
    "{",
    "'",
    '"',
    "`",
    "|",
    ">",
    "%",
    "@",
    "xn--a",
    "10.0.0.1",
    "..",
    "/etc/passwd",
    "kube-system",
    "ÅÄÖ",
    "\u202e",
    "a".repeat(300),
    "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
    "{a: {b: {c: {d: {e: []}}}}}",
    "<<: *x",
    "? a\n: b",
    "- - -",
    "\t",
];

function mutate(text: string, random: () => number): string {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const lines = text.split("\n");
    const at = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 8)) {
        case 0: {
            const i = Math.floor(random() * text.length);
            return text.slice(0, i) + String.fromCharCode(Math.floor(random() * 0x80)) + text.slice(i + 1);
        }
        case 1: {
            const i = Math.floor(random() * text.length);
            return text.slice(0, i) + text.slice(i + 1 + Math.floor(random() * 20));
        }
        case 2:
            lines.splice(at, 0, lines[Math.floor(random() * lines.length)] ?? "");
            return lines.join("\n");
        case 3:
            lines.splice(at, 1);
            return lines.join("\n");
        case 4:
            lines[at] = (lines[at] ?? "").replace(/:\s*(\S.*)?$/, `: ${pick(hostile)}`);
            return lines.join("\n");
        case 5:
            lines[at] = `${" ".repeat(Math.floor(random() * 8))}${(lines[at] ?? "").trimStart()}`;
            return lines.join("\n");
        case 6:
            return text.slice(0, Math.floor(random() * text.length));
        default:
            lines.splice(
                at,
                0,
                `${" ".repeat(Math.floor(random() * 3) * 2)}${pick(["env", "scale", "x", "apps", "domains", "hostname"])}: ${pick(hostile)}`,
            );
            return lines.join("\n");
    }
}

describe("fuzz: mutated catalogs never crash, hang or print a stack trace", () => {
    const seconds = Number(process.env.FUZZ_SECONDS ?? "15");
    const seed = Number(process.env.FUZZ_SEED ?? "20261124");
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-fuzz-"));
    });
    after(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it(`runs for ${seconds} s from seed ${seed}`, async function () {
        this.timeout((seconds + 60) * 1000);
        const random = prng(seed);
        const base = fixtureCatalogDir("pro");
        const originals = fs.readdirSync(base).map((f) => [f, fs.readFileSync(path.join(base, f), "utf8")] as const);
        const platform = platformOf("pro");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const cli = require(path.join(repoRoot, "dist", "render", "cli.js")) as { main(argv: readonly string[]): Promise<number> };
        const deadline = Date.now() + seconds * 1000;
        const counts = { mutants: 0, valid: 0, invalid: 0, rendered: 0 };
        for (let n = 0; Date.now() < deadline; n++) {
            const dir = path.join(tmp, `m${n}`);
            fs.mkdirSync(dir);
            const target = Math.floor(random() * originals.length);
            originals.forEach(([file, text], i) => {
                let mutated = text;
                if (i === target) for (let k = 1 + Math.floor(random() * 3); k > 0; k--) mutated = mutate(mutated, random);
                fs.writeFileSync(path.join(dir, file), mutated);
            });
            const replay = `seed ${seed}, mutant ${n}: ${JSON.stringify(fs.readFileSync(path.join(dir, originals[target]?.[0] ?? ""), "utf8"))}`;
            try {
                parseCatalog(readCatalogDir(dir, tmp), platform);
                counts.valid++;
            } catch (error) {
                assert.ok(
                    error instanceof CatalogError,
                    `${replay}\nthrew ${error instanceof Error ? (error.stack ?? "") : String(error)}`,
                );
                assert.ok(error.problems.length > 0 && error.problems.every((p) => p.message !== ""), replay);
                counts.invalid++;
            }
            counts.mutants++;
            if (n % 5 === 0) {
                const out = path.join(tmp, `out${n}`);
                const result = await renderQuietly(cli, ["--stack", "pro", "--catalog", dir, "--out", out, "--skip-policy"]);
                assert.ok(result.code === 0 || result.code === 1, `${replay}\nexit ${result.code}\n${result.stderr}`);
                assert.ok(!/\n\s+at .+:\d+:\d+\)?\n/.test(result.stderr), `${replay}\nstack trace:\n${result.stderr}`);
                if (result.code === 1) {
                    assert.ok(!fs.existsSync(out), `${replay}\n${out} was written`);
                    assert.match(result.stderr, /^error: /, replay);
                }
                counts.rendered++;
            }
            fs.rmSync(dir, { recursive: true, force: true });
        }
        assert.ok(counts.mutants > 50 && counts.invalid > 0 && counts.valid > 0, JSON.stringify(counts));
    });
});

/** Runs the render command in this process with its output captured. */
async function renderQuietly(
    cli: { main(argv: readonly string[]): Promise<number> },
    argv: string[],
): Promise<{ code: number; stderr: string }> {
    let stderr = "";
    const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
    try {
        return { code: await cli.main(argv), stderr };
    } finally {
        process.stdout.write = write.out;
        process.stderr.write = write.err;
    }
}
