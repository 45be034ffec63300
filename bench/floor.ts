/**
 * The floor: the least the Pulumi SDK costs for the program's resource graph. The shape
 * (type token, logical name, custom or component, parent, provider, input keys) is taken
 * from a real evaluation; the floor registers the same resources in the same order under the
 * same mock runtime, with trivial inputs, no dependencies and no computation of its own.
 *
 * Two floors:
 * - `sdk`: each custom resource through the provider SDK class of its type token (the class
 *   the program itself uses: `aws.iam.Role`, `k8s.core.v1.Namespace`, a KNative CRD through
 *   `k8s.apiextensions.CustomResource`, ...), every input the program sets given the constant
 *   `"x"`. The least any program registering this graph with the provider SDKs can cost.
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
    /** Top-level input keys the program sets. */
    readonly inputs: readonly string[];
}

/** Which floor to register. */
export type FloorMode = "sdk" | "bare";

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
        return { type: r.type, name: r.name, custom: r.custom, parent, provider, inputs: Object.keys(r.inputs) };
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
