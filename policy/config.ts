/**
 * The pack's per-policy config for one stack, derived from the stack's validated platform
 * config, so `policy/config.<stack>.json` never drifts from `Pulumi.<stack>.yaml`
 * (a test compares them; `npm run policy:config` rewrites them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { configNamespace, parsePlatformConfig, plainConfigKeys } from "../model/config";
import { readStackConfig } from "../render/stackConfig";
import { policyConfigKeys, type PackPolicyConfig } from "./policies";
import { checkResources, policyContextOf, type CheckedResource, type PolicyContext, type PolicyName } from "./rules";

/** `{ "<policy>": { <the keys that policy reads> } }` for `--policy-pack-config`. */
export function packConfigOf(context: PolicyContext): Record<string, PackPolicyConfig> {
    const values: PackPolicyConfig = {
        environment: context.environment,
        storagePrefix: context.storagePrefix,
        bucket: context.bucket,
        oidcProviderArn: context.oidcProviderArn,
        tlsMode: context.tlsMode,
    };
    const out: Record<string, PackPolicyConfig> = {};
    for (const [policy, keys] of Object.entries(policyConfigKeys) as Array<[PolicyName, ReadonlyArray<keyof PackPolicyConfig>]>) {
        if (keys.length === 0) continue;
        out[policy] = Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
    }
    return out;
}

/**
 * The raw platform values of a stack's config (`namespace:key` → string, as
 * `render/stackConfig` reads it), shaped like the program's own `readRawPlatformConfig`.
 */
export function rawPlatformConfigOf(config: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = { region: config["aws:region"] };
    for (const key of plainConfigKeys) {
        const text = config[`${configNamespace}:${key}`];
        if (text === undefined) continue;
        raw[key] = text.startsWith("{") || text.startsWith("[") ? (JSON.parse(text) as unknown) : /^\d+$/.test(text) ? Number(text) : text;
    }
    return raw;
}

/** The policy context of a stack from its config values (`namespace:key` → string); throws on invalid config. */
export function policyContextOfConfig(stack: string, config: Readonly<Record<string, string>>): PolicyContext {
    return policyContextOf(parsePlatformConfig(stack, rawPlatformConfigOf(config)));
}

/** A finding in the shape the render prints (`render/tree.ts` `Violation`); every policy is mandatory. */
export interface RenderFinding {
    readonly level: "mandatory";
    readonly policy: string;
    readonly message: string;
    readonly urn?: string;
}

/**
 * The pack's checks as a render check: `renderStack({ ..., checks: policyChecks(stack, config.config) })`.
 * Takes anything with `resources` ({ type, name, inputs, protect?, urn? }), e.g. the render's plan.
 */
export function policyChecks(
    stack: string,
    config: Readonly<Record<string, string>>,
): (plan: { readonly resources: readonly CheckedResource[] }) => RenderFinding[] {
    return (plan) => {
        const context = policyContextOfConfig(stack, config);
        return checkResources(plan.resources, context).map((v) => ({
            level: "mandatory" as const,
            policy: v.policy,
            message: `${v.resource}: ${v.message}`,
            ...(v.urn !== undefined ? { urn: v.urn } : {}),
        }));
    };
}

/** The pack config of one stack, read from `Pulumi.<stack>.yaml` under `root`. */
export function packConfigOfStack(stack: string, root: string): Record<string, PackPolicyConfig> {
    const { config } = readStackConfig(path.join(root, `Pulumi.${stack}.yaml`));
    return packConfigOf(policyContextOfConfig(stack, config));
}

/** `node dist/policy/config.js [stack...]` rewrites `policy/config.<stack>.json` (default: pre and pro). */
if (require.main === module) {
    const root = path.resolve(__dirname, "..", "..");
    const stacks = process.argv.slice(2);
    for (const stack of stacks.length > 0 ? stacks : ["pre", "pro"]) {
        const file = path.join(root, "policy", `config.${stack}.json`);
        fs.writeFileSync(file, `${JSON.stringify(packConfigOfStack(stack, root), null, 2)}\n`);
        console.log(`wrote ${path.relative(root, file)}`);
    }
}
