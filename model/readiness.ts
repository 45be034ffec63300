/**
 * Await annotations for custom resources. pulumi-kubernetes 4.x does not wait for a custom
 * resource unless told to: with no `pulumi.com/waitFor` (and no PULUMI_K8S_AWAIT_ALL) the
 * ready condition is "immediate" (provider/pkg/metadata/overrides.go L108-118). With
 * `condition=Ready` the update waits for the object's own Ready condition and fails with its
 * message when `pulumi.com/timeoutSeconds` runs out (annotations.go L33-35; overrides.go
 * L49-66; available since 4.18.0, precedence fixed in 4.18.4; the project pins 4.34.2).
 * KNative Service Ready = ConfigurationsReady and RoutesReady (knative/serving
 * service_lifecycle.go L33-36); DomainMapping Ready needs DomainClaimed (domainmapping_lifecycle.go
 * L26-31); ExternalSecret Ready reports SecretSynced. The manifests of those three carry these
 * annotations (model/manifests.ts). Pure.
 */

export const waitForAnnotation = "pulumi.com/waitFor";
export const timeoutSecondsAnnotation = "pulumi.com/timeoutSeconds";

/** The two annotations that make `pulumi up` wait for `condition=Ready`, at most `timeoutSeconds`. */
export function readyAnnotations(timeoutSeconds: number): Record<string, string> {
    return { [waitForAnnotation]: "condition=Ready", [timeoutSecondsAnnotation]: String(timeoutSeconds) };
}
