/**
 * Which resources a change would replace, and whether a protected one is among them: two
 * plans compared input by input against the ForceNew table (`model/forceNew.ts`). A protected
 * resource that would be replaced stops `pulumi up` ("… is currently marked for protection"),
 * so a rotation that replaces one is blocked. Secret inputs compare by fingerprint. Pure.
 */
import { forceNewInputsOf } from "../model/forceNew";
import { at } from "../policy/bag";
import type { Plan, PlanResource } from "./plan";

/** One resource the head would replace. */
export interface Replacement {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    /** The replace-triggering inputs that changed. */
    readonly inputs: readonly string[];
    /** Protected resources cannot be replaced: the update stops. */
    readonly protect: boolean;
}

function valueAt(r: PlanResource, dotted: string): unknown {
    const [top = dotted, ...rest] = dotted.split(".");
    return r.secretInputs.includes(top) ? r.secretFingerprints[top] : at(r.inputs, top, ...rest);
}

/** Resources present in both plans whose replace-triggering inputs differ, sorted by name. */
export function replacementsBetween(base: Plan, head: Plan): Replacement[] {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const out: Replacement[] = [];
    for (const after of head.resources) {
        const old = before.get(after.urn);
        if (!old || !after.custom) continue;
        const changed = forceNewInputsOf(after.type).filter(
            (input) => JSON.stringify(valueAt(old, input)) !== JSON.stringify(valueAt(after, input)),
        );
        if (changed.length > 0) out.push({ urn: after.urn, name: after.name, type: after.type, inputs: changed, protect: old.protect });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** The replacements `pulumi up` would refuse: those of protected resources. */
export const blockedReplacements = (base: Plan, head: Plan): Replacement[] => replacementsBetween(base, head).filter((r) => r.protect);
