/**
 * The readable tree `npm run render` prints: resources nested under their parents, each
 * with its kind, its name in the cloud or cluster, and its deletion options. Pure.
 */
import { oneLine } from "../model/printable";
import type { Violation } from "../policy/context";
import { kindOf, physicalNameOf, type Plan, type PlanResource } from "./plan";

/** One line per violation; every policy of the pack is mandatory. */
export const formatViolation = (v: Violation): string => oneLine(`mandatory ${v.policy}: ${v.resource}: ${v.message}`);

/** A pure check over a plan, e.g. the policy pack's rules; render prints what it returns. */
export type RenderChecks = (plan: Plan) => readonly Violation[];

export interface TreeOptions {
    /** Where the files went, for the header. */
    readonly outDir?: string;
    readonly fileCount?: number;
    /** Findings of the checks, when checks ran. */
    readonly violations?: readonly Violation[];
}

const typeName = (type: string): string => type.slice(type.lastIndexOf(":") + 1);

/** Flags worth seeing next to a resource. */
function flags(r: PlanResource): string {
    const out: string[] = [];
    if (r.protect) out.push("protected");
    if (r.retainOnDelete) out.push("retained on delete");
    if (r.secretInputs.length > 0) out.push(`secret: ${r.secretInputs.join(", ")}`);
    return out.length > 0 ? `  [${out.join("; ")}]` : "";
}

function label(r: PlanResource, parent: PlanResource | undefined, plan: Plan): string {
    if (r.custom) return `${kindOf(r.type)} ${physicalNameOf(r)}${flags(r)}`;
    const relative = parent && r.name.startsWith(`${parent.name}/`) ? r.name.slice(parent.name.length + 1) : r.name;
    const row = r.app !== undefined ? plan.apps.find((a) => a.organization === r.organization && a.app === r.app) : undefined;
    if (typeName(r.type) === "TenantApp" && row) return `${relative} (${row.type}) → ${row.url}`;
    return `${relative} ‹${typeName(r.type)}›`;
}

/** Children first by kind (resources, then components), then by name. */
const order = (a: PlanResource, b: PlanResource): number =>
    Number(a.custom === false) - Number(b.custom === false) || a.name.localeCompare(b.name, "en") || a.type.localeCompare(b.type, "en");

/** The tree of a plan as lines of text. */
export function formatTree(plan: Plan, options: TreeOptions = {}): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlanResource[]>();
    for (const r of plan.resources) {
        const key = r.parent !== undefined && byUrn.has(r.parent) ? r.parent : "";
        children.set(key, [...(children.get(key) ?? []), r]);
    }
    const custom = plan.resources.filter((r) => r.custom).length;
    const organizations = new Set(plan.apps.map((a) => a.organization)).size;
    const lines = [
        `stack ${plan.stack}: ${plan.apps.length} apps in ${organizations} organizations, ` +
            `${custom} resources (+${plan.resources.length - custom} components)`,
    ];
    const walk = (parentKey: string, indent: string): void => {
        const list = [...(children.get(parentKey) ?? [])].sort(order);
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            lines.push(`${indent}${last ? "└─ " : "├─ "}${label(r, byUrn.get(parentKey), plan)}`);
            walk(r.urn, `${indent}${last ? "   " : "│  "}`);
        });
    };
    walk("", "");
    lines.push("");
    if (options.violations !== undefined) {
        lines.push(
            options.violations.length === 0 ? "policy checks: no violations" : `policy checks: ${options.violations.length} violation(s)`,
        );
        for (const v of options.violations) lines.push(`  ${formatViolation(v)}${v.urn ? ` (${v.urn})` : ""}`);
        lines.push("");
    }
    lines.push("ARNs and ids are deterministic stand-ins; secret values are shown as [secret]. Nothing was contacted.");
    if (options.outDir !== undefined) lines.push(`wrote ${options.fileCount ?? 0} files to ${options.outDir}`);
    return `${lines.join("\n")}\n`;
}
