/** Applies the PostgreSQL resources of a plan to the test server, as the provider would, logged in as a given admin. */
import type { Evaluation, RecordedResource } from "../../render/evaluate";
import { applyDatabase, applyGrant, applyRole, applySchema, type TestPostgres } from "./postgres";
import { types } from "./plan";

const str = (r: RecordedResource, key: string): string => String(r.inputs[key]);

/**
 * Every PostgreSQL resource of the plan in dependency order (roles, databases, schemas, grants),
 * run as `admin`: the RDS-like master, or an environment's own database admin.
 */
export async function applyPlan(
    pg: TestPostgres,
    plan: Evaluation,
    admin: { readonly user: string; readonly password: string },
): Promise<void> {
    const of = (type: string) => plan.resources.filter((r) => r.type === type);
    const master = await pg.connect(admin.user, admin.password, pg.sharedDatabase);
    try {
        for (const r of of(types.role))
            await applyRole(master, str(r, "name"), str(r, "password"), String((r.inputs.searchPaths as string[])[0]));
        for (const r of of(types.database)) await applyDatabase(master, str(r, "name"));
        for (const r of of(types.schema)) await applySchema(master, str(r, "name"), str(r, "owner"));
    } finally {
        await master.end();
    }
    for (const r of of(types.grant)) {
        // A schema grant runs in the schema's database; a database grant from the shared one.
        const onSchema = r.inputs.objectType === "schema";
        const client = await pg.connect(admin.user, admin.password, onSchema ? str(r, "database") : pg.sharedDatabase);
        try {
            await applyGrant(client, {
                objectType: onSchema ? "schema" : "database",
                object: onSchema ? str(r, "schema") : str(r, "database"),
                role: str(r, "role"),
                privileges: r.inputs.privileges as string[],
            });
        } finally {
            await client.end();
        }
    }
}
