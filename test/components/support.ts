/**
 * Constructs one component alone under Pulumi's mock runtime and records every registration
 * (inputs, parent, dependencies, provider, protect, retainOnDelete) through the same recorder
 * the render uses. The mocks are set before the build runs, the build's returned outputs are
 * awaited as stack outputs.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseCatalog, type OrganizationSpec, type TenantAppSpec } from "../../model/catalog";
import { evaluateStack, type Evaluation, type RecordedResource } from "../../render/evaluate";
import { oneApp, platformOf } from "../support/fixtures";
import { stackConfig } from "../support/harness";

type Build = () => Record<string, unknown>;
let queued: Build | undefined;

/** The build `construct` queued; entry.ts runs it. */
export function takeBuild(): Build {
    const build = queued;
    queued = undefined;
    if (build === undefined) throw new Error("no component build queued; call construct()");
    return build;
}

/** Runs `build` as the whole program of stack `stack` (fixture config) and returns what it registered. */
export function construct(build: Build, stack: "pre" | "pro" = "pro"): Promise<Evaluation> {
    queued = build;
    return evaluateStack({ stack, config: stackConfig(stack), entryModule: path.join(__dirname, "entry") });
}

/** The one resource named `name`, of any type. */
export function named(ev: Evaluation, name: string): RecordedResource {
    const found = ev.resources.filter((r) => r.name === name);
    assert.equal(found.length, 1, `expected one resource named ${name}, have: ${ev.resources.map((r) => r.name).join(", ")}`);
    return found[0] as RecordedResource;
}

/** Logical names of the resources whose URNs are given, sorted. */
export function namesOf(ev: Evaluation, urns: readonly string[]): string[] {
    return urns.map((urn) => ev.resources.find((r) => r.urn === urn)?.name ?? urn).sort();
}

/** Every registration as `type name`, sorted, for exact listings of what a component creates. */
export const inventory = (ev: Evaluation): string[] => ev.resources.map((r) => `${r.type} ${r.name}`).sort();

/** What a resource's options came to: parent (by name), dependencies (by name), protect, retainOnDelete. */
export function optionsOf(
    ev: Evaluation,
    name: string,
): { parent?: string; dependsOn: string[]; protect: boolean; retainOnDelete: boolean } {
    const r = named(ev, name);
    return {
        ...(r.parent !== undefined ? { parent: namesOf(ev, [r.parent])[0] } : {}),
        dependsOn: namesOf(ev, r.dependencies),
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
    };
}

class Upstream extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Upstream", name, {});
    }
}

/** A custom resource named `upstream` to depend on, standing in for whatever a caller passes in `dependsOn`. */
export const upstream = (): pulumi.CustomResource => new Upstream("upstream");

/** The one organization of a one-file catalog (`acme.example.com`), parsed with the fixture platform config. */
export function organizationOf(fileText: string, stack: "pre" | "pro" = "pro"): OrganizationSpec {
    const catalog = parseCatalog([{ file: "acme.yaml", text: fileText }], platformOf(stack));
    const org = catalog.organizations[0];
    assert.ok(org);
    return org;
}

/** The one app of organization `acme` given by its catalog lines. */
export function appOf(appYaml: string, stack: "pre" | "pro" = "pro"): TenantAppSpec {
    const app = organizationOf(oneApp("acme", appYaml), stack).apps[0];
    assert.ok(app);
    return app;
}

/** The labels every object of app `app` of organization `acme` carries. */
export const acmeLabels = (app?: string): Record<string, string> => ({
    "app.kubernetes.io/managed-by": "tenant-apps",
    "app.kubernetes.io/part-of": "acme",
    ...(app !== undefined ? { "app.kubernetes.io/name": app } : {}),
});
