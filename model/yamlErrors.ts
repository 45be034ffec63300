/**
 * YAML parse errors as one safe line: where and what, never the text around it. The parser's
 * code frames (`prettyErrors`) print the offending line and its neighbours, and a few of its
 * messages quote the source (`Block scalar header includes extra characters: …`, `Unresolved
 * tag: …`, `Invalid escape sequence …`); in a stack config that line may hold a plaintext
 * secret, so only the message's fixed part is kept. Pure.
 */
import type { LineCounter, YAMLError } from "yaml";

/** The fixed part of a parser message: its first line, cut before anything quoted from the source. */
export function safeYamlMessage(error: YAMLError): string {
    const first = error.message.split("\n")[0] ?? "";
    const fixed = first
        .replace(/ at line \d+, column \d+:?$/, "")
        .replace(/^(Block scalar header includes extra characters|Unresolved tag|Expected a flow scalar value, but found):.*$/, "$1")
        .replace(/^(Invalid escape sequence|Plain value cannot start with|Anchors and tags must be after the) .*$/, "$1 …");
    return `${fixed} (${error.code})`;
}

/** `line L, column C: message` for one parser error. */
export function yamlErrorLine(error: YAMLError, lines: LineCounter): string {
    const { line, col } = lines.linePos(error.pos[0]);
    return `line ${line}, column ${col}: ${safeYamlMessage(error)}`;
}
