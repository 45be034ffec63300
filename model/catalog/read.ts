/**
 * Reads a stack's catalog directory from disk: the only I/O of the catalog.
 *
 * Only regular files directly inside the directory are read, and only those named
 * `<organization>.yaml` or `<organization>.yml`. Every other entry is refused with a message
 * rather than skipped, so renaming `r3s3t.yaml` to `r3s3t.YAML` cannot silently drop an
 * organization (and delete its services on the next `up`). Refused: symbolic links (a link
 * could pull a file from outside the catalog, or a device such as `/dev/zero`), directories,
 * devices, pipes and sockets, other extensions and their case variants (`.YAML`, `.Yml`,
 * `.yaml~`, `.json`), hidden files, files over the size limits, and text that is not UTF-8.
 * Ignored, by design: a `README.md` and a `.gitkeep` (see `ignorableCatalogEntries`).
 * A UTF-8 byte order mark and CRLF line endings are accepted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { catalogFileNamePattern, isIgnorableCatalogEntry, maxCatalogBytes, maxCatalogFileBytes } from "../rules";
import { invalidUtf8Offset, readRegularFile, sizeText as kib, type SafeRead } from "../safeRead";

export { invalidUtf8Offset } from "../safeRead";
import { CatalogError, type CatalogProblem } from "./problems";
import type { CatalogSource } from "./types";

/** Why an entry of the catalog directory is not read, or undefined when it is an organization file to read. */
function refusalOf(name: string, stat: fs.Stats): string | undefined {
    if (stat.isSymbolicLink())
        return "is a symbolic link; the catalog holds only regular files (a link could read a file from outside the catalog), so copy the file in instead";
    if (stat.isDirectory()) return "is a directory; the catalog holds only organization files, <organization>.yaml, directly in it";
    if (!stat.isFile())
        return "is not a regular file (a device, pipe or socket); the catalog holds only organization files, <organization>.yaml";
    if (catalogFileNamePattern.test(name)) return undefined;
    if (/\.ya?ml$/i.test(name) && !name.startsWith("."))
        return `has an extension the catalog does not read; name it ${name.replace(/\.ya?ml$/i, ".yaml")} (lowercase .yaml or .yml)`;
    return "is not an organization file; the catalog directory holds only <organization>.yaml files (and a README.md), so remove or rename it";
}

/** Reads one organization file by the program's one set of reading rules (model/safeRead.ts). */
function readLimited(full: string, name: string): SafeRead {
    return readRegularFile(full, {
        maxBytes: maxCatalogFileBytes,
        holds: "the catalog holds",
        refusal: (stat) => refusalOf(name, stat),
        tooLarge,
    });
}

const tooLarge = (size: number): string =>
    `is ${size > maxCatalogFileBytes ? `more than ${kib(maxCatalogFileBytes)}` : kib(size)}; one organization file may hold at most ${kib(maxCatalogFileBytes)} (split the organization or shorten its env values)`;

/**
 * Reads every organization file of a catalog directory, sorted by name. Throws a
 * `CatalogError` naming every entry that is refused, and why.
 */
export function readCatalogDir(dir: string, displayBase = process.cwd()): CatalogSource[] {
    const shownDir = path.relative(displayBase, dir) || dir;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CatalogError([{ file: shownDir, message: "catalog directory does not exist" }]);
    }
    const problems: CatalogProblem[] = [];
    const sources: CatalogSource[] = [];
    let total = 0;
    for (const name of fs.readdirSync(dir).sort()) {
        const full = path.join(dir, name);
        const file = path.relative(displayBase, full);
        const stat = fs.lstatSync(full);
        if (stat.isFile() && isIgnorableCatalogEntry(name)) continue;
        const refusal = refusalOf(name, stat);
        if (refusal !== undefined) {
            problems.push({ file, message: refusal });
            continue;
        }
        let read: SafeRead;
        try {
            read = readLimited(full, name);
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? "error";
            problems.push({ file, message: `cannot be read (${code}); the catalog holds only regular, readable files` });
            continue;
        }
        if (read.bytes === undefined) {
            problems.push({ file, message: read.problem ?? "cannot be read" });
            continue;
        }
        total += read.bytes.length;
        const offset = invalidUtf8Offset(read.bytes);
        if (offset !== undefined) {
            problems.push({
                file,
                message: `is not valid UTF-8 (byte ${offset}, 0x${(read.bytes[offset] ?? 0).toString(16).padStart(2, "0")}); save it as UTF-8`,
            });
            continue;
        }
        sources.push({ file, text: new TextDecoder("utf-8", { fatal: true }).decode(read.bytes) });
    }
    if (total > maxCatalogBytes) {
        problems.push({
            file: shownDir,
            message: `the catalog's files hold ${kib(total)} together; a stack's catalog may hold at most ${kib(maxCatalogBytes)}`,
        });
    }
    if (problems.length > 0) throw new CatalogError(problems);
    return sources;
}
