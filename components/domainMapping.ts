import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "./options";
import type { TenantAppSpec } from "../model/catalog";
import type { PlatformConfig } from "../model/config";
import { clusterDomainClaimManifest, domainMappingManifest } from "../model/manifests";
import type { DomainMappingWait } from "../model/readiness";
import { typeTokens } from "../model/typeTokens";

export interface DomainMappingArgs {
    readonly app: TenantAppSpec;
    readonly tlsMode: PlatformConfig["tls"]["mode"];
    /** Create the hostname's ClusterDomainClaim (the cluster does not auto-create claims). */
    readonly createDomainClaim?: boolean;
    /** How long `pulumi up` waits for the DomainMapping to become Ready. */
    readonly readyTimeoutSeconds: number;
    /** What `up` waits for instead of Ready, and what it leaves out (model/readiness.ts); Ready when absent. */
    readonly wait?: DomainMappingWait;
}

/** Maps the app's public hostname to its KNative Service, with TLS by the stack's mode. */
export class DomainMapping extends pulumi.ComponentResource {
    /** `https://{hostname}`. */
    readonly url: string;

    constructor(name: string, args: DomainMappingArgs, opts?: pulumi.ComponentResourceOptions) {
        const waits =
            args.wait !== undefined
                ? { waitsFor: [...args.wait.waitsFor], ...(args.wait.note !== undefined ? { note: args.wait.note } : {}) }
                : {};
        super(typeTokens.domainMappingLink, name, { hostname: args.app.names.hostname, ...waits }, opts);
        const claim =
            args.createDomainClaim === true
                ? new k8s.apiextensions.CustomResource(`${name}/claim`, clusterDomainClaimManifest(args.app), childOf(this, opts))
                : undefined;
        new k8s.apiextensions.CustomResource(
            `${name}/mapping`,
            domainMappingManifest(args.app, args.tlsMode, args.readyTimeoutSeconds, args.wait?.annotations),
            claim
                ? { parent: this, dependsOn: Array.isArray(opts?.dependsOn) ? [...opts.dependsOn, claim] : [claim] }
                : childOf(this, opts),
        );
        this.url = `https://${args.app.names.hostname}`;
        this.registerOutputs({ url: this.url });
    }
}
