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
