import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CatalogError, formatProblem, parseCatalog, readCatalogDir } from "../../../model/catalog";
import { invalidUtf8Offset } from "../../../model/catalog/read";
import { maxCatalogFileBytes } from "../../../model/rules";
import { platformOf } from "../../support/fixtures";

const acme =
    "organization: acme\ndomain: acme.io\napps:\n  - name: web\n    type: custom\n    image: ghcr.io/acme/web:1.0.0\n    port: 8080\n";

/** The problems `readCatalogDir` reports for `dir`, as the user sees them (paths relative to `dir`). */
function readProblems(dir: string): string[] {
    try {
        readCatalogDir(dir, dir);
        return [];
    } catch (error) {
        assert.ok(error instanceof CatalogError, String(error));
        return error.problems.map(formatProblem);
    }
}

describe("catalog reader (model/catalog/read.ts)", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-reader-"));
    });
    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("accepts a UTF-8 byte order mark and CRLF line endings, with the right line numbers", () => {
        fs.writeFileSync(path.join(dir, "acme.yaml"), `\ufeff${acme.replace(/\n/g, "\r\n")}`);
        const sources = readCatalogDir(dir, dir);
        assert.equal(sources.length, 1);
        assert.ok(!sources[0]?.text.startsWith("\ufeff"));
        const catalog = parseCatalog(sources, platformOf("pro"));
        assert.deepEqual(
            catalog.organizations.map((o) => [o.name, o.apps.map((a) => a.name)]),
            [["acme", ["web"]]],
        );
        fs.writeFileSync(path.join(dir, "acme.yaml"), `\ufeff${acme.replace("port: 8080", "port: 0").replace(/\n/g, "\r\n")}`);
        assert.throws(
            () => parseCatalog(readCatalogDir(dir, dir), platformOf("pro")),
            (e: unknown) =>
                e instanceof CatalogError && formatProblem(e.problems[0] ?? { file: "", message: "" }).startsWith("acme.yaml:7:"),
        );
    });

    it("ignores exactly README.md and .gitkeep, and refuses any other file", () => {
        fs.writeFileSync(path.join(dir, "acme.yaml"), acme);
        fs.writeFileSync(path.join(dir, "README.md"), "# notes\n");
        fs.writeFileSync(path.join(dir, ".gitkeep"), "");
        assert.deepEqual(readProblems(dir), []);
        fs.writeFileSync(path.join(dir, "readme.md"), "# notes\n");
        assert.deepEqual(readProblems(dir), [
            "readme.md: is not an organization file; the catalog directory holds only <organization>.yaml files (and a README.md), so remove or rename it",
        ]);
    });

    it("refuses a named pipe without opening it (it would hang)", () => {
        fs.writeFileSync(path.join(dir, "acme.yaml"), acme);
        const made = spawnSync("mkfifo", [path.join(dir, "pipe.yaml")]);
        if (made.status !== 0) return; // no mkfifo on this machine
        assert.deepEqual(readProblems(dir), [
            "pipe.yaml: is not a regular file (a device, pipe or socket); the catalog holds only organization files, <organization>.yaml",
        ]);
    });

    it("refuses a symbolic link even to a file inside the catalog, and a link to a directory", () => {
        fs.writeFileSync(path.join(dir, "acme.yaml"), acme);
        fs.symlinkSync("acme.yaml", path.join(dir, "beta.yaml"));
        fs.mkdirSync(path.join(dir, "sub"));
        fs.symlinkSync("sub", path.join(dir, "gamma.yml"));
        const link =
            "is a symbolic link; the catalog holds only regular files (a link could read a file from outside the catalog), so copy the file in instead";
        assert.deepEqual(readProblems(dir), [
            `beta.yaml: ${link}`,
            `gamma.yml: ${link}`,
            "sub: is a directory; the catalog holds only organization files, <organization>.yaml, directly in it",
        ]);
    });

    it("refuses a file over the per-file limit, naming the file and the limit", () => {
        fs.writeFileSync(path.join(dir, "acme.yaml"), `${acme}# ${"x".repeat(maxCatalogFileBytes)}\n`);
        assert.deepEqual(readProblems(dir), [
            "acme.yaml: is more than 1 MiB; one organization file may hold at most 1 MiB (split the organization or shorten its env values)",
        ]);
    });

    it("refuses a catalog over the total limit, naming the directory and the limit", () => {
        const filler = `# ${"x".repeat(maxCatalogFileBytes - 10)}\n`;
        for (let i = 0; i < 9; i++) fs.writeFileSync(path.join(dir, `org${i}.yaml`), filler);
        assert.deepEqual(readProblems(dir), [`${dir}: the catalog's files hold 9 MiB together; a stack's catalog may hold at most 8 MiB`]);
    });

    it("reports every refused entry at once", () => {
        fs.writeFileSync(path.join(dir, "a.YAML"), acme);
        fs.writeFileSync(path.join(dir, "b.yaml"), Buffer.from([0x61, 0x3a, 0x20, 0xff]));
        assert.deepEqual(readProblems(dir), [
            "a.YAML: has an extension the catalog does not read; name it a.yaml (lowercase .yaml or .yml)",
            "b.yaml: is not valid UTF-8 (byte 3, 0xff); save it as UTF-8",
        ]);
    });

    it("finds the first byte that is not UTF-8", () => {
        const offset = (...bytes: number[]) => invalidUtf8Offset(Uint8Array.from(bytes));
        assert.equal(offset(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80), undefined); // a é € 😀
        assert.equal(offset(0x61, 0xc3), 1); // truncated at the end
        assert.equal(offset(0xc0, 0xaf), 0); // overlong /
        assert.equal(offset(0x61, 0xed, 0xa0, 0x80), 1); // UTF-16 surrogate
        assert.equal(offset(0xf4, 0x90, 0x80, 0x80), 0); // beyond U+10FFFF
        assert.equal(offset(0x61, 0x62, 0x80), 2); // lone continuation byte
    });
});
