/**
 * Issue 12, problem 6: a name pattern, prefix or database change that renames an existing app's
 * schema, role, secret or assets is refused by render:diff (exit 3, a CAUTION block on top of
 * the comment), unless the app's catalog entry declares the move.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatDiffMarkdown } from "../../render/diff";
import { buildPlan, type Plan } from "../../render/plan";
import { refusedRenames } from "../../render/renames";
import { renderFiles, writeRender } from "../../render/write";
import { evaluate, repoRoot, stackConfig } from "../support/harness";
import { acmeCatalog, webApp } from "../support/acme";

const web = (extra: readonly string[] = []): Record<string, string> => acmeCatalog(webApp(["database: true", "storage: true", ...extra]));

const storage = JSON.parse(stackConfig("pro").config["tenant-apps:storage"] ?? "{}") as Record<string, unknown>;
const renamed = {
    "tenant-apps:names": { schema: "{org}_{app}_{env}", secret: "tenant-{org}-{app}-{env}" },
    "tenant-apps:storage": { ...storage, prefix: "worlds" },
};

async function plan(extra: readonly string[] = [], config: Record<string, unknown> = {}): Promise<Plan> {
    return buildPlan(await evaluate("pro", { catalog: web(extra), config }));
}

describe("renames of data-bearing names are refused in review", () => {
    let base: Plan;
    let head: Plan;
    before(async () => {
        base = await plan();
        head = await plan([], renamed);
    });

    it("finds the schema, role, secret and assets folder of the existing app renamed", () => {
        assert.deepEqual(refusedRenames(diffPlans(base, head)), [
            {
                app: "acme/web",
                field: "assets",
                what: "assets folder",
                before: "numinia-statics/hyperfy-spaces/acme/web/pro/assets/",
                after: "numinia-statics/worlds/acme/web/pro/assets/",
            },
            { app: "acme/web", field: "dbRole", what: "PostgreSQL role", before: "web_acme_pro", after: "acme_web_pro" },
            { app: "acme/web", field: "schema", what: "PostgreSQL schema", before: "numinia.web_acme_pro", after: "numinia.acme_web_pro" },
            {
                app: "acme/web",
                field: "secret",
                what: "Secrets Manager secret",
                before: "custom-acme-web-pro",
                after: "tenant-acme-web-pro",
            },
        ]);
    });

    it("puts the refusal on top of the pull-request comment, naming each app and name", () => {
        const lines = formatDiffMarkdown(diffPlans(base, head)).split("\n");
        assert.deepEqual(lines.slice(3, 10), [
            "> [!CAUTION]",
            "> **Refused: 4 data-bearing names of existing apps would change.** A rename in place fails on RDS (`must be owner of schema`) or starts an empty resource while the data stays under the old name.",
            "> - app `acme/web`: the assets folder `numinia-statics/hyperfy-spaces/acme/web/pro/assets/` would become `numinia-statics/worlds/acme/web/pro/assets/`",
            "> - app `acme/web`: the PostgreSQL role `web_acme_pro` would become `acme_web_pro`",
            "> - app `acme/web`: the PostgreSQL schema `numinia.web_acme_pro` would become `numinia.acme_web_pro`",
            "> - app `acme/web`: the Secrets Manager secret `custom-acme-web-pro` would become `tenant-acme-web-pro`",
            "> Keep the old names (restore the name pattern, prefix or database), or move the data by hand and declare it on the app in the catalog, e.g. `moves: [assets, dbRole, schema, secret]`.",
        ]);
    });

    it("accepts the renames the catalog declares as moved, and only those", async () => {
        const declared = await plan(["moves: [schema, dbRole]"], renamed);
        assert.deepEqual(
            refusedRenames(diffPlans(base, declared)).map((r) => r.field),
            ["assets", "secret"],
        );
        const all = await plan(["moves: [schema, dbRole, secret, assets]"], renamed);
        assert.deepEqual(refusedRenames(diffPlans(base, all)), []);
    });

    it("does not refuse a new app's names, nor a removed app's", async () => {
        const empty = buildPlan(
            await evaluate("pro", { catalog: { "acme.yaml": "organization: acme\ndomain: acme.example.com\napps: []\n" } }),
        );
        assert.deepEqual(refusedRenames(diffPlans(empty, head)), []);
        assert.deepEqual(refusedRenames(diffPlans(head, empty)), []);
    });

    it("render:diff exits 3 on a refused rename and 0 once the move is declared", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-renames-"));
        writeRender(path.join(dir, "base"), renderFiles(base));
        writeRender(path.join(dir, "head"), renderFiles(head));
        writeRender(path.join(dir, "declared"), renderFiles(await plan(["moves: [schema, dbRole, secret, assets]"], renamed)));
        const cli = path.join(repoRoot, "dist", "render", "diffCli.js");
        const run = (headDir: string) =>
            spawnSync(process.execPath, [cli, "base", headDir], {
                cwd: dir,
                encoding: "utf8",
                env: { ...process.env, npm_lifecycle_event: "" },
            });
        const refused = run("head");
        assert.equal(refused.status, 3, refused.stderr);
        assert.match(refused.stdout, /^> \*\*Refused: 4 data-bearing names/m);
        assert.equal(run("declared").status, 0);
    });
});
