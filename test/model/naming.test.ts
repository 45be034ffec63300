import { strict as assert } from "node:assert";
import { appNames, defaultNamePatterns, fillPattern, toSqlIdentifier } from "../../model/naming";

const parts = { org: "r3s3t", app: "world", env: "pro", type: "hyperfy2", domain: "r3s3t.xyz" } as const;

describe("naming", () => {
    it("gives the platform docs' names by default", () => {
        const names = appNames(defaultNamePatterns("pro"), parts, "hyperfy-spaces");
        assert.deepEqual(names, {
            namespace: "r3s3t-pro",
            service: "world-pro",
            serviceAccount: "world-pro",
            secretStore: "world-pro",
            deliveredSecret: "world-pro-env",
            schema: "world_r3s3t_pro",
            dbRole: "world_r3s3t_pro",
            iamRole: "r3s3t-world-pro",
            secret: "hyperfy2-r3s3t-world-pro",
            hostname: "world.r3s3t.xyz",
            tlsSecret: "r3s3t-tls",
            s3Prefix: "hyperfy-spaces/r3s3t/world/pro",
            assetsFolderKey: "hyperfy-spaces/r3s3t/world/pro/assets/",
        });
    });

    it("prefixes pre hostnames with pre. and keeps an app's own hostname", () => {
        assert.equal(appNames(defaultNamePatterns("pre"), { ...parts, env: "pre" }, "p").hostname, "pre.world.r3s3t.xyz");
        assert.equal(appNames(defaultNamePatterns("pre"), { ...parts, env: "pre" }, "p", "w.example.org").hostname, "w.example.org");
    });

    it("maps - to _ in schema names", () => {
        const names = appNames(defaultNamePatterns("pre"), { ...parts, org: "active-inference", app: "my-agent", env: "pre" }, "p");
        assert.equal(names.schema, "my_agent_active_inference_pre");
        assert.equal(toSqlIdentifier("a-b-c"), "a_b_c");
    });

    it("follows a stack's own patterns, e.g. the live repo's pro namespace {org}", () => {
        const names = appNames({ ...defaultNamePatterns("pro"), namespace: "{org}" }, parts, "hyperfy-spaces");
        assert.equal(names.namespace, "r3s3t");
    });

    it("leaves unknown placeholders visible so validation can report them", () => {
        assert.equal(fillPattern("{org}-{cluster}", parts), "r3s3t-{cluster}");
    });

    it("omits an empty storage prefix instead of writing a leading slash", () => {
        assert.equal(appNames(defaultNamePatterns("pro"), parts, "").s3Prefix, "r3s3t/world/pro");
    });
});
