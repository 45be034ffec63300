/**
 * Renames of data-bearing names for an app that already exists, refused in review (issue 12,
 * problem 6). A changed name pattern, storage prefix or database renames a running app's schema,
 * role, secret or assets in place: the PostgreSQL provider runs `ALTER SCHEMA … RENAME` /
 * `ALTER ROLE … RENAME` (terraform-provider-postgresql resource_postgresql_schema.go@ff936b9
 * L394-413, resource_postgresql_role.go L771), which RDS refuses when its admin does not own the
 * schema (`must be owner of schema`), and a new secret name or S3 key is a new, empty resource
 * (ForceNew, model/forceNew.ts) while the data stays under the old one. Unless the app's catalog
 * entry declares the move (`moves: [schema]`, after moving the data by hand), render:diff
 * refuses the change. Pure.
 */
import type { MovableField } from "../model/adoption";
import { typeTokens } from "../model/typeTokens";
import type { PlanDiff } from "./planDiff";
import { codeSpan } from "./markdown";
import type { Plan, PlanResource } from "./plan";

const watched: ReadonlyArray<{
    readonly type: string;
    readonly field: MovableField;
    readonly what: string;
    readonly inputs: readonly string[];
}> = [
    { type: typeTokens.pgSchema, field: "schema", what: "PostgreSQL schema", inputs: ["database", "name"] },
    { type: typeTokens.pgDatabase, field: "database", what: "PostgreSQL database", inputs: ["name"] },
    { type: typeTokens.pgRole, field: "dbRole", what: "PostgreSQL role", inputs: ["name"] },
    { type: typeTokens.secret, field: "secret", what: "Secrets Manager secret", inputs: ["name"] },
    { type: typeTokens.bucketObjectV2, field: "assets", what: "assets folder", inputs: ["bucket", "key"] },
];

/** One refused rename. */
export interface RefusedRename {
    /** `org/app`. */
    readonly app: string;
    readonly field: MovableField;
    readonly what: string;
    readonly before: string;
    readonly after: string;
    /** A declared move that lands on another app's current name (a swap or a cycle), which `moves:` cannot allow. */
    readonly landsOn?: string;
}

const nameOf = (r: PlanResource, inputs: readonly string[]): string =>
    inputs
        .map((i) => (typeof r.inputs[i] === "string" ? (r.inputs[i] as string) : ""))
        .join(inputs.length > 1 && inputs[0] === "database" ? "." : "/");

/** The moves an app's catalog entry declares, as its TenantApp component records them. */
function declaredMoves(diff: PlanDiff, app: string): readonly string[] {
    return diff.declaredMoves?.[app] ?? [];
}

/** Data-bearing names that change for an app in both renders, and that its catalog entry does not declare as moved. */
export function refusedRenames(diff: PlanDiff): RefusedRename[] {
    const out: RefusedRename[] = [];
    const current = currentNames(diff);
    for (const change of diff.changed) {
        const rule = watched.find((w) => w.type === change.after.type);
        if (!rule || change.after.organization === undefined || change.after.app === undefined) continue;
        const [before, after] = [nameOf(change.before, rule.inputs), nameOf(change.after, rule.inputs)];
        if (before === after) continue;
        const app = `${change.after.organization}/${change.after.app}`;
        // Even a declared move may not take a name another app holds in the base render: two moves would swap their data.
        const holder = current.get(`${rule.type}|${after}`);
        if (holder !== undefined && holder !== app) {
            out.push({ app, field: rule.field, what: rule.what, before, after, landsOn: holder });
            continue;
        }
        if (declaredMoves(diff, app).includes(rule.field)) continue;
        out.push({ app, field: rule.field, what: rule.what, before, after });
    }
    return out.sort((a, b) => a.app.localeCompare(b.app, "en") || a.field.localeCompare(b.field, "en"));
}

/** `type|name` → `org/app` of every watched data-bearing name in the base render that the diff shows (changed or removed). */
function currentNames(diff: PlanDiff): Map<string, string> {
    const names = new Map<string, string>();
    for (const r of [...diff.changed.map((c) => c.before), ...diff.removed]) {
        const rule = watched.find((w) => w.type === r.type);
        if (!rule || r.organization === undefined || r.app === undefined) continue;
        names.set(`${r.type}|${nameOf(r, rule.inputs)}`, `${r.organization}/${r.app}`);
    }
    return names;
}

/** The moves each app of a plan declares (`org/app` → fields), as its TenantApp component records them. */
export function declaredMovesOf(plan: Plan): Record<string, readonly string[]> {
    const out: Record<string, readonly string[]> = {};
    for (const r of plan.resources) {
        const moves = r.type === typeTokens.app ? r.inputs.moves : undefined;
        if (Array.isArray(moves)) out[`${r.organization ?? ""}/${r.app ?? ""}`] = moves.filter((m): m is string => typeof m === "string");
    }
    return out;
}

/** The refusal at the top of the PR comment, or nothing. */
export function refusedRenameLines(refused: readonly RefusedRename[]): string[] {
    if (refused.length === 0) return [];
    return [
        "> [!CAUTION]",
        `> **Refused: ${refused.length} data-bearing name${refused.length === 1 ? "" : "s"} of existing apps would change.** ` +
            "A rename in place fails on RDS (`must be owner of schema`) or starts an empty resource while the data stays under the old name.",
        ...refused.map(
            (r) =>
                `> - app ${codeSpan(r.app)}: the ${r.what} ${codeSpan(r.before)} would become ${codeSpan(r.after)}` +
                (r.landsOn !== undefined
                    ? `, which app ${codeSpan(r.landsOn)} holds now (a declared move cannot take another app's name)`
                    : ""),
        ),
        "> Keep the old names (restore the name pattern, prefix or database), or move the data by hand and declare it on the app in the catalog, " +
            `e.g. ${codeSpan(`moves: [${[...new Set(refused.map((r) => r.field))].join(", ")}]`)}.`,
        "",
    ];
}
