/**
 * IAM documents of one tenant app, computed locally (no data-source call per app).
 * Pure: every function returns a plain JSON-ready object.
 */

export interface PolicyStatement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Readonly<Record<string, string>>;
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

/** Who may assume an app's role: exactly its own service account, through the cluster's OIDC provider. */
export interface TrustPolicyInputs {
    readonly oidcProviderArn: string;
    /** Issuer without `https://`, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC`. */
    readonly oidcIssuerHostPath: string;
    readonly namespace: string;
    readonly serviceAccount: string;
}

/** The IRSA trust policy: `sub` and `aud` both pinned with `StringEquals`. */
export function irsaTrustPolicy(i: TrustPolicyInputs): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AssumeFromOwnServiceAccount",
                Effect: "Allow",
                Principal: { Federated: i.oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${i.oidcIssuerHostPath}:sub`]: `system:serviceaccount:${i.namespace}:${i.serviceAccount}`,
                        [`${i.oidcIssuerHostPath}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ],
    };
}

/** What an app's role may touch. */
export interface AppPolicyInputs {
    readonly partition: string;
    /** ARN of the app's own secret (the real one, with its random suffix). */
    readonly secretArn: string;
    /** Present when the app has storage. */
    readonly storage?: { readonly bucket: string; readonly prefix: string };
}

export const secretActions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] as const;
export const objectActions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] as const;

/** The app's permissions: read its own secret; read/write objects under its own S3 prefix only. */
export function appPermissionPolicy(i: AppPolicyInputs): PolicyDocument {
    const statements: PolicyStatement[] = [{ Sid: "ReadOwnSecret", Effect: "Allow", Action: [...secretActions], Resource: i.secretArn }];
    if (i.storage) {
        const bucketArn = `arn:${i.partition}:s3:::${i.storage.bucket}`;
        statements.push(
            {
                Sid: "ReadWriteOwnPrefix",
                Effect: "Allow",
                Action: [...objectActions],
                Resource: `${bucketArn}/${i.storage.prefix}/*`,
            },
            {
                Sid: "ListOwnPrefix",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: bucketArn,
                Condition: { StringLike: { "s3:prefix": [`${i.storage.prefix}/`, `${i.storage.prefix}/*`] } },
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Where a per-app IAM user may read and write: its own prefix of the shared bucket. */
export interface AssetsUserPolicyInputs {
    readonly partition: string;
    readonly bucket: string;
    /** The app's prefix without a trailing `/`, e.g. `hyperfy-spaces/r3s3t/world/pro`. */
    readonly prefix: string;
    /**
     * `bucket` (default) keeps the grant Hyperfy's init probe needs, which lets the key list key
     * names bucket-wide; `prefix` drops it, for an image whose probe sends its own prefix.
     */
    readonly listScope?: "bucket" | "prefix";
}

/**
 * The inline policy of a per-app IAM user whose keys live in Hyperfy's `ASSETS_S3_URI`:
 * read/write/delete objects under its own prefix (HeadObject needs GetObject; DeleteObject
 * only with CLEAN=true, hyperfy `src/server/AssetsS3.js` L177-294), list its own prefix
 * (`list()`, L230-265), and the one listing Hyperfy's `init()` makes: `ListObjectsV2` with
 * `MaxKeys: 1` and no `Prefix` (L134-153). That grant cannot be pinned to a prefix, so it is
 * bounded by `s3:max-keys` ≤ 1 with no or an empty `s3:prefix`: one key name per request,
 * but with `start-after` every key name of the bucket can still be enumerated. With `listScope:
 * "prefix"` the statement is dropped (docs/platform.md: the image's one-line change).
 */
export function assetsUserPolicy(i: AssetsUserPolicyInputs): PolicyDocument {
    const bucketArn = `arn:${i.partition}:s3:::${i.bucket}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadWriteOwnPrefix", Effect: "Allow", Action: [...objectActions], Resource: `${bucketArn}/${i.prefix}/*` },
            {
                Sid: "ListOwnPrefix",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: bucketArn,
                Condition: { StringLike: { "s3:prefix": [`${i.prefix}/`, `${i.prefix}/*`] } },
            },
            ...(i.listScope === "prefix"
                ? []
                : [
                      {
                          Sid: "HyperfyInitProbe",
                          Effect: "Allow" as const,
                          Action: "s3:ListBucket",
                          Resource: bucketArn,
                          Condition: { NumericLessThanEquals: { "s3:max-keys": "1" }, StringEqualsIfExists: { "s3:prefix": "" } },
                      },
                  ]),
        ],
    };
}
