import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./options";
import type { TenantAppSpec } from "../model/catalog";
import type { PlatformConfig } from "../model/config";
import { domainMappingManifest } from "../model/manifests";
import { typeTokens } from "../model/typeTokens";

export interface DomainMappingArgs {
    readonly app: TenantAppSpec;
    readonly tlsMode: PlatformConfig["tls"]["mode"];
}

/** Maps the app's public hostname to its KNative Service, with TLS by the stack's mode. */
export class DomainMapping extends pulumi.ComponentResource {
    /** `https://{hostname}`. */
    readonly url: string;

    constructor(name: string, args: DomainMappingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeTokens.domainMappingLink, name, { hostname: args.app.names.hostname }, opts);
        new k8s.apiextensions.CustomResource(`${name}/mapping`, domainMappingManifest(args.app, args.tlsMode), childOf(this, opts));
        this.url = `https://${args.app.names.hostname}`;
        this.registerOutputs({ url: this.url });
    }
}
