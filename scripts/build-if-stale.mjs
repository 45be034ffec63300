#!/usr/bin/env node
/**
 * Compiles the project only when a source is newer than the last build, so a warm
 * `npm run render` starts the compiled command at once instead of running tsc (seconds)
 * on every call. "Newer" covers edits, added files and deleted files (a directory's mtime
 * changes when an entry is added or removed), tsconfig.json and package.json.
 * Usage: node scripts/build-if-stale.mjs   (exit code of tsc when it runs, else 0)
 */
import { spawnSync } from "node:child_process";
import process from "node:process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stamp = join(root, "dist", ".tsbuildinfo");
const skipped = new Set(["node_modules", "dist", "out", ".git", ".ci"]);

/** The newest modification time of any TypeScript source, directory or build setting. */
function newestSource(dir) {
    let newest = statSync(dir).mtimeMs;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith(".") || skipped.has(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
        else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
    }
    return newest;
}

function builtAt() {
    try {
        return statSync(stamp).mtimeMs;
    } catch {
        return -Infinity;
    }
}

const settings = ["tsconfig.json", "package.json"].map((f) => statSync(join(root, f)).mtimeMs);
if (Math.max(newestSource(root), ...settings) > builtAt()) {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", root], { stdio: "inherit" });
    // tsc leaves its build info untouched when no output changed; mark the build as current.
    if (result.status === 0) utimesSync(stamp, new Date(), new Date());
    process.exit(result.status ?? 1);
}
