/** The acme catalog builders shared by the adoption, rename, rotation and cluster tests. */
import { ExternalSecret as ExternalSecretV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import { Service as KnativeService } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";
import { DomainMapping } from "@kubernetes-models/knative/serving.knative.dev/v1beta1/DomainMapping";

/** A catalog of organization `acme` with one app, given as its YAML lines, plus organization-level lines. */
export function acmeCatalog(appLines: readonly string[], orgLines: readonly string[] = []): Record<string, string> {
    const app = appLines.map((line, i) => (i === 0 ? `  - ${line}` : `    ${line}`));
    return { "acme.yaml": ["organization: acme", "domain: acme.example.com", ...orgLines, "apps:", ...app, ""].join("\n") };
}

/** The custom web app `acme/web` (port 8080), with more of its YAML lines added. */
export const webApp = (more: readonly string[] = []): string[] => [
    "name: web",
    "type: custom",
    "image: ghcr.io/acme/web:1.0.0",
    "port: 8080",
    "timeoutSeconds: 300",
    ...more,
];

/** One stateless custom web app of organization `acme`: namespace, identity, secret delivery, service and mapping only. */
export const acmeWeb = (): Record<string, string> => acmeCatalog(webApp());

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
