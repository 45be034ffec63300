import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/harness";

const script = path.join(repoRoot, "scripts", "import-cycles.mjs");

/** Runs the circle check over `root`. */
function check(root: string): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [script, root], { encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the import circle check", () => {
    let tmp: string;
    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-cycles-"));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** Writes a small source tree: relative path → text. */
    const tree = (files: Readonly<Record<string, string>>): string => {
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
            fs.writeFileSync(path.join(tmp, file), text);
        }
        return tmp;
    };

    it("finds no import circle in the project's sources", () => {
        const result = check(repoRoot);
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /^no import circles among \d+ TypeScript files\n$/);
    });

    // Each row: a source tree, why it is (or is not) a circle, and what the check prints on stderr.
    const rows: ReadonlyArray<{ readonly why: string; readonly files: Record<string, string>; readonly stderr: string }> = [
        {
            why: "a type-only import back is a circle too (madge counts it)",
            files: {
                "a.ts": 'import { b } from "./b";\nexport const a = b;\n',
                "b.ts": 'import type { A } from "./a";\nexport const b = 1;\nexport type B = A;\n',
            },
            stderr: "1 import circle:\n  a.ts -> b.ts -> a.ts\n",
        },
        {
            why: "a circle through a directory's index.ts and a re-export",
            files: {
                "config/index.ts": 'export { check } from "./checks";\n',
                "config/checks.ts": 'import { rule } from "../catalog/resolve";\nexport const check = rule;\n',
                "catalog/resolve.ts": 'import type { Config } from "../config";\nexport const rule = 1;\nexport type R = Config;\n',
            },
            stderr: "1 import circle:\n  catalog/resolve.ts -> config/index.ts -> config/checks.ts -> catalog/resolve.ts\n",
        },
        {
            why: "a dynamic import() counts like a static one",
            files: {
                "cli.ts": 'export const main = () => import("./render");\n',
                "render.ts": 'import { main } from "./cli";\nexport const r = main;\n',
            },
            stderr: "1 import circle:\n  cli.ts -> render.ts -> cli.ts\n",
        },
        {
            why: "packages and files in node_modules and dist are not followed",
            files: {
                "a.ts": 'import "yaml";\nimport { x } from "./dist/a";\nexport const a = x;\n',
                "dist/a.ts": 'import { a } from "../a";\nexport const x = a;\n',
            },
            stderr: "",
        },
    ];
    for (const row of rows) {
        it(`${row.stderr === "" ? "passes" : "fails"}: ${row.why}`, () => {
            const result = check(tree(row.files));
            assert.equal(result.stderr, row.stderr);
            assert.equal(result.status, row.stderr === "" ? 0 : 1);
        });
    }
});
