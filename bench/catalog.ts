/**
 * A synthetic tenant catalog for the bench: `apps` apps over about `apps / 10` organizations,
 * with a realistic mix of types and links. Pure and deterministic: the same size always gives
 * the same files, valid for both `pre` and `pro` (pinned images, unique names and hostnames).
 */
import { stringify } from "yaml";

/** Apps per organization (the last organization takes the remainder). */
export const appsPerOrganization = 10;

/** One app of the mix, as its catalog entry. */
type CatalogApp = Record<string, unknown>;

/** The catalog entry of app number `i` (0-based, stack-wide). */
function syntheticApp(i: number, domain: string): CatalogApp {
    const name = `app${String(i).padStart(4, "0")}`;
    // 50% hyperfy2, 30% eliza, 20% custom, interleaved so every organization gets the mix.
    const slot = i % 10;
    if (slot < 5) {
        return {
            name,
            type: "hyperfy2",
            image: "ghcr.io/numengames/numinia-hyperfy2:1.4.2",
            ...(slot === 0 ? { hostname: `${name}.${domain}` } : {}),
            scale: { min: slot % 2, max: 1 },
            ...(slot === 1
                ? { resources: { requests: { cpu: "256m", memory: "256Mi" }, limits: { cpu: "2048m", memory: "4096Mi" } } }
                : {}),
            env: { PUBLIC_MAX_UPLOAD_SIZE: String(500 * (slot + 1)) },
        };
    }
    if (slot < 8) {
        return {
            name,
            type: "eliza",
            image: "ghcr.io/numengames/eliza-agent:0.9.3",
            // An agent names its model provider (issue 11); the stacks set no default.
            agent: { modelProvider: "openai" },
            scale: { min: 0, max: slot - 3 },
            ...(slot === 7
                ? { storage: true, resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } } }
                : {}),
        };
    }
    return {
        name,
        type: "custom",
        image: `ghcr.io/tenants/service-${i % 7}:2.${i % 5}.0`,
        port: 8080,
        // One custom app in two has a database, one in two has storage: every combination appears.
        database: slot === 8,
        storage: (Math.floor(i / 10) + slot) % 2 === 0,
        probePath: "/healthz",
        timeoutSeconds: 120,
        scale: { min: 0, max: 3 },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        env: { LOG_LEVEL: "info", FEATURE_FLAGS: `f${i % 3}` },
    };
}

/**
 * The catalog files (`<organization>.yaml` → YAML text) of a stack with `apps` apps,
 * `perOrganization` to an organization (10 by default; 2000 puts a 2000-app stack in one).
 * Organizations are named `org000`, `org001`, ...; every fifth one sets its own quota.
 */
export function syntheticCatalog(apps: number, perOrganization = appsPerOrganization): Record<string, string> {
    if (!Number.isInteger(apps) || apps < 1) throw new Error(`apps must be a whole number ≥ 1, got ${apps}`);
    const organizations = Math.max(1, Math.round(apps / perOrganization));
    const files: Record<string, string> = {};
    let next = 0;
    for (let o = 0; o < organizations; o++) {
        const organization = `org${String(o).padStart(3, "0")}`;
        const domain = `${organization}.example.com`;
        const count = o === organizations - 1 ? apps - next : Math.min(perOrganization, apps - next);
        const entries: CatalogApp[] = [];
        for (let k = 0; k < count; k++) entries.push(syntheticApp(next + k, domain));
        next += count;
        const file = {
            organization,
            domain,
            ...(o % 5 === 0 ? { quota: { cpu: "64", memory: "128Gi", pods: 200 } } : {}),
            apps: entries,
        };
        files[`${organization}.yaml`] = stringify(file, { lineWidth: 0 });
    }
    return files;
}
