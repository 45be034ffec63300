/**
 * `npm run verify` against servers on 127.0.0.1 only: a DNS server whose answers the test sets,
 * and one HTTPS server presenting, per hostname (SNI), a certificate from a test CA: valid,
 * expired, expiring soon, for another name, or from another CA; one app's health path fails.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { main, renderVerifyTable, targetsOf, verifyAll } from "../../automation/verify";
import type { VerifyOptions, VerifyTarget } from "../../automation/verifyChecks";
import { startDnsServer, type TestDnsServer } from "../support/dnsServer";
import { fixtureCatalogDir, fixtureConfigFile, repoRoot } from "../support/harness";
import { makeTestCa, type Issued } from "../support/testCa";

const day = 86_400_000;
const gateway = "gw.kourier.test";

/** Whole seconds, as certificates carry them, so the days left are exact. */
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const ca = makeTestCa(now);
const otherCa = makeTestCa(now, "another CA");
const valid = (names: readonly string[]): Issued => ca.issue(names, new Date(now.getTime() - day), new Date(now.getTime() + 90 * day));

/** The certificate each hostname presents. */
const certificates: Record<string, Issued> = {
    "ok.acme.test": valid(["ok.acme.test"]),
    "apex.acme.test": valid(["apex.acme.test"]),
    "expired.acme.test": ca.issue(["expired.acme.test"], new Date(now.getTime() - 100 * day), new Date(now.getTime() - day)),
    "soon.acme.test": ca.issue(["soon.acme.test"], new Date(now.getTime() - day), new Date(now.getTime() + 5 * day)),
    "wrongname.acme.test": valid(["other.acme.test"]),
    "untrusted.acme.test": otherCa.issue(["untrusted.acme.test"], new Date(now.getTime() - day), new Date(now.getTime() + 90 * day)),
    "sick.acme.test": valid(["sick.acme.test"]),
    "world.r3s3t.xyz": valid(["world.r3s3t.xyz"]),
};

const toGateway = { cname: gateway };
const zone = {
    [gateway]: { a: ["127.0.0.1"] },
    "ok.acme.test": toGateway,
    "apex.acme.test": { a: ["127.0.0.1"] },
    "elsewhere.acme.test": { cname: "other-lb.test" },
    "other-lb.test": { a: ["127.0.0.2"] },
    "stray.acme.test": { a: ["127.0.0.9"] },
    "expired.acme.test": toGateway,
    "soon.acme.test": toGateway,
    "wrongname.acme.test": toGateway,
    "untrusted.acme.test": toGateway,
    "sick.acme.test": toGateway,
    "world.r3s3t.xyz": toGateway,
};

const target = (name: string): VerifyTarget => ({ app: `acme/${name}`, hostname: `${name}.acme.test`, healthPath: "/health" });

describe("verify: does every app answer at its URL", function () {
    this.timeout(60_000);
    let dns: TestDnsServer;
    let server: https.Server;
    let options: VerifyOptions;

    before(async () => {
        dns = await startDnsServer(zone);
        const contexts = new Map(Object.entries(certificates).map(([name, c]) => [name, tls.createSecureContext(c)]));
        server = https.createServer(
            { ...certificates["ok.acme.test"], SNICallback: (name, done) => done(null, contexts.get(name)) },
            (request, response) => {
                const sick = request.headers.host === "sick.acme.test";
                response.writeHead(request.url === "/health" && !sick ? 200 : sick ? 503 : 404).end();
            },
        );
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        options = {
            gateway,
            dnsServers: [dns.address],
            ca: ca.caPem,
            httpsPort: (server.address() as AddressInfo).port,
            minDaysValid: 14,
            timeoutMs: 20_000,
            now,
        };
    });

    after(async () => {
        await dns.close();
        await new Promise((resolve) => server.close(resolve));
    });

    const table: ReadonlyArray<{
        readonly name: string;
        readonly reason: string;
        readonly dns: string;
        readonly tls: string;
        readonly health: string;
    }> = [
        {
            name: "ok",
            reason: "a CNAME to the gateway, a valid certificate, a healthy app",
            dns: "ok: CNAME to the gateway",
            tls: "ok: valid",
            health: "ok: GET /health → 200",
        },
        {
            name: "apex",
            reason: "an address record that is the gateway's own (apex or wildcard)",
            dns: "ok: A 127.0.0.1 (the gateway's)",
            tls: "ok: valid",
            health: "ok: GET /health → 200",
        },
        {
            name: "elsewhere",
            reason: "a CNAME to another load balancer",
            dns: "FAIL: CNAME to other-lb.test, not the gateway gw.kourier.test",
            tls: "FAIL: not checked: the hostname does not lead to the gateway",
            health: "FAIL: not checked: the hostname does not lead to the gateway",
        },
        {
            name: "missing",
            reason: "no record at all (the registrar step not done)",
            dns: "FAIL: does not resolve (no CNAME and no address)",
            tls: "FAIL: not checked: the hostname does not lead to the gateway",
            health: "FAIL: not checked: the hostname does not lead to the gateway",
        },
        {
            name: "stray",
            reason: "an address that is not the gateway's",
            dns: "FAIL: resolves to 127.0.0.9, not the gateway's address",
            tls: "FAIL: not checked: the hostname does not lead to the gateway",
            health: "FAIL: not checked: the hostname does not lead to the gateway",
        },
        {
            name: "expired",
            reason: "an expired certificate",
            dns: "ok: CNAME to the gateway",
            tls: "FAIL: certificate refused: CERT_HAS_EXPIRED",
            health: "FAIL: not checked: TLS failed",
        },
        {
            name: "soon",
            reason: "a certificate that expires within the minimum days",
            dns: "ok: CNAME to the gateway",
            tls: "FAIL: certificate expires in 5 days (fewer than 14)",
            health: "FAIL: not checked: TLS failed",
        },
        {
            name: "wrongname",
            reason: "a certificate for another hostname",
            dns: "ok: CNAME to the gateway",
            tls: "FAIL: certificate is not valid for wrongname.acme.test",
            health: "FAIL: not checked: TLS failed",
        },
        {
            name: "untrusted",
            reason: "a certificate from an issuer the client does not trust",
            dns: "ok: CNAME to the gateway",
            tls: "FAIL: certificate refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            health: "FAIL: not checked: TLS failed",
        },
        {
            name: "sick",
            reason: "a health path answering 503",
            dns: "ok: CNAME to the gateway",
            tls: "ok: valid",
            health: "FAIL: GET /health → 503",
        },
    ];

    it("judges each app by DNS, certificate and health, and says what it saw", async () => {
        const results = await verifyAll(
            table.map((row) => target(row.name)),
            options,
        );
        const seen = results.map((r) => ({
            dns: `${r.dns.ok ? "ok" : "FAIL"}: ${r.dns.detail}`,
            // The expiry date moves with the day the test runs; the days left do not.
            tls: `${r.tls.ok ? "ok" : "FAIL"}: ${r.tls.ok ? "valid" : r.tls.detail}`,
            health: `${r.health.ok ? "ok" : "FAIL"}: ${r.health.detail}`,
        }));
        for (const [i, row] of table.entries()) assert.deepEqual(seen[i], { dns: row.dns, tls: row.tls, health: row.health }, row.reason);
        assert.deepEqual(
            results.map((r) => r.ok),
            [true, true, false, false, false, false, false, false, false, false],
        );
        assert.equal(results[0]?.tls.daysLeft, 90);
        assert.equal(results[0]?.tls.detail, `valid until ${new Date(now.getTime() + 90 * day).toISOString().slice(0, 10)} (90 days)`);
    });

    it("prints one row per app and a closing count", async () => {
        const results = await verifyAll([target("ok"), target("sick")], options);
        const printed = renderVerifyTable(results).split("\n");
        assert.match(
            printed[2] ?? "",
            /^\| acme\/ok +\| ok\.acme\.test +\| ok: CNAME to the gateway \| ok: valid until \d{4}-\d\d-\d\d \(90 days\) \| ok: GET \/health → 200 +\|$/,
        );
        assert.match(
            printed[3] ?? "",
            /^\| acme\/sick +\| sick\.acme\.test +\| ok: CNAME to the gateway \| ok: valid until .* \| FAIL: GET \/health → 503 \|$/,
        );
        assert.equal(printed[5], "1 of 2 apps fail a check");
    });

    it("reads the apps of a stack from its catalog, each with the path the cluster probes", () => {
        assert.deepEqual(targetsOf("pro", repoRoot, { catalog: fixtureCatalogDir("pro"), config: fixtureConfigFile("pro") }).targets, [
            { app: "active-inference/agent", hostname: "agent.activeinference.institute", healthPath: "/healthz" },
            { app: "active-inference/gallery", hostname: "gallery.activeinference.institute", healthPath: "/" },
            { app: "numinia/plaza", hostname: "plaza.numinia.xyz", healthPath: "/health" },
            { app: "numinia/api", hostname: "api.numinia.xyz", healthPath: "/healthz" },
            { app: "r3s3t/world", hostname: "world.r3s3t.xyz", healthPath: "/health" },
            { app: "r3s3t/guide", hostname: "guide.r3s3t.xyz", healthPath: "/healthz" },
        ]);
    });

    describe("npm run verify", () => {
        const caDir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-verify-"));
        const caFile = path.join(caDir, "ca.pem");
        fs.writeFileSync(caFile, ca.caPem);
        after(() => fs.rmSync(caDir, { recursive: true, force: true }));

        const run = async (argv: readonly string[]) => {
            let out = "";
            let err = "";
            const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) }, repoRoot);
            return { code, out, err };
        };
        const common = () => [
            "--stack",
            "pro",
            "--catalog",
            fixtureCatalogDir("pro"),
            "--config",
            fixtureConfigFile("pro"),
            "--gateway",
            gateway,
            "--dns-server",
            dns.address,
            "--ca",
            caFile,
            "--https-port",
            String(options.httpsPort),
        ];

        it("exits 0 when the chosen apps answer", async () => {
            const { code, out } = await run([...common(), "--app", "r3s3t/world"]);
            assert.equal(code, 0, out);
            assert.match(
                out,
                /\| r3s3t\/world \| world\.r3s3t\.xyz \| ok: CNAME to the gateway \| ok: valid until .* \| ok: GET \/health → 200 \|\n/,
            );
            assert.ok(out.endsWith("\nevery app answers (1)\n"), out);
        });

        it("exits 1 and reports JSON for scripts when an app's hostname has no record", async () => {
            const { code, out } = await run([...common(), "--app", "r3s3t/world", "--app", "r3s3t/guide", "--json"]);
            assert.equal(code, 1);
            const results = JSON.parse(out) as Array<{ app: string; ok: boolean; dns: { detail: string } }>;
            assert.deepEqual(
                results.map((r) => [r.app, r.ok, r.dns.detail]),
                [
                    ["r3s3t/world", true, "CNAME to the gateway"],
                    ["r3s3t/guide", false, "does not resolve (no CNAME and no address)"],
                ],
            );
        });

        it("refuses an app that is not in the stack, and a gateway that is not a hostname, as usage errors", async () => {
            const unknown = await run([...common(), "--app", "r3s3t/nope"]);
            assert.equal(unknown.code, 64);
            assert.equal(unknown.err, "error: not an app of stack pro: r3s3t/nope\n");
            const bad = await run(["--stack", "pro", "--gateway", "http://x"]);
            assert.equal(bad.code, 64);
            assert.match(bad.err, /--gateway must be the gateway's hostname/);
        });

        it("--help says what it checks", async () => {
            const { code, out } = await run(["--help"]);
            assert.equal(code, 0);
            assert.match(out, /dns {5}the hostname is a CNAME to the gateway/);
            assert.match(out, /tls {5}TLS completes with a certificate valid for the hostname/);
            assert.match(out, /health {2}GET https:\/\/<hostname><health path> answers 2xx/);
        });
    });
});
