/**
 * The pack's policies as pure functions: each takes a resource's type token and input
 * properties plus the stack's policy context, and returns violation messages. The
 * CrossGuard pack (`policies.ts`) and the render (`checkResources`) call the same
 * functions, and every invariant they check is a rule of `model/rules.ts`, the rulebook
 * the catalog validation uses too. No Pulumi runtime, no I/O.
 */
import type { CheckedResource, PolicyContext, Violation } from "./context";
import { dataProtected, postgresNeverCascade, s3ObjectUnderPrefix, secretRecoveryWindow, tenantNamespacesGuarded } from "./dataChecks";
import { iamNoWildcards, irsaTrustPolicy } from "./iamChecks";
import { domainMappingTls, knativeImagePinned, knativeServiceResources } from "./knativeChecks";
import { knativePodSecurity, namespacePodSecurity } from "./podSecurityChecks";

export { dataProtected, postgresNeverCascade, s3ObjectUnderPrefix, secretRecoveryWindow, tenantNamespacesGuarded } from "./dataChecks";
export { iamNoWildcards, irsaTrustPolicy } from "./iamChecks";
export { domainMappingTls, knativeImagePinned, knativeServiceResources } from "./knativeChecks";
export { knativePodSecurity, namespacePodSecurity } from "./podSecurityChecks";
export { environmentOf, policyContextOf, type CheckedResource, type PolicyContext, type TlsMode, type Violation } from "./context";

/** Names and descriptions of every policy, in the order they are reported. */
export const policyInfo = {
    "knative-service-resources": "KNative Services set CPU/memory requests and limits (requests ≤ limits) and a max-scale ≥ 1.",
    "knative-image-pinned-in-pro": "In pro, KNative Service images are pinned to a version tag (not latest) or a digest.",
    "irsa-trust-own-service-account":
        "IAM role trust policies federate only the cluster's OIDC provider, with StringEquals on both sub (one service account) and aud.",
    "iam-no-wildcards": "No IAM Allow statement has a wildcard action or resource, NotAction or NotResource.",
    "s3-objects-under-prefix": "S3 objects live in the shared bucket under the configured prefix, in their own app's folder.",
    "domain-mapping-tls": "DomainMappings have TLS: an explicit spec.tls.secretName or the external-domain-tls mode.",
    "secret-recovery-window-in-pro": "In pro, Secrets Manager secrets keep a recovery window (7–30 days, never 0).",
    "postgres-never-cascade": "Schemas never drop with CASCADE; tenant DB roles skip REASSIGN OWNED and DROP OWNED on delete.",
    "data-protected-in-pro":
        "In pro, data-bearing resources (schema, DB role, secret, S3 objects) are protected; a secret's version never is (a rotation replaces it).",
    "tenant-namespace-guarded": "Every tenant namespace has a ResourceQuota and an ingress NetworkPolicy.",
    "knative-pod-security-restricted":
        'KNative Service pod templates meet Pod Security "restricted" (non-root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp, restricted volume types) with a read-only root filesystem.',
    "namespace-pod-security-restricted":
        'Tenant namespaces enforce, audit and warn at Pod Security "restricted", pinned to a version, as labels.',
} as const;

export type PolicyName = keyof typeof policyInfo;

/** Runs every per-resource rule on one resource. */
export function checkResource(resource: CheckedResource, context: PolicyContext): Violation[] {
    const { type, inputs: props } = resource;
    const results: Array<[PolicyName, string[]]> = [
        ["knative-service-resources", knativeServiceResources(type, props)],
        ["knative-image-pinned-in-pro", knativeImagePinned(type, props, context)],
        ["irsa-trust-own-service-account", irsaTrustPolicy(type, props, context)],
        ["iam-no-wildcards", iamNoWildcards(type, props)],
        ["s3-objects-under-prefix", s3ObjectUnderPrefix(type, props, context)],
        ["domain-mapping-tls", domainMappingTls(type, props, context)],
        ["secret-recovery-window-in-pro", secretRecoveryWindow(type, props, context)],
        ["postgres-never-cascade", postgresNeverCascade(type, props)],
        ["data-protected-in-pro", dataProtected(type, resource.protect, context)],
        ["knative-pod-security-restricted", knativePodSecurity(type, props)],
        ["namespace-pod-security-restricted", namespacePodSecurity(type, props)],
    ];
    const urn = resource.urn !== undefined ? { urn: resource.urn } : {};
    return results.flatMap(([policy, messages]) => messages.map((message) => ({ policy, resource: resource.name, message, ...urn })));
}

/**
 * Runs every policy of the pack over the resources of one stack (as the render records
 * them) and returns the violations, per-resource rules first, then stack-level ones.
 */
export function checkResources(resources: readonly CheckedResource[], context: PolicyContext): Violation[] {
    const perResource = resources.flatMap((r) => checkResource(r, context));
    const urns = new Map(resources.map((r) => [r.name, r.urn]));
    const stackLevel = tenantNamespacesGuarded(resources.map((r) => ({ type: r.type, name: r.name, props: r.inputs }))).map((v) => {
        const urn = urns.get(v.resource);
        return { policy: "tenant-namespace-guarded" as const, ...v, ...(urn !== undefined ? { urn } : {}) };
    });
    return [...perResource, ...stackLevel];
}
