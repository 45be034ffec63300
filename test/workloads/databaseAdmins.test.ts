/**
 * One database admin per environment on the shared PostgreSQL 16, made by the bootstrap SQL in
 * deploy/rds/admin-<env>.sql run as the RDS-like master: each environment's plan applies under
 * its own admin, and neither admin can alter, drop, take over or read the other environment's
 * roles, schemas or databases.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Client } from "pg";
import type { Evaluation } from "../../render/evaluate";
import { evaluate, repoRoot } from "../support/harness";
import { applyPlan } from "./applyPlan";
import { secretOf, workloadCatalog, workloadPlan } from "./plan";
import { startPostgres, type TestPostgres } from "./postgres";

type Env = "pre" | "pro";
const admin = (env: Env) => ({ user: `tenant_apps_${env}_admin`, password: `${env}-admin-test-password` });

describe("a database admin per environment on the shared PostgreSQL 16 (workloads)", function () {
    let pg: TestPostgres;
    const plans = {} as Record<Env, Evaluation>;
    /** The server as it starts: stopped after the tests even when the rest of `before` failed. */
    let starting: Promise<TestPostgres> | undefined;

    before(async function () {
        this.timeout(180000);
        const server = startPostgres();
        starting = server;
        // Awaited below; a start failure is reported there, not as an unhandled rejection meanwhile.
        server.catch(() => undefined);
        // One evaluation at a time: the mock runtime is process-wide.
        plans.pro = await workloadPlan();
        plans.pre = await evaluate("pre", { catalog: { "acme.yaml": workloadCatalog } });
        pg = await server;
        const master = await pg.connect(pg.master.user, pg.master.password, pg.sharedDatabase);
        try {
            for (const env of ["pre", "pro"] as const) {
                await master.query(fs.readFileSync(path.join(repoRoot, "deploy", "rds", `admin-${env}.sql`), "utf8"));
                // The operator sets it with psql's \password; here the master sets a test one.
                await master.query(`ALTER ROLE ${admin(env).user} PASSWORD '${admin(env).password}'`);
            }
        } finally {
            await master.end();
        }
        for (const env of ["pre", "pro"] as const) await applyPlan(pg, plans[env], admin(env));
        // Each world boots as its own role, so there is data to reach for.
        for (const env of ["pre", "pro"] as const) {
            const uri = new URL(secretOf(plans[env], "world").DB_URI ?? "");
            const world = await pg.connect(decodeURIComponent(uri.username), decodeURIComponent(uri.password), pg.sharedDatabase);
            try {
                await world.query(`CREATE TABLE world_acme_${env}.config (key text PRIMARY KEY, value text)`);
                await world.query(`INSERT INTO world_acme_${env}.config VALUES ('secret', 'of ${env}')`);
            } finally {
                await world.end();
            }
        }
    });
    after(async () => {
        // A server that started while an evaluation failed is still stopped, so mocha can exit.
        await (await starting?.catch(() => undefined))?.stop();
    });

    const as = async <T>(env: Env, database: string, run: (c: Client) => Promise<T>): Promise<T> => {
        const client = await pg.connect(admin(env).user, admin(env).password, database);
        try {
            return await run(client);
        } finally {
            await client.end();
        }
    };

    it("applies each environment's plan under its own admin, which administers exactly the roles it created", async () => {
        const administered = (env: Env) =>
            as(env, pg.sharedDatabase, async (c) => {
                const rows = await c.query<{ role: string }>(
                    `SELECT r.rolname AS role FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                     JOIN pg_roles a ON a.oid = m.member WHERE a.rolname = $1 AND m.admin_option ORDER BY 1`,
                    [admin(env).user],
                );
                return rows.rows.map((r) => r.role);
            });
        assert.deepEqual(await administered("pro"), [
            "agent_2_acme_pro",
            "agent_acme_pro",
            "api_acme_pro",
            "world_2_acme_pro",
            "world_acme_pro",
        ]);
        assert.deepEqual(await administered("pre"), [
            "agent_2_acme_pre",
            "agent_acme_pre",
            "api_acme_pre",
            "world_2_acme_pre",
            "world_acme_pre",
        ]);
        const owners = await as("pro", pg.sharedDatabase, async (c) => {
            const rows = await c.query<{ o: string }>(
                `SELECT n.nspname || ':' || pg_get_userbyid(n.nspowner) AS o FROM pg_namespace n WHERE n.nspname LIKE '%_acme_%' ORDER BY 1`,
            );
            const dbs = await c.query<{ o: string }>(
                `SELECT datname || ':' || pg_get_userbyid(datdba) AS o FROM pg_database WHERE datname LIKE 'agent%' ORDER BY 1`,
            );
            return [...rows.rows, ...dbs.rows].map((r) => r.o);
        });
        assert.deepEqual(owners, [
            "api_acme_pre:api_acme_pre",
            "api_acme_pro:api_acme_pro",
            "world_2_acme_pre:world_2_acme_pre",
            "world_2_acme_pro:world_2_acme_pro",
            "world_acme_pre:world_acme_pre",
            "world_acme_pro:world_acme_pro",
            "agent_2_acme_pre:tenant_apps_pre_admin",
            "agent_2_acme_pro:tenant_apps_pro_admin",
            "agent_acme_pre:tenant_apps_pre_admin",
            "agent_acme_pro:tenant_apps_pro_admin",
        ]);
        // The admin itself is no superuser and cannot read an app's rows.
        await as("pro", pg.sharedDatabase, (c) =>
            assert.rejects(c.query("SELECT * FROM world_acme_pro.config"), /permission denied for schema world_acme_pro/),
        );
    });

    for (const [attacker, victim] of [
        ["pre", "pro"],
        ["pro", "pre"],
    ] as const) {
        it(`${attacker}'s admin cannot alter, drop, take over or read ${victim}'s roles, schemas and databases`, async () => {
            const v = (name: string) => `${name}_acme_${victim}`;
            const rows: { reason: string; sql: string; refused: RegExp }[] = [
                {
                    reason: "change an app role's password",
                    sql: `ALTER ROLE ${v("world")} PASSWORD 'stolen'`,
                    refused: /permission denied to alter role/,
                },
                {
                    reason: "give an app role more attributes",
                    sql: `ALTER ROLE ${v("world")} CREATEDB`,
                    refused: /permission denied to alter role/,
                },
                { reason: "drop an app role", sql: `DROP ROLE ${v("world")}`, refused: /permission denied to drop role/ },
                {
                    reason: "make itself a member of an app role",
                    sql: `GRANT ${v("world")} TO CURRENT_USER`,
                    refused: /permission denied to grant role/,
                },
                { reason: "act as an app role", sql: `SET ROLE ${v("world")}`, refused: /permission denied to set role/ },
                {
                    reason: "read an app's rows",
                    sql: `SELECT * FROM ${v("world")}.config`,
                    refused: new RegExp(`permission denied for schema ${v("world")}`),
                },
                {
                    reason: "write into an app's schema",
                    sql: `CREATE TABLE ${v("world")}.t (x int)`,
                    refused: new RegExp(`permission denied for schema ${v("world")}`),
                },
                {
                    reason: "drop an app's schema",
                    sql: `DROP SCHEMA ${v("world")}`,
                    refused: new RegExp(`must be owner of schema ${v("world")}`),
                },
                {
                    reason: "take an app's schema",
                    sql: `ALTER SCHEMA ${v("world")} OWNER TO CURRENT_USER`,
                    refused: new RegExp(`must be owner of schema ${v("world")}`),
                },
                {
                    reason: "take an app role's objects",
                    sql: `REASSIGN OWNED BY ${v("world")} TO CURRENT_USER`,
                    refused: /permission denied to reassign objects/,
                },
                {
                    reason: "drop an agent's database",
                    sql: `DROP DATABASE ${v("agent")}`,
                    refused: new RegExp(`must be owner of database ${v("agent")}`),
                },
                {
                    reason: "take an agent's database",
                    sql: `ALTER DATABASE ${v("agent")} OWNER TO CURRENT_USER`,
                    refused: new RegExp(`must be owner of database ${v("agent")}`),
                },
                {
                    reason: "change the other admin's password",
                    sql: `ALTER ROLE tenant_apps_${victim}_admin PASSWORD 'stolen'`,
                    refused: /permission denied to alter role/,
                },
                { reason: "drop the other admin", sql: `DROP ROLE tenant_apps_${victim}_admin`, refused: /permission denied to drop role/ },
            ];
            const got: string[] = [];
            await as(attacker, pg.sharedDatabase, async (c) => {
                for (const row of rows) {
                    const outcome = await c.query(row.sql).then(
                        () => "ran",
                        (e: Error) => (row.refused.test(e.message) ? "refused" : `failed otherwise: ${e.message}`),
                    );
                    got.push(`${row.reason}: ${outcome}`);
                }
            });
            assert.deepEqual(
                got,
                rows.map((row) => `${row.reason}: refused`),
            );
            // An agent's database is closed to everyone but its role and its own admin.
            await assert.rejects(
                as(attacker, v("agent"), async () => undefined),
                new RegExp(`permission denied for database "?${v("agent")}"?`),
            );
            // And the victim's app still reads its own row: nothing was changed on the way.
            const uri = new URL(secretOf(plans[victim], "world").DB_URI ?? "");
            const world = await pg.connect(decodeURIComponent(uri.username), decodeURIComponent(uri.password), pg.sharedDatabase);
            try {
                assert.deepEqual((await world.query(`SELECT value FROM ${v("world")}.config`)).rows, [{ value: `of ${victim}` }]);
            } finally {
                await world.end();
            }
        });
    }
});
