/**
 * Which Kubernetes cluster a stack applies to, and how long it waits for KNative and
 * External Secrets objects to become Ready (`tenant-apps:kubernetes` in `Pulumi.<stack>.yaml`).
 * Required: without an explicit provider every object would go to the ambient kubeconfig's
 * current context, so `pulumi up --stack pro` from a shell pointed at another cluster would
 * apply there. Pure: the caller hands in the raw value.
 */
import { z } from "zod/v3";
import { credentialEnvName } from "./inputRules";
import { hasUnprintable } from "./printable";

/** The config key that binds a stack to its cluster. */
export const clusterConfigKey = "tenant-apps:kubernetes";

/** Why a stack without `tenant-apps:kubernetes` is refused (the message of a problem of `clusterConfigKey`). */
export const missingClusterMessage =
    "missing; name the cluster this stack applies to (context, kubeconfig or kubeconfigEnv), " +
    "so it can never apply to whatever cluster the shell points at";

/** A context or identity: printable ASCII without spaces, as kubeconfig contexts and EKS ARNs are spelled. */
const clusterName = z
    .string()
    .min(1)
    .max(253)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces or control characters, such as an EKS cluster ARN");

/**
 * A kubeconfig's path. Its contents (YAML with a server, a token or a client key) are refused
 * here: the value would be copied in plaintext into the provider's inputs and the render.
 */
const kubeconfigPath = z
    .string()
    .min(1)
    .max(4096)
    .refine((v) => !/[\n\r]/.test(v) && !/(apiVersion|clusters|users|token|client-key-data|client-certificate-data)\s*:/.test(v), {
        message:
            "holds a kubeconfig's contents, which carry the cluster's credentials, in plaintext; give the kubeconfig's path, or keep its contents in an environment variable and name it with kubeconfigEnv",
    })
    .refine((v) => !hasUnprintable(v), { message: "must be a file path without control characters" });

/** The name of the variable that holds the kubeconfig; a credential's variable is refused (its value would reach the provider). */
const kubeconfigEnvName = z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, "must be an environment variable name such as KUBECONFIG_PRO")
    .refine((v) => !credentialEnvName.test(v), {
        message:
            "names a credential's variable, not a kubeconfig's; name the variable that holds the kubeconfig (its path or contents), such as KUBECONFIG_PRO",
    });

const seconds = z.number().int().min(30, "must be at least 30 seconds").max(3600, "must be at most 3600 seconds");

/** The shape of `tenant-apps:kubernetes`. */
export const clusterSchema = z
    .strictObject({
        /** kubeconfig context; the cluster the stack may touch. */
        context: clusterName.optional(),
        /** Path of a kubeconfig file (the provider's `kubeconfig` input). */
        kubeconfig: kubeconfigPath.optional(),
        /** Name of an environment variable that holds the kubeconfig path, read at deploy time (e.g. `KUBECONFIG_PRO`). */
        kubeconfigEnv: kubeconfigEnvName.optional(),
        /**
         * The provider is replaced only when this changes (pulumi-kubernetes provider/pkg/gen/schema.go
         * `clusterIdentifier`); defaults to the context, so moving the kubeconfig file replaces nothing.
         */
        clusterIdentifier: clusterName.optional(),
        /**
         * The identity this stack was bound to before (declares a rebinding): a new identity
         * replaces the provider and every Kubernetes object, so render:diff refuses an identity
         * change unless the head render's `rebindFrom` names the base render's identity.
         */
        rebindFrom: clusterName.optional(),
        /** Seconds `pulumi up` waits for `condition=Ready` of each kind before it fails the update. */
        readiness: z.strictObject({ service: seconds, domainMapping: seconds, externalSecret: seconds }).partial().default({}),
    })
    .refine((c) => c.context !== undefined || c.kubeconfig !== undefined || c.kubeconfigEnv !== undefined, {
        message: "must name the cluster: set context, kubeconfig or kubeconfigEnv",
    });

/** Seconds to wait for each kind of object to become Ready. */
export interface ReadinessTimeouts {
    readonly service: number;
    readonly domainMapping: number;
    readonly externalSecret: number;
}

/** The validated cluster binding of one stack. */
export interface ClusterConfig {
    readonly context?: string;
    readonly kubeconfig?: string;
    readonly kubeconfigEnv?: string;
    readonly clusterIdentifier: string;
    /** The identity a declared rebinding moves away from. */
    readonly rebindFrom?: string;
    readonly readiness: ReadinessTimeouts;
}

/**
 * Defaults: pulumi-kubernetes waits 10 minutes when nothing says otherwise (await.go L306-309);
 * a revision gets as long, a DomainMapping (certificate issuance) 5 minutes, an ExternalSecret
 * (one Secrets Manager read) 2 minutes.
 */
export const defaultReadiness: ReadinessTimeouts = { service: 600, domainMapping: 300, externalSecret: 120 };

/** The binding with its defaults filled in. */
export function resolveCluster(c: z.infer<typeof clusterSchema>): ClusterConfig {
    return {
        ...(c.context !== undefined ? { context: c.context } : {}),
        ...(c.kubeconfig !== undefined ? { kubeconfig: c.kubeconfig } : {}),
        ...(c.kubeconfigEnv !== undefined ? { kubeconfigEnv: c.kubeconfigEnv } : {}),
        clusterIdentifier: c.clusterIdentifier ?? c.context ?? c.kubeconfig ?? `$${c.kubeconfigEnv ?? ""}`,
        ...(c.rebindFrom !== undefined ? { rebindFrom: c.rebindFrom } : {}),
        readiness: { ...defaultReadiness, ...c.readiness },
    };
}

/** One line naming the cluster, for the render's summary. */
export function describeCluster(c: Pick<ClusterConfig, "context" | "kubeconfig" | "kubeconfigEnv">): string {
    const parts = [
        c.context !== undefined ? `context \`${c.context}\`` : undefined,
        c.kubeconfig !== undefined ? `kubeconfig \`${c.kubeconfig}\`` : undefined,
        c.kubeconfigEnv !== undefined ? `kubeconfig from \`$${c.kubeconfigEnv}\`` : undefined,
    ];
    return parts.filter((p) => p !== undefined).join(", ");
}
