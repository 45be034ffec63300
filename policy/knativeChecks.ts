/** Checks of KNative Services and DomainMappings, on the rules of `model/rules.ts`. Pure. */
import {
    isBoundedMaxScale,
    isPinnedImage,
    isRequestWithinLimit,
    isScaleInOrder,
    legacyScaleAnnotations,
    requestOverLimitMessage,
    scaleAnnotations,
    scaleOrderMessage,
    unpinnedImageMessage,
} from "../model/rules";
import { typeTokens } from "../model/typeTokens";
import { at, list, quantity, str, type Bag } from "./bag";
import type { PolicyContext } from "./context";

const maxScaleKeys = [scaleAnnotations.max, legacyScaleAnnotations.max];
const minScaleKeys = [scaleAnnotations.min, legacyScaleAnnotations.min];

function containersOf(props: Bag): unknown[] {
    return list(at(props, "spec", "template", "spec", "containers"));
}

function containerLabel(container: unknown, index: number): string {
    const name = str(at(container, "name"));
    return name !== undefined ? `container "${name}"` : `container #${index + 1}`;
}

/** Every container sets CPU and memory requests and limits (requests ≤ limits), and the revision has a max-scale ≥ 1. */
export function knativeServiceResources(type: string, props: Bag): string[] {
    if (type !== typeTokens.knativeService) return [];
    const out: string[] = [];
    const containers = containersOf(props);
    if (containers.length === 0) out.push("spec.template.spec.containers is empty; a KNative Service needs one container");
    containers.forEach((container, i) => {
        const label = containerLabel(container, i);
        const values: Record<string, string | undefined> = {};
        for (const kind of ["requests", "limits"] as const) {
            for (const resource of ["cpu", "memory"] as const) {
                const value = quantity(at(container, "resources", kind, resource));
                values[`${kind}.${resource}`] = value;
                if (value === undefined) out.push(`${label} has no resources.${kind}.${resource}; every tenant container must set it`);
            }
        }
        for (const resource of ["cpu", "memory"] as const) {
            const request = values[`requests.${resource}`];
            const limit = values[`limits.${resource}`];
            if (request !== undefined && limit !== undefined && !isRequestWithinLimit(resource, request, limit)) {
                out.push(`${label}: ${requestOverLimitMessage(resource, request, limit)}`);
            }
        }
    });
    const annotations = at(props, "spec", "template", "metadata", "annotations");
    const maxRaw = maxScaleKeys.map((k) => at(annotations, k)).find((v) => v !== undefined);
    const minRaw = minScaleKeys.map((k) => at(annotations, k)).find((v) => v !== undefined);
    const max = scaleNumber(maxRaw);
    if (maxRaw === undefined) {
        out.push(
            'spec.template.metadata.annotations has no "autoscaling.knative.dev/max-scale"; an unbounded service can exhaust the quota',
        );
    } else if (max === undefined || !isBoundedMaxScale(max)) {
        out.push(`max-scale "${String(maxRaw)}" must be a whole number ≥ 1 (0 means unbounded in KNative)`);
    }
    const min = scaleNumber(minRaw);
    if (minRaw !== undefined && min === undefined) out.push(`min-scale "${String(minRaw)}" must be a whole number ≥ 0`);
    if (min !== undefined && max !== undefined && isBoundedMaxScale(max) && !isScaleInOrder(min, max))
        out.push(scaleOrderMessage(min, max));
    return out;
}

function scaleNumber(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : str(value);
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** In `pro`, every container image is pinned to a version tag or digest. */
export function knativeImagePinned(type: string, props: Bag, context: Pick<PolicyContext, "environment">): string[] {
    if (type !== typeTokens.knativeService || context.environment !== "pro") return [];
    return containersOf(props).flatMap((container, i) => {
        const image = str(at(container, "image"));
        if (image === undefined || image === "") return [`${containerLabel(container, i)} has no image`];
        return isPinnedImage(image) ? [] : [`${containerLabel(container, i)} image ${unpinnedImageMessage(image)}`];
    });
}

/** TLS: an explicit `spec.tls.secretName`, or the cluster's `external-domain-tls` mode. */
export function domainMappingTls(type: string, props: Bag, context: Pick<PolicyContext, "tlsMode">): string[] {
    if (type !== typeTokens.domainMapping && type !== typeTokens.domainMappingV1alpha1) return [];
    const mode = context.tlsMode ?? "external-domain-tls";
    const tls = at(props, "spec", "tls");
    const secretName = str(at(tls, "secretName"));
    if (tls !== undefined && (secretName === undefined || secretName === "")) {
        return ["spec.tls is set without a secretName; name the TLS secret or drop spec.tls to use external-domain-tls"];
    }
    if (mode === "secret" && tls === undefined) {
        return ['the stack\'s TLS mode is "secret" but spec.tls.secretName is missing; the domain would be served without TLS'];
    }
    return [];
}
