/**
 * The rename refusal covers an ElizaOS agent's own database, and a declared move cannot land on
 * a name another app holds now: two moves would otherwise swap two apps' data.
 */
import { strict as assert } from "node:assert";
import { diffPlans } from "../../render/diff";
import { buildPlan, type Plan } from "../../render/plan";
import { refusedRenameLines, refusedRenames } from "../../render/renames";
import { evaluate } from "../support/harness";

const agent = (more = ""): Record<string, string> => ({
    "acme.yaml": `organization: acme
domain: acme.example.com
apps:
  - name: guide
    type: eliza
    image: ghcr.io/acme/guide:1.0.0
    database: true
    agent: { modelProvider: openai }
${more}`,
});

/** Organization `a` with app `b`, and organization `b` with app `a`: one schema pattern swaps their names. */
const crossed = (moves = ""): Record<string, string> => {
    const org = (name: string, app: string) =>
        `organization: ${name}\ndomain: ${name}.example.com\napps:\n  - name: ${app}\n    type: custom\n    image: ghcr.io/x/y:1.0.0\n    port: 8080\n    database: true\n${moves}`;
    return { "a.yaml": org("a", "b"), "b.yaml": org("b", "a") };
};

const swapped = { "tenant-apps:names": { schema: "{org}_{app}_{env}" } };

async function plan(catalog: Record<string, string>, config: Record<string, unknown> = {}): Promise<Plan> {
    return buildPlan(await evaluate("pro", { catalog, config }));
}

describe("the rename refusal over an agent's database and crossing moves", () => {
    it("refuses renaming an eliza agent's own database and its role, unless both moves are declared", async () => {
        const base = await plan(agent());
        const head = await plan(agent(), swapped);
        assert.deepEqual(refusedRenames(diffPlans(base, head)), [
            { app: "acme/guide", field: "database", what: "PostgreSQL database", before: "guide_acme_pro", after: "acme_guide_pro" },
            { app: "acme/guide", field: "dbRole", what: "PostgreSQL role", before: "guide_acme_pro", after: "acme_guide_pro" },
        ]);
        const declared = await plan(agent("    moves: [database, dbRole]\n"), swapped);
        assert.deepEqual(refusedRenames(diffPlans(base, declared)), []);
    });

    it("refuses two declared moves that swap two apps' schemas and roles, naming the app that holds each name now", async () => {
        const base = await plan(crossed());
        const head = await plan(crossed("    moves: [schema, dbRole]\n"), swapped);
        const refused = refusedRenames(diffPlans(base, head));
        assert.deepEqual(
            refused.map((r) => [r.app, r.field, r.before, r.after, r.landsOn]),
            [
                ["a/b", "dbRole", "b_a_pro", "a_b_pro", "b/a"],
                ["a/b", "schema", "numinia.b_a_pro", "numinia.a_b_pro", "b/a"],
                ["b/a", "dbRole", "a_b_pro", "b_a_pro", "a/b"],
                ["b/a", "schema", "numinia.a_b_pro", "numinia.b_a_pro", "a/b"],
            ],
        );
        assert.ok(
            refusedRenameLines(refused).includes(
                "> - app `a/b`: the PostgreSQL schema `numinia.b_a_pro` would become `numinia.a_b_pro`, which app `b/a` holds now (a declared move cannot take another app's name)",
            ),
        );
    });
});
