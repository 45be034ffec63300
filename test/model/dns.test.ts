/** Which record each app's hostname needs and who makes it (model/dns.ts), from the catalog and `tenant-apps:dns`. */
import { strict as assert } from "node:assert";
import { CatalogError, formatProblem, parseCatalog } from "../../model/catalog";
import { formatConfigProblem, PlatformConfigError } from "../../model/config";
import { appDnsOf, dnsEndpointManifest, zoneFileLine, type AppDnsRecord } from "../../model/dns";
import { resolveDns } from "../../model/dnsConfig";
import { crdErrorsOf, crdValidator } from "../support/crds";
import { platformOf } from "../support/fixtures";

const gateway = "k8s-kourier-0a1b2c3d4e.elb.eu-west-1.amazonaws.com";
const externaldns = { provider: "externaldns", target: gateway };
const route53 = { provider: "route53", target: gateway, zones: { "example.com": "Z0AAAAAAAAAAAA", "acme.example.com": "Z0BBBBBBBBBBBB" } };

/** A catalog file of organization acme (domain acme.example.com) with `extra` top-level lines and one app. */
const acme = (app: string, extra = ""): string =>
    `organization: acme\ndomain: acme.example.com\n${extra}apps:\n  - name: web\n    type: eliza\n    image: ghcr.io/a/web:1.0.0\n${app}`;

function recordOf(stack: "pre" | "pro", dns: unknown, file: string): AppDnsRecord {
    const catalog = parseCatalog([{ file: "acme.yaml", text: file }], platformOf(stack, { dns }));
    const app = catalog.organizations[0]?.apps[0];
    assert.ok(app);
    return app.dns;
}

const base = { organization: "acme", app: "web", type: "CNAME", ttl: 3600 } as const;

describe("the DNS record of each app's hostname", () => {
    const rows: { reason: string; stack: "pre" | "pro"; dns: unknown; file: string; want: AppDnsRecord }[] = [
        {
            reason: "externaldns: a CNAME to the gateway, owned by the stack's ExternalDNS",
            stack: "pro",
            dns: externaldns,
            file: acme(""),
            want: { ...base, hostname: "web.acme.example.com", target: gateway, managedBy: "externaldns", owner: "tenant-apps-pro" },
        },
        {
            reason: "pre hostnames are pre.{app}.{domain}, owned by pre's ExternalDNS",
            stack: "pre",
            dns: externaldns,
            file: acme(""),
            want: { ...base, hostname: "pre.web.acme.example.com", target: gateway, managedBy: "externaldns", owner: "tenant-apps-pre" },
        },
        {
            reason: "a wildcard organization's app under its domain needs no record",
            stack: "pro",
            dns: externaldns,
            file: acme("", "dns: { wildcard: true }\n"),
            want: { ...base, hostname: "web.acme.example.com", target: gateway, managedBy: "wildcard", coveredBy: "*.acme.example.com" },
        },
        {
            reason: "the wildcard covers pre.{app}.{domain} too (no closer name exists under a wildcard domain)",
            stack: "pre",
            dns: externaldns,
            file: acme("", "dns: { wildcard: true }\n"),
            want: {
                ...base,
                hostname: "pre.web.acme.example.com",
                target: gateway,
                managedBy: "wildcard",
                coveredBy: "*.acme.example.com",
            },
        },
        {
            reason: "the wildcard covers only the organization's domain, not a vanity domain it also owns",
            stack: "pro",
            dns: externaldns,
            file: acme("    hostname: play.acme.games\n", "dns: { wildcard: true }\ndomains: [acme.games]\n"),
            want: { ...base, hostname: "play.acme.games", target: gateway, managedBy: "externaldns", owner: "tenant-apps-pro" },
        },
        {
            reason: "route53: the record goes to the zone of the longest configured domain the hostname is under",
            stack: "pro",
            dns: route53,
            file: acme(""),
            want: {
                ...base,
                hostname: "web.acme.example.com",
                target: gateway,
                managedBy: "route53",
                zone: { domain: "acme.example.com", id: "Z0BBBBBBBBBBBB" },
            },
        },
        {
            reason: "none: a person makes the record; the target stays unknown when not given",
            stack: "pro",
            dns: { provider: "none", ttl: 600 },
            file: acme(""),
            want: { ...base, ttl: 600, hostname: "web.acme.example.com", managedBy: "by-hand" },
        },
        {
            reason: "none accepts an apex hostname: the person points it at the gateway with an A/ALIAS record",
            stack: "pro",
            dns: { provider: "none", target: gateway },
            file: acme("    hostname: acme.example.com\n"),
            want: { ...base, hostname: "acme.example.com", target: gateway, managedBy: "by-hand" },
        },
    ];
    for (const row of rows) it(row.reason, () => assert.deepEqual(recordOf(row.stack, row.dns, row.file), row.want));

    const refused: { reason: string; dns: unknown; file: string; problems: string[] }[] = [
        {
            reason: "route53 without a zone for the hostname's domain names the zones it has",
            dns: { ...route53, zones: { "other.org": "Z0CCCCCCCCCCCC" } },
            file: acme(""),
            problems: [
                'acme.yaml:4: organization "acme", app "web", field "name": no Route53 zone for "web.acme.example.com": tenant-apps:dns.zones lists other.org; add the zone id of its domain',
            ],
        },
        {
            reason: "a hostname at a Route53 zone's apex cannot be a CNAME",
            dns: route53,
            file: acme("    hostname: acme.example.com\n"),
            problems: [
                'acme.yaml:7: organization "acme", app "web", field "hostname": "acme.example.com" is the apex of Route53 zone Z0BBBBBBBBBBBB, where DNS allows no CNAME; give the app a hostname under it, or point the apex at the gateway by hand (an alias record) with tenant-apps:dns.provider none',
            ],
        },
        {
            reason: "an organization's dns block has one key",
            dns: externaldns,
            file: acme("", "dns: { wildcrd: true }\n"),
            problems: ['acme.yaml:3: organization "acme", field "dns.wildcrd": unknown key "wildcrd"; allowed: wildcard'],
        },
    ];
    for (const row of refused) {
        it(`refuses the catalog when ${row.reason}`, () => {
            assert.throws(
                () => parseCatalog([{ file: "acme.yaml", text: row.file }], platformOf("pro", { dns: row.dns })),
                (error: unknown) =>
                    error instanceof CatalogError && assert.deepEqual(error.problems.map(formatProblem), row.problems) === undefined,
            );
        });
    }

    const badConfig: { reason: string; dns: unknown; problems: string[] }[] = [
        {
            reason: "externaldns without the gateway's hostname",
            dns: { provider: "externaldns" },
            problems: ["tenant-apps:dns.target: is required with provider externaldns: the Kourier gateway's hostname"],
        },
        {
            reason: "route53 without zones",
            dns: { provider: "route53", target: gateway },
            problems: ["tenant-apps:dns.zones: is required with provider route53: the hosted zone id of each domain"],
        },
        {
            reason: "a provider the program does not know",
            dns: { provider: "godaddy", target: gateway },
            problems: ["tenant-apps:dns.provider: must be one of externaldns, route53, none"],
        },
    ];
    for (const row of badConfig) {
        it(`refuses tenant-apps:dns with ${row.reason}`, () => {
            assert.throws(
                () => platformOf("pro", { dns: row.dns }),
                (error: unknown) =>
                    error instanceof PlatformConfigError &&
                    assert.deepEqual(error.problems.map(formatConfigProblem), row.problems) === undefined,
            );
        });
    }

    it("without tenant-apps:dns, no record is made and the summary's zone-file line says what is missing", () => {
        const record = appDnsOf(
            { organization: "acme", app: "web", hostname: "web.acme.example.com", domain: "acme.example.com" },
            resolveDns(undefined, "pro"),
        );
        assert.equal(record.managedBy, "by-hand");
        assert.equal(
            zoneFileLine(record),
            "web.acme.example.com. 3600 IN CNAME <the Kourier gateway's hostname; set tenant-apps:dns.target>",
        );
        assert.equal(zoneFileLine({ ...record, target: gateway }), `web.acme.example.com. 3600 IN CNAME ${gateway}.`);
    });

    it("the DNSEndpoint is valid against ExternalDNS's own CRD schema, which rejects a misspelt field", () => {
        const validate = crdValidator("externaldns.k8s.io_dnsendpoints.yaml", "v1alpha1");
        const endpoint = dnsEndpointManifest(recordOf("pro", externaldns, acme("")), "acme-pro");
        assert.deepEqual(crdErrorsOf(validate, endpoint), []);
        assert.deepEqual(endpoint.spec, {
            endpoints: [{ dnsName: "web.acme.example.com", recordType: "CNAME", recordTTL: 3600, targets: [gateway] }],
        });
        assert.equal(endpoint.metadata.labels["tenant-apps/dns-owner"], "tenant-apps-pro");
        const misspelt = {
            ...endpoint,
            spec: { endpoints: [{ dnsName: "web.acme.example.com", recordType: "CNAME", target: [gateway] }] },
        };
        assert.deepEqual(crdErrorsOf(validate, misspelt), [
            '/spec/endpoints/0 must NOT have additional properties {"additionalProperty":"target"}',
        ]);
    });
});
