/**
 * Problems found in the catalog, each pointing at its file, line, organization, app and
 * field, and the error that carries all of them at once. Pure.
 */
import { isSeq, type Document, type LineCounter } from "yaml";
import { oneLine } from "../printable";
import { formatZodPath } from "../quantities";
import type { CatalogSource } from "./types";

/** One problem in the catalog. */
export interface CatalogProblem {
    readonly file: string;
    readonly line?: number;
    readonly organization?: string;
    readonly app?: string;
    readonly field?: string;
    readonly message: string;
}

/** One line: `file:line: organization "o", app "a", field "f": message`. */
export function formatProblem(p: CatalogProblem): string {
    const where = [
        p.organization !== undefined ? `organization "${p.organization}"` : undefined,
        p.app !== undefined ? `app "${p.app}"` : undefined,
        p.field !== undefined ? `field "${p.field}"` : undefined,
    ].filter((part) => part !== undefined);
    // One line, every control character escaped: a value can neither cut the reason off nor drive the terminal.
    return oneLine(`${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${where.length > 0 ? `${where.join(", ")}: ` : ""}${p.message}`);
}

/** Thrown when the catalog is invalid; `problems` holds every problem found. */
export class CatalogError extends Error {
    constructor(readonly problems: readonly CatalogProblem[]) {
        super(
            `the catalog has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "CatalogError";
    }
}

/** A parsed file with what is needed to point at lines. */
export interface ParsedFile {
    readonly source: CatalogSource;
    readonly doc: Document;
    readonly lines: LineCounter;
}

export function lineOf(parsed: ParsedFile, fieldPath: readonly PropertyKey[]): number | undefined {
    for (let depth = fieldPath.length; depth >= 0; depth--) {
        const node = parsed.doc.getIn(fieldPath.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === "object" && node.range) return parsed.lines.linePos(node.range[0]).line;
    }
    return undefined;
}

/** Reports problems of one file with its location filled in. */
export class ProblemSink {
    readonly problems: CatalogProblem[] = [];
    add(parsed: ParsedFile, fieldPath: readonly PropertyKey[], message: string, context: { organization?: string; app?: string } = {}) {
        const appIndex = fieldPath[0] === "apps" && typeof fieldPath[1] === "number" ? fieldPath[1] : undefined;
        const rawApps = parsed.doc.get("apps");
        const rawName = appIndex !== undefined && isSeq(rawApps) ? rawApps.getIn([appIndex, "name"]) : undefined;
        const rawOrg = parsed.doc.get("organization");
        const field = formatZodPath(appIndex !== undefined ? fieldPath.slice(2) : fieldPath);
        this.problems.push({
            file: parsed.source.file,
            line: lineOf(parsed, fieldPath),
            organization: context.organization ?? (typeof rawOrg === "string" ? rawOrg : undefined),
            app: context.app ?? (appIndex !== undefined ? (typeof rawName === "string" ? rawName : `#${appIndex + 1}`) : undefined),
            field: field === "" ? undefined : field,
            message,
        });
    }
}

/** Problems sorted by file, then line, so the report reads top to bottom. */
export function inReadingOrder(problems: readonly CatalogProblem[]): CatalogProblem[] {
    return [...problems].sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
}
