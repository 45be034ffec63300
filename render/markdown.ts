/**
 * Markdown for pull-request comments, where every value comes from a catalog or a config a
 * contributor controls. A value goes into a code span it cannot leave: line breaks, carriage
 * returns and other control, bidi and zero-width characters are shown as visible escapes, the
 * span's backtick fence is longer than any run of backticks inside it, and a table cell's `|`
 * is escaped. Inside a code span GitHub renders HTML, `@mentions`, `#123` and links as plain
 * text, so nothing else needs escaping there. Pure.
 */

/** Characters that would end a line, reorder text or hide in it: shown as `\u{…}` escapes. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are escaped
const invisible = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu;

const named: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A value with every invisible or line-breaking character written as a visible escape. */
export function visible(text: string): string {
    return text.replace(invisible, (c) => named[c] ?? `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

/** The longest run of backticks in `texts`, at least `floor`; a loop, since a huge value has too many runs to spread. */
function longestBacktickRun(texts: readonly string[], floor: number): number {
    let longest = floor;
    for (const text of texts) for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
    return longest;
}

/**
 * Text outside any code span (a resource's kind, read off a type token the render wrote):
 * every ASCII punctuation character backslash-escaped, which CommonMark reads as itself, so
 * no heading, emphasis, link, image, HTML or table border can start; invisible characters shown.
 */
export function plainText(text: string): string {
    return visible(text).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** `text` cut to at most `max` characters (code points), with `…` when cut. */
function shorten(text: string, max: number): string {
    const chars = Array.from(text);
    return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

/**
 * A value as an inline code span that no content can break out of. `max` shortens long
 * values; `inTable` escapes `|`, which GitHub reads as a cell border even inside code.
 */
export function codeSpan(value: unknown, options: { readonly max?: number; readonly inTable?: boolean } = {}): string {
    const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
    let body = shorten(visible(text), options.max ?? Number.POSITIVE_INFINITY);
    if (options.inTable === true) body = body.replace(/\|/g, "\\|");
    const fence = "`".repeat(longestBacktickRun([body], 0) + 1);
    // A span that starts or ends with a backtick (or a space) needs a space inside its fence.
    const pad = /^[` ]|[` ]$/.test(body) ? " " : "";
    return `${fence}${pad}${body}${pad}${fence}`;
}

/** A shell word in single quotes, for a command a reviewer may copy: `'` and control characters cannot end it. */
export function shellQuote(word: string): string {
    return `'${visible(word).replace(/'/g, "'\\''")}'`;
}

/** A shell word as is when it needs no quoting (letters, digits, `._-`), quoted otherwise. */
export const shellWord = (word: string): string => (/^[A-Za-z0-9._-]+$/.test(word) ? word : shellQuote(word));

/** A fenced code block whose fence is longer than any backtick run in its lines. */
export function fence(lines: readonly string[], info = ""): string[] {
    const body = lines.map(visible);
    const marker = "`".repeat(longestBacktickRun(body, 2) + 1);
    return [`${marker}${info}`, ...body, marker];
}
