#!/usr/bin/env node
/**
 * Fails when the TypeScript sources import in a circle (what `madge --circular --extensions ts`
 * reports), so the model, the components and the render keep importing one way.
 * Every relative import counts, type-only ones too (they are circles for a reader, and madge
 * counts them): `import`, `export … from`, `import()` and `require()`, as TypeScript's own
 * `preProcessFile` finds them. Uses the pinned `typescript` instead of madge and its tree of
 * parsers for other languages.
 * Usage: node scripts/import-cycles.mjs [root]   (default: the project; exit 1 and every circle on stderr)
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ts = createRequire(import.meta.url)("typescript");
const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const skipped = new Set(["node_modules", "dist", "out", ".git", ".ci"]);

/** Every `.ts` source under `dir` (declaration files and fixtures' node_modules aside). */
function sources(dir) {
    const found = [];
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (skipped.has(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) found.push(...sources(path));
        else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(path);
    }
    return found;
}

/** The source a relative specifier names: `x.ts`, or `x/index.ts` for a directory. */
function resolveImport(from, specifier) {
    if (!specifier.startsWith(".")) return undefined;
    const base = resolve(dirname(from), specifier);
    for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
        if (candidate.endsWith(".ts") && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    return undefined;
}

const files = sources(root).sort();
const edges = new Map(
    files.map((file) => {
        const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
        const targets = importedFiles.map((i) => resolveImport(file, i.fileName)).filter((t) => t !== undefined);
        return [file, [...new Set(targets)].sort()];
    }),
);

/** Every elementary circle found by a depth-first walk, each once, starting at its first file in sort order. */
function circles() {
    const found = new Map();
    const state = new Map(); // file → "open" while on the path, "done" after
    const path = [];
    function visit(file) {
        state.set(file, "open");
        path.push(file);
        for (const next of edges.get(file) ?? []) {
            if (state.get(next) === "open") {
                const circle = path.slice(path.indexOf(next));
                const start = circle.indexOf([...circle].sort()[0]);
                const rotated = [...circle.slice(start), ...circle.slice(0, start)];
                found.set(rotated.join(" -> "), rotated);
            } else if (!state.has(next)) visit(next);
        }
        path.pop();
        state.set(file, "done");
    }
    for (const file of files) if (!state.has(file)) visit(file);
    return [...found.values()];
}

const found = circles();
if (found.length > 0) {
    process.stderr.write(`${found.length} import circle${found.length === 1 ? "" : "s"}:\n`);
    for (const circle of found) process.stderr.write(`  ${[...circle, circle[0]].map((f) => relative(root, f)).join(" -> ")}\n`);
    process.exitCode = 1;
} else {
    process.stdout.write(`no import circles among ${files.length} TypeScript files\n`);
}
