/**
 * What plan.json says about changes that look harmless but are not, for render:diff to call
 * out: the Kubernetes provider's cluster identity (a new one replaces the provider and with it
 * every namespace, service and domain mapping) and a summary of deletion protection (how many
 * data-bearing resources are protected, which are not, and why when the stack says so). Pure.
 */
import { dataBearingTypes } from "../model/typeTokens";

/** What these summaries read of a plan's resource (render/plan.ts `PlanResource`), declared here so the two files do not import each other. */
interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly inputs: Record<string, unknown>;
}

/** The stack's Kubernetes binding as the provider sees it. */
export interface PlanCluster {
    /** The provider's `clusterIdentifier`: when it changes, Pulumi replaces the provider and every object it manages. */
    readonly identity: string;
    /** URN of the provider. */
    readonly provider: string;
    readonly context?: string;
    /** The kubeconfig's path, or the secret marker when it comes from `kubeconfigEnv`. */
    readonly kubeconfig?: string;
    /** The identity a declared rebinding moves away from (`tenant-apps:kubernetes.rebindFrom`). */
    readonly rebindFrom?: string;
}

/** Deletion protection over every data-bearing resource of the render. */
export interface PlanProtection {
    /** Data-bearing resources (schemas, roles, agent databases, secrets, assets folders). */
    readonly dataBearing: number;
    /** Of them, how many carry `protect`. */
    readonly protected: number;
    /** Of them, how many carry `retainOnDelete`. */
    readonly retained: number;
    /** URNs of data-bearing resources without `protect`, sorted. */
    readonly unprotected: readonly string[];
    /** Why protection is off in pro (`tenant-apps:acknowledge.unprotectedInPro`), when the stack says so. */
    readonly acknowledged?: string;
}

/** What the stack config declares about these changes. */
export interface Declarations {
    readonly rebindFrom?: string;
    readonly unprotectedInPro?: string;
}

/** Reads the declarations from config the program has already validated. */
export function declarationsOf(config: Readonly<Record<string, string>>): Declarations {
    const field = (key: string, name: string): string | undefined => {
        try {
            const value = (JSON.parse(config[key] ?? "{}") as Record<string, unknown>)[name];
            return typeof value === "string" ? value : undefined;
        } catch {
            return undefined;
        }
    };
    const rebindFrom = field("tenant-apps:kubernetes", "rebindFrom");
    const unprotectedInPro = field("tenant-apps:acknowledge", "unprotectedInPro");
    return { ...(rebindFrom !== undefined ? { rebindFrom } : {}), ...(unprotectedInPro !== undefined ? { unprotectedInPro } : {}) };
}

/** The Kubernetes provider's binding, or undefined when the render registered none. */
export function clusterOf(resources: readonly PlanResource[], declared: Declarations): PlanCluster | undefined {
    const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes");
    if (provider === undefined) return undefined;
    const { clusterIdentifier, context, kubeconfig } = provider.inputs;
    return {
        identity: typeof clusterIdentifier === "string" ? clusterIdentifier : "",
        provider: provider.urn,
        ...(typeof context === "string" ? { context } : {}),
        ...(typeof kubeconfig === "string" ? { kubeconfig } : {}),
        ...(declared.rebindFrom !== undefined ? { rebindFrom: declared.rebindFrom } : {}),
    };
}

/** The protection summary of a render's resources. */
export function protectionOf(resources: readonly PlanResource[], declared: Declarations): PlanProtection {
    const data = resources.filter((r) => r.custom && dataBearingTypes.includes(r.type));
    return {
        dataBearing: data.length,
        protected: data.filter((r) => r.protect).length,
        retained: data.filter((r) => r.retainOnDelete).length,
        unprotected: data
            .filter((r) => !r.protect)
            .map((r) => r.urn)
            .sort(),
        ...(declared.unprotectedInPro !== undefined ? { acknowledged: declared.unprotectedInPro } : {}),
    };
}
