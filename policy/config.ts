/**
 * The pack's per-policy config for one stack, derived from the stack's validated platform
 * config, so `policy/config.<stack>.json` never drifts from `Pulumi.<stack>.yaml`
 * (a test compares them; `npm run policy:config` rewrites them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { platformConfigOf, rawPlatformConfigOf } from "../model/config";
import { readStackConfig } from "../model/stackConfig";
import { policyConfigKeys, type PackPolicyConfig } from "./policies";
import { checkResources, policyContextOf, type CheckedResource, type PolicyContext, type PolicyName, type Violation } from "./rules";

/** `{ "<policy>": { <the keys that policy reads> } }` for `--policy-pack-config`. */
export function packConfigOf(context: PolicyContext): Record<string, PackPolicyConfig> {
    const values: PackPolicyConfig = {
        environment: context.environment,
        storagePrefix: context.storagePrefix,
        assetsSegment: context.assetsSegment,
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

/** The policy context of a stack from its config values (`namespace:key` → string); throws on invalid config. */
export function policyContextOfConfig(stack: string, config: Readonly<Record<string, string>>): PolicyContext {
    return policyContextOf(
        platformConfigOf(
            stack,
            rawPlatformConfigOf((key) => config[key], Object.keys(config)),
        ),
    );
}

/**
 * The pack's checks as a render check: `renderStack({ ..., checks: policyChecks(stack, config.config) })`.
 * Takes anything with `resources` ({ type, name, inputs, protect?, urn? }), e.g. the render's plan.
 */
export function policyChecks(
    stack: string,
    config: Readonly<Record<string, string>>,
): (plan: { readonly resources: readonly CheckedResource[] }) => Violation[] {
    return (plan) => checkResources(plan.resources, policyContextOfConfig(stack, config));
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
