/**
 * Entry module of the floor program, evaluated by `evaluateStack({ entryModule })` exactly
 * like the real `index.js`: registers the shape set by `setFloorShape` through the provider SDK
 * classes with trivial inputs (`sdk`) or with the program's own inputs (`data`), or as bare
 * `pulumi.CustomResource`s (`bare`).
 * Components call `registerOutputs` as the program's components do, so both send the same RPCs.
 * Exports a promise, as the program's `apps` output is one.
 */
import * as pulumi from "@pulumi/pulumi";
import { floorShape, providerPrefix, type FloorResource } from "./floor";

type Inputs = Record<string, unknown>;
type CustomConstructor = new (name: string, args: Inputs, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;
type Register = (name: string, inputs: Inputs, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** A provider of a package, with no configuration or with inputs exactly as given. */
class BareProvider extends pulumi.ProviderResource {
    constructor(pkg: string, name: string, opts: pulumi.ResourceOptions, inputs: Inputs = {}) {
        super(pkg, name, inputs, opts);
    }
}

/** A custom resource of any type token, with no inputs. */
class BareCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, opts: pulumi.CustomResourceOptions) {
        super(type, name, {}, opts);
    }
}

/** A component of any type token, with no outputs: no inputs, or (`data`) the program's. */
class FloorComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, inputs: Inputs, opts: pulumi.ComponentResourceOptions) {
        super(type, name, inputs, opts);
        this.registerOutputs({});
    }
}

/** Type tokens of dynamic resources start with this, then `<module>:<kind>`. */
const dynamicPrefix = "pulumi-nodejs:dynamic/";

/** A dynamic provider that does nothing: what any dynamic resource costs the SDK at the least. */
const leastProvider: pulumi.dynamic.ResourceProvider = {
    create: () => Promise.resolve({ id: "x" }),
};

/** A dynamic resource of any module and kind, through the least provider. */
class LeastDynamic extends pulumi.dynamic.Resource {
    constructor(name: string, args: Inputs, opts: pulumi.CustomResourceOptions, module?: string, kind?: string) {
        super(leastProvider, name, args, opts, module, kind);
    }
}

/** The `sdk` floor's inputs: the constant for every input the program sets. */
const trivial = (r: FloorResource): Inputs => Object.fromEntries(Object.keys(r.values).map((k) => [k, "x"]));

/** The `data` floor's inputs: the program's own, each secret one as a Pulumi secret. */
const dataInputs = (r: FloorResource): Inputs =>
    Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, r.secrets.includes(k) ? pulumi.secret(v) : v]));

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
        return (name, inputs, opts) => new Provider(name, inputs, opts);
    }
    // A dynamic resource (a world's seeding): the SDK's own class with the least provider. The SDK
    // serializes a provider once per object, the program's as well as this one (@pulumi/pulumi
    // 3.270.0 dynamic/index.js serializeProvider, L27-44). `__provider` is the SDK's own input.
    if (type.startsWith(dynamicPrefix)) {
        const [module, kind] = type.slice(dynamicPrefix.length).split(":");
        return (name, { __provider: _provider, ...inputs }, opts) => new LeastDynamic(name, inputs, opts, module, kind);
    }
    const [pkg = "", module = "", kind = ""] = type.split(":");
    const sdk = sdkPackage(pkg);
    if (pkg === "kubernetes") {
        const [group = "", version = ""] = module.split("/");
        const Class = member(member(member(sdk, group.replace(/\.k8s\.io$/, "")), version), kind) as CustomConstructor | undefined;
        if (Class !== undefined) return (name, inputs, opts) => new Class(name, inputs, opts);
        // Not built into the SDK (KNative, External Secrets): a CustomResource of that apiVersion and kind.
        const CustomResource = member(member(sdk, "apiextensions"), "CustomResource") as CustomConstructor;
        const fixed = { apiVersion: group === "core" ? version : `${group}/${version}`, kind };
        return (name, inputs, opts) => new CustomResource(name, { ...inputs, ...fixed }, opts);
    }
    const namespace = module.split("/")[0] ?? "";
    const Class = member(namespace === "index" ? sdk : member(sdk, namespace), kind) as CustomConstructor | undefined;
    if (Class === undefined) throw new Error(`no SDK class for ${type}`);
    return (name, inputs, opts) => new Class(name, inputs, opts);
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
    /** The data floor's dependencies and options of `r`, on top of its parent and provider. */
    const dataOptions = (r: FloorResource, opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => {
        const dependsOn = r.dependsOn.map((d) => created[d] as pulumi.Resource);
        return { ...opts, ...r.options, ...(dependsOn.length > 0 ? { dependsOn } : {}) };
    };
    const custom = (r: FloorResource, opts: pulumi.CustomResourceOptions): pulumi.Resource => {
        if (mode === "bare") {
            return r.type.startsWith(providerPrefix)
                ? new BareProvider(r.type.slice(providerPrefix.length), r.name, opts)
                : new BareCustom(r.type, r.name, opts);
        }
        let register = registers.get(r.type);
        if (register === undefined) registers.set(r.type, (register = sdkRegister(r.type)));
        if (mode === "sdk") return register(r.name, trivial(r), opts);
        // A provider SDK class JSON-encodes its non-string inputs, which the recorded inputs already are.
        if (r.type.startsWith(providerPrefix)) {
            return new BareProvider(r.type.slice(providerPrefix.length), r.name, dataOptions(r, opts), dataInputs(r));
        }
        return register(r.name, dataInputs(r), dataOptions(r, opts));
    };
    for (const r of shape.resources) {
        if (r.parent < 0 && created.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const parent = r.parent >= 0 ? created[r.parent] : undefined;
        if (r.custom) {
            const provider = r.provider >= 0 ? (created[r.provider] as pulumi.ProviderResource) : undefined;
            created.push(custom(r, { parent, provider }));
        } else if (mode === "data") {
            created.push(new FloorComponent(r.type, r.name, dataInputs(r), dataOptions(r, { parent })));
        } else {
            created.push(new FloorComponent(r.type, r.name, {}, { parent }));
        }
    }
    for (const token of shape.invokes) void pulumi.runtime.invoke(token, {});
    return {};
}

export = registerFloor();
