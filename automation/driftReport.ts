/**
 * Drift from the engine's own refresh diff: the resources a refresh preview
 * (`stack.previewRefresh`) reports as changed in the cloud or gone from it, minus the fields
 * Kubernetes controllers rewrite on their own. Pure: tests feed it hand-written events.
 *
 * Why not compare the outputs read from the cloud with the state: the External Secrets
 * Operator rewrites `status.refreshTime` and `metadata.resourceVersion` of every
 * ExternalSecret on each refresh interval, so outputs always differ and drift fired daily.
 */
import type { EngineEvent, OpMap } from "@pulumi/pulumi/automation";
import { isComponent, opRank, topLevel } from "./changes";
import { ownerKey, ownerOf, parseUrn, type Owner } from "./urn";

/** One resource whose cloud state differs from the stack's state. */
export interface DriftedResource {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    readonly owner: Owner;
    /** `changed` in the cloud, or `deleted` from it. */
    readonly kind: "changed" | "deleted";
    /** Top-level properties that differ, when the engine says which. */
    readonly properties: readonly string[];
}

/**
 * Property paths of a Kubernetes object that its controllers or the API server own: they
 * change without anyone touching the object, so a difference there is never drift.
 */
export const controllerOwnedPaths: readonly (readonly string[])[] = [
    ["status"],
    ["metadata", "resourceVersion"],
    ["metadata", "generation"],
    ["metadata", "managedFields"],
    ["metadata", "uid"],
    ["metadata", "creationTimestamp"],
    ["metadata", "selfLink"],
    ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"],
];

/** The segments of an engine property path: `metadata.annotations["a.b/c"]` → metadata, annotations, a.b/c. */
export function pathSegments(path: string): string[] {
    const segments: string[] = [];
    const pattern = /\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|\.?([^.[\]]+)/g;
    for (const match of path.matchAll(pattern)) {
        if (match[1] !== undefined) segments.push(JSON.parse(match[1]) as string);
        else segments.push((match[2] ?? match[3]) as string);
    }
    return segments;
}

/** Whether a changed property of a resource of `type` is one a Kubernetes controller owns. */
export function isControllerOwned(type: string, path: string): boolean {
    if (!type.startsWith("kubernetes:")) return false;
    const segments = pathSegments(path);
    return controllerOwnedPaths.some((prefix) => prefix.every((part, i) => segments[i] === part));
}

/**
 * The drifted resources in the events of `stack.previewRefresh({ onEvent })`. A resource
 * drifted when the engine's refresh step reports it gone, or reports a diff (`diffs`,
 * `detailedDiff`, or an `update`/`replace` op) on a property no controller owns. An update
 * the engine reports without naming properties counts as drift of unknown properties.
 */
export function detectDrift(events: readonly EngineEvent[]): DriftedResource[] {
    const drifted = new Map<string, DriftedResource>();
    for (const event of [...events].sort((a, b) => a.sequence - b.sequence)) {
        const meta = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
        if (meta === undefined || meta.urn === "" || isComponent(meta)) continue;
        const op = opRank(meta.op);
        const type = meta.type || parseUrn(meta.urn).type;
        // `detailedDiff` names exact paths; `diffs` only top-level keys (`metadata` for a
        // resourceVersion bump), so it is used only when the engine sent no detailed diff.
        const detailed = Object.keys(meta.detailedDiff ?? {});
        const reported = detailed.length > 0 ? detailed : [...(meta.diffs ?? [])];
        const relevant = reported.filter((path) => !isControllerOwned(type, path));
        let found: Pick<DriftedResource, "kind" | "properties"> | undefined;
        const gone = op === "refresh" && meta.old !== undefined && meta.new === undefined && event.resOutputsEvent !== undefined;
        if (op === "delete" || gone) found = { kind: "deleted", properties: [] };
        else if (relevant.length > 0) found = { kind: "changed", properties: topLevel(relevant) };
        else if ((op === "update" || op === "replace") && reported.length === 0) found = { kind: "changed", properties: [] };
        if (found === undefined || drifted.get(meta.urn)?.kind === "deleted") continue;
        drifted.set(meta.urn, { urn: meta.urn, name: parseUrn(meta.urn).name, type, owner: ownerOf(meta.urn), ...found });
    }
    return [...drifted.values()];
}

/**
 * Changes the engine's summary counts when the events carried no per-resource step at all
 * (so `detectDrift` had nothing to judge); 0 otherwise, because the summary also counts
 * the controller-owned rewrites that are not drift.
 */
export function unexplainedChangeCount(events: readonly EngineEvent[]): number {
    if (events.some((e) => e.resourcePreEvent !== undefined || e.resOutputsEvent !== undefined)) return 0;
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
            `The engine counted ${unexplained} changed resource(s) but sent no per-resource detail; run \`pulumi refresh --preview-only --run-program --stack ${stack}\`.`,
        );
    lines.push(
        "",
        `To accept the cloud's state: pulumi refresh --run-program --stack ${stack}. To restore the declared state: npm run deploy -- --stack ${stack} --refresh.`,
    );
    return lines.join("\n") + "\n";
}
