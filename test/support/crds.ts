/** Validators of upstream CRD schemas (test/fixtures/crds/), closed the way the API server's strict field validation treats them. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { repoRoot } from "./harness";

type Json = Record<string, unknown>;

/**
 * The schema of `version` of the CRD in `test/fixtures/crds/<file>`. An object with `properties`
 * and no `additionalProperties` or `x-kubernetes-preserve-unknown-fields` rejects unknown fields
 * (a typo is an error, not a silently pruned field).
 */
export function crdValidator(file: string, version: string): ValidateFunction {
    const crd = parse(fs.readFileSync(path.join(repoRoot, "test", "fixtures", "crds", file), "utf8")) as {
        spec: { versions: { name: string; schema: { openAPIV3Schema: Json } }[] };
    };
    const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
    assert.ok(schema, `the CRD serves ${version}`);
    const close = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(close);
        if (node === null || typeof node !== "object") return node;
        const out: Json = Object.fromEntries(
            Object.entries(node).map(([k, v]) => [k, k === "properties" ? mapValues(v as Json) : close(v)]),
        );
        if (out.type === "object" && out.properties && !("additionalProperties" in out) && !out["x-kubernetes-preserve-unknown-fields"])
            out.additionalProperties = false;
        return out;
    };
    const mapValues = (props: Json): Json => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, close(v)]));
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, validateFormats: false });
    for (const keyword of [
        "x-kubernetes-int-or-string",
        "x-kubernetes-list-map-keys",
        "x-kubernetes-list-type",
        "x-kubernetes-map-type",
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-validations",
    ])
        ajv.addKeyword({ keyword });
    return ajv.compile(close(schema) as Json);
}

/** The validator's errors for `value`, one line each; empty when valid. */
export const crdErrorsOf = (validate: ValidateFunction, value: unknown): string[] =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
