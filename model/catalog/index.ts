/**
 * The tenant catalog: `stacks/<stack>/<organization>.yaml`, one file per organization.
 * Loaded and validated as a whole before any resource is registered; every problem is
 * reported at once with its file, line, organization, app and field.
 *
 * read.ts reads the files, schema.ts declares their shape, resolve.ts fills defaults and
 * checks each organization, crossChecks.ts checks across files, problems.ts reports.
 */
import * as path from "node:path";
import { isMap, LineCounter, parseDocument } from "yaml";
import type { PlatformConfig } from "../config";
import { checkHostnameOwnership, checkUniqueAcrossStack } from "./crossChecks";
import { CatalogError, inReadingOrder, ProblemSink, type ParsedFile } from "./problems";
import { resolveOrganization } from "./resolve";
import { allowedKeysAt, catalogFileSchema, type RawCatalogFile } from "./schema";
import type { Catalog, CatalogSource, OrganizationSpec } from "./types";

export { CatalogError, formatProblem, type CatalogProblem } from "./problems";
export { readCatalogDir } from "./read";
export { maxTimeoutSeconds } from "./schema";
export type { Catalog, CatalogSource, OrganizationSpec, TenantAppSpec } from "./types";

/**
 * Parses and validates every catalog file of one stack. Returns the resolved catalog or
 * throws a `CatalogError` listing every problem found.
 */
export function parseCatalog(sources: readonly CatalogSource[], platform: PlatformConfig): Catalog {
    const sink = new ProblemSink();
    const valid: Array<{ parsed: ParsedFile; raw: RawCatalogFile }> = [];
    if (sources.length === 0) {
        throw new CatalogError([
            { file: platform.catalogDir ?? `stacks/${platform.stack}`, message: "the catalog has no organization files (*.yaml)" },
        ]);
    }
    for (const source of sources) {
        const lines = new LineCounter();
        const doc = parseDocument(source.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
        const parsed: ParsedFile = { source, doc, lines };
        if (doc.errors.length > 0) {
            for (const e of doc.errors) {
                sink.problems.push({
                    file: source.file,
                    line: lines.linePos(e.pos[0]).line,
                    message: `not valid YAML: ${e.message.split("\n")[0]}`,
                });
            }
            continue;
        }
        if (!isMap(doc.contents)) {
            sink.problems.push({ file: source.file, message: "must be a mapping with organization, domain and apps" });
            continue;
        }
        const result = catalogFileSchema.safeParse(doc.toJS());
        if (!result.success) {
            for (const issue of result.error.issues) {
                if (issue.code === "unrecognized_keys") {
                    for (const key of issue.keys)
                        sink.add(parsed, [...issue.path, key], `unknown key "${key}"; allowed: ${allowedKeysAt(issue.path)}`);
                } else {
                    sink.add(parsed, issue.path, issue.message);
                }
            }
            continue;
        }
        valid.push({ parsed, raw: result.data });
    }

    const organizations: OrganizationSpec[] = [];
    const orgFiles = new Map<string, string>();
    for (const { parsed, raw } of valid) {
        const expectedFile = `${raw.organization}.yaml`;
        const base = path.basename(parsed.source.file);
        if (base !== expectedFile && base !== `${raw.organization}.yml`) {
            sink.add(parsed, ["organization"], `the file of organization "${raw.organization}" must be named ${expectedFile}`);
        }
        const earlier = orgFiles.get(raw.organization);
        if (earlier !== undefined) {
            sink.add(parsed, ["organization"], `duplicate organization; it is already defined in ${earlier}`);
            continue;
        }
        orgFiles.set(raw.organization, parsed.source.file);
        organizations.push(resolveOrganization(parsed, raw, platform, sink));
    }

    checkUniqueAcrossStack(organizations, valid, sink);
    checkHostnameOwnership(organizations, valid, sink);
    if (sink.problems.length > 0) throw new CatalogError(inReadingOrder(sink.problems));
    organizations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { organizations };
}
