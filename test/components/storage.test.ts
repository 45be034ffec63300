import { strict as assert } from "node:assert";
import { TenantStorage } from "../../components/storage";
import type { Evaluation } from "../../render/evaluate";
import { construct, inventory, named, optionsOf } from "./support";

const tags = {
    "tenant-apps/organization": "acme",
    "tenant-apps/app": "web",
    "tenant-apps/environment": "pro",
    "managed-by": "tenant-apps",
};

describe("TenantStorage alone", () => {
    const build = (deletion: { protect: boolean; retainOnDelete: boolean }) => () => {
        const storage = new TenantStorage("acme/web/storage", {
            bucket: "numinia-statics",
            folderKey: "hyperfy-spaces/acme/web/pro/assets/",
            deletion: { ...deletion, recoveryWindowInDays: 30 },
            tags,
        });
        return { s3Uri: storage.s3Uri };
    };
    let pro: Evaluation;
    let pre: Evaluation;
    before(async () => {
        pro = await construct(build({ protect: true, retainOnDelete: true }));
        pre = await construct(build({ protect: false, retainOnDelete: true }), "pre");
    });

    it("creates one zero-byte folder object in the shared bucket", () => {
        assert.deepEqual(inventory(pro), [
            "aws:s3/bucketObjectv2:BucketObjectv2 acme/web/storage/assets-folder",
            "tenant-apps:chain:TenantStorage acme/web/storage",
        ]);
        assert.deepEqual(named(pro, "acme/web/storage").inputs, { folderKey: "hyperfy-spaces/acme/web/pro/assets/" });
        assert.deepEqual(named(pro, "acme/web/storage/assets-folder").inputs, {
            bucket: "numinia-statics",
            key: "hyperfy-spaces/acme/web/pro/assets/",
            content: "",
            contentType: "application/x-directory",
            tags,
        });
    });

    it("gives the app's ASSETS_S3_URI without the trailing slash", () => {
        assert.deepEqual(pro.outputs, { s3Uri: "s3://numinia-statics/hyperfy-spaces/acme/web/pro/assets" });
    });

    it("keeps the folder in the cloud when the app goes, and protects it where the stack says", () => {
        assert.deepEqual(optionsOf(pro, "acme/web/storage/assets-folder"), {
            parent: "acme/web/storage",
            dependsOn: [],
            protect: true,
            retainOnDelete: true,
        });
        assert.deepEqual(optionsOf(pre, "acme/web/storage/assets-folder"), {
            parent: "acme/web/storage",
            dependsOn: [],
            protect: false,
            retainOnDelete: true,
        });
    });
});

describe("TenantStorage with an access key (Hyperfy)", () => {
    let ev: Evaluation;
    before(async () => {
        ev = await construct(() => {
            const storage = new TenantStorage("acme/world/storage", {
                bucket: "numinia-statics",
                folderKey: "hyperfy-spaces/acme/world/pro/assets/",
                deletion: { protect: true, retainOnDelete: true, recoveryWindowInDays: 30 },
                tags,
                accessKey: {
                    userName: "acme-world-pro",
                    partition: "aws",
                    region: "eu-west-1",
                    prefix: "hyperfy-spaces/acme/world/pro",
                    iam: {
                        path: "/tenant-apps/pro/",
                        permissionsBoundaryArn: "arn:aws:iam::482103417651:policy/tenant-apps/tenant-boundary-pro",
                    },
                    listScope: "bucket",
                },
            });
            return { s3Uri: storage.s3Uri };
        });
    });

    it("creates a per-app IAM user, its inline policy and one access key beside the folder", () => {
        assert.deepEqual(inventory(ev), [
            "aws:iam/accessKey:AccessKey acme/world/storage/access-key",
            "aws:iam/user:User acme/world/storage/user",
            "aws:iam/userPolicy:UserPolicy acme/world/storage/user-policy",
            "aws:s3/bucketObjectv2:BucketObjectv2 acme/world/storage/assets-folder",
            "tenant-apps:chain:TenantStorage acme/world/storage",
        ]);
        assert.deepEqual(named(ev, "acme/world/storage/user").inputs, {
            name: "acme-world-pro",
            path: "/tenant-apps/pro/",
            permissionsBoundary: "arn:aws:iam::482103417651:policy/tenant-apps/tenant-boundary-pro",
            forceDestroy: false,
            tags,
        });
        assert.deepEqual(named(ev, "acme/world/storage/access-key").inputs, { user: "acme-world-pro" });
        assert.equal(named(ev, "acme/world/storage/user-policy").inputs.name, "tenant-app-assets");
        // The key is replaced create-before-delete (Pulumi's default), never deleted first.
        assert.equal(named(ev, "acme/world/storage/access-key").deleteBeforeReplace, false);
    });

    it("hands out Hyperfy's URI with the key embedded (the mocks' stand-in key), only as a secret", () => {
        assert.deepEqual(ev.outputs, {
            s3Uri: "s3://AKIAAZFFEJEE3KUD07QI:IMoPGjOsQgROBqY5VgWDabsymBBWSBapFXvhKt1M@numinia-statics.s3.eu-west-1.amazonaws.com/hyperfy-spaces/acme/world/pro/assets",
        });
        assert.equal(ev.outputsSecret, true);
    });
});
