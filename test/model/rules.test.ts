/**
 * The rulebook is one set of rules: the catalog validation (before anything is registered)
 * and the CrossGuard pack (at deploy time) must give the same answer on the same input.
 * Each row states the answer literally; both sides are asked.
 */
import { strict as assert } from "node:assert";
import { CatalogError, parseCatalog } from "../../model/catalog";
import { isPinnedImage } from "../../model/rules";
import { typeTokens } from "../../model/typeTokens";
import { knativeImagePinned, knativeServiceResources, secretRecoveryWindow } from "../../policy/rules";
import { oneApp, platformOf } from "../support/fixtures";

/** The catalog's problems for one app in pro, as `field: message` lines. */
function catalogProblems(appYaml: string): string[] {
    try {
        parseCatalog([{ file: "stacks/pro/acme.yaml", text: oneApp("acme", appYaml) }], platformOf("pro"));
        return [];
    } catch (error) {
        if (!(error instanceof CatalogError)) throw error;
        return error.problems.map((p) => `${p.field ?? ""}: ${p.message}`);
    }
}

/** A KNative Service as the pack sees it, with one container. */
function knativeService(container: Record<string, unknown>, annotations: Record<string, string>): Record<string, unknown> {
    return {
        apiVersion: "serving.knative.dev/v1",
        kind: "Service",
        metadata: { name: "x-pro", namespace: "acme-pro" },
        spec: { template: { metadata: { annotations }, spec: { containers: [{ name: "app", ...container }] } } },
    };
}

const resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } };

describe("the rulebook: catalog validation and the policy pack agree", () => {
    const digest64 = "a".repeat(64);
    const images: ReadonlyArray<readonly [string, boolean]> = [
        ["ghcr.io/numengames/numinia-hyperfy2:1.4.2", true],
        ["registry.local:5000/team/app:2024.01", true],
        [`ghcr.io/a/b@sha256:${digest64}`, true],
        [`ghcr.io/a/b:1.0@sha256:${digest64}`, true],
        [`ghcr.io/a/b@sha512:${"b".repeat(128)}`, true],
        ["a/b:", false],
        ["a/b@sha256:abc", false],
        [`a/b@sha512:${digest64}`, false],
        ["ghcr.io/a/b", false],
        ["registry.local:5000/team/app", false],
        ["ghcr.io/a/b:latest", false],
        ["ghcr.io/a/b:Latest", false],
        ["ghcr.io/a/b:main", false],
        ["ghcr.io/a/b:stable", false],
        ["ghcr.io/a/b:nightly", false],
    ];
    for (const [image, pinned] of images) {
        it(`${image} is ${pinned ? "pinned" : "not pinned"} for both`, () => {
            assert.equal(isPinnedImage(image), pinned);
            const catalogRefuses = catalogProblems(`name: web\ntype: custom\nport: 8080\nimage: "${image}"`).some((p) =>
                p.startsWith("image: "),
            );
            const packRefuses = knativeImagePinned(typeTokens.knativeService, knativeService({ image, resources }, {}), {
                environment: "pro",
            }).length;
            assert.equal(catalogRefuses, !pinned, `catalog on ${image}`);
            assert.equal(packRefuses > 0, !pinned, `pack on ${image}`);
        });
    }

    const scales: ReadonlyArray<readonly [number, number, boolean]> = [
        [0, 1, true],
        [3, 3, true],
        [2, 1, false],
    ];
    for (const [min, max, ok] of scales) {
        it(`min-scale ${min} with max-scale ${max} is ${ok ? "allowed" : "refused"} by both`, () => {
            const catalog = catalogProblems(`name: web\ntype: custom\nport: 8080\nimage: a/b:1\nscale: { min: ${min}, max: ${max} }`);
            const pack = knativeServiceResources(
                typeTokens.knativeService,
                knativeService(
                    { image: "a/b:1", resources },
                    { "autoscaling.knative.dev/min-scale": String(min), "autoscaling.knative.dev/max-scale": String(max) },
                ),
            );
            const expected = ok ? [] : [`min-scale ${min} is greater than max-scale ${max}; min must be ≤ max`];
            assert.deepEqual(
                catalog.map((p) => p.replace(/^scale\.min: /, "")),
                expected,
            );
            assert.deepEqual(pack, expected);
        });
    }

    const requests: ReadonlyArray<readonly [string, string, string, string, boolean]> = [
        ["cpu", "500m", "0.5", "cpu request 500m is greater than its limit 0.5; requests must be ≤ limits", true],
        ["cpu", "1100m", "1", "cpu request 1100m is greater than its limit 1; requests must be ≤ limits", false],
        ["memory", "1Gi", "1024Mi", "memory request 1Gi is greater than its limit 1024Mi; requests must be ≤ limits", true],
        ["memory", "1G", "1Gi", "memory request 1G is greater than its limit 1Gi; requests must be ≤ limits", true],
        ["memory", "2Gi", "2000Mi", "memory request 2Gi is greater than its limit 2000Mi; requests must be ≤ limits", false],
    ];
    for (const [resource, request, limit, message, ok] of requests) {
        it(`a ${resource} request of ${request} under a limit of ${limit} is ${ok ? "allowed" : "refused"} by both`, () => {
            const other = resource === "cpu" ? { memory: "128Mi" } : { cpu: "100m" };
            const otherLimit = resource === "cpu" ? { memory: "1Gi" } : { cpu: "1" };
            const res = { requests: { [resource]: request, ...other }, limits: { [resource]: limit, ...otherLimit } };
            const catalog = catalogProblems(
                `name: web\ntype: custom\nport: 8080\nimage: a/b:1\nresources: { requests: { ${resource}: "${request}" }, limits: { ${resource}: "${limit}" } }`,
            );
            const pack = knativeServiceResources(
                typeTokens.knativeService,
                knativeService({ image: "a/b:1", resources: res }, { "autoscaling.knative.dev/max-scale": "1" }),
            );
            assert.deepEqual(catalog, ok ? [] : [`resources.requests.${resource}: ${message}`]);
            assert.deepEqual(pack, ok ? [] : [`container "app": ${message}`]);
        });
    }

    const windows: ReadonlyArray<readonly [number, boolean]> = [
        [0, false],
        [6, false],
        [7, true],
        [30, true],
        [31, false],
    ];
    for (const [days, ok] of windows) {
        it(`a recovery window of ${days} days is ${ok ? "allowed" : "refused"} by the config and the pack`, () => {
            let configRefuses = false;
            try {
                platformOf("pro", { deletion: { recoveryWindowInDays: days } });
            } catch {
                configRefuses = true;
            }
            const packRefuses = secretRecoveryWindow(typeTokens.secret, { recoveryWindowInDays: days }, { environment: "pro" }).length > 0;
            assert.equal(configRefuses, !ok, "config");
            assert.equal(packRefuses, !ok, "pack");
        });
    }
});
