import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PlatformConfig } from "../model/config";
import { dataBearing } from "./options";
import { typeTokens } from "../model/typeTokens";

export interface TenantDatabaseArgs {
    /** Schema name; the login role has the same name and owns the schema. */
    readonly schema: string;
    readonly database: PlatformConfig["database"];
    readonly deletion: PlatformConfig["deletion"];
    /** Provider connected to the shared RDS as its admin user. */
    readonly provider: postgresql.Provider;
}

/** `postgres://role:password@host:port/db?sslmode=…`, with the password URL-encoded. */
export function databaseUri(role: string, password: string, db: PlatformConfig["database"]): string {
    return `postgres://${role}:${encodeURIComponent(password)}@${db.host}:${db.port}/${db.name}?sslmode=${db.sslMode}`;
}

/**
 * One app's place in the shared PostgreSQL: a LOGIN role with a generated password, a
 * schema it owns (never dropped, never with CASCADE) and CONNECT on the database.
 */
export class TenantDatabase extends pulumi.ComponentResource {
    readonly schema: string;
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
                searchPaths: [args.schema],
                // Never REASSIGN/DROP OWNED on delete: that would drop the schema's tables.
                skipReassignOwned: true,
                skipDropRole: true,
            },
            dataBearing(args.deletion, child),
        );
        const schema = new postgresql.Schema(
            `${name}/schema`,
            { name: args.schema, database: args.database.name, owner: role.name, ifNotExists: true, dropCascade: false },
            dataBearing(args.deletion, child),
        );
        new postgresql.Grant(
            `${name}/connect`,
            { database: args.database.name, role: role.name, objectType: "database", privileges: ["CONNECT"] },
            child,
        );
        this.schema = args.schema;
        this.uri = pulumi.secret(pulumi.all([role.name, this.password, schema.name]).apply(([r, p]) => databaseUri(r, p, args.database)));
        this.registerOutputs({ schema: this.schema });
    }
}
