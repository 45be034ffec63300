/**
 * render:diff refuses a change that replaces every Kubernetes object (a new cluster identity)
 * or exposes pro's data to deletion (protection off), unless the head's stack config declares
 * it; the comment says so at its top and the command exits 3, which fails the pull-request job.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatDiffMarkdown } from "../../render/diff";
import type { Plan, PlanResource } from "../../render/plan";
import { riskyChanges } from "../../render/riskyChanges";
import { repoRoot } from "../support/harness";
import { planResource } from "../support/plans";

const providerUrn = "urn:pulumi:pro::tenant-apps::pulumi:providers:kubernetes::cluster";

const resource = (name: string, type: string, extra: Partial<PlanResource> = {}): PlanResource =>
    planResource(name, type, { protect: true, retainOnDelete: true, ...extra });

const k8s = ["namespace", "service", "mapping"].map((n) =>
    resource(`acme/${n}`, "kubernetes:core/v1:Namespace", { provider: `${providerUrn}::id` }),
);
const schema = resource("acme/web/schema", "postgresql:index/schema:Schema");

function plan(
    identity: string,
    options: { rebindFrom?: string; unprotected?: string[]; acknowledged?: string; stack?: string } = {},
): Plan {
    return {
        formatVersion: 1,
        stack: options.stack ?? "pro",
        secretMarker: "[secret]",
        note: "stand-ins",
        apps: [],
        resources: [...k8s, schema],
        cluster: { identity, provider: providerUrn, ...(options.rebindFrom !== undefined ? { rebindFrom: options.rebindFrom } : {}) },
        protection: {
            dataBearing: 1,
            protected: 1 - (options.unprotected?.length ?? 0),
            retained: 1,
            unprotected: options.unprotected ?? [],
            ...(options.acknowledged !== undefined ? { acknowledged: options.acknowledged } : {}),
        },
    };
}

const oldCluster = "numinia-pro";
const newCluster = "numinia-pro-2";

describe("render:diff calls out changes that look small but are not", () => {
    it("refuses a new cluster identity that the head does not declare, counting the objects it replaces", () => {
        const changes = riskyChanges(plan(oldCluster), plan(newCluster));
        assert.deepEqual(
            changes.map((c) => [c.kind, c.declared]),
            [["cluster rebinding", false]],
        );
        const markdown = formatDiffMarkdown(diffPlans(plan(oldCluster), plan(newCluster)));
        assert.ok(
            markdown.includes(
                "> [!CAUTION]\n> **Refused: 1 change that looks small but is not.**\n" +
                    "> - cluster rebinding: the stack's Kubernetes provider moves from cluster `numinia-pro` to `numinia-pro-2`: " +
                    "Pulumi replaces the provider and every one of the 3 Kubernetes objects it manages (namespaces, services, domain mappings), " +
                    "deleting them from the old cluster. If this is intended, declare it in the stack config: " +
                    "`tenant-apps:kubernetes.rebindFrom: numinia-pro`.\n",
            ),
            markdown,
        );
    });

    it("accepts a rebinding declared from the base's identity, and still warns", () => {
        const changes = riskyChanges(plan(oldCluster), plan(newCluster, { rebindFrom: oldCluster }));
        assert.deepEqual(
            changes.map((c) => [c.kind, c.declared]),
            [["cluster rebinding", true]],
        );
        const markdown = formatDiffMarkdown(diffPlans(plan(oldCluster), plan(newCluster, { rebindFrom: oldCluster })));
        assert.ok(markdown.includes("> [!WARNING]\n> **Declared changes that replace or expose data:**\n> - cluster rebinding:"), markdown);
        assert.ok(!markdown.includes("[!CAUTION]"), markdown);
    });

    it("refuses a declaration that names another identity than the base's", () => {
        assert.deepEqual(
            riskyChanges(plan(oldCluster), plan(newCluster, { rebindFrom: "some-other" })).map((c) => c.declared),
            [false],
        );
    });

    it("refuses data-bearing resources newly unprotected in pro, unless the stack says why; pre is not checked", () => {
        const off = plan(oldCluster, { unprotected: [schema.urn] });
        assert.deepEqual(
            riskyChanges(plan(oldCluster), off).map((c) => [c.kind, c.declared, c.what]),
            [
                [
                    "protection off in pro",
                    false,
                    "1 data-bearing resource of pro lose `protect`: removing an app would then delete its data. " +
                        "First: `urn:pulumi:pro::tenant-apps::postgresql:index/schema:Schema::acme/web/schema`.",
                ],
            ],
        );
        const acknowledged = plan(oldCluster, { unprotected: [schema.urn], acknowledged: "migrating the schema to a new cluster" });
        assert.deepEqual(
            riskyChanges(plan(oldCluster), acknowledged).map((c) => [c.declared, c.declaration]),
            [[true, "declared: `migrating the schema to a new cluster`"]],
        );
        assert.deepEqual(
            riskyChanges(plan(oldCluster, { stack: "pre" }), plan(oldCluster, { stack: "pre", unprotected: [schema.urn] })),
            [],
        );
        // Already unprotected in the base: nothing new to call out.
        assert.deepEqual(riskyChanges(off, off), []);
    });

    it("exits 3 for an undeclared rebinding, so the pull-request job fails", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-risky-"));
        try {
            for (const [side, p] of [
                ["base", plan(oldCluster)],
                ["head", plan(newCluster)],
            ] as const) {
                fs.mkdirSync(path.join(dir, side));
                fs.writeFileSync(path.join(dir, side, "plan.json"), JSON.stringify(p));
            }
            const run = spawnSync(process.execPath, [path.join(repoRoot, "dist", "render", "diffCli.js"), "base", "head"], {
                cwd: dir,
                encoding: "utf8",
            });
            assert.equal(run.status, 3, run.stderr);
            assert.ok(run.stdout.includes("**Refused: 1 change that looks small but is not.**"), run.stdout);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
