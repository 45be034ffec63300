/** Shared bits of the day-two tests (issue 12). */
import { ExternalSecret as ExternalSecretV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import { Service as KnativeService } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";
import { DomainMapping } from "@kubernetes-models/knative/serving.knative.dev/v1beta1/DomainMapping";

/** One pinned hyperfy2 world of organization `acme`, valid on old and new rules alike. */
export const acmeWorld = (extra = ""): Record<string, string> => ({
    "acme.yaml": [
        "organization: acme",
        "domain: acme.example.com",
        "apps:",
        "  - name: world",
        "    type: hyperfy2",
        "    image: ghcr.io/numengames/numinia-hyperfy2:1.4.2",
        "    timeoutSeconds: 600",
        extra,
        "",
    ].join("\n"),
});

/** One stateless custom web app of organization `acme`: namespace, identity, secret delivery, service and mapping only. */
export const acmeWeb = (): Record<string, string> => ({
    "acme.yaml": [
        "organization: acme",
        "domain: acme.example.com",
        "apps:",
        "  - name: web",
        "    type: custom",
        "    image: ghcr.io/acme/web:1.0.0",
        "    port: 8080",
        "    timeoutSeconds: 300",
        "",
    ].join("\n"),
});

interface Validatable {
    validate(): void;
}

/** Validates a KNative Service, DomainMapping or ExternalSecret against its upstream schema (v1 ExternalSecret as v1beta1). */
export function validateAwaited(object: Record<string, unknown>): void {
    const key = `${String(object.apiVersion)}/${String(object.kind)}`;
    const build: Record<string, (data: never) => Validatable> = {
        "serving.knative.dev/v1/Service": (d) => new KnativeService(d),
        "serving.knative.dev/v1beta1/DomainMapping": (d) => new DomainMapping(d),
        "external-secrets.io/v1/ExternalSecret": (d) => new ExternalSecretV1beta1(d),
        "external-secrets.io/v1beta1/ExternalSecret": (d) => new ExternalSecretV1beta1(d),
    };
    const make = build[key];
    if (!make) throw new Error(`no upstream schema for ${key}`);
    const data = key.startsWith("external-secrets.io/v1/") ? { ...object, apiVersion: "external-secrets.io/v1beta1" } : object;
    make(data as never).validate();
}
