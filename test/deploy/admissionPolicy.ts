/**
 * A ValidatingAdmissionPolicy evaluated the way the API server does, with a real CEL evaluator
 * (@bufbuild/cel, which passes the CEL conformance suite for the macros and functions used
 * here: has, in, all, startsWith, the conditional and string concatenation). What the API
 * server does around the CEL, and this file reproduces (Kubernetes docs, "Validating Admission
 * Policy"): a request is judged only when a resource rule matches its group, resource and
 * operation and every matchCondition is true; the variables are bound under `variables`; every
 * validation must be true; a validation that errors refuses the request under
 * failurePolicy Fail; `namespaceObject` is null for cluster-scoped resources. One difference: the
 * API server evaluates a variable only when an expression reaches it, this file evaluates all of
 * them first, so a validation naming a variable that failed counts as failed; the test objects
 * carry `metadata` like every real object, so the policy's variables never fail on them.
 */
import { isCelError, run, type CelInput } from "@bufbuild/cel";

export interface PolicySpec {
    readonly failurePolicy: "Fail" | "Ignore";
    readonly matchConstraints: {
        readonly resourceRules: readonly { apiGroups: string[]; resources: string[]; operations: string[] }[];
    };
    readonly matchConditions?: readonly { name: string; expression: string }[];
    readonly variables?: readonly { name: string; expression: string }[];
    readonly validations: readonly { expression: string; message?: string; messageExpression?: string }[];
}

type Obj = Record<string, unknown>;

/** One admission request as the API server hands it to a policy. */
export interface AdmissionRequest {
    readonly operation: "CREATE" | "UPDATE" | "DELETE";
    readonly username: string;
    readonly group: string;
    readonly resource: string;
    /** "" for cluster-scoped resources. */
    readonly namespace: string;
    readonly name: string;
    readonly object: Obj | null;
    readonly oldObject: Obj | null;
    /** The namespace the object lives in; null for cluster-scoped resources. */
    readonly namespaceObject: Obj | null;
}

export interface Verdict {
    /** False when no rule or matchCondition selects the request: the policy says nothing. */
    readonly applies: boolean;
    readonly allowed: boolean;
    /** Why it was refused: each failing validation's message. */
    readonly messages: readonly string[];
}

/** JSON to CEL values: objects become maps (the evaluator takes Map, not plain objects). */
function toCel(value: unknown): CelInput {
    if (Array.isArray(value)) return value.map(toCel);
    if (value !== null && typeof value === "object")
        return new Map(Object.entries(value as Obj).map(([k, v]) => [k, toCel(v)])) as unknown as CelInput;
    return value as CelInput;
}

const matches = (list: readonly string[], value: string) => list.includes("*") || list.includes(value);

/** The verdict of `policy` on `request`. */
export function admit(policy: PolicySpec, request: AdmissionRequest): Verdict {
    const selected = policy.matchConstraints.resourceRules.some(
        (rule) =>
            matches(rule.apiGroups, request.group) &&
            matches(rule.resources, request.resource) &&
            matches(rule.operations, request.operation),
    );
    if (!selected) return { applies: false, allowed: true, messages: [] };
    const bindings: Record<string, CelInput> = {
        request: toCel({
            operation: request.operation,
            userInfo: { username: request.username },
            resource: { group: request.group, version: "v1", resource: request.resource },
            namespace: request.namespace,
            name: request.name,
        }),
        object: toCel(request.object),
        oldObject: toCel(request.oldObject),
        namespaceObject: toCel(request.namespaceObject),
        params: null,
    };
    const refuse = (message: string): Verdict => ({ applies: true, allowed: false, messages: [message] });
    for (const condition of policy.matchConditions ?? []) {
        const result = run(condition.expression, bindings);
        if (isCelError(result))
            return policy.failurePolicy === "Fail"
                ? refuse(`matchCondition ${condition.name}: ${result.message}`)
                : { applies: false, allowed: true, messages: [] };
        if (result !== true) return { applies: false, allowed: true, messages: [] };
    }
    const variables = new Map<string, unknown>();
    const failedVariables = new Map<string, string>();
    for (const variable of policy.variables ?? []) {
        const result = run(variable.expression, { ...bindings, variables: variables as unknown as CelInput });
        if (isCelError(result)) failedVariables.set(variable.name, result.message);
        else variables.set(variable.name, result);
    }
    const scope = { ...bindings, variables: variables as unknown as CelInput };
    const messages: string[] = [];
    for (const validation of policy.validations) {
        const broken = [...failedVariables].find(([name]) => validation.expression.includes(`variables.${name}`));
        const result = broken ? undefined : run(validation.expression, scope);
        if (result === true) continue;
        if (result === undefined || isCelError(result)) {
            if (policy.failurePolicy === "Ignore") continue;
            messages.push(`expression error: ${broken ? broken[1] : (result as { message: string }).message}`);
            continue;
        }
        const message = validation.messageExpression !== undefined ? run(validation.messageExpression, scope) : undefined;
        messages.push(typeof message === "string" ? message : (validation.message ?? validation.expression));
    }
    return { applies: true, allowed: messages.length === 0, messages };
}

/** Every expression of a policy, to check that each one parses. */
export const expressionsOf = (policy: PolicySpec): string[] => [
    ...(policy.matchConditions ?? []).map((c) => c.expression),
    ...(policy.variables ?? []).map((v) => v.expression),
    ...policy.validations.flatMap((v) => [v.expression, ...(v.messageExpression !== undefined ? [v.messageExpression] : [])]),
];
