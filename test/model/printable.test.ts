/** Every message printed keeps its reason on one line and cannot drive the terminal. */
import { strict as assert } from "node:assert";
import { oneLine, printableLines } from "../../model/printable";

describe("printable text", () => {
    const rows: ReadonlyArray<readonly [input: string, printed: string, reason: string]> = [
        ["plain text, café ✓", "plain text, café ✓", "printable text, accents and symbols stay as they are"],
        ["a\nb", "a\\nb", "a newline would cut the message and lose its reason"],
        ["a\r\nb\tc", "a\\r\\nb\\tc", "carriage return and tab are shown, not acted on"],
        ["\u001b[2J\u001b]0;owned\u0007", "\\x1b[2J\\x1b]0;owned\\x07", "ESC sequences would clear the screen and set the title"],
        ["\u009b31m", "\\x9b31m", "C1 CSI is an escape sequence on its own"],
        ["\u007f\u0000", "\\x7f\\x00", "DEL and NUL"],
        ["abc\u202edef\u2066", "abc\\u202edef\\u2066", "bidirectional overrides reorder what a reader sees"],
        ["x\u2028y", "x\\u2028y", "a line separator is a line break to some terminals and editors"],
    ];
    for (const [input, printed, reason] of rows) {
        it(`prints ${JSON.stringify(input)} as ${JSON.stringify(printed)}: ${reason}`, () => {
            assert.equal(oneLine(input), printed);
        });
    }

    it("keeps the line breaks of a multi-line report and escapes within each line", () => {
        assert.equal(printableLines("error:\n  - a\u001b[31m\n  - b"), "error:\n  - a\\x1b[31m\n  - b");
    });
});
