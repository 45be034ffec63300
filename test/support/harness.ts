/**
 * Test helpers: evaluate the real program for a stack, optionally with a catalog written
 * to a temporary directory and config overrides, and find what it registered.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { evaluateStack, type Evaluation, type RecordedResource } from "../../render/evaluate";
import { readStackConfig, type StackConfig } from "../../model/stackConfig";

/** The repository root (tests run from `dist/test`). */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");

/**
 * The tests' own copy of the sample stacks: `Pulumi.<stack>.yaml` and the catalog `<stack>/`.
 * Tests evaluate these, never the live `stacks/` and `Pulumi.<stack>.yaml`, so a change to the
 * real catalog never turns a test red (test/stacks/live.test.ts is the one test that reads those).
 */
export const fixtureStacks = path.join(repoRoot, "test", "fixtures", "stacks");

/** The fixture config file of a stack. */
export const fixtureConfigFile = (stack: "pre" | "pro"): string => path.join(fixtureStacks, `Pulumi.${stack}.yaml`);

/** The fixture catalog directory of a stack. */
export const fixtureCatalogDir = (stack: "pre" | "pro"): string => path.join(fixtureStacks, stack);

export interface EvaluateTestOptions {
    /** Catalog files by name (e.g. `acme.yaml`), replacing the fixture catalog of the stack. */
    readonly catalog?: Readonly<Record<string, string>>;
    /** Config values to set or replace, `namespace:key` → value (objects are JSON-encoded). */
    readonly config?: Readonly<Record<string, unknown>>;
    /** Config keys to mark secret. */
    readonly secretKeys?: readonly string[];
    /** Config keys to remove. */
    readonly unset?: readonly string[];
}

/** The stack's fixture config, its catalog the fixture catalog, with overrides applied. */
export function stackConfig(stack: "pre" | "pro", options: EvaluateTestOptions = {}): StackConfig {
    const base = readStackConfig(fixtureConfigFile(stack));
    const config: Record<string, string> = { ...base.config, "tenant-apps:catalogDir": fixtureCatalogDir(stack) };
    for (const key of options.unset ?? []) delete config[key];
    for (const [key, value] of Object.entries(options.config ?? {}))
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    return { config, secretKeys: [...base.secretKeys, ...(options.secretKeys ?? [])] };
}

/** Writes catalog files to a fresh temporary directory and returns it. */
export function writeCatalog(files: Readonly<Record<string, string>>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-catalog-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

/** Evaluates the real program for `stack` under the mock runtime, over the fixture catalog unless `catalog` is given. */
export function evaluate(stack: "pre" | "pro", options: EvaluateTestOptions = {}): Promise<Evaluation> {
    return evaluateStack({
        stack,
        config: stackConfig(stack, options),
        catalogDir: options.catalog ? writeCatalog(options.catalog) : undefined,
    });
}

/** The one resource of `type` whose logical name is `name`; fails loudly otherwise. */
export function resource(ev: Evaluation, type: string, name: string): RecordedResource {
    const found = ev.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names = ev.resources.filter((r) => r.type === type).map((r) => r.name);
        throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`);
    }
    return found[0] as RecordedResource;
}

/** Every resource of `type`. */
export const resourcesOf = (ev: Evaluation, type: string): RecordedResource[] => ev.resources.filter((r) => r.type === type);

/** A value at a dotted path of a resource's inputs. */
export function inputAt(r: RecordedResource, dotted: string): unknown {
    return dotted.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], r.inputs);
}

export const types = {
    namespace: "kubernetes:core/v1:Namespace",
    quota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    ksvc: "kubernetes:serving.knative.dev/v1:Service",
    domainMapping: "kubernetes:serving.knative.dev/v1beta1:DomainMapping",
    secretStore: "kubernetes:external-secrets.io/v1beta1:SecretStore",
    externalSecret: "kubernetes:external-secrets.io/v1beta1:ExternalSecret",
    iamRole: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    bucketObject: "aws:s3/bucketObjectv2:BucketObjectv2",
    pgRole: "postgresql:index/role:Role",
    pgSchema: "postgresql:index/schema:Schema",
    pgGrant: "postgresql:index/grant:Grant",
    randomPassword: "random:index/randomPassword:RandomPassword",
    pgProvider: "pulumi:providers:postgresql",
} as const;
