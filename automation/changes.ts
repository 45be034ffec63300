/**
 * Recorded Automation API engine events collapsed to one step per resource: which resource
 * changes how, which properties, and the errors and policy violations worth showing. Pure:
 * tests feed it hand-written event fixtures.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import type { PlanResource } from "../render/plan";
import { ownerOf, parseUrn, type Owner } from "./urn";

/** What one resource undergoes, collapsed to one verb per resource. */
export type ChangeOp = "create" | "update" | "replace" | "delete" | "same" | "read" | "import" | "refresh" | "other";

/** The operations a reviewer cares about, in display order. */
export const changeOps = ["create", "update", "replace", "delete", "import"] as const satisfies readonly ChangeOp[];

/**
 * One resource and what the engine's steps do to it. `urn`, `name` and `type` mean what they
 * mean in a render's plan.json (render/plan.ts), which is where they are defined.
 */
export interface ResourceStep extends Pick<PlanResource, "urn" | "name" | "type"> {
    readonly op: ChangeOp;
    readonly owner: Owner;
    /** Top-level properties that differ. */
    readonly diffs: readonly string[];
    /** Properties that force the replacement (replace only). */
    readonly replaceKeys: readonly string[];
    /** True for component resources (no cloud object of their own). */
    readonly component: boolean;
}

/** Which events describe the step: `pre` (planned; previews) or `done` (completed; updates). */
export type Phase = "pre" | "done";

/** The engine's step op (`create-replacement`, `discard`, …) as one of ours. */
export function opRank(op: string): ChangeOp {
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

/** The distinct top-level properties of property paths (`spec.template` → `spec`), sorted. */
export function topLevel(keys: Iterable<string>): string[] {
    return [...new Set([...keys].map((key) => key.split(/[.[]/)[0] as string).filter((key) => key !== ""))].sort();
}

/** Component resources own no cloud object; the engine omits `custom` when it is false. */
export function isComponent(meta: StepEventMetadata): boolean {
    const state = meta.new ?? meta.old;
    if (state !== undefined) return state.custom !== true;
    return meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("tenant-apps:");
}

function metadataOf(event: EngineEvent, phase: Phase): StepEventMetadata | undefined {
    return phase === "pre" ? event.resourcePreEvent?.metadata : (event.resOutputsEvent?.metadata ?? event.resOpFailedEvent?.metadata);
}

/**
 * Collapses the resource events of one operation to one step per URN, in first-seen order.
 * `pre` reads `resourcePreEvent`s (what a preview plans); `done` reads `resOutputsEvent`s and
 * `resOpFailedEvent`s (what an update completed).
 */
export function collectChanges(events: readonly EngineEvent[], phase: Phase = "pre"): ResourceStep[] {
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
    return [...byUrn.entries()].map(([urn, { op, meta, diffs, replaceKeys }]) => ({
        urn,
        name: parseUrn(urn).name,
        type: meta.type || parseUrn(urn).type,
        op,
        owner: ownerOf(urn),
        diffs: topLevel(diffs),
        replaceKeys: topLevel(replaceKeys),
        component: isComponent(meta),
    }));
}

/** True for an operation that changes the cloud or the state. */
export function isChange(op: ChangeOp): boolean {
    return (changeOps as readonly ChangeOp[]).includes(op);
}

/** Counts by operation (every resource, unchanged ones included). */
export function countByOp(changes: readonly ResourceStep[]): Partial<Record<ChangeOp, number>> {
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
