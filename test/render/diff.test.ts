import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, diffResource, formatDiffMarkdown, type PlanDiff } from "../../render/diff";
import type { PlanResource } from "../../render/plan";
import { renderStack, type Render } from "../../render/render";
import { writeRender } from "../../render/write";
import { fixtureCatalogDir, repoRoot, stackConfig, writeCatalog } from "../support/harness";

/** The fixture pro catalog with `edit` applied to the named file. */
function proCatalogWith(file: string, edit: (text: string) => string): string {
    const dir = fixtureCatalogDir("pro");
    const files: Record<string, string> = {};
    for (const f of fs.readdirSync(dir)) files[f] = fs.readFileSync(path.join(dir, f), "utf8");
    files[file] = edit(files[file] ?? "");
    return writeCatalog(files);
}

/** The lines of the markdown section that starts with `heading`, up to the next heading. */
function section(markdown: string, heading: string): string {
    const start = markdown.indexOf(heading);
    assert.ok(start >= 0, `no section ${heading} in:\n${markdown}`);
    const rest = markdown.slice(start + heading.length);
    const end = rest.search(/\n#{2,4} /);
    return end >= 0 ? rest.slice(0, end) : rest;
}

describe("npm run render:diff", () => {
    const aiModel = "gpt-secret-model-7b1e9c";
    const openaiApiKey = "sk-openai-secret-3c9d1e";
    let base: Render;
    let head: Render;
    let diff: PlanDiff;
    let markdown: string;
    before(async () => {
        base = await renderStack({ stack: "pro", config: stackConfig("pro") });
        // Head: r3s3t/world leaves, r3s3t/shop arrives, guide's image moves on, and a shared secret changes.
        const catalogDir = proCatalogWith("r3s3t.yaml", (text) =>
            text
                .replace(/ {2}- name: world\n( {4}.*\n)+/, "")
                .replace("eliza-agent:0.9.3", "eliza-agent:0.9.4")
                .concat("  - name: shop\n    type: custom\n    image: ghcr.io/r3s3t/shop:1.0.0\n    port: 8080\n"),
        );
        head = await renderStack({
            stack: "pro",
            config: stackConfig("pro", { config: { "tenant-apps:aiModel": aiModel, "tenant-apps:openaiApiKey": openaiApiKey } }),
            catalogDir,
        });
        diff = diffPlans(base.plan, head.plan);
        markdown = formatDiffMarkdown(diff);
    });

    it("reports the added and the removed app", () => {
        assert.deepEqual(diff.appsAdded, ["r3s3t/shop"]);
        assert.deepEqual(diff.appsRemoved, ["r3s3t/world"]);
        const added = section(markdown, "#### Added app `r3s3t/shop`");
        assert.match(added, /KNative Service `r3s3t-pro\/shop-pro`/);
        assert.match(added, /Secrets Manager secret `custom-r3s3t-shop-pro` \(retainOnDelete, protected\)/);
        assert.ok(diff.added.every((r) => r.organization === "r3s3t" && r.app === "shop"));
        assert.ok(diff.removed.every((r) => r.organization === "r3s3t" && r.app === "world"));
    });

    it("reports a changed field with its old and new value, grouped under its organization and app", () => {
        const ksvc = diff.changed.find((c) => c.after.name === "r3s3t/guide/service/service");
        assert.deepEqual(ksvc?.fields, [
            {
                path: "spec.template.spec.containers[name=app].image",
                kind: "changed",
                before: "ghcr.io/numengames/eliza-agent:0.9.3",
                after: "ghcr.io/numengames/eliza-agent:0.9.4",
            },
        ]);
        const org = markdown.indexOf("### Organization `r3s3t`");
        const changed = section(markdown, "#### Changed app `r3s3t/guide`");
        assert.ok(org >= 0 && markdown.indexOf("#### Changed app `r3s3t/guide`") > org);
        assert.ok(
            changed.includes(
                "- `spec.template.spec.containers[name=app].image`: `ghcr.io/numengames/eliza-agent:0.9.3` → `ghcr.io/numengames/eliza-agent:0.9.4`",
            ),
            changed,
        );
    });

    it("shows a changed secret field only as changed, never its value", () => {
        const version = diff.changed.find((c) => c.after.name === "r3s3t/guide/secret/version");
        // The key that changed, its shape before and after, never its value.
        assert.deepEqual(version?.fields, [{ path: "secretString.OPENAI_API_KEY", kind: "changed", before: "(empty)", after: "[secret]" }]);
        assert.ok(section(markdown, "#### Changed app `r3s3t/guide`").includes("- `secretString.OPENAI_API_KEY`: `(empty)` → `[secret]`"));
        assert.ok(!markdown.includes(aiModel));
        assert.ok(!markdown.includes(openaiApiKey));
        for (const secret of [...base.secretValues, ...head.secretValues]) assert.ok(!markdown.includes(secret));
    });

    it("says which data of the removed app stays in the cloud and which resources are deleted", () => {
        const removed = section(markdown, "#### Removed app `r3s3t/world`");
        const retained = removed.slice(removed.indexOf("**Retained in the cloud**"), removed.indexOf("**Deleted:**"));
        const deleted = removed.slice(removed.indexOf("**Deleted:**"), removed.indexOf("> [!WARNING]"));
        for (const line of [
            "- PostgreSQL schema `world_r3s3t_pro` (retainOnDelete, protected)",
            "- PostgreSQL role `world_r3s3t_pro` (retainOnDelete, protected)",
            "- Secrets Manager secret `hyperfy2-r3s3t-world-pro` (retainOnDelete, protected)",
            "- S3 object `s3://numinia-statics/hyperfy-spaces/r3s3t/world/pro/assets/` (retainOnDelete, protected)",
        ]) {
            assert.ok(retained.includes(line), `${line} not retained in:\n${removed}`);
        }
        for (const line of [
            "- KNative Service `r3s3t-pro/world-pro`",
            "- IAM role `r3s3t-world-pro`",
            "- KNative DomainMapping `r3s3t-pro/world.r3s3t.xyz`",
        ]) {
            assert.ok(deleted.includes(line), `${line} not deleted in:\n${removed}`);
        }
        for (const kind of ["PostgreSQL schema", "PostgreSQL role", "Secrets Manager secret", "S3 object"])
            assert.ok(!deleted.includes(`- ${kind} \``), kind);
        // In pro the retained resources are also protected: say that pulumi up stops, and how to let them go.
        const schema = diff.removed.find((r) => r.name === "r3s3t/world/database/schema");
        assert.ok(removed.includes(`> pulumi state unprotect --stack pro --yes '${schema?.urn}'`), removed);
    });

    it("reports nothing for two renders of the same catalog", async () => {
        const again = await renderStack({ stack: "pro", config: stackConfig("pro") });
        const same = diffPlans(base.plan, again.plan);
        assert.equal(same.added.length + same.removed.length + same.changed.length, 0);
        assert.match(formatDiffMarkdown(same), /No changes/);
    });

    it("runs as a command over two render directories", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-render-diff-"));
        writeRender(path.join(dir, "base"), base.files);
        writeRender(path.join(dir, "head"), head.files);
        const cli = path.join(repoRoot, "dist", "render", "diffCli.js");
        const run = spawnSync(process.execPath, [cli, "base", "head"], {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, npm_lifecycle_event: "" },
        });
        assert.equal(run.status, 0, run.stderr);
        const lines = run.stdout.split("\n");
        assert.deepEqual(lines.slice(0, 18), [
            "<!-- tenant-apps render diff -->",
            "## Render diff of stack `pro`",
            "",
            "`base` → `head`: **1 app added, 1 removed, 3 changed**; resources: 10 to add, 23 to remove, 4 to change (components not counted).",
            "",
            "### Organization `active-inference`",
            "",
            "#### Changed app `active-inference/agent`",
            "",
            "**Changed:**",
            "- Secrets Manager secret version `eliza-active-inference-agent-pro`",
            "  - `secretString.OPENAI_API_KEY`: `(empty)` → `[secret]`",
            "",
            "### Organization `numinia`",
            "",
            "#### Changed app `numinia/plaza`",
            "",
            "**Changed:**",
        ]);
        assert.ok(lines.includes("#### Added app `r3s3t/shop`"), run.stdout);
        assert.ok(lines.includes("#### Removed app `r3s3t/world`"), run.stdout);
        const missing = spawnSync(process.execPath, [cli, "base", "nowhere"], { cwd: dir, encoding: "utf8" });
        assert.equal(missing.status, 2);
        assert.equal(
            missing.stderr,
            "error: head render nowhere: not found; run `npm run render -- --stack <stack> --out nowhere` first\n",
        );
    });
});

describe("render:diff of an app's secret keys", () => {
    const version = (keys: Record<string, { shape: string; fingerprint: string }>, fp: string): PlanResource => ({
        urn: "urn:pulumi:pro::tenant-apps::aws:secretsmanager/secretVersion:SecretVersion::acme/web/secret/version",
        name: "acme/web/secret/version",
        type: "aws:secretsmanager/secretVersion:SecretVersion",
        custom: true,
        protect: false,
        retainOnDelete: true,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        inputs: { secretString: "[secret]" },
        secretInputs: ["secretString"],
        secretFingerprints: { secretString: fp },
        secretKeys: { secretString: keys },
        dependencies: [],
    });

    it("reports keys added, removed and changed by shape, and a changed secret part only as changed", () => {
        const before = version(
            {
                DB_URI: { shape: "postgres://web_acme_pro:[secret]@db:5432/numinia?sslmode=require", fingerprint: "a" },
                JWT_SECRET: { shape: "[secret]", fingerprint: "b" },
                AI_MODEL: { shape: "[secret]", fingerprint: "c" },
            },
            "x",
        );
        const after = version(
            {
                DB_URI: { shape: "postgres://web_acme_pro:[secret]@db:5432/numinia?sslmode=verify-full", fingerprint: "d" },
                JWT_SECRET: { shape: "[secret]", fingerprint: "e" },
                POSTGRES_URL: { shape: "postgres://web_acme_pro:[secret]@db:5432/web_acme_pro?sslmode=verify-full", fingerprint: "f" },
            },
            "y",
        );
        assert.deepEqual(diffResource(before, after), [
            { path: "secretString.AI_MODEL", kind: "removed", before: "[secret]" },
            {
                path: "secretString.DB_URI",
                kind: "changed",
                before: "postgres://web_acme_pro:[secret]@db:5432/numinia?sslmode=require",
                after: "postgres://web_acme_pro:[secret]@db:5432/numinia?sslmode=verify-full",
            },
            { path: "secretString.JWT_SECRET", kind: "secret changed" },
            {
                path: "secretString.POSTGRES_URL",
                kind: "added",
                after: "postgres://web_acme_pro:[secret]@db:5432/web_acme_pro?sslmode=verify-full",
            },
        ]);
    });
});
