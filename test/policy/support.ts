/**
 * Helpers of the policy tests: one shared evaluation of the sample stacks, copies of
 * recorded resources to tamper with, and the pack's policies called as the analyzer
 * server calls them (props behind the SDK's unknown-checking proxy).
 */
import { unknownCheckingProxy, type PolicyResource, type ResourceValidationArgs, type StackValidationArgs } from "@pulumi/policy";
import type { Evaluation, RecordedResource } from "../../render/evaluate";
import { policies, type PackPolicyConfig } from "../../policy/policies";
import type { PolicyContext } from "../../policy/rules";
import { evaluate } from "../support/harness";

const evaluations = new Map<string, Promise<Evaluation>>();

/** The sample catalog of `stack` evaluated once per test run. */
export function sampleEvaluation(stack: "pre" | "pro"): Promise<Evaluation> {
    let ev = evaluations.get(stack);
    if (ev === undefined) {
        ev = evaluate(stack);
        evaluations.set(stack, ev);
    }
    return ev;
}

/** The policy context of the sample pro stack (Pulumi.pro.yaml). */
export const proContext: PolicyContext = {
    environment: "pro",
    storagePrefix: "hyperfy-spaces",
    assetsSegment: "{env}",
    bucket: "numinia-statics",
    oidcProviderArn: "arn:aws:iam::482103417651:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/6A1F93C2B0E84D7F9C11E2A5B3D40F87",
    tlsMode: "external-domain-tls",
};

export const preContext: PolicyContext = { ...proContext, environment: "pre" };

/** A deep copy of a JSON-like value, to tamper with. */
export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A deep copy of the first recorded resource of `type` (optionally whose name contains `nameHas`). */
export function sample(ev: Evaluation, type: string, nameHas = ""): RecordedResource {
    const found = ev.resources.find((r) => r.type === type && r.name.includes(nameHas));
    if (found === undefined) throw new Error(`the evaluation has no ${type} named like ${nameHas}`);
    return copy(found);
}

/** The pack policy called `name`; fails if the pack has no such policy. */
function policyNamed(name: string) {
    const policy = policies.find((p) => p.name === name);
    if (policy === undefined) throw new Error(`the pack has no policy ${name}`);
    return policy;
}

/** Runs one resource policy of the pack exactly as the analyzer would, returning the reported messages. */
export async function runResourcePolicy(
    name: string,
    resource: { type: string; props: Record<string, unknown>; protect?: boolean },
    config: PackPolicyConfig = {},
): Promise<string[]> {
    const policy = policyNamed(name);
    if (!("validateResource" in policy) || policy.validateResource === undefined) throw new Error(`${name} is not a resource policy`);
    const reported: string[] = [];
    const props = unknownCheckingProxy(copy(resource.props)) as Record<string, unknown>;
    const args: ResourceValidationArgs = {
        type: resource.type,
        props,
        urn: `urn:pulumi:pro::tenant-apps::${resource.type}::test`,
        name: "test",
        opts: {
            protect: resource.protect ?? false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`not applicable: ${reason ?? ""}`);
        },
    };
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const validate of validations) await validate(args, (message) => reported.push(message));
    return reported;
}

/** Runs one stack policy of the pack over resources, returning `{ message, urn }` per report. */
export async function runStackPolicy(
    name: string,
    resources: ReadonlyArray<{ type: string; name: string; urn: string; props: Record<string, unknown> }>,
): Promise<Array<{ message: string; urn?: string }>> {
    const policy = policyNamed(name);
    if (!("validateStack" in policy)) throw new Error(`${name} is not a stack policy`);
    const reported: Array<{ message: string; urn?: string }> = [];
    const policyResources = resources.map((r): PolicyResource => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: unknownCheckingProxy(copy(r.props)) as Record<string, unknown>,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    }));
    const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`not applicable: ${reason ?? ""}`);
        },
    };
    await policy.validateStack(args, (message, urn) => reported.push({ message, ...(urn !== undefined ? { urn } : {}) }));
    return reported;
}
