import type * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { OrganizationSpec, TenantAppSpec } from "../model/catalog";
import type { PlatformConfig, SharedSecretKey } from "../model/config";
import { TenantNamespace } from "./namespace";
import { TenantApp, type TenantAppOutputs } from "./tenantApp";
import { typeTokens } from "../model/typeTokens";

export interface TenantOrganizationArgs {
    readonly organization: OrganizationSpec;
    readonly platform: PlatformConfig;
    readonly databaseProvider?: postgresql.Provider;
    readonly sharedSecrets: Partial<Record<SharedSecretKey, pulumi.Input<string>>>;
    /**
     * When true, the constructor registers only the namespace and the caller adds each app with
     * `addApp`, so a large organization can be registered across turns of the event loop.
     */
    readonly deferApps?: boolean;
}

/** One organization in one stack: its namespace and every one of its apps. */
export class TenantOrganization extends pulumi.ComponentResource {
    /** Outputs of each app, keyed by app name. */
    readonly apps: Readonly<Record<string, TenantAppOutputs>>;
    private readonly appOutputs: Record<string, TenantAppOutputs> = {};
    private readonly args: TenantOrganizationArgs;
    private readonly namespace: TenantNamespace;

    constructor(name: string, args: TenantOrganizationArgs, opts?: pulumi.ComponentResourceOptions) {
        const org = args.organization;
        super(typeTokens.organization, name, { organization: org.name, namespace: org.namespace }, opts);
        const namespace = new TenantNamespace(
            name,
            {
                organization: org,
                defaults: args.platform.namespaceDefaults,
                env: args.platform.env,
                podSecurity: args.platform.podSecurity,
                isolation: args.platform.isolation,
            },
            { parent: this },
        );
        this.args = args;
        this.namespace = namespace;
        this.apps = this.appOutputs;
        if (args.deferApps !== true) for (const app of org.apps) this.addApp(app);
        this.registerOutputs({ namespace: namespace.name });
    }

    /** Registers one of the organization's apps under it and returns the app's outputs. */
    addApp(app: TenantAppSpec): TenantAppOutputs {
        const { args } = this;
        const outputs = new TenantApp(
            `${args.organization.name}/${app.name}`,
            { app, platform: args.platform, databaseProvider: args.databaseProvider, sharedSecrets: args.sharedSecrets },
            { parent: this, dependsOn: [this.namespace] },
        ).outputs;
        this.appOutputs[app.name] = outputs;
        return outputs;
    }
}
