/**
 * Runs the real program (`index.ts`) under the Pulumi SDK's mock runtime and records every
 * registration with its options, so tests and the render command see exactly what a
 * deployment would ask for. Provider-computed outputs (ARNs, ids, generated passwords) get
 * deterministic stand-ins derived from explicit names and the configured account and region.
 * Contacts nothing.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { typeTokens } from "../model/typeTokens";
import type { StackConfig } from "../model/stackConfig";
import { secretMarker } from "./secretShapes";

export { secretMarker } from "./secretShapes";

/** One registered resource as the engine would receive it. */
export interface RecordedResource {
    readonly urn: string;
    /** Logical name. */
    readonly name: string;
    /** Type token, e.g. `aws:iam/role:Role` or `kubernetes:serving.knative.dev/v1:Service`. */
    readonly type: string;
    readonly custom: boolean;
    readonly parent?: string;
    /** Inputs with secret values in the clear: for assertions only, never for output. */
    readonly inputs: Record<string, unknown>;
    /** Inputs with every secret value replaced by `secretMarker`. */
    readonly maskedInputs: Record<string, unknown>;
    /** Top-level input keys that carry a secret (anywhere inside). */
    readonly secretInputs: readonly string[];
    readonly dependencies: readonly string[];
    readonly provider?: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** The id the resource is imported by (the `import` option), when the catalog adopts it (issue 12). */
    readonly importId?: string;
}

export interface RecordedInvoke {
    readonly token: string;
    readonly args: Record<string, unknown>;
}

export interface Evaluation {
    readonly stack: string;
    /** In the order the registrations complete (grouped by organization; render sorts them). */
    readonly resources: readonly RecordedResource[];
    readonly invokes: readonly RecordedInvoke[];
    /** Stack outputs, resolved. */
    readonly outputs: Record<string, unknown>;
    /** Whether any stack output is a Pulumi secret. */
    readonly outputsSecret: boolean;
}

export interface EvaluateOptions {
    readonly stack: string;
    readonly config: StackConfig;
    /** Overrides the catalog directory (`tenant-apps:catalogDir`). */
    readonly catalogDir?: string;
    /** Project name used in URNs. */
    readonly project?: string;
    /**
     * Module to evaluate instead of the program's compiled `index.js`: the bench's floor
     * program, or `index.ts` when measuring on-the-fly TypeScript.
     */
    readonly entryModule?: string;
    /**
     * The program itself, called under the mock runtime instead of requiring a module: the
     * render hands in `defineStack` of the stack it already loaded, so the config is parsed once.
     */
    readonly program?: () => unknown;
}

/** Account, region and partition the stand-in ARNs use. */
export interface CloudContext {
    readonly partition: string;
    readonly accountId: string;
    readonly region: string;
}

const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const sigKey = "4dabf18193072939515e22adb298388d";

/** Unwraps the wire form of a property: `secrets` keeps values or masks them. */
function fromWire(value: unknown, mask: boolean, found: { secret: boolean }): unknown {
    if (Array.isArray(value)) return value.map((v) => fromWire(v, mask, found));
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (obj[sigKey] === secretSig) {
        found.secret = true;
        return mask ? secretMarker : fromWire(obj.value, mask, found);
    }
    if (obj[sigKey] === resourceSig) return obj.urn;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) out[key] = fromWire(obj[key], mask, found);
    return out;
}

/** A stable stand-in string of `length` letters and digits for a generated value. */
export function standInSecret(seed: string, length: number): string {
    let out = "";
    for (let i = 0; out.length < length; i++) {
        out += createHash("sha256")
            .update(`tenant-apps-mock:${seed}:${i}`)
            .digest("base64")
            .replace(/[^A-Za-z0-9]/g, "");
    }
    return out.slice(0, length);
}

const shortHash = (s: string): string => createHash("sha256").update(s).digest("hex").slice(0, 6);

/** Mocks whose computed outputs depend only on names, account and region. */
export function deterministicMocks(cloud: CloudContext): pulumi.runtime.Mocks {
    const { partition, accountId, region } = cloud;
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
            const inputs = args.inputs as Record<string, unknown>;
            const name = typeof inputs.name === "string" ? inputs.name : args.name;
            switch (args.type) {
                case typeTokens.iamRole:
                    return {
                        id: name,
                        state: {
                            ...inputs,
                            arn: `arn:${partition}:iam::${accountId}:role${String(inputs.path ?? "/")}${name}`,
                            uniqueId: `AROA${shortHash(name).toUpperCase()}`,
                        },
                    };
                case typeTokens.iamRolePolicy:
                    return { id: `${String(inputs.role)}:${name}`, state: inputs };
                case typeTokens.secret: {
                    const arn = `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}-${shortHash(name)}`;
                    return { id: arn, state: { ...inputs, arn } };
                }
                case typeTokens.secretVersion:
                    return { id: `${String(inputs.secretId)}|v1`, state: { ...inputs, versionId: "v1", arn: inputs.secretId } };
                case typeTokens.bucketObjectV2:
                    return { id: String(inputs.key), state: { ...inputs, etag: "d41d8cd98f00b204e9800998ecf8427e" } };
                case typeTokens.iamAccessKey:
                    // A stand-in key id and secret in AWS's alphabet; the secret is an additional secret output.
                    return {
                        id: `AKIA${standInSecret(`${args.name}/id`, 16).toUpperCase()}`,
                        state: { ...inputs, secret: standInSecret(`${args.name}/secret`, 40), status: "Active" },
                    };
                case typeTokens.iamUser:
                    return {
                        id: name,
                        state: { ...inputs, arn: `arn:${partition}:iam::${accountId}:user${String(inputs.path ?? "/")}${name}` },
                    };
                case typeTokens.randomPassword:
                    return { id: "none", state: { ...inputs, result: standInSecret(args.name, Number(inputs.length) || 32) } };
                default: {
                    const metadata = inputs.metadata as { name?: string; namespace?: string } | undefined;
                    const id = metadata?.name ? [metadata.namespace, metadata.name].filter(Boolean).join("/") : `${name}`;
                    return { id, state: inputs };
                }
            }
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            if (args.token === typeTokens.getSecretVersion) {
                return {
                    ...args.inputs,
                    arn: args.inputs.secretId,
                    secretString: JSON.stringify({ username: "postgres", password: standInSecret("rds-admin", 32) }),
                    versionId: "v1",
                };
            }
            return args.inputs;
        },
    };
}

/** The account, region and partition a stack's config names, for stand-in ARNs. */
export function cloudContextOf(config: StackConfig): CloudContext {
    let providerArn = "";
    try {
        const cluster = JSON.parse(config.config["tenant-apps:cluster"] ?? "{}") as { oidcProviderArn?: unknown };
        if (typeof cluster.oidcProviderArn === "string") providerArn = cluster.oidcProviderArn;
    } catch {
        // Invalid config is reported by the program itself.
    }
    const [, partition = "aws", , , accountId = "000000000000"] = providerArn.split(":");
    return { partition, accountId: accountId || "000000000000", region: config.config["aws:region"] ?? "us-east-1" };
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getImportid(): string;
}
interface InvokeRequest {
    getTok(): string;
    getArgs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: unknown, resp: { getUrn(): string } | undefined) => void;
interface PatchableMonitor {
    registerResource(req: RegisterRequest, cb: Callback): void;
    invoke(req: InvokeRequest, cb: (err: unknown, resp: unknown) => void): void;
}

/** Path of the compiled entry point (`index.js` beside `render/`). */
const entryModule = path.resolve(__dirname, "..", "index");

/** Runs a program module afresh: its exports are the stack's outputs. */
function runEntryModule(module: string): unknown {
    const entry = require.resolve(module);
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(entry) as unknown;
}

/**
 * Evaluates the program for one stack under the mock runtime and returns every
 * registration. Evaluations run one at a time (the runtime is process-global).
 */
export async function evaluateStack(options: EvaluateOptions): Promise<Evaluation> {
    const cloud = cloudContextOf(options.config);
    await pulumi.runtime.setMocks(deterministicMocks(cloud), options.project ?? "tenant-apps", options.stack, false);
    const config = { ...options.config.config };
    if (options.catalogDir !== undefined) config["tenant-apps:catalogDir"] = options.catalogDir;
    pulumi.runtime.setAllConfig(config, options.config.secretKeys);

    const resources: RecordedResource[] = [];
    const invokes: RecordedInvoke[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as PatchableMonitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, resp) => {
            if (!err && resp) resources.push(record(req, resp.getUrn()));
            cb(err, resp);
        });
    const invoke = monitor.invoke.bind(monitor);
    monitor.invoke = (req, cb) => {
        invokes.push({
            token: req.getTok(),
            args: fromWire(req.getArgs()?.toJavaScript() ?? {}, false, { secret: false }) as Record<string, unknown>,
        });
        invoke(req, cb);
    };

    const restoreEnvironment = standInKubeconfig(options.config);
    let exported: unknown;
    try {
        exported = options.program !== undefined ? options.program() : runEntryModule(options.entryModule ?? entryModule);
    } finally {
        restoreEnvironment();
    }
    const stackOutputs = pulumi.output(exported);
    // The Output's own promise rejects when the program fails after its first turn (an
    // `apply` would simply never run, and the evaluation would never settle).
    const outputs = (await (stackOutputs as unknown as { promise(): Promise<unknown> }).promise()) as Record<string, unknown>;
    const outputsSecret = await pulumi.isSecret(stackOutputs);
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return { stack: options.stack, resources, invokes, outputs, outputsSecret };
}

/** What the render hands the program for `tenant-apps:kubernetes.kubeconfigEnv`'s variable. */
export const kubeconfigStandIn = (name: string): string => `[kubeconfig from $${name} at deploy time]`;

/**
 * The render needs no cluster, so it never reads the variable `kubeconfigEnv` names (it may be
 * unset, or hold a real token): while the program is constructed, the variable holds a stand-in
 * (a Pulumi secret in the program, so plan.json shows only the marker). Returns the restore.
 */
function standInKubeconfig(config: StackConfig): () => void {
    let name: unknown;
    try {
        name = (JSON.parse(config.config["tenant-apps:kubernetes"] ?? "{}") as { kubeconfigEnv?: unknown }).kubeconfigEnv;
    } catch {
        return () => undefined; // invalid config is reported by the program itself
    }
    if (typeof name !== "string" || !/^[A-Z_][A-Z0-9_]*$/.test(name)) return () => undefined;
    const had = Object.prototype.hasOwnProperty.call(process.env, name);
    const before = process.env[name];
    process.env[name] = kubeconfigStandIn(name);
    return () => {
        if (had) process.env[name as string] = before;
        else delete process.env[name as string];
    };
}

function record(req: RegisterRequest, urn: string): RecordedResource {
    const raw = req.getObject()?.toJavaScript() ?? {};
    const inputs = fromWire(raw, false, { secret: false }) as Record<string, unknown>;
    const maskedInputs = fromWire(raw, true, { secret: false }) as Record<string, unknown>;
    const secretInputs = Object.keys(raw).filter((key) => {
        const found = { secret: false };
        fromWire(raw[key], true, found);
        return found.secret;
    });
    return {
        urn,
        name: req.getName(),
        type: req.getType(),
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        inputs,
        maskedInputs,
        secretInputs,
        dependencies: [...new Set(req.getDependenciesList())].sort(),
        provider: req.getProvider() || undefined,
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
        ...(req.getImportid() ? { importId: req.getImportid() } : {}),
    };
}
