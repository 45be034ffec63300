/**
 * Reads a render handed to render:diff as untrusted input: a pull request's head render is
 * made by code the pull request controls. Only a regular file is read (never through a
 * symbolic link, never a FIFO or device, which would block or never end), at most
 * `maxPlanBytes`, nested at most `maxPlanDepth` deep, and it must have the shape of a
 * plan.json before anything of it is used. Every problem names which render it is in and
 * where, and never quotes the file's text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod/v3";
import { visible } from "./markdown";
import { planFormatVersion, type Plan } from "./plan";

/** plan.json of the largest catalog measured (2000 apps) is about 20 MB; far above it is not a render. */
export const maxPlanBytes = 64 * 1024 * 1024;

/** Kubernetes objects and IAM documents nest about a dozen levels; deeper is not a render. */
export const maxPlanDepth = 64;

/** Which of the two renders a problem is in. */
export type Side = "base" | "head";

/** A render that cannot be compared, with every reason. */
export class RenderReadError extends Error {
    override readonly name = "RenderReadError";
    constructor(
        readonly side: Side,
        readonly given: string,
        readonly problems: readonly string[],
    ) {
        // Key names and paths come from the file: shown with control characters escaped.
        super(problems.map((p) => visible(`${side} render ${given}: ${p}`)).join("\n"));
    }
}

const text = z.string().max(1_000_000);
const strings = z.array(text);
const secretKeyShape = z.object({ shape: text, fingerprint: text }).strict();

const resourceSchema = z
    .object({
        urn: text,
        name: text,
        type: text,
        custom: z.boolean(),
        parent: text.optional(),
        organization: text.optional(),
        app: text.optional(),
        provider: text.optional(),
        protect: z.boolean(),
        retainOnDelete: z.boolean(),
        deleteBeforeReplace: z.boolean(),
        ignoreChanges: strings,
        adopt: text.optional(),
        inputs: z.record(z.unknown()),
        secretInputs: strings,
        secretFingerprints: z.record(text),
        secretKeys: z.record(z.record(secretKeyShape)).optional(),
        dependencies: strings,
    })
    .strict();

const appSchema = z
    .object({
        organization: text,
        app: text,
        type: text,
        url: text,
        namespace: text,
        service: text,
        schema: text.optional(),
        s3Prefix: text.optional(),
        secret: text,
        role: text,
    })
    .passthrough();

const clusterSchema = z
    .object({ identity: text, provider: text, context: text.optional(), kubeconfig: text.optional(), rebindFrom: text.optional() })
    .strict();

const protectionSchema = z
    .object({
        dataBearing: z.number().int().nonnegative(),
        protected: z.number().int().nonnegative(),
        retained: z.number().int().nonnegative(),
        unprotected: strings,
        acknowledged: text.optional(),
    })
    .strict();

const planSchema = z
    .object({
        formatVersion: z.literal(planFormatVersion),
        stack: text,
        secretMarker: text,
        note: text,
        apps: z.array(appSchema),
        resources: z.array(resourceSchema),
        cluster: clusterSchema.optional(),
        protection: protectionSchema.optional(),
    })
    .passthrough();

/** How deep `value` nests, counted without recursion (a hostile file may nest a million deep). */
function depthOf(value: unknown): number {
    let deepest = 0;
    const stack: Array<[unknown, number]> = [[value, 1]];
    while (stack.length > 0) {
        const [item, depth] = stack.pop() as [unknown, number];
        if (typeof item !== "object" || item === null) continue;
        deepest = Math.max(deepest, depth);
        if (deepest > maxPlanDepth) return deepest;
        for (const child of Object.values(item)) stack.push([child, depth + 1]);
    }
    return deepest;
}

/** The file's bytes, if it is a regular file within the size limit; opened without following a link. */
function readRegularFile(file: string, shown: string, fail: (problem: string) => never): string {
    let stat: fs.Stats;
    try {
        stat = fs.lstatSync(file);
    } catch {
        fail(`${shown}: not found; run \`npm run render -- --stack <stack> --out <dir>\` first`);
    }
    if (stat.isSymbolicLink()) fail(`${shown}: is a symbolic link; give the render itself, not a link to it`);
    if (!stat.isFile()) fail(`${shown}: is not a regular file (a directory, FIFO, socket or device)`);
    // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO after the check is not followed, nor waited on.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    try {
        const opened = fs.fstatSync(fd);
        if (!opened.isFile()) fail(`${shown}: is not a regular file`);
        if (opened.size > maxPlanBytes) fail(`${shown}: is ${opened.size} bytes, more than a render's ${maxPlanBytes}`);
        return fs.readFileSync(fd, "utf8");
    } finally {
        fs.closeSync(fd);
    }
}

/** The zod issues of a plan as `path: message` lines, at most 20. */
function shapeProblems(error: z.ZodError): string[] {
    const lines = error.issues.slice(0, 20).map((issue) => {
        const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
        return `plan.json${where}: ${issue.message}`;
    });
    if (error.issues.length > 20) lines.push(`… and ${error.issues.length - 20} more`);
    return lines;
}

/**
 * Reads the render at `given` (a directory holding plan.json, or the file itself), resolved
 * against `base`, as the `side` render. Throws a RenderReadError naming the side.
 */
export function readRenderPlan(given: string, base: string, side: Side): Plan {
    const fail = (...problems: string[]): never => {
        throw new RenderReadError(side, given, problems);
    };
    const full = path.resolve(base, given);
    let isDirectory = false;
    try {
        const stat = fs.lstatSync(full);
        isDirectory = stat.isDirectory();
    } catch {
        fail(`not found; run \`npm run render -- --stack <stack> --out ${given}\` first`);
    }
    const file = isDirectory ? path.join(full, "plan.json") : full;
    const textValue = readRegularFile(file, isDirectory ? "plan.json" : path.basename(file), fail);
    let doc: unknown;
    try {
        doc = JSON.parse(textValue);
    } catch {
        // JSON.parse's own message quotes the text around the error: never echoed.
        fail("plan.json is not valid JSON");
    }
    if (depthOf(doc) > maxPlanDepth) fail(`plan.json nests deeper than ${maxPlanDepth} levels, which no render does`);
    const parsed = planSchema.safeParse(doc);
    if (!parsed.success) fail(...shapeProblems(parsed.error));
    return doc as Plan;
}
