import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { TenantSecret } from "../../components/secret";
import type { Evaluation } from "../../render/evaluate";
import { construct, inventory, named, optionsOf } from "./support";

const tags = {
    "tenant-apps/organization": "acme",
    "tenant-apps/app": "api",
    "tenant-apps/environment": "pro",
    "managed-by": "tenant-apps",
};

describe("TenantSecret alone", () => {
    let ev: Evaluation;
    before(async () => {
        ev = await construct(() => {
            const secret = new TenantSecret("acme/api/secret", {
                name: "custom-acme-api-pro",
                description: "Runtime secrets of tenant app acme/api (pro)",
                keys: ["DB_URI", "DB_SCHEMA", "AI_API_KEY"],
                values: {
                    DB_SCHEMA: "api_acme_pro",
                    DB_URI: pulumi.secret("postgres://api_acme_pro:pw@db:5432/numinia"),
                    NOT_A_KEY: "dropped",
                },
                deletion: { protect: true, retainOnDelete: true, recoveryWindowInDays: 30 },
                tags,
            });
            return { arn: secret.arn, name: secret.name };
        });
    });

    it("creates the secret and one version, and hands no value to the component itself", () => {
        assert.deepEqual(inventory(ev), [
            "aws:secretsmanager/secret:Secret acme/api/secret/secret",
            "aws:secretsmanager/secretVersion:SecretVersion acme/api/secret/version",
            "tenant-apps:chain:TenantSecret acme/api/secret",
        ]);
        assert.deepEqual(named(ev, "acme/api/secret").inputs, { name: "custom-acme-api-pro", keys: ["DB_URI", "DB_SCHEMA", "AI_API_KEY"] });
    });

    it("names the secret and keeps a recovery window", () => {
        assert.deepEqual(named(ev, "acme/api/secret/secret").inputs, {
            name: "custom-acme-api-pro",
            description: "Runtime secrets of tenant app acme/api (pro)",
            recoveryWindowInDays: 30,
            tags,
        });
    });

    it("writes exactly the keys, in order, unknown values empty, as a Pulumi secret", () => {
        const version = named(ev, "acme/api/secret/version");
        assert.deepEqual(version.inputs, {
            secretId: "arn:aws:secretsmanager:eu-west-1:482103417651:secret:custom-acme-api-pro-c12e8b",
            secretString: '{"DB_URI":"postgres://api_acme_pro:pw@db:5432/numinia","DB_SCHEMA":"api_acme_pro","AI_API_KEY":""}',
        });
        assert.deepEqual(version.secretInputs, ["secretString"]);
        assert.deepEqual(version.maskedInputs.secretString, "[secret]");
    });

    it("keeps secret and version when the app goes; protects the secret as the stack says, never the version (a rotation replaces it)", () => {
        assert.deepEqual(optionsOf(ev, "acme/api/secret/secret"), {
            parent: "acme/api/secret",
            dependsOn: [],
            protect: true,
            retainOnDelete: true,
        });
        assert.deepEqual(optionsOf(ev, "acme/api/secret/version"), {
            parent: "acme/api/secret",
            dependsOn: ["acme/api/secret/secret"],
            protect: false,
            retainOnDelete: true,
        });
    });

    it("exposes the secret's name and ARN", () => {
        assert.deepEqual(ev.outputs, {
            arn: "arn:aws:secretsmanager:eu-west-1:482103417651:secret:custom-acme-api-pro-c12e8b",
            name: "custom-acme-api-pro",
        });
    });
});
