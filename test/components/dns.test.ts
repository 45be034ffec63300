/**
 * The DNS link in the whole program: each app's record, who makes it, and that it exists before
 * the DomainMapping whose certificate needs it; what `pulumi up` waits for when nobody makes it.
 */
import { strict as assert } from "node:assert";
import type { Evaluation, RecordedResource } from "../../render/evaluate";
import { evaluate, resource, types } from "../support/harness";

const gateway = "k8s-kouriers-kourier-0a1b2c3d4e-0123456789abcdef.elb.eu-west-1.amazonaws.com";
const dnsEndpoint = "kubernetes:externaldns.k8s.io/v1alpha1:DNSEndpoint";
const route53Record = "aws:route53/record:Record";
const zones = { "r3s3t.xyz": "Z0R3S3TAAAAAAA", "numinia.xyz": "Z0NUMINIAAAAAA", "activeinference.institute": "Z0ACTIVEAAAAAA" };
const route53 = { "tenant-apps:dns": { provider: "route53", target: gateway, zones } };

const nameOf = (ev: Evaluation, urn: string): string => ev.resources.find((r) => r.urn === urn)?.name ?? urn;
const dependsOn = (ev: Evaluation, r: RecordedResource): string[] => r.dependencies.map((u) => nameOf(ev, u)).sort();

describe("the DNS link of every app, ordered before its DomainMapping", () => {
    let external: Evaluation;
    let viaRoute53: Evaluation;
    let byHand: Evaluation;
    before(async () => {
        external = await evaluate("pro");
        viaRoute53 = await evaluate("pro", { config: route53 });
        byHand = await evaluate("pre");
    });

    it("externaldns: one DNSEndpoint per app in its namespace, a dependency of its DomainMapping, which waits for Ready", () => {
        assert.deepEqual(
            external.resources
                .filter((r) => r.type === dnsEndpoint)
                .map((r) => r.name)
                .sort(),
            [
                "active-inference/agent/dns/endpoint",
                "active-inference/gallery/dns/endpoint",
                "numinia/api/dns/endpoint",
                "numinia/plaza/dns/endpoint",
                "r3s3t/guide/dns/endpoint",
                "r3s3t/world/dns/endpoint",
            ],
        );
        const endpoint = resource(external, dnsEndpoint, "r3s3t/world/dns/endpoint");
        assert.deepEqual(endpoint.inputs, {
            apiVersion: "externaldns.k8s.io/v1alpha1",
            kind: "DNSEndpoint",
            metadata: {
                name: "world.r3s3t.xyz",
                namespace: "r3s3t-pro",
                labels: {
                    "app.kubernetes.io/managed-by": "tenant-apps",
                    "app.kubernetes.io/part-of": "r3s3t",
                    "app.kubernetes.io/name": "world",
                    "tenant-apps/dns-owner": "tenant-apps-pro",
                },
            },
            spec: { endpoints: [{ dnsName: "world.r3s3t.xyz", recordType: "CNAME", recordTTL: 3600, targets: [gateway] }] },
        });
        assert.deepEqual(dependsOn(external, endpoint), [
            "r3s3t/egress",
            "r3s3t/ingress",
            "r3s3t/limits",
            "r3s3t/namespace",
            "r3s3t/quota",
        ]);
        const mapping = resource(external, types.domainMapping, "r3s3t/world/domain/mapping");
        assert.ok(dependsOn(external, mapping).includes("r3s3t/world/dns/endpoint"), dependsOn(external, mapping).join(", "));
        assert.ok(dependsOn(external, mapping).includes("r3s3t/world/service/service"));
        const annotations = (mapping.inputs.metadata as { annotations: Record<string, string> }).annotations;
        assert.equal(annotations["pulumi.com/waitFor"], "condition=Ready");
    });

    it("route53: a record that never overwrites an existing one, in its domain's zone, a dependency of the DomainMapping", () => {
        assert.equal(viaRoute53.resources.filter((r) => r.type === dnsEndpoint).length, 0);
        const record = resource(viaRoute53, route53Record, "r3s3t/world/dns/record");
        assert.deepEqual(record.inputs, {
            zoneId: "Z0R3S3TAAAAAAA",
            name: "world.r3s3t.xyz",
            type: "CNAME",
            ttl: 3600,
            records: [gateway],
            allowOverwrite: false,
        });
        const mapping = resource(viaRoute53, types.domainMapping, "r3s3t/world/domain/mapping");
        assert.ok(dependsOn(viaRoute53, mapping).includes("r3s3t/world/dns/record"), dependsOn(viaRoute53, mapping).join(", "));
    });

    it("none: no record resource; the DomainMapping waits for its claim only, not for a certificate it cannot get yet", () => {
        assert.equal(byHand.resources.filter((r) => r.type === dnsEndpoint || r.type === route53Record).length, 0);
        const link = resource(byHand, "tenant-apps:chain:TenantDns", "r3s3t/world/dns");
        assert.deepEqual(link.inputs, { hostname: "pre-world.r3s3t.xyz", type: "CNAME", managedBy: "by-hand", ttl: 3600 });
        const mapping = resource(byHand, types.domainMapping, "r3s3t/world/domain/mapping");
        const annotations = (mapping.inputs.metadata as { annotations: Record<string, string> }).annotations;
        assert.deepEqual(annotations, {
            "kourier.knative.dev/disable-http2": "true",
            "pulumi.com/waitFor": "condition=DomainClaimed",
            "pulumi.com/timeoutSeconds": "300",
        });
        assert.deepEqual(resource(byHand, "tenant-apps:chain:DomainMapping", "r3s3t/world/domain").inputs, {
            hostname: "pre-world.r3s3t.xyz",
            waitsFor: ["claim"],
            note: "not the certificate: its HTTP-01 challenge needs the DNS record made by hand first; the DomainMapping turns Ready once it exists",
        });
    });

    const world = (adopt: string) =>
        `organization: r3s3t\ndomain: r3s3t.xyz\napps:\n  - name: world\n    type: eliza\n    image: ghcr.io/a/w:1.0.0\n    adopt: { dnsRecord: ${adopt} }\n`;

    it("route53: a hand-made record is taken over only through adopt, by its import id, ignoring its TTL and value until adopt goes", async () => {
        const ev = await evaluate("pro", { config: route53, catalog: { "r3s3t.yaml": world("Z0R3S3TAAAAAAA_world.r3s3t.xyz_CNAME") } });
        const record = resource(ev, route53Record, "r3s3t/world/dns/record");
        assert.equal(record.importId, "Z0R3S3TAAAAAAA_world.r3s3t.xyz_CNAME");
        assert.deepEqual([...record.ignoreChanges].sort(), ["records", "ttl"]);
    });

    const refusals: { reason: string; config: Record<string, unknown>; adopt: string; problem: string }[] = [
        {
            reason: "an id of another record",
            config: route53,
            adopt: "Z0R3S3TAAAAAAA_shop.r3s3t.xyz_CNAME",
            problem:
                'cannot adopt: "Z0R3S3TAAAAAAA_shop.r3s3t.xyz_CNAME" is not this app\'s record "Z0R3S3TAAAAAAA_world.r3s3t.xyz_CNAME" (ZONEID_hostname_CNAME)',
        },
        {
            reason: "a stack whose records ExternalDNS makes",
            config: {},
            adopt: "Z0R3S3TAAAAAAA_world.r3s3t.xyz_CNAME",
            problem:
                "cannot adopt: the stack makes no Route53 record for this app (tenant-apps:dns.provider is not route53, or a wildcard covers it); ExternalDNS never takes over a record it did not create",
        },
    ];
    for (const row of refusals) {
        it(`refuses to adopt a DNS record with ${row.reason}`, async () => {
            await assert.rejects(evaluate("pro", { config: row.config, catalog: { "r3s3t.yaml": world(row.adopt) } }), (error: unknown) => {
                const message = error instanceof Error ? error.message : String(error);
                const line = message.split("\n").find((l) => l.includes("dnsRecord"));
                assert.ok(
                    line?.endsWith(`/r3s3t.yaml:7: organization "r3s3t", app "world", field "adopt.dnsRecord": ${row.problem}`),
                    line,
                );
                return true;
            });
        });
    }
});
