/**
 * Await annotations for custom resources. pulumi-kubernetes 4.x does not wait for a custom
 * resource unless told to: with no `pulumi.com/waitFor` (and no PULUMI_K8S_AWAIT_ALL) the
 * ready condition is "immediate" (provider/pkg/metadata/overrides.go L108-118). With
 * `condition=Ready` the update waits for the object's own Ready condition and fails with its
 * message when `pulumi.com/timeoutSeconds` runs out (annotations.go L33-35; overrides.go
 * L49-66; available since 4.18.0, precedence fixed in 4.18.4; the project pins 4.34.2).
 * KNative Service Ready = ConfigurationsReady and RoutesReady (knative/serving
 * service_lifecycle.go L33-36); DomainMapping Ready needs DomainClaimed (domainmapping_lifecycle.go
 * L26-31); ExternalSecret Ready reports SecretSynced. Pure.
 */

import type { ReadinessTimeouts } from "./cluster";

export const waitForAnnotation = "pulumi.com/waitFor";
export const timeoutSecondsAnnotation = "pulumi.com/timeoutSeconds";

/** The two annotations that make `pulumi up` wait for `condition=Ready`, at most `timeoutSeconds`. */
export function readyAnnotations(timeoutSeconds: number): Record<string, string> {
    return { [waitForAnnotation]: "condition=Ready", [timeoutSecondsAnnotation]: String(timeoutSeconds) };
}

interface WithMetadata {
    readonly metadata: { readonly annotations?: Readonly<Record<string, string>> } & Record<string, unknown>;
}

/** The manifest with the await annotations merged into `metadata.annotations` (its own ones kept). */
export function awaitingReady<T extends WithMetadata>(manifest: T, timeoutSeconds: number | undefined): T {
    if (timeoutSeconds === undefined) return manifest;
    return {
        ...manifest,
        metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, ...readyAnnotations(timeoutSeconds) } },
    };
}

/** Which custom resources are awaited, by API group and kind, and which timeout each takes. */
export const awaitedKinds: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly timeout: keyof ReadinessTimeouts }> = [
    { group: "serving.knative.dev", kind: "Service", timeout: "service" },
    { group: "serving.knative.dev", kind: "DomainMapping", timeout: "domainMapping" },
    { group: "external-secrets.io", kind: "ExternalSecret", timeout: "externalSecret" },
];

/** The timeout of an object by its `apiVersion` and `kind`, or undefined when it is not awaited. */
export function readinessTimeoutOf(apiVersion: unknown, kind: unknown, timeouts: ReadinessTimeouts): number | undefined {
    if (typeof apiVersion !== "string" || typeof kind !== "string") return undefined;
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    const found = awaitedKinds.find((k) => k.group === group && k.kind === kind);
    return found ? timeouts[found.timeout] : undefined;
}
