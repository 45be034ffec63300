/**
 * Issue 12, problem 1: rotating a shared secret value or changing a database setting must not
 * replace a protected resource. Two evaluations of the pro fixture stack, before and after
 * `pulumi config set --secret tenant-apps:aiApiKey …` and a new RDS host, compared against the
 * ForceNew table (model/forceNew.ts).
 */
import { strict as assert } from "node:assert";
import { forceNewTable } from "../../model/forceNew";
import { dataProtected } from "../../policy/dataChecks";
import { typeTokens } from "../../model/typeTokens";
import { buildPlan, type Plan } from "../../render/plan";
import { blockedReplacements, replacementsBetween } from "../../render/replacements";
import { evaluate, stackConfig } from "../support/harness";
import { acmeCatalog } from "../support/acme";

/** One hyperfy2 world: database, storage and a secret with the shared AI key. */
const catalog = acmeCatalog(["name: world", "type: hyperfy2", "image: ghcr.io/numengames/numinia-hyperfy2:1.4.2", "timeoutSeconds: 600"]);

const database = JSON.parse(stackConfig("pro").config["tenant-apps:database"] ?? "{}") as Record<string, unknown>;

async function planWith(aiApiKey: string, host: string): Promise<Plan> {
    const ev = await evaluate("pro", {
        catalog,
        config: { "tenant-apps:aiApiKey": aiApiKey, "tenant-apps:database": { ...database, sslMode: "verify-full", host } },
        secretKeys: ["tenant-apps:aiApiKey"],
    });
    return buildPlan(ev);
}

describe("rotation is never blocked", () => {
    let base: Plan;
    let rotated: Plan;
    before(async () => {
        base = await planWith("sk-rotation-before-0123456789", String(database.host));
        rotated = await planWith("sk-rotation-after-9876543210", "numinia-shared-2.cluster-c8x2k4q1zt7m.eu-west-1.rds.amazonaws.com");
    });

    it("replaces only secret versions, none of them protected", () => {
        const replaced = replacementsBetween(base, rotated);
        assert.deepEqual(
            replaced.map((r) => [r.type, r.inputs, r.protect]),
            replaced.map(() => [typeTokens.secretVersion, ["secretString"], false]),
        );
        assert.deepEqual(
            replaced.map((r) => r.name),
            ["acme/world/secret/version"],
        );
    });

    it("blocks nothing: no protected resource has a replace-triggering input that changed", () => {
        assert.deepEqual(blockedReplacements(base, rotated), []);
    });

    it("still protects the secret, schema, role and S3 objects, and keeps every version in the cloud", () => {
        for (const type of [typeTokens.secret, typeTokens.pgSchema, typeTokens.pgRole, typeTokens.bucketObjectV2]) {
            const found = rotated.resources.filter((r) => r.type === type);
            assert.ok(found.length > 0, type);
            for (const r of found) assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, true, true]);
        }
        for (const r of rotated.resources.filter((x) => x.type === typeTokens.secretVersion))
            assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, false, true]);
    });

    it("cites a source for every ForceNew row it relies on", () => {
        assert.deepEqual(
            forceNewTable.map((row) => [row.type, row.inputs]),
            [
                [typeTokens.secretVersion, ["secretId", "secretString"]],
                [typeTokens.secret, ["name", "namePrefix"]],
                [typeTokens.pgSchema, ["database"]],
                [typeTokens.pgRole, []],
                [typeTokens.bucketObjectV2, ["bucket", "key"]],
            ],
        );
        for (const row of forceNewTable) assert.match(row.source, /\.go@[0-9a-f]{7}/);
    });
});

describe("the policy pack never blocks a rotation", () => {
    it("refuses protect on a secret version in any stack, and no longer asks for it in pro", () => {
        const refused = [
            "a secret version must not be protected: a new value replaces the version (secret_string is ForceNew), so protect blocks every rotation",
        ];
        assert.deepEqual(dataProtected(typeTokens.secretVersion, true, { environment: "pro" }), refused);
        assert.deepEqual(dataProtected(typeTokens.secretVersion, true, { environment: "pre" }), refused);
        assert.deepEqual(dataProtected(typeTokens.secretVersion, false, { environment: "pro" }), []);
        assert.deepEqual(dataProtected(typeTokens.secret, false, { environment: "pro" }), [
            "a data-bearing resource in pro must be protected (resource option protect: true)",
        ]);
    });
});
