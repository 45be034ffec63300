import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { CatalogError, formatProblem, parseCatalog } from "../../../model/catalog";
import { maxEnvTotalBytes, maxManifestBytes } from "../../../model/rules";
import { renderStack } from "../../../render/render";
import { platformOf } from "../../support/fixtures";
import { stackConfig, writeCatalog } from "../../support/harness";

/** A one-app catalog whose app has `values` as env values, VAR0, VAR1, … */
const withEnv = (values: readonly string[]): string =>
    `organization: acme\ndomain: acme.io\napps:\n  - name: web\n    type: custom\n    image: ghcr.io/acme/web:1.0.0\n    port: 8080\n    env:\n${values.map((v, i) => `      VAR${i}: "${v}"\n`).join("")}`;

describe("runtime limits of an app's env (model/catalog/limits.ts)", () => {
    it("refuses an env over 256 KiB in total, naming the rule", () => {
        try {
            parseCatalog(
                [{ file: "acme.yaml", text: withEnv(["a".repeat(90_000), "b".repeat(90_000), "c".repeat(90_000)]) }],
                platformOf("pro"),
            );
            assert.fail("accepted");
        } catch (error) {
            assert.ok(error instanceof CatalogError, String(error));
            assert.deepEqual(error.problems.map(formatProblem), [
                'acme.yaml:9: organization "acme", app "web", field "env": the env holds 270018 bytes; an app\'s env may hold at most 262144 bytes (256 KiB), which keeps its KNative Service under etcd\'s 1.5 MiB object limit',
            ]);
        }
    });

    it("keeps the KNative Service of an app at the env limits under etcd's object limit", async () => {
        const half = Math.floor(maxEnvTotalBytes / 2) - 16;
        const catalogDir = writeCatalog({ "acme.yaml": withEnv(["a".repeat(half), "b".repeat(half)]) });
        try {
            const render = await renderStack({ stack: "pro", config: stackConfig("pro"), catalogDir });
            const service = [...render.files].find(([file]) =>
                /^k8s\/acme-pro\/service\.serving\.knative\.dev-web-pro\.yaml$|^k8s\/acme-pro\/service-web-pro\.yaml$/.test(file),
            );
            assert.ok(service !== undefined, [...render.files.keys()].join("\n"));
            const bytes = Buffer.byteLength(service[1]);
            assert.ok(bytes > maxEnvTotalBytes - 64 && bytes < maxManifestBytes / 4, `${bytes} bytes`);
        } finally {
            fs.rmSync(catalogDir, { recursive: true, force: true });
        }
    });
});
