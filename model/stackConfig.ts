/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program: every
 * value a string (objects as JSON), secret keys listed apart. `secure:` values cannot be
 * decrypted without the stack's key, so they become a fixed placeholder.
 */
import * as fs from "node:fs";
import { LineCounter } from "yaml";
import { StackConfigError, type ConfigProblem } from "./config/problems";
import { configNamespace, secretConfigKeys } from "./config/schema";
import { yamlErrorLine } from "./yamlErrors";
import { parseYamlWithinLimits, yamlNestingMessage } from "./yamlLimits";
import { oneLine } from "./printable";
import { invalidUtf8Offset, readRegularFile } from "./safeRead";

export interface StackConfig {
    /** `namespace:key` → value as the program reads it. */
    readonly config: Record<string, string>;
    /** Keys whose values are secrets. */
    readonly secretKeys: string[];
}

/** What an encrypted (`secure:`) config value reads as when no stack key is at hand. */
export const securePlaceholder = (key: string): string => `[secure config ${key}]`;

/**
 * The config of a stack file's text. Throws a `StackConfigError` naming every problem of the
 * file at once (keys not namespaced, secrets in plaintext), or the one that keeps it from being
 * read at all (not YAML, nested too deeply, not a mapping).
 */
export function parseStackConfig(text: string, file: string): StackConfig {
    const doc: unknown = parseSafely(text, file) ?? {};
    if (typeof doc !== "object" || doc === null || Array.isArray(doc))
        throw new StackConfigError(file, [{ message: "must be a YAML mapping" }]);
    const entries = (doc as { config?: unknown }).config ?? {};
    if (typeof entries !== "object" || entries === null || Array.isArray(entries))
        throw new StackConfigError(file, [{ key: "config", message: "must be a mapping" }]);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const problems: ConfigProblem[] = [];
    for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
        if (!key.includes(":"))
            problems.push({ key: oneLine(key), message: `must be namespaced, e.g. ${configNamespace}:${oneLine(key)}` });
        else if (isSecure(value)) {
            config[key] = securePlaceholder(key);
            secretKeys.push(key);
        } else if (mustBeSecret(key)) {
            // The value itself is never quoted: it is the secret.
            problems.push({
                key,
                message: `holds a secret in plaintext; remove the line and set it with \`pulumi config set --secret ${key} <value>\``,
            });
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    if (problems.length > 0) throw new StackConfigError(file, problems);
    return { config, secretKeys };
}

/** At most 1 MiB of stack config: the repository's is a few KiB. */
export const maxStackConfigBytes = 1_048_576;

/**
 * Reads `Pulumi.<stack>.yaml` by the same rules as the catalog's files (model/safeRead.ts):
 * a regular file, no symbolic link, at most `maxStackConfigBytes`, valid UTF-8. Problems name
 * it as `shownAs` (how the user named it).
 */
export function readStackConfig(file: string, shownAs = file): StackConfig {
    const fail = (message: string): never => {
        throw new StackConfigError(shownAs, [{ message }]);
    };
    if (!fs.existsSync(file) && !isDanglingLink(file)) fail("stack config file not found");
    const read = readRegularFile(file, { maxBytes: maxStackConfigBytes, holds: "a stack config is read from" });
    if (read.bytes === undefined) return fail(read.problem);
    const offset = invalidUtf8Offset(read.bytes);
    if (offset !== undefined) fail(`is not valid UTF-8 (byte ${offset}); save it as UTF-8`);
    return parseStackConfig(read.bytes.toString("utf8"), shownAs);
}

function isDanglingLink(file: string): boolean {
    try {
        return fs.lstatSync(file).isSymbolicLink();
    } catch {
        return false;
    }
}

/** Keys of this project whose values are secrets (`tenant-apps:aiApiKey`, …): a stack file may hold them only encrypted. */
const mustBeSecret = (key: string): boolean =>
    key.startsWith(`${configNamespace}:`) && secretConfigKeys.includes(key.slice(configNamespace.length + 1));

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/**
 * Parses the stack config without ever printing its text: a syntax error names the line and
 * column only, since a nearby line may hold a plaintext secret (see yamlErrors.ts).
 */
function parseSafely(text: string, file: string): unknown {
    const lines = new LineCounter();
    const doc = parseYamlWithinLimits(text, { lineCounter: lines, uniqueKeys: true });
    if (doc === "too deep") throw new StackConfigError(file, [{ message: `cannot be read: ${yamlNestingMessage}` }]);
    const first = doc.errors[0] ?? doc.warnings[0];
    if (first !== undefined) throw new StackConfigError(file, [{ message: `not valid YAML at ${yamlErrorLine(first, lines)}` }]);
    try {
        return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (error) {
        // Aliases expanded past the nesting limit, or too many of them.
        const why = error instanceof RangeError ? yamlNestingMessage : "it expands more than 100 YAML aliases";
        throw new StackConfigError(file, [{ message: `cannot be read: ${why}` }]);
    }
}
