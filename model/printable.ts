/**
 * Text that reaches a terminal, a file or a comment, made safe to print: every control
 * character (C0, DEL, C1: terminal escape sequences begin with ESC 0x1b or CSI 0x9b), every
 * line or paragraph separator, and the bidirectional overrides that reorder what a reader sees
 * are written as escapes (`\n`, `\x1b`, `\u202e`), so a value can neither drive the terminal
 * nor cut a message in two and lose its reason. Pure.
 */

/** Characters never printed as themselves. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const named: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One character as an escape a reader can see. */
function escapeOf(ch: string): string {
    const known = named[ch];
    if (known !== undefined) return known;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` on one line with every unprintable character escaped. */
export const oneLine = (text: string): string => text.replace(unprintable, escapeOf);

/** Whether `text` holds a character `oneLine` would escape. */
export const hasUnprintable = (text: string): boolean => new RegExp(unprintable.source).test(text);

/** Multi-line text (an error report) with each line made printable; the line breaks stay. */
export const printableLines = (text: string): string => text.split("\n").map(oneLine).join("\n");
