/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program: every
 * value a string (objects as JSON), secret keys listed apart. `secure:` values cannot be
 * decrypted without the stack's key, so they become a fixed placeholder.
 */
import * as fs from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { configNamespace, secretConfigKeys } from "./config";
import { yamlErrorLine } from "./yamlErrors";
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

export function parseStackConfig(text: string, file: string): StackConfig {
    const doc: unknown = parseSafely(text, file) ?? {};
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new Error(`${file}: must be a YAML mapping`);
    const entries = (doc as { config?: unknown }).config ?? {};
    if (typeof entries !== "object" || entries === null || Array.isArray(entries)) throw new Error(`${file}: "config" must be a mapping`);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
        if (!key.includes(":")) throw new Error(oneLine(`${file}: config key "${key}" must be namespaced, e.g. tenant-apps:${key}`));
        if (isSecure(value)) {
            config[key] = securePlaceholder(key);
            secretKeys.push(key);
        } else if (mustBeSecret(key)) {
            // The value itself is never quoted: it is the secret.
            throw new Error(
                `${file}: ${key} holds a secret in plaintext; remove the line and set it with \`pulumi config set --secret ${key} <value>\``,
            );
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config, secretKeys };
}

/** At most 1 MiB of stack config: the repository's is a few KiB. */
export const maxStackConfigBytes = 1_048_576;

/**
 * Reads `Pulumi.<stack>.yaml` by the same rules as the catalog's files (model/safeRead.ts):
 * a regular file, no symbolic link, at most `maxStackConfigBytes`, valid UTF-8.
 */
export function readStackConfig(file: string): StackConfig {
    if (!fs.existsSync(file) && !isDanglingLink(file)) throw new Error(`${file}: stack config file not found`);
    const read = readRegularFile(file, { maxBytes: maxStackConfigBytes, holds: "a stack config is read from" });
    if (read.bytes === undefined) throw new Error(`${file}: ${read.problem}`);
    const offset = invalidUtf8Offset(read.bytes);
    if (offset !== undefined) throw new Error(`${file}: is not valid UTF-8 (byte ${offset}); save it as UTF-8`);
    return parseStackConfig(read.bytes.toString("utf8"), file);
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
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0] ?? doc.warnings[0];
    if (first !== undefined) throw new Error(`${file}: not valid YAML at ${yamlErrorLine(first, lines)}`);
    try {
        return doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (error) {
        throw new Error(`${file}: cannot be read as YAML (${error instanceof RangeError ? "nested too deeply" : "too many aliases"})`, {
            cause: error,
        });
    }
}
