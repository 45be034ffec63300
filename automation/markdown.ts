/** Markdown helpers of the reports: safe table cells and a table padded for a terminal. */

/** Escapes the characters that break a markdown table cell or inline code. */
export function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/`/g, "'").replace(/\r?\n/g, " ");
}

/** A markdown table padded to line up in a terminal. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const all = [header, ...rows].map((row) => row.map(cell));
    const widths = header.map((_, i) => Math.max(3, ...all.map((row) => (row[i] ?? "").length)));
    const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
    return [line(all[0] as string[]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...all.slice(1).map(line)].join("\n") + "\n";
}
