/** Pod Security checks of KNative Services and tenant namespaces, on the rules of `model/rules.ts`. Pure. */
import { managedByLabel, podSecurityLabelProblems, podSecurityProblemMessage, podSecurityProblems } from "../model/rules";
import { typeTokens } from "../model/typeTokens";
import { at, isBag, type Bag } from "./bag";

/** Every KNative Service's revision template meets Pod Security "restricted" and mounts its root filesystem read-only. */
export function knativePodSecurity(type: string, props: Bag): string[] {
    if (type !== typeTokens.knativeService) return [];
    return podSecurityProblems(at(props, "spec", "template", "spec")).map((p) =>
        podSecurityProblemMessage({ ...p, field: `spec.template.spec.${p.field}` }),
    );
}

/** Every namespace this program manages enforces, audits and warns at Pod Security "restricted", pinned to a version. */
export function namespacePodSecurity(type: string, props: Bag): string[] {
    if (type !== typeTokens.namespace) return [];
    const labels = at(props, "metadata", "labels");
    if (!isBag(labels) || labels[managedByLabel.key] !== managedByLabel.value) return [];
    return podSecurityLabelProblems(labels);
}
