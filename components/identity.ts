import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./options";
import { appPermissionPolicy, irsaTrustPolicy } from "../model/iamPolicies";
import type { TenantIamConfig } from "../model/tenantIamConfig";
import { typeTokens } from "../model/typeTokens";

export interface TenantIdentityArgs {
    readonly roleName: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly oidcProviderArn: string;
    /** Issuer without `https://`, as IAM condition keys spell it. */
    readonly oidcIssuerHostPath: string;
    readonly partition: string;
    /** ARN of the app's own secret. */
    readonly secretArn: pulumi.Input<string>;
    /** The app's S3 prefix, when it has storage. */
    readonly storage?: { readonly bucket: string; readonly prefix: string };
    readonly labels: Record<string, string>;
    readonly tags: Record<string, string>;
    /** The role's IAM path and the permissions boundary that caps it (the operator may create it only with both). */
    readonly iam: TenantIamConfig;
}

/**
 * IRSA for one app: an IAM role only its own service account can assume, a policy that
 * reaches only its own secret and S3 prefix, and the annotated ServiceAccount.
 */
export class TenantIdentity extends pulumi.ComponentResource {
    readonly roleArn: pulumi.Output<string>;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    /** The role's inline policy; consumers wait on it before using the identity. */
    readonly policy: aws.iam.RolePolicy;

    constructor(name: string, args: TenantIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.identityLink, name, { roleName: args.roleName, serviceAccount: args.serviceAccount }, opts);
        const trust = irsaTrustPolicy(args);
        const role = new aws.iam.Role(
            `${name}/role`,
            {
                name: args.roleName,
                description: `IRSA role of service account ${args.namespace}/${args.serviceAccount}`,
                assumeRolePolicy: JSON.stringify(trust),
                path: args.iam.path,
                permissionsBoundary: args.iam.permissionsBoundaryArn,
                tags: args.tags,
            },
            { parent: this },
        );
        this.policy = new aws.iam.RolePolicy(
            `${name}/policy`,
            {
                role: role.name,
                name: "tenant-app",
                policy: pulumi
                    .output(args.secretArn)
                    .apply((secretArn) =>
                        JSON.stringify(appPermissionPolicy({ partition: args.partition, secretArn, storage: args.storage })),
                    ),
            },
            { parent: this },
        );
        this.roleArn = role.arn;
        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}/service-account`,
            {
                metadata: {
                    name: args.serviceAccount,
                    namespace: args.namespace,
                    labels: args.labels,
                    annotations: { "eks.amazonaws.com/role-arn": role.arn },
                },
            },
            childOf(this, opts),
        );
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
