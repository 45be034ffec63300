/**
 * plan.json records the Kubernetes provider's cluster identity (a new one replaces every
 * Kubernetes object) and a summary of deletion protection, so render:diff can call both out.
 */
import { strict as assert } from "node:assert";
import { buildPlan } from "../../render/plan";
import { declarationsOf } from "../../render/planSafety";
import { evaluate, stackConfig } from "../support/harness";

const agentAndWeb = {
    "acme.yaml": `organization: acme
domain: acme.example.com
apps:
  - name: guide
    type: eliza
    image: ghcr.io/acme/guide:1.0.0
    database: true
    agent: { modelProvider: openai }
  - name: web
    type: custom
    image: ghcr.io/acme/web:1.0.0
    port: 8080
`,
};

const context = "arn:aws:eks:eu-west-1:482103417651:cluster/production-numinia";

describe("plan.json's cluster identity and protection summary", () => {
    it("names the provider's identity and context, and protects every data-bearing resource in pro, the agent's database included", async () => {
        const plan = buildPlan(await evaluate("pro", { catalog: agentAndWeb }));
        assert.deepEqual(plan.cluster, {
            identity: context,
            provider: "urn:pulumi:pro::tenant-apps::pulumi:providers:kubernetes::cluster",
            context,
        });
        // The agent's database, its role and its secret, and the web app's secret.
        assert.deepEqual(plan.protection, { dataBearing: 4, protected: 4, retained: 4, unprotected: [] });
        const database = plan.resources.find((r) => r.type === "postgresql:index/database:Database");
        assert.equal(database?.protect, true);
    });

    it("records a declared rebinding and an acknowledged unprotected pro, and lists what is unprotected", async () => {
        const config = {
            "tenant-apps:kubernetes": { context: "new-cluster", rebindFrom: context },
            "tenant-apps:deletion": { protect: false, retainOnDelete: true, recoveryWindowInDays: 30 },
            "tenant-apps:acknowledge": { unprotectedInPro: "the pro stack is being rebuilt from backups" },
        };
        const ev = await evaluate("pro", { catalog: agentAndWeb, config });
        const plan = buildPlan(ev, undefined, declarationsOf(stackConfig("pro", { config }).config));
        assert.deepEqual(plan.cluster, {
            identity: "new-cluster",
            provider: "urn:pulumi:pro::tenant-apps::pulumi:providers:kubernetes::cluster",
            context: "new-cluster",
            rebindFrom: context,
        });
        assert.equal(plan.protection?.protected, 0);
        assert.equal(plan.protection?.acknowledged, "the pro stack is being rebuilt from backups");
        assert.deepEqual(
            plan.protection?.unprotected.map((urn) => urn.slice(urn.lastIndexOf("::") + 2)),
            ["acme/guide/database/database", "acme/guide/database/role", "acme/guide/secret/secret", "acme/web/secret/secret"],
        );
    });

    it("refuses turning protection off in pro without an acknowledgement", async () => {
        await assert.rejects(
            evaluate("pro", {
                catalog: agentAndWeb,
                config: { "tenant-apps:deletion": { protect: false, retainOnDelete: true, recoveryWindowInDays: 30 } },
            }),
            /tenant-apps:deletion: protect: false turns off deletion safety of every schema, database, role, secret and assets folder in pro; restore it, or, if it is intended, say why in tenant-apps:acknowledge.unprotectedInPro/,
        );
    });
});
