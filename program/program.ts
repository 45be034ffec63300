/**
 * The program: read the stack's platform config and catalog, validate both as a whole,
 * then register one TenantOrganization per organization. Nothing is registered unless
 * every check passed.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { CatalogError, type Catalog } from "../model/catalog";
import {
    configNamespace,
    PlatformConfigError,
    rawPlatformConfigOf,
    type PlatformConfig,
    type RawConfig,
    type SharedSecretKey,
} from "../model/config";
import { loadStack, type LoadedStack } from "../model/stack";
import { projectRoot } from "./projectRoot";
import { TenantOrganization } from "../components/organization";
import { adoptExisting, adoptionsOf } from "../components/adopt";
import { kubernetesProvider } from "../components/providers";
import { adminDatabaseProvider, readSharedSecrets } from "./platform";
import type { TenantAppOutputs } from "../components/tenantApp";

/** Reads every `tenant-apps:*` key (unknown ones are reported) and `aws:region` for validation. */
export function readRawPlatformConfig(): RawConfig {
    return rawPlatformConfigOf((key) => {
        const colon = key.indexOf(":");
        return new pulumi.Config(key.slice(0, colon)).get(key.slice(colon + 1));
    }, Object.keys(pulumi.runtime.allConfig()));
}

/**
 * Registers the chain of every app of the catalog, one organization per turn of the event loop, so the SDK settles
 * an organization's registrations before the next one is constructed. The SDK keeps a promise,
 * closures and a captured stack trace per property of every resource in flight; constructing a
 * whole catalog at once holds all of them together (3.1 GB at 1000 apps). The first organization
 * waits a turn too, so no resource is constructed under the module loader's deep stack (the SDK
 * captures the whole stack of every resource). Same resources, in the same order, same outputs.
 */
export async function defineTenantAppsByOrganization(
    platform: PlatformConfig,
    catalog: Catalog,
    sharedSecrets: Partial<Record<SharedSecretKey, pulumi.Input<string>>>,
): Promise<Record<string, TenantAppOutputs>> {
    const databaseProvider = sharedDatabaseProvider(platform, catalog);
    const kubernetes = kubernetesProvider(platform.kubernetes);
    const outputs: Record<string, TenantAppOutputs> = {};
    for (const organization of catalog.organizations) {
        await nextTurn();
        const org = defineOrganization(organization, platform, databaseProvider, sharedSecrets, kubernetes);
        // A large organization registers its apps a few per turn too, so its in-flight state stays bounded.
        for (const [index, app] of organization.apps.entries()) {
            if (index > 0 && index % appsPerTurn === 0) await nextTurn();
            outputs[`${organization.name}/${app.name}`] = org.addApp(app);
        }
    }
    return outputs;
}

/**
 * Apps registered per turn of the event loop within one organization: as many as a typical
 * organization has, so 2000 apps in one organization stay within the memory of 2000 apps
 * over 200 organizations (docs/bench.md).
 */
export const appsPerTurn = 10;

const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

function sharedDatabaseProvider(platform: PlatformConfig, catalog: Catalog): postgresql.Provider | undefined {
    const needsDatabase = catalog.organizations.some((org) => org.apps.some((app) => app.database));
    return needsDatabase ? adminDatabaseProvider(platform) : undefined;
}

function defineOrganization(
    organization: Catalog["organizations"][number],
    platform: PlatformConfig,
    databaseProvider: postgresql.Provider | undefined,
    sharedSecrets: Partial<Record<SharedSecretKey, pulumi.Input<string>>>,
    kubernetes: k8s.Provider,
): TenantOrganization {
    // Every Kubernetes object below inherits the stack's provider through its parents.
    const org = new TenantOrganization(
        organization.name,
        { organization, platform, databaseProvider, sharedSecrets, deferApps: true },
        {
            providers: [kubernetes],
            transformations: [adoptExisting(adoptionsOf(organization, platform))],
        },
    );
    return org;
}

/** What the program exports as stack outputs. */
export interface ProgramOutputs {
    readonly environment: string;
    readonly apps: Promise<Record<string, TenantAppOutputs>>;
}

/**
 * Registers a loaded stack: its shared secrets from the stack's secret config, then one
 * organization per turn of the event loop; Pulumi awaits the `apps` promise like any other
 * stack output. The render evaluates this under the mock runtime after loading the stack itself.
 */
export function defineStack(stack: LoadedStack): ProgramOutputs {
    const sharedSecrets = readSharedSecrets(new pulumi.Config(configNamespace));
    return { environment: stack.platform.env, apps: defineTenantAppsByOrganization(stack.platform, stack.catalog, sharedSecrets) };
}

/**
 * Entry point of `index.ts`: validation errors become one readable error, without a stack trace,
 * thrown before anything is registered (Pulumi prints a `RunError`'s message alone).
 */
export function main(): ProgramOutputs {
    let loaded: LoadedStack;
    try {
        loaded = loadStack(pulumi.getStack(), readRawPlatformConfig(), projectRoot());
    } catch (error) {
        if (error instanceof CatalogError || error instanceof PlatformConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
    return defineStack(loaded);
}
