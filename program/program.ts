/**
 * The program: read the stack's platform config and catalog, validate both as a whole,
 * then register one TenantOrganization per organization. Nothing is registered unless
 * every check passed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { CatalogError, parseCatalog, readCatalogDir, type Catalog } from "../model/catalog";
import {
    configNamespace,
    parsePlatformConfig,
    PlatformConfigError,
    rawPlatformConfigOf,
    type PlatformConfig,
    type SharedSecretKey,
} from "../model/config";
import { TenantOrganization } from "../components/organization";
import { adoptExisting, adoptionsOf } from "../components/adopt";
import { kubernetesProvider } from "../components/providers";
import { adminDatabaseProvider, readSharedSecrets } from "./platform";
import type { TenantAppOutputs } from "../components/tenantApp";

/** The directory holding Pulumi.yaml, found upward from `start`. */
export function projectRoot(start = __dirname): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return process.cwd();
    }
}

/** Reads every `tenant-apps:*` key (unknown ones are reported) and `aws:region` for validation. */
export function readRawPlatformConfig(): Record<string, unknown> {
    return rawPlatformConfigOf((key) => {
        const colon = key.indexOf(":");
        return new pulumi.Config(key.slice(0, colon)).get(key.slice(colon + 1));
    }, Object.keys(pulumi.runtime.allConfig()));
}

/** Loads and validates the stack's platform config and catalog, before any registration. */
export function loadStack(stack: string, root = projectRoot()): { platform: PlatformConfig; catalog: Catalog } {
    const platform = parsePlatformConfig(stack, readRawPlatformConfig());
    const dir = path.resolve(root, platform.catalogDir ?? path.join("stacks", stack));
    const catalog = parseCatalog(readCatalogDir(dir, root), platform);
    return { platform, catalog };
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

/**
 * Entry point of `index.ts`: validation errors become one readable error, without a stack trace,
 * thrown before anything is registered. Organizations are then registered one per turn of the
 * event loop; Pulumi awaits the `apps` promise like any other stack output.
 */
export function main(): { environment: string; apps: Promise<Record<string, TenantAppOutputs>> } {
    try {
        const { platform, catalog } = loadStack(pulumi.getStack());
        const sharedSecrets = readSharedSecrets(new pulumi.Config(configNamespace));
        return { environment: platform.env, apps: defineTenantAppsByOrganization(platform, catalog, sharedSecrets) };
    } catch (error) {
        if (error instanceof CatalogError || error instanceof PlatformConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}
