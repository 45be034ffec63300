import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../model/config";
import { hyperfyAssetsUri } from "../model/connections";
import { assetsUserPolicy } from "../model/iamPolicies";
import { dataBearing } from "./options";
import type { TenantIamConfig } from "../model/tenantIamConfig";
import { typeTokens } from "../model/typeTokens";

export interface TenantStorageArgs {
    readonly bucket: string;
    /** The zero-byte folder object to create, e.g. `hyperfy-spaces/r3s3t/world/pro/assets/`. */
    readonly folderKey: string;
    readonly deletion: PlatformConfig["deletion"];
    readonly tags: Record<string, string>;
    /**
     * Static credentials for runtimes that cannot use IRSA (Hyperfy): a per-app IAM user that
     * reaches only `prefix`, whose access key goes only into `s3Uri` (a Pulumi secret).
     */
    readonly accessKey?: {
        readonly userName: string;
        readonly partition: string;
        readonly region: string;
        /** The app's prefix without a trailing `/`, e.g. `hyperfy-spaces/r3s3t/world/pro`. */
        readonly prefix: string;
        /** The user's IAM path and the permissions boundary that caps it. */
        readonly iam: TenantIamConfig;
        /** `tenant-apps:isolation.s3ListScope`: whether the key may list bucket-wide (Hyperfy's init probe). */
        readonly listScope: "bucket" | "prefix";
    };
}

/**
 * The app's folder in the shared statics bucket (its objects are never deleted with the app)
 * and, for runtimes that need static keys, a per-app IAM user and access key.
 *
 * Rotation of the access key: `pulumi up --replace <the access key's URN>`. Pulumi replaces
 * create-before-delete, so the new key exists (IAM allows two per user) and the secret's new
 * version holds it before the old key is deleted; a running revision keeps the old key in its
 * environment until it restarts, so restart it right after (a new revision or scale to zero).
 */
export class TenantStorage extends pulumi.ComponentResource {
    /**
     * The app's `ASSETS_S3_URI`: `s3://bucket/prefix/org/app/env/assets`, or with an access key
     * Hyperfy's `s3://KEY:SECRET@bucket.s3.REGION.amazonaws.com/...` (a Pulumi secret).
     */
    readonly s3Uri: pulumi.Output<string>;
    /** The IAM user's name, when the app has one. */
    readonly userName?: string;

    constructor(name: string, args: TenantStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.storageLink, name, { folderKey: args.folderKey }, opts);
        new aws.s3.BucketObjectv2(
            `${name}/assets-folder`,
            { bucket: args.bucket, key: args.folderKey, content: "", contentType: "application/x-directory", tags: args.tags },
            dataBearing(args.deletion, { parent: this }),
        );
        const folder = args.folderKey.replace(/\/$/, "");
        const access = args.accessKey;
        if (access === undefined) {
            this.s3Uri = pulumi.output(`s3://${args.bucket}/${folder}`);
            this.registerOutputs({ s3Uri: this.s3Uri });
            return;
        }
        const user = new aws.iam.User(
            `${name}/user`,
            // No forceDestroy: with it the provider's delete also lists every virtual MFA device of the
            // account and removes login profiles, SSH keys and certificates (terraform-provider-aws
            // internal/service/iam/user.go resourceUserDelete), calls the operator is not granted. The
            // program's own key and policy are deleted before the user; anything added by hand makes
            // the delete fail loudly instead of vanishing with it.
            {
                name: access.userName,
                path: access.iam.path,
                permissionsBoundary: access.iam.permissionsBoundaryArn,
                forceDestroy: false,
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.iam.UserPolicy(
            `${name}/user-policy`,
            {
                user: user.name,
                name: "tenant-app-assets",
                policy: JSON.stringify(
                    assetsUserPolicy({
                        partition: access.partition,
                        bucket: args.bucket,
                        prefix: access.prefix,
                        listScope: access.listScope,
                    }),
                ),
            },
            { parent: this },
        );
        // `secret` is an additional secret output (pulumi-aws 7.48.0 iam/accessKey.js L151-152).
        const key = new aws.iam.AccessKey(`${name}/access-key`, { user: user.name }, { parent: this });
        this.userName = access.userName;
        this.s3Uri = pulumi.secret(
            pulumi
                .all([key.id, key.secret])
                .apply(([accessKeyId, secretAccessKey]) =>
                    hyperfyAssetsUri({ accessKeyId, secretAccessKey, bucket: args.bucket, region: access.region, prefix: folder }),
                ),
        );
        this.registerOutputs({ s3Uri: this.s3Uri, userName: this.userName });
    }
}
