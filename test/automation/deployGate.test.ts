/**
 * deploy refuses a pro stack on a platform that cannot isolate tenants: the real script, the
 * stand-in `pulumi`, and the platform's APIs replayed on 127.0.0.1 (test/support/fakePlatform.ts).
 */
import { strict as assert } from "node:assert";
import { runScript, type Scenario } from "./support";

const changes: Scenario = {
    operations: {
        "preview:pro": { events: "preview-pro.json" },
        "preview:pre": { events: "preview-pre-clean.json" },
        up: { events: "up-pro.json" },
    },
    outputs: { environment: "pro", apps: {} },
};

describe("deploy on a platform that cannot isolate tenants", function () {
    this.timeout(60_000);

    it("refuses pro with exit 6 and the fixes, before any pulumi command", async () => {
        const run = await runScript("deploy", ["--stack", "pro", "--yes"], { scenario: changes, platform: "today" });
        assert.equal(run.code, 6, run.stderr);
        assert.deepEqual(
            run.commands.map((c) => c.argv[0]),
            [],
        );
        assert.ok(run.stderr.includes("MISSING network-policy"), run.stderr);
        assert.ok(run.stderr.includes("http_put_response_hop_limit = 1"), run.stderr);
        assert.ok(run.stderr.includes("error: refusing to deploy pro: the platform cannot isolate tenants"), run.stderr);
    });

    it("deploys pro anyway with --accept-unisolated-platform, saying so loudly on both streams", async () => {
        const run = await runScript("deploy", ["--stack", "pro", "--yes", "--accept-unisolated-platform"], {
            scenario: changes,
            platform: "today",
        });
        assert.equal(run.code, 0, run.stderr);
        const banner = "!! DEPLOYING pro ON A PLATFORM THAT CANNOT ISOLATE TENANTS (--accept-unisolated-platform)";
        assert.ok(run.stdout.includes(banner), run.stdout);
        assert.ok(run.stderr.includes(banner), run.stderr);
        assert.ok(run.stdout.includes("!! network-policy MISSING, imds MISSING, pod-security MISSING"), run.stdout);
        assert.deepEqual(run.commands.map((c) => c.argv[0]).slice(0, 3), ["stack", "preview", "up"]);
    });

    it("does not check the platform of a pre stack", async () => {
        const run = await runScript("deploy", ["--stack", "pre", "--yes"], { scenario: changes, platform: "today" });
        assert.equal(run.stderr.includes("platform preflight"), false, run.stderr);
    });
});
