import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./options";
import type { TenantAppSpec } from "../model/catalog";
import type { PlatformConfig } from "../model/config";
import { externalSecretManifest, secretStoreManifest } from "../model/manifests";
import { typeTokens } from "../model/typeTokens";

export interface SecretDeliveryArgs {
    readonly app: TenantAppSpec;
    readonly region: string;
    readonly externalSecrets: PlatformConfig["externalSecrets"];
    /** How long `pulumi up` waits for the ExternalSecret to sync. */
    readonly readyTimeoutSeconds: number;
}

/**
 * External Secrets delivery: a SecretStore that authenticates as the app's own service
 * account (so it can read only this app's secret) and an ExternalSecret that extracts
 * every key into the Kubernetes Secret the service reads through `envFrom`.
 */
export class SecretDelivery extends pulumi.ComponentResource {
    /** Name of the Kubernetes Secret the ExternalSecret writes. */
    readonly secretName: string;
    readonly externalSecret: k8s.apiextensions.CustomResource;

    constructor(name: string, args: SecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.secretDeliveryLink, name, { secretName: args.app.names.deliveredSecret }, opts);
        const { apiVersion, refreshInterval } = args.externalSecrets;
        const store = new k8s.apiextensions.CustomResource(
            `${name}/store`,
            secretStoreManifest(args.app, apiVersion, args.region),
            childOf(this, opts),
        );
        this.externalSecret = new k8s.apiextensions.CustomResource(
            `${name}/external-secret`,
            externalSecretManifest(args.app, apiVersion, refreshInterval, args.readyTimeoutSeconds),
            { parent: this, dependsOn: [store] },
        );
        this.secretName = args.app.names.deliveredSecret;
        this.registerOutputs({ secretName: this.secretName });
    }
}
