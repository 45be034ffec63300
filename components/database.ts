import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformConfig } from "../model/config";
import { databaseUri as connectionUri } from "../model/connections";
import { dataBearing } from "./options";
import { typeTokens } from "../model/typeTokens";

export interface TenantDatabaseArgs {
    /** Schema name; the login role has the same name and owns the schema. */
    readonly schema: string;
    /**
     * `schema`: a schema of its own in the shared database. `database`: a database of its own,
     * named like the role (ElizaOS keeps its tables in `public` and fixed-name schemas).
     */
    readonly kind?: "schema" | "database";
    /** The runtime runs `CREATE SCHEMA IF NOT EXISTS` itself, so its role needs CREATE on the database. */
    readonly createsOwnSchema?: boolean;
    readonly database: PlatformConfig["database"];
    readonly deletion: PlatformConfig["deletion"];
    /** Provider connected to the shared RDS as its admin user. */
    readonly provider: postgresql.Provider;
}

/** The app's connection string to `database` (the shared one unless given), password URL-encoded. */
export function databaseUri(role: string, password: string, db: PlatformConfig["database"], database = db.name): string {
    return connectionUri({ role, password, host: db.host, port: db.port, database, sslMode: db.sslMode });
}

/**
 * One app's place in the shared PostgreSQL: a LOGIN role with a generated password, and
 * either a schema it owns (never dropped, never with CASCADE) with CONNECT on the shared
 * database (plus CREATE when the runtime creates its schema itself: PostgreSQL checks CREATE
 * on the database before it looks whether the schema exists, `schemacmds.c`
 * CreateSchemaCommand), or a database of its own.
 *
 * A database of its own is owned by the admin, not by the app's role: the provider's grant on
 * a database does not make the admin a member of the owner (terraform-provider-postgresql
 * resource_postgresql_grant.go L800-809), so `REVOKE ... FROM PUBLIC` on a database the role
 * owned would succeed with only a warning and change nothing. As owner the admin revokes
 * CONNECT/TEMPORARY from PUBLIC, gives the role CONNECT, CREATE and TEMPORARY, and USAGE and
 * CREATE on its `public` schema (owned by pg_database_owner since PostgreSQL 15).
 */
export class TenantDatabase extends pulumi.ComponentResource {
    readonly schema: string;
    /** The database the app connects to: the shared one, or its own. */
    readonly database: string;
    /** The role's password; a Pulumi secret. */
    readonly password: pulumi.Output<string>;
    /** Connection URI for the app; a Pulumi secret. */
    readonly uri: pulumi.Output<string>;

    constructor(name: string, args: TenantDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.databaseLink, name, { schema: args.schema }, opts);
        const child = { parent: this, provider: args.provider };
        const password = new random.RandomPassword(`${name}/password`, { length: 32, special: false }, { parent: this });
        this.password = pulumi.secret(password.result);
        const role = new postgresql.Role(
            `${name}/role`,
            {
                name: args.schema,
                login: true,
                password: this.password,
                superuser: false,
                createDatabase: false,
                createRole: false,
                inherit: false,
                searchPaths: [args.kind === "database" ? "public" : args.schema],
                // Never REASSIGN/DROP OWNED on delete: that would drop the schema's tables.
                skipReassignOwned: true,
                skipDropRole: true,
            },
            dataBearing(args.deletion, child),
        );
        if (args.kind === "database") {
            const database = new postgresql.Database(
                `${name}/database`,
                // template0, as the provider's default (resource_postgresql_database.go L171-178); owner: the admin.
                { name: args.schema, template: "template0", allowConnections: true },
                dataBearing(args.deletion, child),
            );
            new postgresql.Grant(
                `${name}/revoke-public`,
                { database: database.name, role: "public", objectType: "database", privileges: [] },
                child,
            );
            new postgresql.Grant(
                `${name}/database-privileges`,
                { database: database.name, role: role.name, objectType: "database", privileges: ["CONNECT", "CREATE", "TEMPORARY"] },
                child,
            );
            new postgresql.Grant(
                `${name}/public-schema`,
                { database: database.name, schema: "public", role: role.name, objectType: "schema", privileges: ["CREATE", "USAGE"] },
                child,
            );
            this.schema = "public";
            this.database = args.schema;
            this.uri = pulumi.secret(
                pulumi.all([role.name, this.password, database.name]).apply(([r, p, d]) => databaseUri(r, p, args.database, d)),
            );
            this.registerOutputs({ database: this.database });
            return;
        }
        const schema = new postgresql.Schema(
            `${name}/schema`,
            { name: args.schema, database: args.database.name, owner: role.name, ifNotExists: true, dropCascade: false },
            dataBearing(args.deletion, child),
        );
        new postgresql.Grant(
            `${name}/connect`,
            {
                database: args.database.name,
                role: role.name,
                objectType: "database",
                privileges: args.createsOwnSchema === true ? ["CONNECT", "CREATE"] : ["CONNECT"],
            },
            child,
        );
        this.schema = args.schema;
        this.database = args.database.name;
        this.uri = pulumi.secret(pulumi.all([role.name, this.password, schema.name]).apply(([r, p]) => databaseUri(r, p, args.database)));
        this.registerOutputs({ schema: this.schema });
    }
}
