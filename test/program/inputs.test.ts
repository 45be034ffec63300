/**
 * What the program reads before it validates anything: the RDS admin secret's JSON
 * (program/platform.ts `parseAdminSecret`) and the stack's plain config values as the Pulumi
 * runtime hands them over, all strings (program/program.ts `readRawPlatformConfig`).
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { parsePlatformConfig, PlatformConfigError } from "../../model/config";
import { problemsOfRaw } from "../../model/configChecks";
import { parseAdminSecret } from "../../program/platform";
import { readRawPlatformConfig } from "../../program/program";

const arn = "arn:aws:secretsmanager:eu-west-1:482103417651:secret:rds!cluster-admin-Qm3xZp";
const password = "Pa55-w0rd-never-echoed";

/** The error `parseAdminSecret` throws for `secretString`; fails if it returns. */
function adminSecretError(secretString: string): Error {
    try {
        parseAdminSecret(secretString, arn);
    } catch (error) {
        assert.ok(error instanceof Error);
        return error;
    }
    assert.fail(`parseAdminSecret accepted ${secretString}`);
}

describe("parseAdminSecret (the RDS admin secret's JSON)", () => {
    it("returns username and password, ignoring other keys RDS stores", () => {
        assert.deepEqual(parseAdminSecret(JSON.stringify({ username: "postgres", password, engine: "postgres", port: 5432 }), arn), {
            username: "postgres",
            password,
        });
    });

    it("rejects a value that is not JSON, naming the ARN and never the value", () => {
        const error = adminSecretError(`postgres:${password}`);
        assert.equal(error.message, `the admin secret ${arn} is not JSON; expected {"username": …, "password": …}`);
        assert.equal(error.cause, undefined, "the JSON parser's message (which quotes the input) is not kept");
        assert.ok(!String(error.stack).includes(password));
    });

    it("rejects missing or non-string keys, naming the ARN and never the value", () => {
        const lacks = `the admin secret ${arn} lacks string "username" and "password" keys`;
        for (const secretString of [
            JSON.stringify({ username: "postgres" }),
            JSON.stringify({ password }),
            JSON.stringify({ user: "postgres", pass: password }),
            JSON.stringify({ username: "postgres", password: 12345678 }),
            JSON.stringify({ username: ["postgres"], password }),
            JSON.stringify([password]),
            JSON.stringify(password),
            "null",
            "42",
        ]) {
            const error = adminSecretError(secretString);
            assert.equal(error.message, lacks, secretString);
            assert.ok(!String(error.stack).includes(password) && !error.message.includes("12345678"), secretString);
        }
    });
});

describe("readRawPlatformConfig (config values as the runtime hands them over)", () => {
    /** The raw platform config read from `config` (`namespace:key` → string, as the CLI sets it). */
    function rawOf(config: Record<string, string>): Record<string, unknown> {
        pulumi.runtime.setAllConfig(config, []);
        try {
            return readRawPlatformConfig();
        } finally {
            pulumi.runtime.setAllConfig({}, []);
        }
    }

    it("parses objects and arrays from JSON and takes aws:region as region", () => {
        assert.deepEqual(
            rawOf({
                "aws:region": "eu-west-1",
                "tenant-apps:database": '{"host":"db","port":5432,"name":"numinia"}',
                "tenant-apps:reservedNamespaces": '["payments","billing-*"]',
                "tenant-apps:secretDelivery": "aws-sdk",
            }),
            {
                region: "eu-west-1",
                database: { host: "db", port: 5432, name: "numinia" },
                reservedNamespaces: ["payments", "billing-*"],
                secretDelivery: "aws-sdk",
            },
        );
    });

    it("keeps every scalar a string: numbers are coerced only where the schema expects one", () => {
        const valueOf = (text: string): unknown => rawOf({ "tenant-apps:environment": text }).environment;
        assert.equal(valueOf("5432"), "5432");
        assert.equal(valueOf("007"), "007");
        assert.equal(valueOf("0"), "0");
        assert.equal(valueOf("1e3"), "1e3");
        assert.equal(valueOf("-1"), "-1");
        assert.equal(valueOf("3.5"), "3.5");
        assert.equal(valueOf(" 42"), " 42");
        assert.equal(valueOf("true"), "true");
        assert.equal(valueOf(""), "");
    });

    it("reads the plain platform keys as values; secret keys never, unknown keys only to report them", () => {
        const raw = rawOf({
            "aws:region": "eu-west-1",
            "tenant-apps:aiApiKey": "sk-not-a-plain-value",
            "tenant-apps:deltion": '{"protect":false}',
            "tenant-apps:colour": "blue",
        });
        assert.deepEqual(raw, { region: "eu-west-1" });
        assert.deepEqual(
            problemsOfRaw(raw).map((p) => p.split(";")[0]),
            ["tenant-apps:deltion: unknown config key (did you mean tenant-apps:deletion?)", "tenant-apps:colour: unknown config key"],
        );
    });

    it("keeps a digits-only catalogDir text, which validation accepts", () => {
        const raw = rawOf({
            "aws:region": "eu-west-1",
            "tenant-apps:catalogDir": "2024",
            "tenant-apps:kubernetes": JSON.stringify({ context: "production" }),
            "tenant-apps:cluster": JSON.stringify({
                oidcProviderArn: "arn:aws:iam::482103417651:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
                oidcIssuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            }),
            "tenant-apps:database": JSON.stringify({
                host: "db",
                name: "numinia",
                adminSecretArn: "arn:aws:secretsmanager:eu-west-1:482103417651:secret:admin-Qm3xZp",
            }),
            "tenant-apps:storage": JSON.stringify({ bucket: "numinia-statics", publicBaseUrl: "https://statics.numinia.xyz", prefix: "p" }),
        });
        assert.equal(raw.catalogDir, "2024");
        assert.equal(parsePlatformConfig("pro", raw).catalogDir, "2024");
    });

    it("reports a value that starts like JSON but is not, by key and without its text", () => {
        const raw = rawOf({ "tenant-apps:names": "{namespace: {org}}" });
        assert.deepEqual(problemsOfRaw(raw), ["tenant-apps:names: is not valid JSON (at character 1); write it as a YAML mapping or list"]);
        assert.throws(
            () => parsePlatformConfig("pro", raw),
            (error: unknown) => error instanceof PlatformConfigError && error.problems[0] === problemsOfRaw(raw)[0],
        );
    });
});
