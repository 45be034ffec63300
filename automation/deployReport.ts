/**
 * The deploy's closing table: every app of the stack with its URL and what the update did to
 * it, from the update's own engine events and the `apps` stack output. Pure.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { AppRow } from "../render/plan";
import { changeOps, collectChanges, countByOp, isChange, type ChangeOp, type ResourceStep } from "./changes";
import { renderTable } from "./markdown";
import { ownerKey, ownerOf } from "./urn";

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
    const byApp = new Map<string, ResourceStep[]>();
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

/**
 * One row of the deploy table: the app as a render's summary names it (render/plan.ts
 * `AppRow`; `type` and `url` are "—" for an app the update removed) and what the update did.
 */
export interface DeployRow extends Pick<AppRow, "organization" | "app" | "type" | "url"> {
    readonly status: string;
}

function countsText(counts: Partial<Record<ChangeOp, number>>): string {
    const verbs: Readonly<Record<(typeof changeOps)[number], string>> = {
        create: "created",
        update: "updated",
        replace: "replaced",
        delete: "deleted",
        import: "imported",
    };
    return changeOps
        .filter((op) => (counts[op] ?? 0) > 0)
        .map((op) => `${counts[op]} ${verbs[op]}`)
        .join(", ");
}

/**
 * Rows of the deploy table: every app in the `apps` output, plus apps the update removed.
 * When `completed` is false (the update failed), apps without events are "not reached".
 */
export function appRows(
    apps: Readonly<Record<string, AppOutput>>,
    outcomes: ReadonlyMap<string, AppOutcome>,
    completed = true,
): DeployRow[] {
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
        const slash = key.indexOf("/");
        return {
            organization: slash < 0 ? key : key.slice(0, slash),
            app: slash < 0 ? "" : key.slice(slash + 1),
            type: output?.type ?? "—",
            url: output?.url ?? "—",
            status,
        };
    });
}

/** The deploy's closing table. */
export function renderAppTable(rows: readonly DeployRow[]): string {
    if (rows.length === 0) return "No tenant apps in this stack.\n";
    return renderTable(
        ["app", "type", "url", "status"],
        rows.map((r) => [`${r.organization}/${r.app}`, r.type, r.url, r.status]),
    );
}
