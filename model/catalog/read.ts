/** Reads a stack's catalog directory from disk: the only I/O of the catalog. */
import * as fs from "node:fs";
import * as path from "node:path";
import { CatalogError } from "./problems";
import type { CatalogSource } from "./types";

/** Reads every `*.yaml`/`*.yml` file of a catalog directory, sorted by name. */
export function readCatalogDir(dir: string, displayBase = process.cwd()): CatalogSource[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CatalogError([{ file: path.relative(displayBase, dir) || dir, message: "catalog directory does not exist" }]);
    }
    return fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({
            file: path.relative(displayBase, path.join(dir, f)),
            text: fs.readFileSync(path.join(dir, f), "utf8"),
        }));
}
