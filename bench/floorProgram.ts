/**
 * Entry module of the floor program, evaluated by `evaluateStack({ entryModule })` exactly
 * like the real `index.js`: registers the shape set by `setFloorShape` with trivial inputs,
 * through the provider SDK classes (`sdk`) or bare `pulumi.CustomResource`s (`bare`).
 * Components call `registerOutputs` as the program's components do, so both send the same RPCs.
 * Exports a promise, as the program's `apps` output is one.
 */
import * as pulumi from "@pulumi/pulumi";
import { floorShape, providerPrefix, type FloorResource } from "./floor";

type Inputs = Record<string, unknown>;
type CustomConstructor = new (name: string, args: Inputs, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;
type Register = (name: string, keys: readonly string[], opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** A provider of a package, with no configuration. */
class BareProvider extends pulumi.ProviderResource {
    constructor(pkg: string, name: string, opts: pulumi.ResourceOptions) {
        super(pkg, name, {}, opts);
    }
}

/** A custom resource of any type token, with no inputs. */
class BareCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, opts: pulumi.CustomResourceOptions) {
        super(type, name, {}, opts);
    }
}

/** A component of any type token, with no inputs and no outputs. */
class FloorComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

/** The constant every input gets. */
const trivial = (keys: readonly string[], fixed: Inputs = {}): Inputs => ({ ...Object.fromEntries(keys.map((k) => [k, "x"])), ...fixed });

/** A provider SDK package (`@pulumi/aws`, ...), loaded the way the program loads it. */
function sdkPackage(pkg: string): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`@pulumi/${pkg}`) as Record<string, unknown>;
}

const member = (scope: unknown, key: string): unknown =>
    scope !== null && typeof scope === "object" ? (scope as Record<string, unknown>)[key] : undefined;

/** The SDK class of a custom type token, e.g. `aws:iam/role:Role` → `aws.iam.Role`. */
function sdkRegister(type: string): Register {
    if (type.startsWith(providerPrefix)) {
        const Provider = member(sdkPackage(type.slice(providerPrefix.length)), "Provider") as CustomConstructor;
        return (name, keys, opts) => new Provider(name, trivial(keys), opts);
    }
    // A dynamic resource (a world's seeding) has no SDK package: its type token, bare.
    if (type.startsWith("pulumi-nodejs:dynamic")) return (name, _keys, opts) => new BareCustom(type, name, opts);
    const [pkg = "", module = "", kind = ""] = type.split(":");
    const sdk = sdkPackage(pkg);
    if (pkg === "kubernetes") {
        const [group = "", version = ""] = module.split("/");
        const Class = member(member(member(sdk, group.replace(/\.k8s\.io$/, "")), version), kind) as CustomConstructor | undefined;
        if (Class !== undefined) return (name, keys, opts) => new Class(name, trivial(keys), opts);
        // Not built into the SDK (KNative, External Secrets): a CustomResource of that apiVersion and kind.
        const CustomResource = member(member(sdk, "apiextensions"), "CustomResource") as CustomConstructor;
        const fixed = { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
        return (name, keys, opts) => new CustomResource(name, trivial(keys, fixed), opts);
    }
    const namespace = module.split("/")[0] ?? "";
    const Class = member(namespace === "index" ? sdk : member(sdk, namespace), kind) as CustomConstructor | undefined;
    if (Class === undefined) throw new Error(`no SDK class for ${type}`);
    return (name, keys, opts) => new Class(name, trivial(keys), opts);
}

/**
 * Registers the shape, yielding one turn of the event loop before each top-level resource
 * after the first, as the program yields between organizations: the floor gets the same
 * bounded in-flight state.
 */
async function registerFloor(): Promise<Record<string, never>> {
    const { shape, mode } = floorShape();
    const created: pulumi.Resource[] = [];
    const registers = new Map<string, Register>();
    const custom = (r: FloorResource, opts: pulumi.CustomResourceOptions): pulumi.Resource => {
        if (mode === "bare") {
            return r.type.startsWith(providerPrefix)
                ? new BareProvider(r.type.slice(providerPrefix.length), r.name, opts)
                : new BareCustom(r.type, r.name, opts);
        }
        let register = registers.get(r.type);
        if (register === undefined) registers.set(r.type, (register = sdkRegister(r.type)));
        return register(r.name, r.inputs, opts);
    };
    for (const r of shape.resources) {
        if (r.parent < 0 && created.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const parent = r.parent >= 0 ? created[r.parent] : undefined;
        if (r.custom) {
            const provider = r.provider >= 0 ? (created[r.provider] as pulumi.ProviderResource) : undefined;
            created.push(custom(r, { parent, provider }));
        } else {
            created.push(new FloorComponent(r.type, r.name, { parent }));
        }
    }
    for (const token of shape.invokes) void pulumi.runtime.invoke(token, {});
    return {};
}

export = registerFloor();
