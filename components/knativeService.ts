import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./options";
import type { TenantAppSpec } from "../model/catalog";
import { rdsCaBundle } from "../model/connections";
import { dbCaConfigMapManifest, knativeServiceManifest, type ServiceContext } from "../model/manifests";
import { typeTokens } from "../model/typeTokens";

export interface KnativeServiceArgs {
    readonly app: TenantAppSpec;
    readonly context: ServiceContext;
    /** Region of the RDS CAs put in the app's CA ConfigMap when `context.dbCa` is set. */
    readonly dbCaRegion?: string;
}

/** The app's KNative Service: autoscaling bounds, its service account, one container with one port. */
export class KnativeService extends pulumi.ComponentResource {
    readonly name: string;
    readonly service: k8s.apiextensions.CustomResource;

    constructor(name: string, args: KnativeServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.knativeServiceLink, name, { name: args.app.names.service }, opts);
        this.name = args.app.names.service;
        const caMap =
            args.context.dbCa === true
                ? new k8s.core.v1.ConfigMap(
                      `${name}/db-ca`,
                      dbCaConfigMapManifest(args.app, rdsCaBundle(required(args.dbCaRegion))),
                      childOf(this, opts),
                  )
                : undefined;
        this.service = new k8s.apiextensions.CustomResource(
            `${name}/service`,
            knativeServiceManifest(args.app, args.context),
            // After the CA map as well as after what the component waits on (the CA map itself waits on that too).
            caMap
                ? { parent: this, dependsOn: Array.isArray(opts?.dependsOn) ? [...opts.dependsOn, caMap] : [caMap] }
                : childOf(this, opts),
        );
        this.registerOutputs({ name: this.name });
    }
}

function required(region: string | undefined): string {
    if (region === undefined) throw new Error("dbCaRegion is required when context.dbCa is set");
    return region;
}
