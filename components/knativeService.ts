import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./options";
import type { TenantAppSpec } from "../model/catalog";
import { knativeServiceManifest, type ServiceContext } from "../model/manifests";
import { typeTokens } from "../model/typeTokens";

export interface KnativeServiceArgs {
    readonly app: TenantAppSpec;
    readonly context: ServiceContext;
}

/** The app's KNative Service: autoscaling bounds, its service account, one container with one port. */
export class KnativeService extends pulumi.ComponentResource {
    readonly name: string;
    readonly service: k8s.apiextensions.CustomResource;

    constructor(name: string, args: KnativeServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.knativeServiceLink, name, { name: args.app.names.service }, opts);
        this.name = args.app.names.service;
        this.service = new k8s.apiextensions.CustomResource(
            `${name}/service`,
            knativeServiceManifest(args.app, args.context),
            childOf(this, opts),
        );
        this.registerOutputs({ name: this.name });
    }
}
