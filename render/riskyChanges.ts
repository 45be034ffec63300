/**
 * Changes that look small in a diff but are not, called out at the top of the pull-request
 * comment and refused (render:diff exits 3, the pull-request job fails) unless the head's stack
 * config declares them:
 *
 * - a new cluster identity for the stack's Kubernetes provider: pulumi-kubernetes replaces a
 *   provider whose cluster changes, and with it every object it manages (every namespace,
 *   service and domain mapping of the stack). Declared by `tenant-apps:kubernetes.rebindFrom`
 *   naming the base's identity.
 * - deletion protection turned off for data-bearing resources in pro: a removed catalog entry
 *   would then delete a schema, database, role, secret or assets folder. Declared by
 *   `tenant-apps:acknowledge.unprotectedInPro` (a reason).
 *
 * Both read the `cluster` and `protection` fields of plan.json (render/planSafety.ts). Pure.
 */
import { codeSpan } from "./markdown";
import type { Plan } from "./plan";

/** One risky change between two renders. */
export interface RiskyChange {
    readonly kind: "cluster rebinding" | "protection off in pro";
    /** Whether the head's stack config declares it; an undeclared one is refused. */
    readonly declared: boolean;
    /** What happens, in a sentence of markdown (values in code spans). */
    readonly what: string;
    /** How to declare it when it is intended, or what was declared. */
    readonly declaration: string;
}

/** The stack's environment as its name says it (`pro`, `acme/tenant-apps/pro`). */
const isPro = (stack: string): boolean => stack.split("/").pop() === "pro";

/** Every risky change from `base` to `head`. */
export function riskyChanges(base: Plan, head: Plan): RiskyChange[] {
    const out: RiskyChange[] = [];
    const before = base.cluster;
    const after = head.cluster;
    if (before !== undefined && after !== undefined && before.identity !== after.identity) {
        const managed = head.resources.filter((r) => r.custom && r.provider?.startsWith(`${after.provider}::`) === true).length;
        const declared = after.rebindFrom === before.identity;
        out.push({
            kind: "cluster rebinding",
            declared,
            what:
                `the stack's Kubernetes provider moves from cluster ${codeSpan(before.identity)} to ${codeSpan(after.identity)}: ` +
                `Pulumi replaces the provider and every one of the ${managed} Kubernetes objects it manages ` +
                "(namespaces, services, domain mappings), deleting them from the old cluster.",
            declaration: declared
                ? `declared by ${codeSpan(`tenant-apps:kubernetes.rebindFrom: ${before.identity}`)}`
                : `if this is intended, declare it in the stack config: ${codeSpan(`tenant-apps:kubernetes.rebindFrom: ${before.identity}`)}`,
        });
    }
    const protection = head.protection;
    if (isPro(head.stack) && protection !== undefined && protection.unprotected.length > 0) {
        const newlyUnprotected = protection.unprotected.filter((urn) => !(base.protection?.unprotected ?? []).includes(urn));
        if (newlyUnprotected.length > 0) {
            const declared = protection.acknowledged !== undefined;
            out.push({
                kind: "protection off in pro",
                declared,
                what:
                    `${newlyUnprotected.length} data-bearing resource${newlyUnprotected.length === 1 ? "" : "s"} of pro lose ` +
                    `${codeSpan("protect")}: removing an app would then delete its data. First: ${codeSpan(newlyUnprotected[0] ?? "")}.`,
                declaration: declared
                    ? `declared: ${codeSpan(protection.acknowledged ?? "")}`
                    : `if this is intended, say why in the stack config: ${codeSpan("tenant-apps:acknowledge.unprotectedInPro")}`,
            });
        }
    }
    return out;
}

/** The callout of every risky change, refused ones first, for the top of the comment. */
export function riskyChangeLines(changes: readonly RiskyChange[]): string[] {
    const lines: string[] = [];
    const refused = changes.filter((c) => !c.declared);
    const declared = changes.filter((c) => c.declared);
    if (refused.length > 0) {
        lines.push(
            "> [!CAUTION]",
            `> **Refused: ${refused.length} change${refused.length === 1 ? " that looks small but is" : "s that look small but are"} not.**`,
        );
        for (const c of refused) lines.push(`> - ${c.kind}: ${c.what} ${c.declaration.charAt(0).toUpperCase()}${c.declaration.slice(1)}.`);
        lines.push("");
    }
    if (declared.length > 0) {
        lines.push("> [!WARNING]", "> **Declared changes that replace or expose data:**");
        for (const c of declared) lines.push(`> - ${c.kind}: ${c.what} (${c.declaration}).`);
        lines.push("");
    }
    return lines;
}
