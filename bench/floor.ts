/**
 * The floor: the least the Pulumi SDK costs for the program's resource graph. The shape
 * (type token, logical name, custom or component, parent, provider, inputs, dependencies,
 * options) is taken from a real evaluation; a floor registers the same resources in the same
 * order under the same mock runtime, with no computation of its own.
 *
 * Three floors:
 * - `sdk` (the floor): each custom resource through the provider SDK class of its type token
 *   (the class the program itself uses: `aws.iam.Role`, `k8s.core.v1.Namespace`, a KNative CRD
 *   through `k8s.apiextensions.CustomResource`, a dynamic resource through
 *   `pulumi.dynamic.Resource` with a provider that does nothing, ...), every input the program
 *   sets given the constant `"x"`, no dependencies. The least any program registering this
 *   graph with the provider SDKs can cost.
 * - `data`: the same classes given the program's own inputs as constants (each secret one a
 *   Pulumi secret of its masked value), its dependencies and its resource options. What the
 *   resources' data costs the SDK, whatever program computes it: the program over this floor is
 *   the program's own cost.
 * - `bare`: `pulumi.CustomResource` / `pulumi.ProviderResource` with the same tokens and no
 *   inputs at all: the SDK's registration machinery alone, without the provider packages.
 */
import type { Evaluation } from "../render/evaluate";

/** One registration of the program, reduced to what the floor needs. */
export interface FloorResource {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** Index of the parent in the shape, or -1 when the parent is the stack. */
    readonly parent: number;
    /** Index of the explicit provider in the shape, or -1. */
    readonly provider: number;
    /** The inputs the program sent (its keys are what the `sdk` floor sets), every secret masked and named in `secrets`. */
    readonly values: Record<string, unknown>;
    /** Top-level input keys that carry a secret. */
    readonly secrets: readonly string[];
    /** Indexes of the custom resources this one depends on. */
    readonly dependsOn: readonly number[];
    readonly options: {
        protect?: boolean;
        retainOnDelete?: boolean;
        deleteBeforeReplace?: boolean;
        ignoreChanges?: string[];
        import?: string;
    };
}

/** Which floor to register (see the top of this file). */
export type FloorMode = "sdk" | "bare" | "data";

/** The resource graph of one evaluation, plus the invokes it made. */
export interface FloorShape {
    readonly resources: readonly FloorResource[];
    readonly invokes: readonly string[];
}

/** Providers are registered as `pulumi:providers:<package>`. */
export const providerPrefix = "pulumi:providers:";

/** Extracts the shape of an evaluation; parents always come before their children. */
export function floorShapeOf(evaluation: Evaluation): FloorShape {
    const indexOf = new Map<string, number>();
    evaluation.resources.forEach((r, i) => indexOf.set(r.urn, i));
    const resources = evaluation.resources.map((r, i): FloorResource => {
        const parent = r.parent !== undefined ? (indexOf.get(r.parent) ?? -1) : -1;
        // A provider reference is `<urn>::<id>`.
        const providerUrn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
        const provider = providerUrn !== undefined ? (indexOf.get(providerUrn) ?? -1) : -1;
        if (parent >= i || provider >= i) throw new Error(`resource ${r.urn} was recorded before its parent or provider`);
        const dependsOn = r.dependencies.map((urn) => indexOf.get(urn) ?? -1).filter((d) => d >= 0 && d < i);
        const options = {
            ...(r.protect ? { protect: true } : {}),
            ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(r.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
            ...(r.ignoreChanges.length > 0 ? { ignoreChanges: [...r.ignoreChanges] } : {}),
            ...(r.importId !== undefined ? { import: r.importId } : {}),
        };
        return {
            type: r.type,
            name: r.name,
            custom: r.custom,
            parent,
            provider,
            values: r.maskedInputs,
            secrets: r.secretInputs,
            dependsOn,
            options,
        };
    });
    return { resources, invokes: evaluation.invokes.map((inv) => inv.token) };
}

/** Count of resources per type token, sorted by token: what program and floor must share. */
export function typeCounts(types: Iterable<string>): Record<string, number> {
    const counts = new Map<string, number>();
    for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
    return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

let current: { shape: FloorShape; mode: FloorMode } | undefined;

/** Sets what the floor program (`floorProgram.ts`) registers; done before timing starts. */
export function setFloorShape(shape: FloorShape, mode: FloorMode): void {
    current = { shape, mode };
}

/** The shape and mode set by `setFloorShape`. */
export function floorShape(): { shape: FloorShape; mode: FloorMode } {
    if (current === undefined) throw new Error("no floor shape set; call setFloorShape first");
    return current;
}
