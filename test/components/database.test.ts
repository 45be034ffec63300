import { strict as assert } from "node:assert";
import * as postgresql from "@pulumi/postgresql";
import { TenantDatabase } from "../../components/database";
import type { Evaluation } from "../../render/evaluate";
import { construct, inventory, named, optionsOf } from "./support";

const database = {
    host: "db.example.internal",
    port: 5432,
    name: "numinia",
    adminSecretArn: "arn:aws:secretsmanager:eu-west-1:482103417651:secret:rds-admin-AbCdEf",
    sslMode: "verify-full" as const,
    adminSslMode: "require",
};
// The mocks' stand-in for the generated password of acme/api/database/password (32 characters).
const password = "LCbLlJ891GmsAGPCqOKFTUA0g6Be8e96";

describe("TenantDatabase alone", () => {
    const build = (deletion: { protect: boolean; retainOnDelete: boolean }) => () => {
        const provider = new postgresql.Provider("shared-rds", { host: database.host, username: "postgres", password: "admin" });
        const db = new TenantDatabase("acme/api/database", {
            schema: "api_acme_pro",
            database,
            deletion: { ...deletion, recoveryWindowInDays: 30 },
            provider,
        });
        return { schema: db.schema, uri: db.uri, password: db.password };
    };
    let pro: Evaluation;
    let pre: Evaluation;
    before(async () => {
        pro = await construct(build({ protect: true, retainOnDelete: true }));
        pre = await construct(build({ protect: false, retainOnDelete: true }), "pre");
    });

    it("creates a password, a role, a schema and a grant, and hands only the schema name to the component", () => {
        assert.deepEqual(inventory(pro), [
            "postgresql:index/grant:Grant acme/api/database/connect",
            "postgresql:index/role:Role acme/api/database/role",
            "postgresql:index/schema:Schema acme/api/database/schema",
            "pulumi:providers:postgresql shared-rds",
            "random:index/randomPassword:RandomPassword acme/api/database/password",
            "tenant-apps:chain:TenantDatabase acme/api/database",
        ]);
        assert.deepEqual(named(pro, "acme/api/database").inputs, { schema: "api_acme_pro" });
        assert.deepEqual(named(pro, "acme/api/database/password").inputs, { length: 32, special: false });
    });

    it("creates a LOGIN role without privileges that never reassigns or drops what it owns", () => {
        const role = named(pro, "acme/api/database/role");
        assert.deepEqual(role.inputs, {
            name: "api_acme_pro",
            login: true,
            password,
            superuser: false,
            createDatabase: false,
            createRole: false,
            inherit: false,
            searchPaths: ["api_acme_pro"],
            skipReassignOwned: true,
            skipDropRole: true,
        });
        assert.deepEqual(role.secretInputs, ["password"]);
    });

    it("creates the schema owned by the role, never with CASCADE, and grants only CONNECT", () => {
        assert.deepEqual(named(pro, "acme/api/database/schema").inputs, {
            name: "api_acme_pro",
            database: "numinia",
            owner: "api_acme_pro",
            ifNotExists: true,
            dropCascade: false,
        });
        assert.deepEqual(named(pro, "acme/api/database/connect").inputs, {
            database: "numinia",
            role: "api_acme_pro",
            objectType: "database",
            privileges: ["CONNECT"],
        });
    });

    it("runs every database resource through the given provider", () => {
        const provider = named(pro, "shared-rds");
        for (const name of ["acme/api/database/role", "acme/api/database/schema", "acme/api/database/connect"])
            assert.equal(named(pro, name).provider, `${provider.urn}::shared-rds`, name);
        assert.equal(named(pro, "acme/api/database/password").provider, undefined);
    });

    it("keeps role and schema when the app goes, protected as the stack says; the grant and password are neither", () => {
        for (const [ev, protect] of [
            [pro, true],
            [pre, false],
        ] as const) {
            assert.deepEqual(optionsOf(ev, "acme/api/database/role"), {
                parent: "acme/api/database",
                dependsOn: ["acme/api/database/password"],
                protect,
                retainOnDelete: true,
            });
            assert.deepEqual(optionsOf(ev, "acme/api/database/schema"), {
                parent: "acme/api/database",
                dependsOn: ["acme/api/database/role"],
                protect,
                retainOnDelete: true,
            });
        }
        assert.deepEqual(optionsOf(pro, "acme/api/database/connect"), {
            parent: "acme/api/database",
            dependsOn: ["acme/api/database/role"],
            protect: false,
            retainOnDelete: false,
        });
        assert.deepEqual(optionsOf(pro, "acme/api/database/password"), {
            parent: "acme/api/database",
            dependsOn: [],
            protect: false,
            retainOnDelete: false,
        });
    });

    it("gives the app a URI with the role's password, as a secret", () => {
        assert.deepEqual(pro.outputs, {
            schema: "api_acme_pro",
            uri: `postgres://api_acme_pro:${password}@db.example.internal:5432/numinia?sslmode=verify-full&sslrootcert=/etc/tenant-apps/db-ca/rds-ca.pem`,
            password,
        });
        assert.equal(pro.outputsSecret, true);
    });
});

describe("TenantDatabase of a runtime that creates its own schema, and of an agent with a database of its own", () => {
    const build = (kind: "schema" | "database", createsOwnSchema: boolean) => () => {
        const provider = new postgresql.Provider("shared-rds", { host: database.host, username: "postgres", password: "admin" });
        const db = new TenantDatabase("acme/app/database", {
            schema: "app_acme_pro",
            kind,
            createsOwnSchema,
            database,
            deletion: { protect: true, retainOnDelete: true, recoveryWindowInDays: 30 },
            provider,
        });
        return { schema: db.schema, database: db.database, uri: db.uri };
    };

    it("grants CONNECT and CREATE on the shared database when the runtime runs CREATE SCHEMA IF NOT EXISTS", async () => {
        const ev = await construct(build("schema", true));
        assert.deepEqual(named(ev, "acme/app/database/connect").inputs.privileges, ["CONNECT", "CREATE"]);
    });

    it("creates a database the admin owns, revokes PUBLIC, and gives the role CONNECT/CREATE/TEMPORARY and public's CREATE/USAGE", async () => {
        const ev = await construct(build("database", false));
        assert.deepEqual(inventory(ev), [
            "postgresql:index/database:Database acme/app/database/database",
            "postgresql:index/grant:Grant acme/app/database/database-privileges",
            "postgresql:index/grant:Grant acme/app/database/public-schema",
            "postgresql:index/grant:Grant acme/app/database/revoke-public",
            "postgresql:index/role:Role acme/app/database/role",
            "pulumi:providers:postgresql shared-rds",
            "random:index/randomPassword:RandomPassword acme/app/database/password",
            "tenant-apps:chain:TenantDatabase acme/app/database",
        ]);
        assert.deepEqual(named(ev, "acme/app/database/database").inputs, {
            name: "app_acme_pro",
            template: "template0",
            allowConnections: true,
        });
        assert.deepEqual(named(ev, "acme/app/database/revoke-public").inputs, {
            database: "app_acme_pro",
            role: "public",
            objectType: "database",
            privileges: [],
        });
        assert.deepEqual(named(ev, "acme/app/database/database-privileges").inputs.privileges, ["CONNECT", "CREATE", "TEMPORARY"]);
        assert.deepEqual(named(ev, "acme/app/database/public-schema").inputs, {
            database: "app_acme_pro",
            schema: "public",
            role: "app_acme_pro",
            objectType: "schema",
            privileges: ["CREATE", "USAGE"],
        });
        assert.deepEqual(named(ev, "acme/app/database/role").inputs.searchPaths, ["public"]);
        assert.deepEqual(optionsOf(ev, "acme/app/database/database").protect, true);
        assert.deepEqual(ev.outputs, {
            schema: "public",
            database: "app_acme_pro",
            uri: "postgres://app_acme_pro:nU3Uv6O74oWkFr1w3ywUxrw5SSnkiWQg@db.example.internal:5432/app_acme_pro?sslmode=verify-full&sslrootcert=/etc/tenant-apps/db-ca/rds-ca.pem",
        });
    });
});
