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

/** The annotations that make `pulumi up` wait for one named condition only. */
export function conditionAnnotations(condition: string, timeoutSeconds: number): Record<string, string> {
    return { [waitForAnnotation]: `condition=${condition}`, [timeoutSecondsAnnotation]: String(timeoutSeconds) };
}

/** What `pulumi up` waits for on an app's DomainMapping, and why not more. */
export interface DomainMappingWait {
    readonly annotations: Record<string, string>;
    /** In order, from: claim, DNS, certificate. */
    readonly waitsFor: readonly string[];
    /** Said in the summary when the wait leaves something out. */
    readonly note?: string;
}

/**
 * The DomainMapping's wait. Its Ready needs DomainClaimed and CertificateProvisioned (knative/serving
 * pkg/apis/serving/v1beta1/domainmapping_types.go, domainmapping_lifecycle.go L26-31). With
 * `external-domain-tls` the certificate comes from ACME HTTP-01 through Kourier, so it needs the
 * hostname's DNS record first: when a person makes that record (`byHand`), `up` waits only for
 * `DomainClaimed` instead of timing out on a certificate it cannot get, and says so. With the
 * stack's own TLS secret no DNS is needed for Ready.
 */
export function domainMappingWait(
    tlsMode: "external-domain-tls" | "secret",
    dnsBy: "program" | "wildcard" | "by-hand",
    timeoutSeconds: number,
): DomainMappingWait {
    if (tlsMode === "secret")
        return { annotations: readyAnnotations(timeoutSeconds), waitsFor: ["claim", "certificate (the stack's TLS secret)"] };
    if (dnsBy === "by-hand") {
        return {
            annotations: conditionAnnotations("DomainClaimed", timeoutSeconds),
            waitsFor: ["claim"],
            note: "not the certificate: its HTTP-01 challenge needs the DNS record made by hand first; the DomainMapping turns Ready once it exists",
        };
    }
    return {
        annotations: readyAnnotations(timeoutSeconds),
        waitsFor: ["claim", dnsBy === "wildcard" ? "DNS (wildcard)" : "DNS", "certificate"],
    };
}
