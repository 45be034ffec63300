import { strict as assert } from "node:assert";
import { DiffKind, type EngineEvent } from "@pulumi/pulumi/automation";
import { collectChanges } from "../../automation/changes";
import { appOutcomes, appRows, renderAppTable } from "../../automation/deployReport";
import { detectDrift, isControllerOwned, pathSegments, renderDrift, unexplainedChangeCount } from "../../automation/driftReport";
import { hasChanges, renderPreviewMarkdown, summarizePreview } from "../../automation/previewReport";
import { ownerOf, parseUrn } from "../../automation/urn";
import { events } from "./support";

const P = "urn:pulumi:pro::tenant-apps::";
const org = "tenant-apps:index:TenantOrganization";
const app = "tenant-apps:index:TenantApp";

describe("automation: engine-event summary", () => {
    describe("ownership from URNs", () => {
        it("splits a URN into stack, project, type chain and logical name", () => {
            const urn = `${P}${org}$${app}$tenant-apps:chain:TenantIdentity$aws:iam/role:Role::r3s3t/world/identity/role`;
            assert.deepEqual(parseUrn(urn), {
                stack: "pro",
                project: "tenant-apps",
                typeChain: [org, app, "tenant-apps:chain:TenantIdentity", "aws:iam/role:Role"],
                type: "aws:iam/role:Role",
                name: "r3s3t/world/identity/role",
            });
        });

        it("attributes app resources to org/app, namespace resources to the organization, the rest to the platform", () => {
            assert.deepEqual(ownerOf(`${P}${org}$${app}$tenant-apps:chain:TenantIdentity$aws:iam/role:Role::r3s3t/world/identity/role`), {
                kind: "app",
                organization: "r3s3t",
                app: "world",
            });
            assert.deepEqual(ownerOf(`${P}${org}$${app}::r3s3t/world`), { kind: "app", organization: "r3s3t", app: "world" });
            assert.deepEqual(ownerOf(`${P}${org}$tenant-apps:chain:TenantNamespace$kubernetes:core/v1:ResourceQuota::r3s3t/quota`), {
                kind: "organization",
                organization: "r3s3t",
            });
            assert.deepEqual(ownerOf(`${P}${org}::r3s3t`), { kind: "organization", organization: "r3s3t" });
            assert.deepEqual(ownerOf(`${P}pulumi:providers:postgresql::shared-rds`), { kind: "platform" });
            assert.deepEqual(ownerOf(`${P}pulumi:pulumi:Stack::tenant-apps-pro`), { kind: "platform" });
        });

        it("is just as right with only the nearest parent in the URN (as the mock runtime writes them)", () => {
            assert.deepEqual(ownerOf(`${P}tenant-apps:chain:TenantIdentity$aws:iam/role:Role::r3s3t/world/identity/role`), {
                kind: "app",
                organization: "r3s3t",
                app: "world",
            });
            assert.deepEqual(ownerOf(`${P}tenant-apps:chain:TenantNamespace$kubernetes:core/v1:Namespace::r3s3t/namespace`), {
                kind: "organization",
                organization: "r3s3t",
            });
        });
    });

    describe("a preview of pro (recorded events: image bump, schema replacement, quota change, new app, removed app)", () => {
        const recorded = events("preview-pro.json");
        const preview = summarizePreview("pro", recorded);
        const markdown = renderPreviewMarkdown([preview]);

        it("collapses a replacement's create-replacement/replace/delete-replaced steps into one replace with its keys", () => {
            const schema = collectChanges(recorded).filter((c) => c.name === "r3s3t/world/database/schema");
            assert.equal(schema.length, 1);
            assert.equal(schema[0]?.op, "replace");
            assert.deepEqual(schema[0]?.replaceKeys, ["name"]);
        });

        it("counts by operation like the engine's own summary event", () => {
            const engine = recorded.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges;
            assert.ok(markdown.includes("### Stack `pro`: 10 to create, 2 to update, 1 to replace, 4 to delete, 11 unchanged"));
            assert.deepEqual(engine, { create: 10, update: 2, replace: 1, delete: 4, same: 11 });
            for (const [op, n] of [
                ["create", 10],
                ["update", 2],
                ["replace", 1],
                ["delete", 4],
                ["unchanged", 11],
            ])
                assert.ok(markdown.includes(`| ${op} | ${n} |`), `${op} ${n}`);
        });

        it("calls out the replacement with the property forcing it, and the deletions", () => {
            assert.match(markdown, /:warning: 1 replacement\*\*/);
            assert.ok(
                markdown.includes(
                    "- `+-` replace `r3s3t/world/database/schema` (postgresql:index/schema:Schema) — replaced because of `name`",
                ),
            );
            assert.match(markdown, /:warning: 3 deletions:\*\*/);
            assert.ok(markdown.includes("- `-` delete `active-inference/agent/service/service`"));
        });

        it("tabulates changes per organization and app, the namespace row first", () => {
            const rows = markdown.split("\n").filter((line) => /^\| [a-z0-9-]+ \| [^|]+ \| \d+ \| \d+ \| \d+ \| \d+ \|$/.test(line));
            assert.deepEqual(rows, [
                "| active-inference | agent | 0 | 0 | 0 | 4 |",
                "| numinia | lobby | 10 | 0 | 0 | 0 |",
                "| r3s3t | (namespace) | 0 | 1 | 0 | 0 |",
                "| r3s3t | world | 0 | 1 | 1 | 0 |",
            ]);
        });

        it("lists changed resources with the properties that differ, and leaves warnings and unchanged resources out", () => {
            assert.ok(markdown.includes("- `~` update `r3s3t/world/service/service` (kubernetes:serving.knative.dev/v1:Service) — `spec`"));
            assert.ok(markdown.includes("<summary>15 changed resources</summary>"));
            assert.ok(!markdown.includes("r3s3t/guide"));
            assert.ok(!markdown.includes("external-domain-tls"));
            assert.equal(hasChanges(preview), true);
        });
    });

    it("says there is nothing to do for a clean preview", () => {
        const preview = summarizePreview("pre", events("preview-pre-clean.json"));
        assert.equal(hasChanges(preview), false);
        assert.equal(
            renderPreviewMarkdown([preview]),
            "## Pulumi preview: `pre`\n\n### Stack `pre`: no changes (6 unchanged)\n\nNothing to do: the stack matches the catalog.\n",
        );
    });

    it("shows a failed preview with its reason, error diagnostics and policy violations", () => {
        const failing: EngineEvent[] = [
            {
                sequence: 1,
                timestamp: 0,
                diagnosticEvent: {
                    urn: `${P}pulumi:pulumi:Stack::tenant-apps-pro`,
                    message: "catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label\n",
                    color: "never",
                    severity: "error",
                },
            },
            {
                sequence: 2,
                timestamp: 0,
                policyEvent: {
                    resourceUrn: `${P}${org}$${app}$tenant-apps:chain:KnativeService$kubernetes:serving.knative.dev/v1:Service::r3s3t/world/service/service`,
                    message: "image uses :latest",
                    color: "never",
                    policyName: "pinned-images",
                    policyPackName: "tenant-apps",
                    policyPackVersion: "0.1.0",
                    policyPackVersionTag: "v0.1.0",
                    enforcementLevel: "mandatory",
                },
            },
        ];
        const markdown = renderPreviewMarkdown([summarizePreview("pro", failing, "error: preview failed | see above")]);
        assert.ok(markdown.includes("### Stack `pro`: preview failed"));
        assert.ok(markdown.includes("```\nerror: preview failed | see above\n```"));
        assert.ok(markdown.includes("- :x: `tenant-apps-pro`: catalog: stacks/pro/r3s3t.yaml: apps[0].name: must be a DNS label"));
        assert.ok(
            markdown.includes("- :x: policy tenant-apps/pinned-images (mandatory): `r3s3t/world/service/service`: image uses :latest"),
        );
    });

    it("escapes table-breaking characters in names", () => {
        const urn = `${P}${org}$${app}$aws:iam/role:Role::acme/a|b/role`;
        const preview = summarizePreview("pro", [
            {
                sequence: 1,
                timestamp: 0,
                resourcePreEvent: {
                    metadata: {
                        op: "create",
                        urn,
                        type: "aws:iam/role:Role",
                        provider: "",
                        new: { type: "aws:iam/role:Role", urn, custom: true, id: "", parent: "", inputs: {}, outputs: {}, provider: "" },
                    },
                },
            },
        ]);
        assert.ok(renderPreviewMarkdown([preview]).includes("| acme | a\\|b | 1 | 0 | 0 | 0 |"));
    });

    describe("deploy statuses from an update's events", () => {
        const apps = {
            "r3s3t/world": { type: "hyperfy2", url: "https://world.r3s3t.xyz" },
            "r3s3t/guide": { type: "eliza", url: "https://guide.r3s3t.xyz" },
            "numinia/lobby": { type: "hyperfy2", url: "https://lobby.numinia.xyz" },
        };

        it("marks new apps created, changed ones updated, untouched ones unchanged and removed ones removed", () => {
            const rows = appRows(apps, appOutcomes(events("up-pro.json")));
            assert.deepEqual(
                rows.map((r) => [`${r.organization}/${r.app}`, r.status]),
                [
                    ["active-inference/agent", "removed"],
                    ["numinia/lobby", "created"],
                    ["r3s3t/guide", "unchanged"],
                    ["r3s3t/world", "updated (1 changed)"],
                ],
            );
            const table = renderAppTable(rows);
            assert.match(table, /^\| app {20}\| type {5}\| url {23}\| status {14}\|\n\|-+\|/);
            assert.ok(table.includes("| numinia/lobby          | hyperfy2 | https://lobby.numinia.xyz | created             |"));
        });

        it("marks the app whose resource failed, and apps the failed update never reached", () => {
            const rows = appRows(apps, appOutcomes(events("up-pro-failed.json")), false);
            assert.deepEqual(
                rows.map((r) => [`${r.organization}/${r.app}`, r.status]),
                [
                    ["numinia/lobby", "failed"],
                    ["r3s3t/guide", "not reached"],
                    ["r3s3t/world", "updated (1 changed)"],
                ],
            );
        });
    });

    describe("drift from a refresh preview's events (the engine's refresh diff)", () => {
        it("finds resources the engine reports changed or deleted outside Pulumi, however it reports them", () => {
            const drifted = detectDrift(events("refresh-pro-drift.json"));
            assert.deepEqual(
                drifted.map((d) => [d.name, d.kind, d.properties]),
                [
                    ["r3s3t/world/identity/role", "changed", ["maxSessionDuration", "tags"]],
                    ["r3s3t/guide/service/service", "deleted", []],
                    ["numinia/lobby/identity/policy", "changed", ["policy"]],
                ],
            );
            const report = renderDrift("pro", drifted);
            assert.ok(report.startsWith("Drift in stack pro: 3 resource(s) differ from the state.\n"));
            assert.ok(
                report.includes("r3s3t/world:\n  - r3s3t/world/identity/role (aws:iam/role:Role) changed: maxSessionDuration, tags\n"),
            );
            assert.ok(
                report.includes("  - r3s3t/guide/service/service (kubernetes:serving.knative.dev/v1:Service) deleted outside Pulumi\n"),
            );
        });

        it("is not drift when External Secrets rewrites status.refreshTime and resourceVersion", () => {
            const recorded = events("refresh-pro-eso.json");
            // The read outputs do differ, and the engine's summary counts both objects as updated:
            const outputs = recorded[2]?.resOutputsEvent?.metadata;
            assert.notDeepEqual(outputs?.old?.outputs, outputs?.new?.outputs);
            assert.deepEqual(recorded[recorded.length - 1]?.summaryEvent?.resourceChanges, { update: 2 });
            assert.deepEqual(detectDrift(recorded), []);
            assert.equal(unexplainedChangeCount(recorded), 0);
        });

        it("ignores what Kubernetes controllers own, and only on Kubernetes objects", () => {
            const es = "kubernetes:external-secrets.io/v1:ExternalSecret";
            for (const path of [
                "status",
                "status.refreshTime",
                "status.conditions[0].lastTransitionTime",
                "metadata.resourceVersion",
                "metadata.generation",
                "metadata.managedFields[2].time",
                "metadata.uid",
                "metadata.creationTimestamp",
                'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]',
            ])
                assert.equal(isControllerOwned(es, path), true, path);
            for (const path of ["spec.refreshInterval", "metadata.labels", 'metadata.annotations["team"]', "metadata.name", "statusCode"])
                assert.equal(isControllerOwned(es, path), false, path);
            assert.equal(isControllerOwned("aws:iam/role:Role", "status"), false);
            assert.deepEqual(pathSegments('metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]'), [
                "metadata",
                "annotations",
                "kubectl.kubernetes.io/last-applied-configuration",
            ]);
            assert.deepEqual(pathSegments("spec.template.spec.containers[0].image"), [
                "spec",
                "template",
                "spec",
                "containers",
                "0",
                "image",
            ]);
        });

        it("still reports a real change to a Kubernetes object next to the controller's rewrites", () => {
            const recorded = events("refresh-pro-eso.json").map((e) => {
                const meta = e.resOutputsEvent?.metadata;
                if (meta === undefined || !meta.urn.endsWith("external-secret")) return e;
                const detailedDiff = { ...meta.detailedDiff, "spec.refreshInterval": { diffKind: DiffKind.update, inputDiff: false } };
                return { ...e, resOutputsEvent: { ...e.resOutputsEvent, metadata: { ...meta, detailedDiff } } };
            });
            assert.deepEqual(
                detectDrift(recorded).map((d) => [d.name, d.kind, d.properties]),
                [["r3s3t/world/delivery/external-secret", "changed", ["spec"]]],
            );
        });

        it("does not compare the outputs read from the cloud: a refresh step without a reported diff is no drift", () => {
            const recorded = events("refresh-pro-drift.json").map((e) => {
                const meta = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata;
                if (meta === undefined || !meta.urn.endsWith("identity/role")) return e;
                const bare = { ...meta, diffs: [], detailedDiff: undefined };
                return e.resourcePreEvent
                    ? { ...e, resourcePreEvent: { ...e.resourcePreEvent, metadata: bare } }
                    : { ...e, resOutputsEvent: { metadata: bare } };
            });
            assert.deepEqual(
                detectDrift(recorded).map((d) => d.name),
                ["r3s3t/guide/service/service", "numinia/lobby/identity/policy"],
            );
        });

        it("finds none when the cloud matches the state", () => {
            const recorded = events("refresh-pro-clean.json");
            assert.deepEqual(detectDrift(recorded), []);
            assert.equal(unexplainedChangeCount(recorded), 0);
            assert.equal(renderDrift("pro", []), "No drift in stack pro: the cloud matches the state.\n");
        });

        it("falls back to the summary event's counts only when no resource event came at all", () => {
            const summaryOnly = events("refresh-pro-drift.json").filter((e) => e.summaryEvent !== undefined);
            assert.equal(unexplainedChangeCount(summaryOnly), 3);
            assert.equal(unexplainedChangeCount(events("refresh-pro-drift.json")), 0);
            assert.match(renderDrift("pro", [], 3), /3 resource\(s\) differ[\s\S]*sent no per-resource detail/);
        });
    });
});
