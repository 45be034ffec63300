/**
 * The tenant catalog: `stacks/<stack>/<organization>.yaml`, one file per organization.
 * Loaded and validated as a whole before any resource is registered; every problem is
 * reported at once with its file, line, organization, app and field.
 *
 * read.ts reads the files, schema.ts declares their shape, resolve.ts fills defaults and
 * checks each organization, crossChecks.ts checks across files, problems.ts reports.
 */
import * as path from "node:path";
import { isMap, LineCounter, type Document } from "yaml";
import type { PlatformConfig } from "../config/types";
import { checkHostnameOwnership, checkUniqueAcrossStack } from "./crossChecks";
import { CatalogError, inReadingOrder, ProblemSink, type ParsedFile } from "./problems";
import { safeYamlMessage } from "../yamlErrors";
import { parseYamlWithinLimits, yamlNestingMessage } from "../yamlLimits";
import { checkRuntimeLimits, reportUnsafeKeys } from "./limits";
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
        const read = readYaml(source, lines);
        if (typeof read === "string") {
            sink.problems.push({ file: source.file, message: read });
            continue;
        }
        const { doc, value } = read;
        const parsed: ParsedFile = { source, doc, lines };
        // Warnings too: an unresolved tag (`!!js/function`) would otherwise be silently read as text.
        if (doc.errors.length + doc.warnings.length > 0) {
            for (const e of [...doc.errors, ...doc.warnings]) {
                sink.problems.push({
                    file: source.file,
                    line: lines.linePos(e.pos[0]).line,
                    message: `not valid YAML: ${safeYamlMessage(e)}`,
                });
            }
            continue;
        }
        if (!isMap(doc.contents)) {
            sink.problems.push({ file: source.file, message: "must be a mapping with organization, domain and apps" });
            continue;
        }
        if (value === undefined) {
            sink.problems.push({ file: source.file, message: `cannot be read: ${aliasMessage}` });
            continue;
        }
        if (reportUnsafeKeys(parsed, value, sink)) continue;
        const result = catalogFileSchema.safeParse(value);
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
        const organization = resolveOrganization(parsed, raw, platform, sink);
        checkRuntimeLimits(parsed, raw, organization, sink);
        organizations.push(organization);
    }

    checkUniqueAcrossStack(organizations, valid, sink);
    checkHostnameOwnership(organizations, valid, sink);
    if (sink.problems.length > 0) throw new CatalogError(inReadingOrder(sink.problems));
    organizations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { organizations };
}

/** Aliases a catalog may expand: a few are harmless, many are an alias bomb. */
const maxAliasCount = 100;
const aliasMessage = `it expands more than ${maxAliasCount} YAML aliases (an alias bomb); write the values out instead of using aliases`;

/**
 * Parses one file, turning the parser's resource limits into a message naming the file: a
 * string is the problem. `value` is undefined when the aliases would expand too far.
 */
function readYaml(source: CatalogSource, lines: LineCounter): string | { doc: Document; value: unknown } {
    const doc = parseYamlWithinLimits(source.text, { lineCounter: lines, uniqueKeys: true });
    if (doc === "too deep") return `cannot be read: ${yamlNestingMessage}`;
    if (doc.errors.length + doc.warnings.length > 0) return { doc, value: undefined };
    try {
        return { doc, value: doc.toJS({ maxAliasCount }) as unknown };
    } catch (error) {
        // Aliases can expand a document within the limit past it.
        if (error instanceof RangeError) return `cannot be read: ${yamlNestingMessage}`;
        if (error instanceof ReferenceError && /alias/i.test(error.message)) return { doc, value: undefined };
        return `cannot be read as YAML: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : "the parser failed"}`;
    }
}
