/**
 * The markdown a reviewer reads for a preview: counts by operation, a table per organization
 * and app, replacements and deletions called out, and every changed resource. Pure.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { changeOps, collectChanges, countByOp, isChange, problems, type ChangeOp, type ResourceStep } from "./changes";
import { cell } from "./markdown";

/** The summary of one stack's preview. */
export interface StackPreview {
    readonly stack: string;
    /** Every resource the preview saw. */
    readonly changes: readonly ResourceStep[];
    /** Errors and policy violations from the events. */
    readonly problems: readonly string[];
    /** Set when the preview itself failed: the one-line reason. */
    readonly failure?: string;
}

/** Builds a stack's preview summary from the events of `stack.preview({ onEvent })`. */
export function summarizePreview(stack: string, events: readonly EngineEvent[], failure?: string): StackPreview {
    return { stack, changes: collectChanges(events, "pre"), problems: problems(events), ...(failure === undefined ? {} : { failure }) };
}

/** True when the preview plans any change. */
export function hasChanges(preview: StackPreview): boolean {
    return preview.changes.some((change) => isChange(change.op));
}

const symbols: Readonly<Record<ChangeOp, string>> = {
    create: "+",
    update: "~",
    replace: "+-",
    delete: "-",
    import: "=",
    same: " ",
    read: ">",
    refresh: "~",
    other: "?",
};

/** One line such as `3 to create, 1 to update, 12 unchanged`. */
export function headline(changes: readonly ResourceStep[]): string {
    const counts = countByOp(changes);
    const parts = changeOps.filter((op) => (counts[op] ?? 0) > 0).map((op) => `${counts[op] ?? 0} to ${op}`);
    const unchanged = counts.same ?? 0;
    if (parts.length === 0) return `no changes${unchanged > 0 ? ` (${unchanged} unchanged)` : ""}`;
    return [...parts, ...(unchanged > 0 ? [`${unchanged} unchanged`] : [])].join(", ");
}

/** Changes grouped by organization, then by app (`undefined` app = the organization's namespace). */
function groupByOwner(changes: readonly ResourceStep[]): Map<string, Map<string | undefined, ResourceStep[]>> {
    const groups = new Map<string, Map<string | undefined, ResourceStep[]>>();
    for (const change of changes) {
        const org = change.owner.kind === "platform" ? "(platform)" : change.owner.organization;
        const app = change.owner.kind === "app" ? change.owner.app : undefined;
        const byApp = groups.get(org) ?? new Map<string | undefined, ResourceStep[]>();
        groups.set(org, byApp);
        byApp.set(app, [...(byApp.get(app) ?? []), change]);
    }
    return groups;
}

function describeChange(change: ResourceStep): string {
    const detail =
        change.op === "replace" && change.replaceKeys.length > 0
            ? ` — replaced because of ${change.replaceKeys.map((k) => `\`${cell(k)}\``).join(", ")}`
            : change.diffs.length > 0
              ? ` — ${change.diffs.map((k) => `\`${cell(k)}\``).join(", ")}`
              : "";
    return `\`${symbols[change.op]}\` ${change.op} \`${cell(change.name)}\` (${cell(change.type)})${detail}`;
}

/** Replacements or deletions of cloud resources, called out with a warning. */
function callOut(changed: readonly ResourceStep[], op: "replace" | "delete", title: (n: number) => string): string[] {
    const hits = changed.filter((c) => c.op === op && !c.component);
    return hits.length === 0 ? [] : [title(hits.length), "", ...hits.map((c) => `- ${describeChange(c)}`), ""];
}

/** The markdown section of one stack. */
export function renderStackMarkdown(preview: StackPreview): string {
    const lines: string[] = [];
    const changed = preview.changes.filter((c) => isChange(c.op));
    lines.push(`### Stack \`${preview.stack}\`: ${preview.failure === undefined ? headline(preview.changes) : "preview failed"}`, "");
    if (preview.failure !== undefined) lines.push("```", preview.failure, "```", "");
    for (const problem of preview.problems) lines.push(`- :x: ${problem}`);
    if (preview.problems.length > 0) lines.push("");
    if (changed.length === 0) {
        if (preview.failure === undefined) lines.push("Nothing to do: the stack matches the catalog.", "");
        return lines.join("\n");
    }

    const counts = countByOp(preview.changes);
    lines.push("| operation | resources |", "|---|---:|");
    for (const op of [...changeOps, "same" as const])
        if ((counts[op] ?? 0) > 0) lines.push(`| ${op === "same" ? "unchanged" : op} | ${counts[op]} |`);
    lines.push("");

    lines.push(
        ...callOut(
            changed,
            "replace",
            (n) => `**:warning: ${n} replacement${n === 1 ? "" : "s"}** (the resource is deleted and created again):`,
        ),
        ...callOut(changed, "delete", (n) => `**:warning: ${n} deletion${n === 1 ? "" : "s"}:**`),
    );

    lines.push("| organization | app | create | update | replace | delete |", "|---|---|---:|---:|---:|---:|");
    const groups = groupByOwner(changed);
    for (const org of [...groups.keys()].sort()) {
        const byApp = groups.get(org) as Map<string | undefined, ResourceStep[]>;
        // The namespace row (app undefined) first; Array#sort never passes undefined to a comparator.
        const apps = [
            ...(byApp.has(undefined) ? [undefined] : []),
            ...[...byApp.keys()].filter((a): a is string => a !== undefined).sort(),
        ];
        for (const app of apps) {
            const c = countByOp(byApp.get(app) ?? []);
            const label = app ?? (org === "(platform)" ? "—" : "(namespace)");
            lines.push(`| ${cell(org)} | ${cell(label)} | ${c.create ?? 0} | ${c.update ?? 0} | ${c.replace ?? 0} | ${c.delete ?? 0} |`);
        }
    }
    lines.push("");

    const resources = changed.filter((c) => !c.component);
    lines.push(`<details><summary>${resources.length} changed resource${resources.length === 1 ? "" : "s"}</summary>`, "");
    for (const change of resources) lines.push(`- ${describeChange(change)}`);
    lines.push("", "</details>", "");
    return lines.join("\n");
}

/** The whole markdown document for one or more stacks. */
export function renderPreviewMarkdown(previews: readonly StackPreview[]): string {
    const title = `## Pulumi preview: ${previews.map((p) => `\`${p.stack}\``).join(", ")}`;
    return (
        [title, "", ...previews.map(renderStackMarkdown)]
            .join("\n")
            .replace(/\n{3,}/g, "\n\n")
            .trimEnd() + "\n"
    );
}
