import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../model/config";
import { dataBearing, valueOf } from "./options";
import { typeTokens } from "../model/typeTokens";

export interface TenantSecretArgs {
    readonly name: string;
    readonly description: string;
    /** Every key of the secret, in the order written. */
    readonly keys: readonly string[];
    /** Values by key; a key without a value is written as an empty string. */
    readonly values: Readonly<Record<string, pulumi.Input<string>>>;
    readonly deletion: PlatformConfig["deletion"];
    readonly tags: Record<string, string>;
}

/** A flat JSON object of strings with exactly `keys`, missing values empty. Pure. */
export function secretDocument(keys: readonly string[], values: Readonly<Record<string, string>>): string {
    return JSON.stringify(Object.fromEntries(keys.map((key) => [key, values[key] ?? ""])));
}

/** The app's Secrets Manager secret and its current version, a flat JSON object of strings. */
export class TenantSecret extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly name: string;
    readonly secret: aws.secretsmanager.Secret;
    readonly version: aws.secretsmanager.SecretVersion;

    constructor(name: string, args: TenantSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.secretLink, name, { name: args.name, keys: [...args.keys] }, opts);
        this.name = args.name;
        this.secret = new aws.secretsmanager.Secret(
            `${name}/secret`,
            {
                name: args.name,
                description: args.description,
                recoveryWindowInDays: args.deletion.recoveryWindowInDays,
                tags: args.tags,
            },
            dataBearing(args.deletion, { parent: this }),
        );
        const document = pulumi.all(args.values).apply((values) => secretDocument(args.keys, values));
        this.version = new aws.secretsmanager.SecretVersion(
            `${name}/version`,
            { secretId: this.secret.id, secretString: pulumi.secret(document) },
            valueOf(args.deletion, { parent: this }),
        );
        this.arn = this.secret.arn;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
