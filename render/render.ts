/**
 * One render of a stack, in memory: evaluate the real program under the mock runtime,
 * build the plan and every output file, run the optional checks, and make sure no secret
 * value made it into any file. Nothing is written here (see `writeRender`).
 */
import * as pulumi from "@pulumi/pulumi";
import { CatalogError, formatProblem } from "../model/catalog";
import { configNamespace, PlatformConfigError, secretConfigKeys } from "../model/config";
import { evaluateStack, type Evaluation } from "./evaluate";
import { processFingerprintSecret, stackFingerprintKey } from "./fingerprint";
import { buildPlan, type Plan } from "./plan";
import { securePlaceholder, type StackConfig } from "../model/stackConfig";
import type { Violation } from "../policy/context";
import type { RenderChecks } from "./tree";
import { findLeak, renderFiles, type RenderFiles } from "./write";

export interface RenderOptions {
    readonly stack: string;
    readonly config: StackConfig;
    /** Catalog directory overriding the program's default (`tenant-apps:catalogDir`). */
    readonly catalogDir?: string;
    /** Pure checks over the plan (e.g. the policy pack's rules). */
    readonly checks?: RenderChecks;
    /**
     * The secret the plan's fingerprints are keyed with (render/fingerprint.ts), per stack; by
     * default one drawn for this process. Never written: the render refuses if it would be.
     */
    readonly fingerprintSecret?: string;
}

export interface Render {
    readonly evaluation: Evaluation;
    readonly plan: Plan;
    readonly files: RenderFiles;
    /** Present when checks ran. */
    readonly violations?: readonly Violation[];
    /** Secret values in the clear, for leak checks of anything else printed. Never output them. */
    readonly secretValues: readonly string[];
}

/** Secret values shorter than this are not searched for in the output (masking still applies to them). */
export const minSecretLength = 12;

/** Strings of a value, recursively. */
function strings(value: unknown, out: string[] = []): string[] {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
    else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
    return out;
}

/** Every secret value the evaluation saw: secret inputs in the clear and secret config values. */
export function secretValuesOf(ev: Evaluation, config: StackConfig): string[] {
    const values = new Set<string>();
    for (const r of ev.resources) for (const key of r.secretInputs) strings(r.inputs[key]).forEach((s) => values.add(s));
    const secretKeys = new Set([...config.secretKeys, ...secretConfigKeys.map((k) => `${configNamespace}:${k}`)]);
    for (const key of secretKeys) {
        const value = config.config[key];
        if (value !== undefined && value !== securePlaceholder(key)) values.add(value);
    }
    // Short values ("", "openai", "postgres") cannot be told apart from ordinary text such as type tokens.
    return [...values].filter((v) => v.length >= minSecretLength).sort();
}

/** Evaluates and builds every file of a render. Throws the program's validation errors. */
export async function renderStack(options: RenderOptions): Promise<Render> {
    const evaluation = await evaluateStack({ stack: options.stack, config: options.config, catalogDir: options.catalogDir });
    const secret = options.fingerprintSecret ?? processFingerprintSecret;
    const plan = buildPlan(evaluation, stackFingerprintKey(secret, options.stack));
    const files = renderFiles(plan);
    const secretValues = [...secretValuesOf(evaluation, options.config), typeof secret === "string" ? secret : secret.toString("hex")];
    const leak = findLeak(files, secretValues);
    if (leak !== undefined) throw new Error(`${leak} would hold a secret value in the clear; nothing was written`);
    const violations = options.checks ? options.checks(plan) : undefined;
    return { evaluation, plan, files, secretValues, ...(violations !== undefined ? { violations } : {}) };
}

/**
 * The problems of a failed render, one line each, naming the file (and the app and field,
 * when the program knows them). `configFile` is how the user named the config file.
 */
export function problemsOf(error: unknown, configFile: string): string[] {
    if (error instanceof CatalogError) return error.problems.map(formatProblem);
    if (error instanceof PlatformConfigError) return error.problems.map((p) => `${configFile}: ${p}`);
    const message = error instanceof Error ? error.message : String(error);
    const lines = message.split("\n");
    const items = lines.filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));
    // The program wraps validation errors in a RunError carrying their message.
    if (error instanceof pulumi.RunError || items.length > 0) {
        const head = lines[0] ?? "";
        if (/: invalid platform configuration:$/.test(head)) return items.map((p) => `${configFile}: ${p}`);
        if (/^the catalog has \d+ problems?:$/.test(head)) return items;
    }
    return [message];
}
