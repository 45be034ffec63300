/**
 * One render of a stack, in memory: load and validate the stack's config and catalog with the
 * pure model (problems come back as structured values, nothing evaluated), then evaluate the
 * program's registrations under the mock runtime, build the plan and every output file, run
 * the policy pack's rules, and make sure no secret value made it into any file. Nothing is
 * written here (see `writeRender`).
 */
import { CatalogError, type CatalogProblem } from "../model/catalog";
import {
    configNamespace,
    PlatformConfigError,
    rawPlatformConfigOf,
    secretConfigKeys,
    type ConfigProblem,
    type PlatformConfig,
} from "../model/config";
import { loadStack } from "../model/stack";
import { declarationsOf } from "./planSafety";
import { securePlaceholder, type StackConfig } from "../model/stackConfig";
import { defineStack } from "../program/program";
import { projectRoot } from "../program/projectRoot";
import type { Violation } from "../policy/context";
import { checkResources, policyContextOf } from "../policy/rules";
import { evaluateStack, type Evaluation } from "./evaluate";
import { processFingerprintSecret, stackFingerprintKey } from "./fingerprint";
import { buildPlan, type Plan } from "./plan";
import { findLeak, renderFiles, type RenderFiles } from "./write";

export interface RenderOptions {
    readonly stack: string;
    readonly config: StackConfig;
    /** Catalog directory overriding the program's default (`tenant-apps:catalogDir`). */
    readonly catalogDir?: string;
    /** Run the policy pack's rules over the plan, with the context of the stack's own config. */
    readonly policy?: boolean;
    /** The stack file as problems name it; default `Pulumi.<stack>.yaml`. */
    readonly configFile?: string;
    /** Where the project lives (catalog files are named relative to it); default: the one holding Pulumi.yaml. */
    readonly root?: string;
    /**
     * The secret the plan's fingerprints are keyed with (render/fingerprint.ts), per stack; by
     * default one drawn for this process. Never written: the render refuses if it would be.
     */
    readonly fingerprintSecret?: string;
}

export interface Render {
    /** The stack's validated config, parsed once for the program and the policy pack alike. */
    readonly platform: PlatformConfig;
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

/**
 * Loads, evaluates and builds every file of a render. Throws a `PlatformConfigError` or a
 * `CatalogError` (every problem of the stack, see `problemsOf`) before anything is evaluated.
 */
export async function renderStack(options: RenderOptions): Promise<Render> {
    const values = { ...options.config.config };
    if (options.catalogDir !== undefined) values[`${configNamespace}:catalogDir`] = options.catalogDir;
    const raw = rawPlatformConfigOf((key) => values[key], Object.keys(values));
    const stack = loadStack(options.stack, raw, options.root ?? projectRoot(), options.configFile);
    const evaluation = await evaluateStack({
        stack: options.stack,
        config: { config: values, secretKeys: options.config.secretKeys },
        program: () => defineStack(stack),
    });
    const secret = options.fingerprintSecret ?? processFingerprintSecret;
    const plan = buildPlan(evaluation, stackFingerprintKey(secret, options.stack), declarationsOf(options.config.config));
    const files = renderFiles(plan);
    const secretValues = [...secretValuesOf(evaluation, options.config), typeof secret === "string" ? secret : secret.toString("hex")];
    const leak = findLeak(files, secretValues);
    if (leak !== undefined) throw new Error(`${leak} would hold a secret value in the clear; nothing was written`);
    const violations = options.policy === true ? checkResources(plan.resources, policyContextOf(stack.platform)) : undefined;
    return { platform: stack.platform, evaluation, plan, files, secretValues, ...(violations !== undefined ? { violations } : {}) };
}

/** One problem that keeps a stack from rendering: a problem of its stack file or of its catalog. */
export type StackProblem =
    | { readonly kind: "config"; readonly file: string; readonly problem: ConfigProblem }
    | { readonly kind: "catalog"; readonly problem: CatalogProblem };

/** The problems of a failed render, or undefined when `error` is not a problem of the stack's inputs. */
export function problemsOf(error: unknown): StackProblem[] | undefined {
    if (error instanceof CatalogError) return error.problems.map((problem) => ({ kind: "catalog", problem }));
    if (error instanceof PlatformConfigError) return error.problems.map((problem) => ({ kind: "config", file: error.file, problem }));
    return undefined;
}
