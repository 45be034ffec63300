/**
 * Pure functions over recorded Automation API engine events: which resource changes how,
 * who it belongs to (organization, app, or the platform), and the markdown a reviewer reads.
 * No I/O, no SDK runtime: tests feed them hand-written event fixtures.
 *
 * Ownership follows the program's naming: every resource of an app has a logical name
 * starting `{org}/{app}/` and sits under a `TenantApp` component; the per-organization
 * namespace resources start `{org}/` and sit under `TenantNamespace` (in `TenantOrganization`).
 */
import { isDeepStrictEqual } from "node:util";
import type { EngineEvent, OpMap, StepEventMetadata } from "@pulumi/pulumi/automation";

/** Component type tokens of the program (components/organization.ts, components/tenantApp.ts). */
export const organizationType = "tenant-apps:index:TenantOrganization";
export const appType = "tenant-apps:index:TenantApp";
export const namespaceType = "tenant-apps:chain:TenantNamespace";

/** What one resource undergoes, collapsed to one verb per resource. */
export type ChangeOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "import" | "refresh" | "other";

/** The operations a reviewer cares about, in display order. */
export const changeOps = ["create", "update", "replace", "delete", "import"] as const satisfies readonly ChangeOp[];

/** Who a resource belongs to. */
export type Owner =
    | { readonly kind: "app"; readonly organization: string; readonly app: string }
    | { readonly kind: "organization"; readonly organization: string }
    | { readonly kind: "platform" };

/** One resource and what happens to it. */
export interface ResourceChange {
    readonly urn: string;
    /** Logical name (the URN's last part), e.g. `r3s3t/world/identity/role`. */
    readonly name: string;
    /** Resource type token, e.g. `aws:iam/role:Role`. */
    readonly type: string;
    readonly op: ChangeOp;
    readonly owner: Owner;
    /** Top-level properties that differ. */
    readonly diffs: readonly string[];
    /** Properties that force the replacement (replace only). */
    readonly replaceKeys: readonly string[];
    /** True for component resources (no cloud object of their own). */
    readonly component: boolean;
}

/** The parts of a URN `urn:pulumi:{stack}::{project}::{type chain}::{name}`. */
export interface ParsedUrn {
    readonly stack: string;
    readonly project: string;
    /** Parent types then the resource's own type. */
    readonly typeChain: readonly string[];
    readonly type: string;
    readonly name: string;
}

/** Splits a URN; names may contain `::`, so everything after the third separator is the name. */
export function parseUrn(urn: string): ParsedUrn {
    const parts = urn.split("::");
    const stack = (parts[0] ?? "").replace(/^urn:pulumi:/, "");
    const typeChain = (parts[2] ?? "").split("$").filter((t) => t !== "");
    return {
        stack,
        project: parts[1] ?? "",
        typeChain,
        type: typeChain[typeChain.length - 1] ?? "",
        name: parts.slice(3).join("::"),
    };
}

/** Who owns the resource with this URN. */
export function ownerOf(urn: string): Owner {
    const { typeChain, name } = parseUrn(urn);
    const segments = name.split("/");
    const [org, app] = segments;
    if (!org) return { kind: "platform" };
    // The engine's URNs carry the whole parent chain; be just as right when only the nearest
    // parent is present (as under the SDK's mock runtime): the namespace is the only
    // organization-level link, every other `tenant-apps:chain:*` link belongs to an app.
    const inApp = typeChain.includes(appType);
    const inNamespace = typeChain.includes(namespaceType);
    const inLink = typeChain.some((t) => t.startsWith("tenant-apps:chain:"));
    if ((inApp || (inLink && !inNamespace)) && app) return { kind: "app", organization: org, app };
    if (inNamespace || typeChain.includes(organizationType)) return { kind: "organization", organization: org };
    return { kind: "platform" };
}

/** `org/app`, `org` or `platform`. */
export function ownerKey(owner: Owner): string {
    return owner.kind === "app" ? `${owner.organization}/${owner.app}` : owner.kind === "organization" ? owner.organization : "platform";
}

/** Which events describe the step: `pre` (planned; previews) or `done` (completed; updates). */
export type Phase = "pre" | "done";

function opRank(op: string): ChangeOp {
    switch (op) {
        case "create":
        case "update":
        case "delete":
        case "same":
        case "read":
        case "import":
        case "refresh":
            return op;
        case "replace":
        case "create-replacement":
        case "delete-replaced":
        case "read-replacement":
        case "import-replacement":
        case "discard-replaced":
            return "replace";
        case "discard":
        case "remove-pending-replace":
            return "delete";
        default:
            return "other";
    }
}

/** Priority when one resource has several steps: a replacement outranks its create/delete halves. */
const priority: Readonly<Record<ChangeOp, number>> = {
    replace: 6,
    delete: 5,
    create: 4,
    import: 4,
    update: 3,
    refresh: 2,
    read: 1,
    same: 0,
    other: 0,
};

function topLevel(keys: Iterable<string>): string[] {
    return [...new Set([...keys].map((key) => key.split(/[.[]/)[0] as string).filter((key) => key !== ""))].sort();
}

/** Component resources own no cloud object; the engine omits `custom` when it is false. */
function isComponent(meta: StepEventMetadata): boolean {
    const state = meta.new ?? meta.old;
    if (state !== undefined) return state.custom !== true;
    return meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("tenant-apps:");
}

function metadataOf(event: EngineEvent, phase: Phase): StepEventMetadata | undefined {
    return phase === "pre" ? event.resourcePreEvent?.metadata : (event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata);
}

/**
 * Collapses the resource events of one operation to one change per URN, in first-seen order.
 * `pre` reads `resourcePreEvent`s (what a preview plans); `done` reads `resOutputsEvent`s and
 * `resOpFailedEvent`s (what an update completed).
 */
export function collectChanges(events: readonly EngineEvent[], phase: Phase = "pre"): ResourceChange[] {
    const byUrn = new Map<string, { op: ChangeOp; meta: StepEventMetadata; diffs: Set<string>; replaceKeys: Set<string> }>();
    const ordered = [...events].sort((a, b) => a.sequence - b.sequence);
    for (const event of ordered) {
        const meta = metadataOf(event, phase);
        if (meta === undefined || meta.urn === "") continue;
        const op = opRank(meta.op);
        const entry = byUrn.get(meta.urn);
        const diffs = [...(meta.diffs ?? []), ...Object.keys(meta.detailedDiff ?? {})];
        if (entry === undefined) {
            byUrn.set(meta.urn, { op, meta, diffs: new Set(diffs), replaceKeys: new Set(meta.keys ?? []) });
            continue;
        }
        if (priority[op] > priority[entry.op]) entry.op = op;
        diffs.forEach((d) => entry.diffs.add(d));
        (meta.keys ?? []).forEach((k) => entry.replaceKeys.add(k));
    }
    return [...byUrn.entries()].map(([urn, { op, meta, diffs, replaceKeys }]) => {
        return {
            urn,
            name: parseUrn(urn).name,
            type: meta.type || parseUrn(urn).type,
            op,
            owner: ownerOf(urn),
            diffs: topLevel(diffs),
            replaceKeys: topLevel(replaceKeys),
            component: isComponent(meta),
        };
    });
}

/** True for an operation that changes the cloud or the state. */
export function isChange(op: ChangeOp): boolean {
    return (changeOps as readonly ChangeOp[]).includes(op);
}

/** Counts by operation (every resource, unchanged ones included). */
export function countByOp(changes: readonly ResourceChange[]): Partial<Record<ChangeOp, number>> {
    const counts: Partial<Record<ChangeOp, number>> = {};
    for (const change of changes) counts[change.op] = (counts[change.op] ?? 0) + 1;
    return counts;
}

/** Error diagnostics and mandatory policy violations worth showing with a summary. */
export function problems(events: readonly EngineEvent[]): string[] {
    const found: string[] = [];
    for (const event of events) {
        const diag = event.diagnosticEvent;
        if (diag !== undefined && diag.severity === "error") {
            const where = diag.urn ? `\`${parseUrn(diag.urn).name || diag.urn}\`: ` : "";
            found.push(`${where}${diag.message.trim()}`);
        }
        const policy = event.policyEvent;
        if (policy !== undefined) {
            const where = policy.resourceUrn ? `\`${parseUrn(policy.resourceUrn).name}\`: ` : "";
            found.push(
                `policy ${policy.policyPackName}/${policy.policyName} (${policy.enforcementLevel}): ${where}${policy.message.trim()}`,
            );
        }
    }
    return found;
}

/** The summary of one stack's preview. */
export interface StackPreview {
    readonly stack: string;
    /** Every resource the preview saw. */
    readonly changes: readonly ResourceChange[];
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

/** Escapes the characters that break a markdown table cell or inline code. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/`/g, "'").replace(/\r?\n/g, " ");
}

function plural(n: number, word: string): string {
    return `${n} ${word}`;
}

/** One line such as `3 to create, 1 to update, 12 unchanged`. */
export function headline(changes: readonly ResourceChange[]): string {
    const counts = countByOp(changes);
    const parts = changeOps.filter((op) => (counts[op] ?? 0) > 0).map((op) => plural(counts[op] ?? 0, `to ${op}`));
    const unchanged = counts.same ?? 0;
    if (parts.length === 0) return `no changes${unchanged > 0 ? ` (${unchanged} unchanged)` : ""}`;
    return [...parts, ...(unchanged > 0 ? [`${unchanged} unchanged`] : [])].join(", ");
}

/** Changes grouped by organization, then by app (`undefined` app = the organization's namespace). */
function groupByOwner(changes: readonly ResourceChange[]): Map<string, Map<string | undefined, ResourceChange[]>> {
    const groups = new Map<string, Map<string | undefined, ResourceChange[]>>();
    for (const change of changes) {
        const org = change.owner.kind === "platform" ? "(platform)" : change.owner.organization;
        const app = change.owner.kind === "app" ? change.owner.app : undefined;
        const byApp = groups.get(org) ?? new Map<string | undefined, ResourceChange[]>();
        groups.set(org, byApp);
        byApp.set(app, [...(byApp.get(app) ?? []), change]);
    }
    return groups;
}

function describeChange(change: ResourceChange): string {
    const detail =
        change.op === "replace" && change.replaceKeys.length > 0
            ? ` — replaced because of ${change.replaceKeys.map((k) => `\`${cell(k)}\``).join(", ")}`
            : change.diffs.length > 0
              ? ` — ${change.diffs.map((k) => `\`${cell(k)}\``).join(", ")}`
              : "";
    return `\`${symbols[change.op]}\` ${change.op} \`${cell(change.name)}\` (${cell(change.type)})${detail}`;
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

    const replacements = changed.filter((c) => c.op === "replace" && !c.component);
    if (replacements.length > 0) {
        lines.push(
            `**:warning: ${replacements.length} replacement${replacements.length === 1 ? "" : "s"}** (the resource is deleted and created again):`,
            "",
        );
        for (const change of replacements) lines.push(`- ${describeChange(change)}`);
        lines.push("");
    }
    const deletions = changed.filter((c) => c.op === "delete" && !c.component);
    if (deletions.length > 0) {
        lines.push(`**:warning: ${deletions.length} deletion${deletions.length === 1 ? "" : "s"}:**`, "");
        for (const change of deletions) lines.push(`- ${describeChange(change)}`);
        lines.push("");
    }

    lines.push("| organization | app | create | update | replace | delete |", "|---|---|---:|---:|---:|---:|");
    const groups = groupByOwner(changed);
    for (const org of [...groups.keys()].sort()) {
        const byApp = groups.get(org) as Map<string | undefined, ResourceChange[]>;
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

/** How an app fared in an update. */
export type AppStatus = "created" | "updated" | "replaced" | "unchanged" | "failed" | "removed" | "not reached";

/** An app's status and the counts behind it. */
export interface AppOutcome {
    readonly status: AppStatus;
    /** Completed resource changes of the app, by operation. */
    readonly counts: Partial<Record<ChangeOp, number>>;
}

/**
 * Each app's outcome from the events of `stack.up({ onEvent })`, keyed `org/app`.
 * `failed` if any of its resources failed; `removed` if it was deleted; `created` if all its
 * resources are new; `replaced`/`updated` if some changed; `unchanged` otherwise.
 * Apps the update never reached (it failed first) are absent; see `appRows`.
 */
export function appOutcomes(events: readonly EngineEvent[]): Map<string, AppOutcome> {
    const failed = new Set(
        events
            .flatMap((e) => (e.resOpFailedEvent ? [ownerKey(ownerOf(e.resOpFailedEvent.metadata.urn))] : []))
            .filter((k) => k.includes("/")),
    );
    const byApp = new Map<string, ResourceChange[]>();
    for (const change of collectChanges(
        events.filter((e) => e.resOpFailedEvent === undefined),
        "done",
    )) {
        if (change.owner.kind !== "app") continue;
        const key = ownerKey(change.owner);
        byApp.set(key, [...(byApp.get(key) ?? []), change]);
    }
    for (const key of failed) if (!byApp.has(key)) byApp.set(key, []);
    const outcomes = new Map<string, AppOutcome>();
    for (const [key, changes] of byApp) {
        const counts = countByOp(changes);
        const resources = changes.filter((c) => !c.component);
        const status: AppStatus = failed.has(key)
            ? "failed"
            : resources.length > 0 && resources.every((c) => c.op === "delete")
              ? "removed"
              : resources.length > 0 && resources.every((c) => c.op === "create")
                ? "created"
                : (counts.replace ?? 0) > 0
                  ? "replaced"
                  : changes.some((c) => isChange(c.op))
                    ? "updated"
                    : "unchanged";
        outcomes.set(key, { status, counts });
    }
    return outcomes;
}

/** The `apps` stack output of one app (the subset the table shows). */
export interface AppOutput {
    readonly type?: string;
    readonly url?: string;
    readonly namespace?: string;
}

/** One row of the deploy table. */
export interface AppRow {
    readonly app: string;
    readonly type: string;
    readonly url: string;
    readonly status: string;
}

function countsText(counts: Partial<Record<ChangeOp, number>>): string {
    return changeOps
        .filter((op) => (counts[op] ?? 0) > 0)
        .map(
            (op) =>
                `${counts[op]} ${op === "update" ? "updated" : op === "create" ? "created" : op === "replace" ? "replaced" : op === "delete" ? "deleted" : "imported"}`,
        )
        .join(", ");
}

/**
 * Rows of the deploy table: every app in the `apps` output, plus apps the update removed.
 * When `completed` is false (the update failed), apps without events are "not reached".
 */
export function appRows(apps: Readonly<Record<string, AppOutput>>, outcomes: ReadonlyMap<string, AppOutcome>, completed = true): AppRow[] {
    const keys = [...new Set([...Object.keys(apps), ...outcomes.keys()])].sort();
    return keys.map((key) => {
        const output = apps[key];
        const outcome = outcomes.get(key);
        const status: string =
            outcome === undefined
                ? completed
                    ? "unchanged"
                    : "not reached"
                : outcome.status === "replaced"
                  ? `replaced (${countsText(outcome.counts)})`
                  : outcome.status === "updated"
                    ? `updated (${changeOps.reduce((n, op) => n + (outcome.counts[op] ?? 0), 0)} changed)`
                    : outcome.status;
        return { app: key, type: output?.type ?? "—", url: output?.url ?? "—", status };
    });
}

/** A markdown table padded to line up in a terminal. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const all = [header, ...rows].map((row) => row.map(cell));
    const widths = header.map((_, i) => Math.max(3, ...all.map((row) => (row[i] ?? "").length)));
    const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
    return [line(all[0] as string[]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...all.slice(1).map(line)].join("\n") + "\n";
}

/** The deploy's closing table. */
export function renderAppTable(rows: readonly AppRow[]): string {
    if (rows.length === 0) return "No tenant apps in this stack.\n";
    return renderTable(
        ["app", "type", "url", "status"],
        rows.map((r) => [r.app, r.type, r.url, r.status]),
    );
}

/** One resource whose cloud state differs from the stack's state. */
export interface DriftedResource {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    readonly owner: Owner;
    /** `changed` in the cloud, or `deleted` from it. */
    readonly kind: "changed" | "deleted";
    /** Top-level properties that differ, when known. */
    readonly properties: readonly string[];
}

/** Top-level keys whose values differ between two objects. */
function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !isDeepStrictEqual(a[k], b[k])).sort();
}

/**
 * The drifted resources in the events of `stack.previewRefresh({ onEvent })`. A refresh step
 * has op `refresh`; it drifted when the engine reports a diff for it, when its outputs read
 * from the cloud differ from the state, or when the resource is gone. Engines that report
 * the refresh result as `update`/`delete` are understood too.
 */
export function detectDrift(events: readonly EngineEvent[]): DriftedResource[] {
    const drifted = new Map<string, DriftedResource>();
    for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
        const meta = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
        if (meta === undefined || meta.urn === "" || isComponent(meta)) continue;
        const op = opRank(meta.op);
        let found: Pick<DriftedResource, "kind" | "properties"> | undefined;
        const reported = topLevel([...(meta.diffs ?? []), ...Object.keys(meta.detailedDiff ?? {})]);
        if (
            op === "delete" ||
            (op === "refresh" && meta.old !== undefined && meta.new === undefined && event.resOutputsEvent !== undefined)
        ) {
            found = { kind: "deleted", properties: [] };
        } else if (op === "update" || op === "replace") {
            found = { kind: "changed", properties: reported };
        } else if (op === "refresh") {
            const outputs = meta.old && meta.new ? differingKeys(meta.old.outputs ?? {}, meta.new.outputs ?? {}) : [];
            if (reported.length > 0 || outputs.length > 0)
                found = { kind: "changed", properties: reported.length > 0 ? reported : outputs };
        }
        if (found === undefined) continue;
        drifted.set(meta.urn, {
            urn: meta.urn,
            name: parseUrn(meta.urn).name,
            type: meta.type || parseUrn(meta.urn).type,
            owner: ownerOf(meta.urn),
            ...found,
        });
    }
    return [...drifted.values()];
}

/** Resources the summary event counts as changed by a refresh (update/delete), for a cross-check. */
export function refreshChangeCount(events: readonly EngineEvent[]): number {
    const summary = [...events].reverse().find((e) => e.summaryEvent !== undefined)?.summaryEvent;
    const changes: OpMap = summary?.resourceChanges ?? {};
    return (changes.update ?? 0) + (changes.delete ?? 0) + (changes.replace ?? 0);
}

/** The drift report: one line per drifted resource, grouped by owner. */
export function renderDrift(stack: string, drifted: readonly DriftedResource[], unexplained = 0): string {
    if (drifted.length === 0 && unexplained === 0) return `No drift in stack ${stack}: the cloud matches the state.\n`;
    const lines = [
        `Drift in stack ${stack}: ${drifted.length + (drifted.length === 0 ? unexplained : 0)} resource(s) differ from the state.`,
        "",
    ];
    const byOwner = new Map<string, DriftedResource[]>();
    for (const d of drifted) byOwner.set(ownerKey(d.owner), [...(byOwner.get(ownerKey(d.owner)) ?? []), d]);
    for (const owner of [...byOwner.keys()].sort()) {
        lines.push(`${owner}:`);
        for (const d of byOwner.get(owner) ?? []) {
            const what =
                d.kind === "deleted"
                    ? "deleted outside Pulumi"
                    : d.properties.length > 0
                      ? `changed: ${d.properties.join(", ")}`
                      : "changed";
            lines.push(`  - ${d.name} (${d.type}) ${what}`);
        }
    }
    if (drifted.length === 0)
        lines.push(
            `The engine counted ${unexplained} changed resource(s) but sent no per-resource detail; run \`pulumi refresh --preview-only --stack ${stack}\`.`,
        );
    lines.push(
        "",
        `To accept the cloud's state: pulumi refresh --stack ${stack}. To restore the declared state: npm run deploy -- --stack ${stack} --refresh.`,
    );
    return lines.join("\n") + "\n";
}
