import type * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { OrganizationSpec } from "../model/catalog";
import type { PlatformConfig, SharedSecretKey } from "../model/config";
import { TenantNamespace } from "./namespace";
import { TenantApp, type TenantAppOutputs } from "./tenantApp";
import { typeTokens } from "../model/typeTokens";

export interface TenantOrganizationArgs {
    readonly organization: OrganizationSpec;
    readonly platform: PlatformConfig;
    readonly databaseProvider?: postgresql.Provider;
    readonly sharedSecrets: Partial<Record<SharedSecretKey, pulumi.Input<string>>>;
}

/** One organization in one stack: its namespace and every one of its apps. */
export class TenantOrganization extends pulumi.ComponentResource {
    /** Outputs of each app, keyed by app name. */
    readonly apps: Readonly<Record<string, TenantAppOutputs>>;

    constructor(name: string, args: TenantOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
        const org = args.organization;
        super(typeTokens.organization, name, { organization: org.name, namespace: org.namespace }, opts);
        const namespace = new TenantNamespace(name, { organization: org, defaults: args.platform.namespaceDefaults }, { parent: this });
        const apps: Record<string, TenantAppOutputs> = {};
        for (const app of org.apps) {
            apps[app.name] = new TenantApp(
                `${org.name}/${app.name}`,
                { app, platform: args.platform, databaseProvider: args.databaseProvider, sharedSecrets: args.sharedSecrets },
                { parent: this, dependsOn: [namespace] },
            ).outputs;
        }
        this.apps = apps;
        this.registerOutputs({ namespace: namespace.name });
    }
}
