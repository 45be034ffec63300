/**
 * The difference between two renders (`plan.json` of a base and a head), as markdown made to
 * be posted on a pull request: resources added, removed and changed, with field-level
 * changes, grouped by organization and app. Secret fields are only ever "changed". When an
 * app leaves the catalog, it says which data-bearing resources stay in the cloud
 * (retainOnDelete), which are protected, and which are really deleted. Pure.
 */
import { codeSpan, fence, plainText, shellQuote, shellWord } from "./markdown";
import { adoptionLines } from "./adoption";
import { declaredMovesOf, refusedRenameLines, refusedRenames } from "./renames";
import { riskyChangeLines, riskyChanges } from "./riskyChanges";
import { canonical } from "./canonical";
import { fingerprintSecretEnv } from "./fingerprint";
import { kindOf, physicalNameOf, type Plan, type PlanResource } from "./plan";
import type { FieldChange, PlanDiff, ResourceChange } from "./planDiff";

export type { FieldChange, PlanDiff, ResourceChange } from "./planDiff";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a string holding a JSON object or array (IAM documents); undefined otherwise. */
function jsonDocument(v: unknown): unknown {
    if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
    try {
        const parsed: unknown = JSON.parse(v);
        return typeof parsed === "object" && parsed !== null ? parsed : undefined;
    } catch {
        return undefined;
    }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Arrays of objects each with a unique string `name` (env, ports, containers) are matched by name. */
function byName(list: readonly unknown[]): Map<string, unknown> | undefined {
    const map = new Map<string, unknown>();
    for (const item of list) {
        if (!isObject(item) || typeof item.name !== "string" || map.has(item.name)) return undefined;
        map.set(item.name, item);
    }
    return map;
}

/** Field-level differences between two values, appended to `out`. */
export function diffValues(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
    if (same(before, after)) return;
    const docBefore = jsonDocument(before);
    const docAfter = jsonDocument(after);
    if (docBefore !== undefined && docAfter !== undefined) return diffValues(docBefore, docAfter, `${path} (JSON)`, out);
    const join = (key: string): string => (path === "" ? key : `${path}.${key}`);
    if (isObject(before) && isObject(after)) {
        for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
            if (!(key in after)) out.push({ path: join(key), kind: "removed", before: before[key] });
            else if (!(key in before)) out.push({ path: join(key), kind: "added", after: after[key] });
            else diffValues(before[key], after[key], join(key), out);
        }
        return;
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const namedBefore = byName(before);
        const namedAfter = byName(after);
        if (namedBefore && namedAfter && before.length > 0 && after.length > 0) {
            const start = out.length;
            for (const [name, item] of namedBefore) {
                if (!namedAfter.has(name)) out.push({ path: `${path}[name=${name}]`, kind: "removed", before: item });
                else diffValues(item, namedAfter.get(name), `${path}[name=${name}]`, out);
            }
            for (const [name, item] of namedAfter)
                if (!namedBefore.has(name)) out.push({ path: `${path}[name=${name}]`, kind: "added", after: item });
            if (out.length === start)
                out.push({ path: `${path} (order)`, kind: "changed", before: [...namedBefore.keys()], after: [...namedAfter.keys()] });
            return;
        }
        for (let i = 0; i < Math.max(before.length, after.length); i++) {
            if (i >= after.length) out.push({ path: `${path}[${i}]`, kind: "removed", before: before[i] });
            else if (i >= before.length) out.push({ path: `${path}[${i}]`, kind: "added", after: after[i] });
            else diffValues(before[i], after[i], `${path}[${i}]`, out);
        }
        return;
    }
    out.push({ path, kind: "changed", before, after });
}

/**
 * Keys added to, removed from and changed in an app's secret document, by shape (values masked
 * where secret) and per-key fingerprint: a changed shape shows both shapes, a changed secret
 * part only that it changed.
 */
function diffSecretKeys(
    before: Readonly<Record<string, { shape: string; fingerprint: string }>>,
    after: Readonly<Record<string, { shape: string; fingerprint: string }>>,
    input: string,
    out: FieldChange[],
): void {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        const a = before[key];
        const b = after[key];
        const path = `${input}.${key}`;
        const shown = (shape: string | undefined) => (shape === "" ? "(empty)" : shape);
        if (b === undefined) out.push({ path, kind: "removed", before: shown(a?.shape) });
        else if (a === undefined) out.push({ path, kind: "added", after: shown(b.shape) });
        else if (a.shape !== b.shape) out.push({ path, kind: "changed", before: shown(a.shape), after: shown(b.shape) });
        else if (a.fingerprint !== b.fingerprint) out.push({ path, kind: "secret changed" });
    }
}

/** Every field that differs between two versions of one resource: inputs, secret inputs, options. */
export function diffResource(before: PlanResource, after: PlanResource): FieldChange[] {
    const out: FieldChange[] = [];
    const secret = new Set([...before.secretInputs, ...after.secretInputs]);
    const plain = (r: PlanResource): Record<string, unknown> =>
        Object.fromEntries(Object.entries(r.inputs).filter(([key]) => !secret.has(key)));
    diffValues(plain(before), plain(after), "", out);
    for (const key of [...secret].sort()) {
        const a = before.secretFingerprints[key];
        const b = after.secretFingerprints[key];
        if (a === undefined && b === undefined) continue;
        if (a === b) continue;
        const keysBefore = before.secretKeys?.[key];
        const keysAfter = after.secretKeys?.[key];
        if (keysBefore === undefined || keysAfter === undefined) out.push({ path: key, kind: "secret changed" });
        else diffSecretKeys(keysBefore, keysAfter, key, out);
    }
    const options = ["protect", "retainOnDelete", "deleteBeforeReplace", "ignoreChanges", "provider", "dependencies", "adopt"] as const;
    for (const option of options) {
        if (!same(before[option], after[option]))
            out.push({ path: `(option) ${option}`, kind: "changed", before: before[option], after: after[option] });
    }
    return out;
}

const appKey = (r: { organization?: string; app?: string }): string | undefined =>
    r.organization !== undefined && r.app !== undefined ? `${r.organization}/${r.app}` : undefined;

/** What changed from `base` to `head`, resources matched by URN. */
export function diffPlans(base: Plan, head: Plan): PlanDiff {
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
    const added = head.resources.filter((r) => !baseByUrn.has(r.urn));
    const removed = base.resources.filter((r) => !headByUrn.has(r.urn));
    const comparable = base.fingerprintKeyId !== undefined && base.fingerprintKeyId === head.fingerprintKeyId;
    const view = comparable ? (r: PlanResource) => r : withoutFingerprints;
    const changed: ResourceChange[] = [];
    for (const after of head.resources) {
        const before = baseByUrn.get(after.urn);
        if (!before) continue;
        const fields = diffResource(view(before), view(after));
        if (fields.length > 0) changed.push({ before, after, fields });
    }
    const baseApps = new Set(base.apps.map((a) => `${a.organization}/${a.app}`));
    const headApps = new Set(head.apps.map((a) => `${a.organization}/${a.app}`));
    return {
        baseStack: base.stack,
        headStack: head.stack,
        added,
        removed,
        changed,
        appsAdded: [...headApps].filter((a) => !baseApps.has(a)).sort(),
        appsRemoved: [...baseApps].filter((a) => !headApps.has(a)).sort(),
        declaredMoves: declaredMovesOf(head),
        risky: riskyChanges(base, head),
        ...(comparable ? {} : { fingerprintsIncomparable: true as const }),
    };
}

/**
 * A resource whose fingerprints are replaced by what two differently keyed plans still share:
 * the shapes of its secret documents (values masked). A secret input without a document then
 * compares equal: a change of its value cannot be seen.
 */
function withoutFingerprints(r: PlanResource): PlanResource {
    const secretKeys = Object.fromEntries(
        Object.entries(r.secretKeys ?? {}).map(([input, keys]) => [
            input,
            Object.fromEntries(Object.entries(keys).map(([key, k]) => [key, { shape: k.shape, fingerprint: "" }])),
        ]),
    );
    const secretFingerprints = Object.fromEntries(
        Object.keys(r.secretFingerprints).map((input) => [input, input in secretKeys ? JSON.stringify(canonical(secretKeys[input])) : ""]),
    );
    return { ...r, secretFingerprints, ...(r.secretKeys !== undefined ? { secretKeys } : {}) };
}

/** Whether the diff has anything to show. */
export const isEmpty = (d: PlanDiff): boolean => d.added.length + d.removed.length + d.changed.length === 0;

// ---------------------------------------------------------------------------------------
// Markdown.

/** Marker a CI job can use to find and update its earlier comment. */
export const commentMarker = "<!-- tenant-apps render diff -->";

/** A value in a code span it cannot leave (render/markdown.ts), shortened. */
const code = (value: unknown): string => codeSpan(value, { max: 120 });

/** Inputs whose change gives the resource a new identity in its cloud or cluster. */
const renamesResource = /^(name|key|bucket|metadata\.name|metadata\.namespace)$/;

function fieldLine(f: FieldChange): string {
    const note = renamesResource.test(f.path) ? " (new name: the resource is replaced)" : "";
    switch (f.kind) {
        case "added":
            return `  - ${codeSpan(f.path)}: added ${code(f.after)}`;
        case "removed":
            return `  - ${codeSpan(f.path)}: removed (was ${code(f.before)})`;
        case "secret changed":
            return `  - ${codeSpan(f.path)}: changed (secret)`;
        case "changed":
            return `  - ${codeSpan(f.path)}: ${code(f.before)} → ${code(f.after)}${note}`;
    }
}

const label = (r: PlanResource): string => `${plainText(kindOf(r.type))} ${codeSpan(physicalNameOf(r))}`;

/** Appends `more` to `lines` one by one: a spread of a huge list exceeds the call stack's argument limit. */
function append(lines: string[], more: readonly string[]): void {
    for (const line of more) lines.push(line);
}

const optionsOf = (r: PlanResource): string =>
    [r.retainOnDelete ? "retainOnDelete" : undefined, r.protect ? "protected" : undefined].filter(Boolean).join(", ");

/** What happens to resources that leave the desired state: retained, blocked by protect, or deleted. */
function removalLines(removed: readonly PlanResource[], stack: string): string[] {
    const custom = removed.filter((r) => r.custom);
    const retained = custom.filter((r) => r.retainOnDelete);
    const blocked = custom.filter((r) => r.protect && !r.retainOnDelete);
    const deleted = custom.filter((r) => !r.protect && !r.retainOnDelete);
    const lines: string[] = [];
    if (retained.length > 0) {
        lines.push("**Retained in the cloud** (retainOnDelete: Pulumi stops managing them; the data stays):");
        for (const r of retained) lines.push(`- ${label(r)} (${optionsOf(r)})`);
        lines.push("");
    }
    if (blocked.length > 0) {
        lines.push("**Protected, would be deleted once unprotected** (protect without retainOnDelete):");
        for (const r of blocked) lines.push(`- ${label(r)} (protected)`);
        lines.push("");
    }
    if (deleted.length > 0) {
        lines.push("**Deleted:**");
        for (const r of deleted) lines.push(`- ${label(r)}`);
        lines.push("");
    }
    const components = removed.length - custom.length;
    if (components > 0) lines.push(`(${components} component${components === 1 ? "" : "s"} leave Pulumi's state only.)`, "");
    const protectedOnes = custom.filter((r) => r.protect);
    if (protectedOnes.length > 0) {
        lines.push(
            `> [!WARNING]`,
            `> ${protectedOnes.length} of these resources are protected, so \`pulumi preview\` and \`pulumi up\` stop with ` +
                `"unable to delete resource … as it is currently marked for protection" and change nothing. ` +
                `To let them go, unprotect them first${retained.length > 0 ? " (retainOnDelete still keeps them in the cloud)" : ""}:`,
        );
        append(
            lines,
            fence(
                protectedOnes.map((r) => `pulumi state unprotect --stack ${shellWord(stack)} --yes ${shellQuote(r.urn)}`),
                "sh",
            ).map((line) => `> ${line}`),
        );
        lines.push("");
    }
    return lines;
}

function addedLines(added: readonly PlanResource[]): string[] {
    const custom = added.filter((r) => r.custom);
    const adopt = (r: PlanResource): string => (r.adopt !== undefined ? ` (adopted: import ${codeSpan(r.adopt)}, not created)` : "");
    const lines = custom.map((r) => `- ${label(r)}${optionsOf(r) ? ` (${optionsOf(r)})` : ""}${adopt(r)}`);
    const components = added.length - custom.length;
    if (components > 0) lines.push(`- and ${components} component${components === 1 ? "" : "s"}`);
    return [...lines, ""];
}

function changedLines(changed: readonly ResourceChange[]): string[] {
    const lines: string[] = [];
    for (const c of changed) {
        lines.push(`- ${label(c.after)}${c.after.custom ? "" : " (component)"}`);
        append(lines, c.fields.map(fieldLine));
    }
    return [...lines, ""];
}

interface Group {
    added: PlanResource[];
    removed: PlanResource[];
    changed: ResourceChange[];
}

const emptyGroup = (): Group => ({ added: [], removed: [], changed: [] });

/** The markdown of a diff, for a pull-request comment. */
export function formatDiffMarkdown(diff: PlanDiff, labels: { base: string; head: string } = { base: "base", head: "head" }): string {
    const stack = diff.headStack;
    const lines = [commentMarker, `## Render diff of stack ${codeSpan(stack)}`, ""];
    if (diff.baseStack !== diff.headStack)
        lines.push(`> [!NOTE]`, `> The base is stack ${codeSpan(diff.baseStack)}, the head is ${codeSpan(diff.headStack)}.`, "");
    if (diff.fingerprintsIncomparable)
        lines.push(
            "> [!NOTE]",
            "> Secret values were compared by shape only: the two renders' fingerprints were made with different keys " +
                `(render both on one machine, or give both the same ${codeSpan(fingerprintSecretEnv)}).`,
            "",
        );
    append(lines, refusedRenameLines(refusedRenames(diff)));
    append(lines, riskyChangeLines(diff.risky ?? []));
    if (isEmpty(diff)) {
        lines.push(`No changes: ${codeSpan(labels.head)} renders exactly the desired state of ${codeSpan(labels.base)}.`, "");
        return lines.join("\n");
    }
    const count = (list: readonly { custom: boolean }[]) => list.filter((r) => r.custom).length;
    const changedApps = new Set(
        [...diff.added, ...diff.removed, ...diff.changed.map((c) => c.after)]
            .map(appKey)
            .filter((a): a is string => a !== undefined && !diff.appsAdded.includes(a) && !diff.appsRemoved.includes(a)),
    );
    lines.push(
        `${codeSpan(labels.base)} → ${codeSpan(labels.head)}: ` +
            `**${diff.appsAdded.length} app${diff.appsAdded.length === 1 ? "" : "s"} added, ` +
            `${diff.appsRemoved.length} removed, ${changedApps.size} changed**; ` +
            `resources: ${count(diff.added)} to add, ${count(diff.removed)} to remove, ` +
            `${diff.changed.filter((c) => c.after.custom).length} to change (components not counted).`,
        "",
    );

    // Group by organization, then app ("" = the organization's own resources).
    const groups = new Map<string, Map<string, Group>>();
    const groupOf = (r: PlanResource): Group => {
        const org = r.organization ?? "";
        const orgGroups = groups.get(org) ?? new Map<string, Group>();
        groups.set(org, orgGroups);
        const app = r.app ?? "";
        const group = orgGroups.get(app) ?? emptyGroup();
        orgGroups.set(app, group);
        return group;
    };
    diff.added.forEach((r) => groupOf(r).added.push(r));
    diff.removed.forEach((r) => groupOf(r).removed.push(r));
    diff.changed.forEach((c) => groupOf(c.after).changed.push(c));

    const sortedKeys = <T>(m: Map<string, T>): string[] =>
        [...m.keys()].sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b, "en")));
    for (const org of sortedKeys(groups)) {
        lines.push(org === "" ? "### Shared resources" : `### Organization ${codeSpan(org)}`, "");
        const orgGroups = groups.get(org) ?? new Map<string, Group>();
        for (const app of sortedKeys(orgGroups)) {
            const g = orgGroups.get(app) ?? emptyGroup();
            const key = `${org}/${app}`;
            if (app === "") lines.push(org === "" ? "" : `#### Organization-level resources (namespace, quota, policies)`, "");
            else if (diff.appsAdded.includes(key)) lines.push(`#### Added app ${codeSpan(key)}`, "");
            else if (diff.appsRemoved.includes(key)) lines.push(`#### Removed app ${codeSpan(key)}`, "");
            else lines.push(`#### Changed app ${codeSpan(key)}`, "");
            if (g.added.length > 0) append(lines, [...(diff.appsAdded.includes(key) ? [] : ["**Added:**"]), ...addedLines(g.added)]);
            if (g.removed.length > 0) append(lines, removalLines(g.removed, stack));
            if (g.changed.length > 0) append(lines, ["**Changed:**", ...changedLines(g.changed)]);
        }
    }
    const newlyAdopted = diff.changed.filter((c) => !c.after.custom || (c.after.adopt !== undefined && c.before.adopt === undefined));
    append(lines, adoptionLines([...diff.added, ...newlyAdopted.map((c) => c.after)], stack, "### Adoption"));
    lines.push(
        "<sub>Desired state rendered under Pulumi's mock runtime (no credentials, nothing contacted); not a `pulumi preview`.</sub>",
        "",
    );
    return lines.join("\n").replace(/\n{3,}/g, "\n\n");
}
