/** What the render shows of each app's last mile: its DNS record ordered before its DomainMapping, what `up` waits for, and its seeding. */
import { strict as assert } from "node:assert";
import { renderStack, type Render } from "../../render/render";
import { stackConfig } from "../support/harness";

const gateway = "k8s-kouriers-kourier-0a1b2c3d4e-0123456789abcdef.elb.eu-west-1.amazonaws.com";

describe("render: DNS records, readiness and world seeding per app", () => {
    let pro: Render;
    let pre: Render;
    before(async () => {
        pro = await renderStack({ stack: "pro", config: stackConfig("pro") });
        pre = await renderStack({ stack: "pre", config: stackConfig("pre") });
    });
    const summary = (r: Render): string[] => (r.files.get("summary.md") ?? "").split("\n");
    const planOf = (r: Render) => JSON.parse(r.files.get("plan.json") ?? "{}") as Render["plan"];

    it("plan.json: each app's row says its record, who makes it, what up waits for, and its seeding", () => {
        const world = planOf(pro).apps.find((a) => a.organization === "r3s3t" && a.app === "world");
        assert.deepEqual(
            { dns: world?.dns, waits: world?.waits, seeding: world?.seeding },
            {
                dns: { hostname: "world.r3s3t.xyz", type: "CNAME", target: gateway, ttl: 3600, managedBy: "externaldns" },
                waits: {
                    steps: [
                        { object: "KNative Service", waitsFor: ["revision"], timeoutSeconds: 600 },
                        { object: "DomainMapping", waitsFor: ["claim", "DNS", "certificate"], timeoutSeconds: 300 },
                    ],
                },
                seeding: {
                    from: "s3://numinia-statics/hyperfy-spaces/_default/latest/",
                    to: "s3://numinia-statics/hyperfy-spaces/r3s3t/world/pro/",
                },
            },
        );
        const guide = planOf(pro).apps.find((a) => a.app === "guide");
        assert.equal(guide?.seeding, undefined, "only hyperfy2 worlds are seeded");
    });

    it("plan.json: every app's DomainMapping depends on its DNS record; the world's KNative Service on its seeding", () => {
        const plan = planOf(pro);
        const byName = (name: string) => plan.resources.find((r) => r.name === name);
        for (const app of plan.apps) {
            const mapping = byName(`${app.organization}/${app.app}/domain/mapping`);
            const endpoint = byName(`${app.organization}/${app.app}/dns/endpoint`);
            assert.ok(mapping && endpoint, `${app.organization}/${app.app}`);
            assert.ok(mapping.dependencies.includes(endpoint.urn), `${app.organization}/${app.app}`);
        }
        const service = byName("r3s3t/world/service/service");
        const seed = byName("r3s3t/world/seed/copy");
        assert.ok(service && seed && service.dependencies.includes(seed.urn));
        assert.match(String(seed.inputs.__provider), /^serialized dynamic provider, sha256:[0-9a-f]{16}$/);
    });

    it("summary.md: a DNS table (made by ExternalDNS, waits for claim, DNS, certificate) and a seeding table", () => {
        const lines = summary(pro);
        const at = lines.indexOf("## DNS and readiness");
        assert.ok(at > 0, lines.join("\n"));
        assert.deepEqual(lines.slice(at, at + 7), [
            "## DNS and readiness",
            "",
            "Each record exists before the app's DomainMapping, whose certificate (ACME HTTP-01) needs it.",
            "",
            "| App | Record | Made by | `pulumi up` waits for |",
            "| --- | --- | --- | --- |",
            `| \`active-inference/agent\` | \`CNAME agent.activeinference.institute → ${gateway} (3600 s)\` | DNSEndpoint → ExternalDNS | KNative Service: revision (≤ 600 s); DomainMapping: claim, DNS, certificate (≤ 300 s) |`,
        ]);
        assert.ok(!lines.some((l) => l.startsWith("### Records to create by hand")));
        const seeding = lines.indexOf("## World seeding");
        assert.deepEqual(lines.slice(seeding + 4, seeding + 8), [
            "| App | From | To |",
            "| --- | --- | --- |",
            "| `numinia/plaza` | `s3://numinia-statics/hyperfy-spaces/_default/latest/` | `s3://numinia-statics/hyperfy-spaces/numinia/plaza/pro/` |",
            "| `r3s3t/world` | `s3://numinia-statics/hyperfy-spaces/_default/latest/` | `s3://numinia-statics/hyperfy-spaces/r3s3t/world/pro/` |",
        ]);
    });

    it("summary.md with provider none: exactly the records to create by hand, and that up does not wait for their certificates", () => {
        const lines = summary(pre);
        const at = lines.findIndex((l) => l.startsWith("### Records to create by hand"));
        assert.ok(at > 0, lines.join("\n"));
        const block = lines.slice(at, lines.indexOf("```", lines.indexOf("```", at) + 1) + 1);
        assert.deepEqual(block.slice(0, 5), [
            `### Records to create by hand (${pre.plan.apps.length})`,
            "",
            "`tenant-apps:dns.provider` is `none`: create exactly these at the registrar; each app's certificate follows once its record resolves.",
            "",
            "```",
        ]);
        assert.deepEqual(
            block.slice(5, -1),
            pre.plan.apps.map(
                (a) => `${a.dns?.hostname ?? "?"}. 3600 IN CNAME <the Kourier gateway's hostname; set tenant-apps:dns.target>`,
            ),
        );
        assert.ok(
            block.slice(5, -1).includes("pre-world.r3s3t.xyz. 3600 IN CNAME <the Kourier gateway's hostname; set tenant-apps:dns.target>"),
        );
        assert.ok(
            lines.includes(
                "¹ not the certificate: its HTTP-01 challenge needs the DNS record made by hand first; the DomainMapping turns Ready once it exists.",
            ),
        );
        assert.ok(lines.some((l) => l.includes("DomainMapping: claim (≤ 300 s) ¹")));
    });
});
