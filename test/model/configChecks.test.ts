import { strict as assert } from "node:assert";
import { parsePlatformConfig, PlatformConfigError, rawPlatformConfigOf } from "../../model/config";
import { isHostNameOnly, isPlainHttpsBaseUrl, namePatternProblems, problemsOfRaw } from "../../model/configChecks";
import { parseStackConfig } from "../../model/stackConfig";
import { platformOf, rawConfigOf } from "../support/fixtures";

/** The problems `parsePlatformConfig` reports for the fixture pro config with `edit` applied to its raw values. */
function configProblems(edit: (raw: Record<string, unknown>) => void, stack = "pro"): string[] {
    const raw = rawConfigOf("pro");
    edit(raw);
    try {
        parsePlatformConfig(stack, raw);
        return [];
    } catch (error) {
        assert.ok(error instanceof PlatformConfigError, String(error));
        return [...error.problems];
    }
}

describe("platform config strictness (model/configChecks.ts)", () => {
    it("keeps digits-only text as text where the schema expects text, and coerces it only where it expects a number", () => {
        const raw = rawPlatformConfigOf((key) => ({ "aws:region": "eu-west-1", "tenant-apps:catalogDir": "007" })[key]);
        assert.equal(raw.catalogDir, "007");
        const base = rawConfigOf("pro");
        const platform = parsePlatformConfig("pro", {
            ...base,
            catalogDir: "2024",
            database: { ...(base.database as object), port: "6432" },
            deletion: { protect: "true", retainOnDelete: "true", recoveryWindowInDays: "30" },
        });
        assert.equal(platform.catalogDir, "2024");
        assert.equal(platform.database.port, 6432);
        assert.deepEqual(platform.deletion, { protect: true, retainOnDelete: true, recoveryWindowInDays: 30 });
    });

    it("reports every unknown tenant-apps key with a suggestion, in either key spelling, and knows the secret keys", () => {
        const config: Record<string, string> = {
            "aws:region": "eu-west-1",
            "tenant-apps:namespaceDefault": "{}",
            "tenant-apps:config:storag": "{}",
            "tenant-apps:aiApiKey": "[secure]",
            "other:thing": "x",
        };
        const problems = problemsOfRaw(rawPlatformConfigOf((key) => config[key], Object.keys(config)));
        assert.equal(problems.length, 2, problems.join("\n"));
        assert.ok(
            problems[0]?.startsWith(
                "tenant-apps:namespaceDefault: unknown config key (did you mean tenant-apps:namespaceDefaults?); allowed: environment, catalogDir,",
            ),
        );
        assert.ok(problems[1]?.startsWith("tenant-apps:storag: unknown config key (did you mean tenant-apps:storage?)"));
    });

    it("names the key of malformed JSON without quoting its text", () => {
        const config: Record<string, string> = { "tenant-apps:database": '{"host": "db", "password": "hunter2-leak"' };
        const raw = rawPlatformConfigOf((key) => config[key], Object.keys(config));
        const problems = problemsOfRaw(raw);
        assert.equal(problems.length, 1);
        assert.match(
            problems[0] ?? "",
            /^tenant-apps:database: is not valid JSON \(at character \d+\); write it as a YAML mapping or list$/,
        );
        assert.ok(!problems.join("").includes("hunter2"));
    });

    it("refuses an environment that is not the stack's, a DB host with anything but a host, and a LimitRange default request over its limit", () => {
        assert.deepEqual(
            configProblems((raw) => {
                raw.environment = "pre";
                raw.database = { ...(raw.database as object), host: "u:p@db.example.com:5432/x?sslmode=disable" };
                raw.namespaceDefaults = { ...(raw.namespaceDefaults as object), defaultRequest: { cpu: "2", memory: "64Mi" } };
            }),
            [
                'tenant-apps:environment: "pre" in stack "pro" would render pre names into pro; remove the key or set it to pro',
                "tenant-apps:database.host: must be a host name only, such as db.cluster-x.eu-west-1.rds.amazonaws.com: no scheme, user, password, port, path, query or fragment (it becomes part of every app's DB_URI)",
                "tenant-apps:namespaceDefaults.defaultRequest.cpu: 2 is greater than defaultLimit.cpu 1; the LimitRange would be refused (defaultRequest ≤ defaultLimit)",
            ],
        );
        assert.deepEqual(
            configProblems((raw) => (raw.environment = "pro")),
            [],
        );
    });

    it("accepts plain hosts and https base URLs only", () => {
        for (const host of ["db", "db.example.com", "numinia-shared.cluster-c8x2k4q1zt7m.eu-west-1.rds.amazonaws.com", "10.0.0.5"])
            assert.ok(isHostNameOnly(host), host);
        for (const host of ["db.example.com:5432", "u@db", "db/x", "db?x", "db#", "-db", "db..example", ""])
            assert.ok(!isHostNameOnly(host), host);
        for (const url of ["https://statics.numinia.xyz", "https://cdn.example.com:8443/assets/v1", "https://x.io/a.b_c~d-e"])
            assert.ok(isPlainHttpsBaseUrl(url), url);
        const bad = [
            "http://x.io",
            "https://u:p@x.io",
            "https://x.io/",
            "https://x.io/a/../b",
            "https://x.io/./a",
            "https://x.io//a",
            "https://x.io/a?b",
            "https://x.io/a#b",
            "https://x.io/%2e%2e",
            "https://x.io\\a",
        ];
        for (const url of bad) assert.ok(!isPlainHttpsBaseUrl(url), url);
    });

    it("checks name patterns on their own: the defaults pass for pre and pro", () => {
        assert.deepEqual(namePatternProblems(platformOf("pro")), []);
        assert.deepEqual(namePatternProblems(platformOf("pre")), []);
    });

    it("refuses name patterns that collide, are invalid or reserved for every possible organization, naming the config key", () => {
        const problems = configProblems((raw) => {
            raw.names = { serviceAccount: "{org}", schema: "{app}-{org}", hostname: "{app}.example.com", tlsSecret: "{org}_tls" };
        });
        assert.deepEqual(problems, [
            'tenant-apps:names.serviceAccount: "{org}" lacks {app}, so two apps would get the same name',
            'tenant-apps:names.hostname: "{app}.example.com" lacks {org} or {domain}, so two organizations would get the same name',
            'tenant-apps:tls.secretName (or names.tlsSecret): "{org}_tls" gives "a_tls", which is not a DNS subdomain (TLS secret name)',
        ]);
    });

    it("never prints a stack config line on a YAML syntax error", () => {
        const text = 'config:\n  tenant-apps:aiApiKey: "sk-plaintext-7f6e5d4c3b2a\n  tenant-apps:x: [\n';
        assert.throws(
            () => parseStackConfig(text, "Pulumi.pro.yaml"),
            (e: unknown) =>
                e instanceof Error &&
                /^Pulumi\.pro\.yaml: not valid YAML at line \d+, column \d+: .* \([A-Z_]+\)$/.test(e.message) &&
                !e.message.includes("sk-plaintext"),
        );
    });
});
