/**
 * A stack's inputs loaded and validated as a whole before anything is registered: the platform
 * config, then the catalog it points at. The program and the render both start here, so they
 * parse the config once and report the same problems as structured values (`PlatformConfigError`,
 * `CatalogError`). Reads the catalog's files; no Pulumi.
 */
import * as path from "node:path";
import { parseCatalog, readCatalogDir, type Catalog } from "./catalog";
import { platformConfigOf, type PlatformConfig, type RawConfig } from "./config";

/** A stack whose config and catalog passed every check. */
export interface LoadedStack {
    readonly platform: PlatformConfig;
    readonly catalog: Catalog;
}

/**
 * Validates the raw config of `stack` (as `rawPlatformConfigOf` read it), then reads and
 * validates its catalog (`tenant-apps:catalogDir`, default `stacks/<stack>`, relative to `root`).
 * Catalog files are named relative to `root`; `configFile` is how problems name the stack file.
 * Throws a `PlatformConfigError` or a `CatalogError` listing every problem.
 */
export function loadStack(stack: string, raw: RawConfig, root: string, configFile = `Pulumi.${stack}.yaml`): LoadedStack {
    const platform = platformConfigOf(stack, raw, configFile);
    const dir = path.resolve(root, platform.catalogDir ?? path.join("stacks", stack));
    const catalog = parseCatalog(readCatalogDir(dir, root), platform);
    return { platform, catalog };
}
