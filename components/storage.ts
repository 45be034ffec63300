import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../model/config";
import { dataBearing } from "./options";
import { typeTokens } from "../model/typeTokens";

export interface TenantStorageArgs {
    readonly bucket: string;
    /** The zero-byte folder object to create, e.g. `hyperfy-spaces/r3s3t/world/pro/assets/`. */
    readonly folderKey: string;
    readonly deletion: PlatformConfig["deletion"];
    readonly tags: Record<string, string>;
}

/** The app's folder in the shared statics bucket. Its objects are never deleted with the app. */
export class TenantStorage extends pulumi.ComponentResource {
    /** `s3://bucket/prefix/org/app/env/assets`, as the app's `ASSETS_S3_URI`. */
    readonly s3Uri: string;

    constructor(name: string, args: TenantStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.storageLink, name, { folderKey: args.folderKey }, opts);
        new aws.s3.BucketObjectv2(
            `${name}/assets-folder`,
            { bucket: args.bucket, key: args.folderKey, content: "", contentType: "application/x-directory", tags: args.tags },
            dataBearing(args.deletion, { parent: this }),
        );
        this.s3Uri = `s3://${args.bucket}/${args.folderKey.replace(/\/$/, "")}`;
        this.registerOutputs({ s3Uri: this.s3Uri });
    }
}
