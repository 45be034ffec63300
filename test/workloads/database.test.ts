/**
 * The plan's database links against a real PostgreSQL 16: an RDS-like master (not a
 * superuser) applies every role, schema, database and grant as the PostgreSQL provider runs
 * them; then each app, as its own role and through the exact URI its secret holds (parsed by
 * the real pg-connection-string, TLS verify-full with the CA the app receives), runs its
 * runtime's bootstrap, and cannot reach any other app's data.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import knex, { type Knex } from "knex";
import { Client } from "pg";
import { parse } from "pg-connection-string";
import { dbCaFile } from "../../model/connections";
import type { Evaluation } from "../../render/evaluate";
import { applyPlan } from "./applyPlan";
import { applyGrant, applyRole, applySchema, startPostgres, type TestPostgres } from "./postgres";
import { secretOf, workloadPlan } from "./plan";

describe("database links against a real PostgreSQL 16 (workloads)", function () {
    let pg: TestPostgres;
    let plan: Evaluation;
    /** The app's URI from its secret, pointed at the test server and the test CA file. */
    let local: (uri: string) => string;

    /** The server as it starts: stopped after the tests even when the rest of `before` failed. */
    let starting: Promise<TestPostgres> | undefined;

    before(async function () {
        starting = startPostgres();
        [pg, plan] = await Promise.all([starting, workloadPlan()]);
        local = (uri) => {
            const withCa = uri.replace(dbCaFile, pg.tls.caFile);
            const { host, port } = parse(withCa);
            return withCa.replace(`@${host}:${port}/`, `@localhost:${pg.port}/`);
        };
        await applyPlan(pg, plan, pg.master);
    });
    after(async () => {
        // A server that started while the plan failed is still stopped, so mocha can exit.
        await (await starting?.catch(() => undefined))?.stop();
    });

    const asApp = async <T>(uri: string, run: (c: Client) => Promise<T>): Promise<T> => {
        const client = new Client({ connectionString: local(uri) });
        await client.connect();
        try {
            return await run(client);
        } finally {
            await client.end();
        }
    };
    const refused = async (uri: string, sql: string, message: RegExp) =>
        asApp(uri, (c) => assert.rejects(c.query(sql), (e: Error) => (assert.match(e.message, message), true)));

    describe("TLS: the URI the app receives, parsed by pg-connection-string 2.9.1", () => {
        it("says verify-full and names the CA file the container mounts", () => {
            const uri = secretOf(plan, "world").DB_URI ?? "";
            assert.match(
                uri,
                /^postgres:\/\/world_acme_pro:[A-Za-z0-9]{32}@numinia-shared\.cluster-c8x2k4q1zt7m\.eu-west-1\.rds\.amazonaws\.com:5432\/numinia\?sslmode=verify-full&sslrootcert=\/etc\/tenant-apps\/db-ca\/rds-ca\.pem$/,
            );
            const parsed = parse(local(uri));
            assert.equal(parsed.user, "world_acme_pro");
            assert.equal(parsed.database, "numinia");
            assert.deepEqual(parsed.ssl, { ca: fs.readFileSync(pg.tls.caFile, "utf8") });
        });

        it("connects with verify-full and the CA it receives, over TLS", async () => {
            const row = await asApp(
                secretOf(plan, "world").DB_URI ?? "",
                async (c) => (await c.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).rows[0] as { ssl: boolean },
            );
            assert.deepEqual(row, { ssl: true });
        });

        it("refuses a server its CA did not sign, and the old sslmode=require without a CA", async () => {
            const uri = secretOf(plan, "world").DB_URI ?? "";
            const otherCa = new Client({ connectionString: local(uri).replace(pg.tls.caFile, pg.tls.otherCaFile) });
            await assert.rejects(otherCa.connect(), /self[- ]signed certificate in certificate chain|unable to verify/);
            const old = new Client({ connectionString: local(uri).replace(/\?.*$/, "?sslmode=require") });
            await assert.rejects(old.connect(), /self[- ]signed certificate in certificate chain|unable to verify/);
        });
    });

    describe("hyperfy2: src/server/db.js through knex 3.1.0 as the app's role", () => {
        /** hyperfy `src/server/db.js` L15-27 and the first two migrations (L42-93), verbatim in effect. */
        async function bootHyperfy(uri: string, schema: string): Promise<string[]> {
            const db: Knex = knex({
                client: "pg",
                connection: local(uri),
                pool: { min: 2, max: 10 },
                searchPath: [schema],
                useNullAsDefault: true,
            });
            try {
                if (schema !== "public") await db.raw("CREATE SCHEMA IF NOT EXISTS ??", [schema]);
                if (!(await db.schema.hasTable("config"))) {
                    await db.schema.createTable("config", (t) => {
                        t.string("key").primary();
                        t.string("value");
                    });
                    await db("config").insert({ key: "version", value: "0" });
                    await db.schema.createTable("users", (t) => {
                        t.string("id").primary();
                        t.string("name").notNullable();
                        t.string("roles").notNullable();
                        t.timestamp("createdAt").notNullable();
                    });
                    for (const table of ["blueprints", "entities"]) {
                        await db.schema.createTable(table, (t) => {
                            t.string("id").primary();
                            t.text("data").notNullable();
                            t.timestamp("createdAt").notNullable();
                            t.timestamp("updatedAt").notNullable();
                        });
                    }
                    await db("config").where("key", "version").update("value", "2");
                }
                const rows = (await db.raw("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = ? ORDER BY tablename", [
                    schema,
                ])) as { rows: { tablename: string; tableowner: string }[] };
                return rows.rows.map((r) => `${r.tablename}:${r.tableowner}`);
            } finally {
                await db.destroy();
            }
        }

        it("boots twice: CREATE SCHEMA IF NOT EXISTS passes and its tables land in its own schema", async () => {
            const secret = secretOf(plan, "world");
            assert.equal(secret.DB_SCHEMA, "world_acme_pro");
            const expected = ["blueprints:world_acme_pro", "config:world_acme_pro", "entities:world_acme_pro", "users:world_acme_pro"];
            assert.deepEqual(await bootHyperfy(secret.DB_URI ?? "", "world_acme_pro"), expected);
            assert.deepEqual(await bootHyperfy(secret.DB_URI ?? "", "world_acme_pro"), expected);
        });

        it("would fail with CONNECT alone: PostgreSQL checks CREATE on the database first", async () => {
            const master = await pg.connect(pg.master.user, pg.master.password, pg.sharedDatabase);
            try {
                // The old link: the same role and owned schema, but CONNECT only.
                await applyRole(master, "connect_only", "connect-only-pw", "connect_only");
                await applySchema(master, "connect_only", "connect_only");
                await applyGrant(master, { objectType: "database", object: "numinia", role: "connect_only", privileges: ["CONNECT"] });
            } finally {
                await master.end();
            }
            const uri = `postgres://connect_only:connect-only-pw@localhost:${pg.port}/numinia?sslmode=verify-full&sslrootcert=${pg.tls.caFile}`;
            await assert.rejects(
                asApp(uri.replace(`localhost:${pg.port}`, "h:1"), (c) => c.query('CREATE SCHEMA IF NOT EXISTS "connect_only"')),
                /permission denied for database numinia/,
            );
        });

        it("cannot read, write or create in a sibling's schema (world vs world-2), nor create in public", async () => {
            await bootHyperfy(secretOf(plan, "world-2").DB_URI ?? "", "world_2_acme_pro");
            const uri = secretOf(plan, "world").DB_URI ?? "";
            await refused(uri, "SELECT * FROM world_2_acme_pro.config", /permission denied for schema world_2_acme_pro/);
            await refused(
                uri,
                "INSERT INTO world_2_acme_pro.users VALUES ('x','x','x',now())",
                /permission denied for schema world_2_acme_pro/,
            );
            await refused(uri, "CREATE TABLE world_2_acme_pro.t (x int)", /permission denied for schema world_2_acme_pro/);
            await refused(uri, "CREATE TABLE public.t (x int)", /permission denied for schema public/);
            await refused(uri, "DROP SCHEMA world_2_acme_pro CASCADE", /must be owner of schema world_2_acme_pro/);
        });
    });

    describe("eliza: a database of its own, @elizaos/plugin-sql 1.7.2's bootstrap as the agent's role", () => {
        it("gives the agent POSTGRES_URL to its own database and nothing else", () => {
            const secret = secretOf(plan, "agent");
            assert.deepEqual(Object.keys(secret).sort(), ["OPENAI_API_KEY", "POSTGRES_URL"]);
            assert.match(
                secret.POSTGRES_URL ?? "",
                /^postgres:\/\/agent_acme_pro:[A-Za-z0-9]{32}@[^/]+:5432\/agent_acme_pro\?sslmode=verify-full&sslrootcert=\/etc\/tenant-apps\/db-ca\/rds-ca\.pem$/,
            );
        });

        it("runs the migrator's schema, its tables, trusted extensions and a core table in public", async () => {
            const tables = await asApp(secretOf(plan, "agent").POSTGRES_URL ?? "", async (c) => {
                // plugin-sql dist/node/index.node.js L5801-5829 (MigrationTracker), L7657 (extensions but vector).
                await c.query("CREATE SCHEMA IF NOT EXISTS migrations");
                await c.query(
                    "CREATE TABLE IF NOT EXISTS migrations._migrations (id SERIAL PRIMARY KEY, plugin_name TEXT NOT NULL, hash TEXT NOT NULL, created_at BIGINT NOT NULL)",
                );
                await c.query(
                    "CREATE TABLE IF NOT EXISTS migrations._journal (plugin_name TEXT PRIMARY KEY, version TEXT NOT NULL, dialect TEXT NOT NULL DEFAULT 'postgresql', entries JSONB NOT NULL DEFAULT '[]')",
                );
                await c.query(
                    "CREATE TABLE IF NOT EXISTS migrations._snapshots (id SERIAL PRIMARY KEY, plugin_name TEXT NOT NULL, idx INTEGER NOT NULL, snapshot JSONB NOT NULL, created_at TIMESTAMP DEFAULT NOW(), UNIQUE(plugin_name, idx))",
                );
                await c.query("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch");
                await c.query("CREATE EXTENSION IF NOT EXISTS pgcrypto");
                await c.query(
                    'CREATE TABLE IF NOT EXISTS "public"."agents" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "name" text NOT NULL)',
                );
                await c.query('CREATE SCHEMA IF NOT EXISTS "knowledge"');
                const rows = await c.query<{ t: string }>(
                    "SELECT schemaname || '.' || tablename || ':' || tableowner AS t FROM pg_tables WHERE schemaname IN ('public','migrations') ORDER BY 1",
                );
                return rows.rows.map((r) => r.t);
            });
            assert.deepEqual(tables, [
                "migrations._journal:agent_acme_pro",
                "migrations._migrations:agent_acme_pro",
                "migrations._snapshots:agent_acme_pro",
                "public.agents:agent_acme_pro",
            ]);
        });

        it("cannot connect to another agent's database, and a world cannot connect to an agent's", async () => {
            const other = secretOf(plan, "agent-2").POSTGRES_URL ?? "";
            const asAgentToOther = other.replace(
                /^postgres:\/\/[^@]+@/,
                `postgres://${(secretOf(plan, "agent").POSTGRES_URL ?? "").split("//")[1]?.split("@")[0] ?? ""}@`,
            );
            await assert.rejects(
                asApp(asAgentToOther, async () => undefined),
                /permission denied for database "?agent_2_acme_pro"?/,
            );
            const worldToAgent = (secretOf(plan, "world").DB_URI ?? "").replace("/numinia?", "/agent_acme_pro?");
            await assert.rejects(
                asApp(worldToAgent, async () => undefined),
                /permission denied for database "?agent_acme_pro"?/,
            );
        });
    });

    describe("custom: a schema of its own, no CREATE on the database", () => {
        it("creates tables in its own schema, cannot create schemas or touch a world's", async () => {
            const uri = secretOf(plan, "api").DB_URI ?? "";
            const owner = await asApp(uri, async (c) => {
                await c.query("CREATE TABLE api_acme_pro.items (id int)");
                return (await c.query<{ o: string }>("SELECT tableowner AS o FROM pg_tables WHERE tablename = 'items'")).rows[0];
            });
            assert.deepEqual(owner, { o: "api_acme_pro" });
            await refused(uri, "CREATE SCHEMA other", /permission denied for database numinia/);
            await refused(uri, "SELECT * FROM world_acme_pro.config", /permission denied for schema world_acme_pro/);
        });
    });
});
