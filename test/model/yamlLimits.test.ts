import { strict as assert } from "node:assert";
import { LineCounter } from "yaml";
import { CatalogError, formatProblem, parseCatalog } from "../../model/catalog";
import { formatConfigProblem, StackConfigError } from "../../model/config";
import { parseStackConfig } from "../../model/stackConfig";
import { parseYamlWithinLimits } from "../../model/yamlLimits";
import { oneApp, platformOf } from "../support/fixtures";

/** A value nested `levels` deep: flow lists, or block mappings one indent deeper per level. */
const flowNested = (levels: number): string => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const blockNested = (levels: number): string => Array.from({ length: levels }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " leaf\n";

/** The catalog problems of one organization file `acme.yaml` with `extra` appended. */
function catalogProblems(extra: string): string[] {
    const text = oneApp("acme", "name: web\ntype: custom\nimage: ghcr.io/acme/web:1.0.0\nport: 8080") + extra;
    try {
        parseCatalog([{ file: "stacks/pro/acme.yaml", text }], platformOf("pro"));
        return [];
    } catch (error) {
        assert.ok(error instanceof CatalogError, String(error));
        return error.problems.map(formatProblem);
    }
}

const tooDeep =
    "cannot be read: it exceeds the YAML nesting limit of 64 levels of nested mappings and lists; flatten it (a catalog or stack file needs fewer than ten)";

describe("YAML nesting limit", () => {
    const rows: ReadonlyArray<{ readonly why: string; readonly text: string; readonly refused: boolean }> = [
        { why: "64 flow lists are within the limit", text: `x: ${flowNested(63)}`, refused: false },
        { why: "65 flow lists are one level too many", text: `x: ${flowNested(64)}`, refused: true },
        { why: "64 block mappings are within the limit", text: blockNested(64), refused: false },
        { why: "65 block mappings are one level too many", text: blockNested(65), refused: true },
        {
            why: "100000 levels are refused before the parser's recursion could exhaust the stack",
            text: `x: ${flowNested(100_000)}`,
            refused: true,
        },
    ];
    for (const row of rows) {
        it(`${row.refused ? "refuses" : "reads"} a document: ${row.why}`, () => {
            const doc = parseYamlWithinLimits(row.text, { lineCounter: new LineCounter(), uniqueKeys: true });
            assert.equal(doc === "too deep", row.refused);
            if (doc !== "too deep") assert.deepEqual(doc.errors, []);
        });
    }

    it("names the limit and the file for a catalog file nested too deeply", () => {
        assert.deepEqual(catalogProblems(`x: ${flowNested(5000)}\n`), [`stacks/pro/acme.yaml: ${tooDeep}`]);
    });

    it("names the limit and the file for a stack file nested too deeply", () => {
        assert.throws(
            () => parseStackConfig(`config:\n  tenant-apps:names: ${flowNested(5000)}\n`, "Pulumi.pro.yaml"),
            (error: unknown) =>
                error instanceof StackConfigError &&
                error.file === "Pulumi.pro.yaml" &&
                error.message === `Pulumi.pro.yaml: ${tooDeep}` &&
                error.problems.map(formatConfigProblem).join() === tooDeep,
        );
    });

    it("still refuses an alias bomb within the nesting limit by its alias count", () => {
        const bomb = [
            "a: &a [x, x, x, x, x, x, x, x, x, x]",
            ...Array.from(
                { length: 8 },
                (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${`*${"abcdefgh"[i]}, `.repeat(9)}*${"abcdefgh"[i]}]`,
            ),
        ].join("\n");
        assert.deepEqual(catalogProblems(`${bomb}\n`), [
            "stacks/pro/acme.yaml: cannot be read: it expands more than 100 YAML aliases (an alias bomb); write the values out instead of using aliases",
        ]);
    });
});

describe("stack file problems, all at once", () => {
    it("reports every key that is not namespaced and every plaintext secret together, never the values", () => {
        const text =
            "config:\n  region: eu-west-1\n  tenant-apps:aiApiKey: sk-plaintext-7f6e5d4c3b2a\n  tenant-apps:openaiApiKey: sk-other-9a8b7c6d5e4f\n";
        assert.throws(
            () => parseStackConfig(text, "Pulumi.pro.yaml"),
            (error: unknown) =>
                error instanceof StackConfigError &&
                JSON.stringify(error.problems.map(formatConfigProblem)) ===
                    JSON.stringify([
                        "region: must be namespaced, e.g. tenant-apps:region",
                        "tenant-apps:aiApiKey: holds a secret in plaintext; remove the line and set it with `pulumi config set --secret tenant-apps:aiApiKey <value>`",
                        "tenant-apps:openaiApiKey: holds a secret in plaintext; remove the line and set it with `pulumi config set --secret tenant-apps:openaiApiKey <value>`",
                    ]) &&
                !error.message.includes("sk-"),
        );
    });
});
