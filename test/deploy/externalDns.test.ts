/**
 * deploy/external-dns/: the ExternalDNS instances that write the stacks' DNSEndpoints to GoDaddy,
 * held against what the program renders (owner id, label, domains) and against the upstream schemas.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import { parse, parseAllDocuments } from "yaml";
import { parseCatalog, readCatalogDir } from "../../model/catalog";
import { resolveDns } from "../../model/dnsConfig";
import { crdErrorsOf, crdValidator } from "../support/crds";
import { evaluate, repoRoot } from "../support/harness";
import { envs, liveConfig, type Env } from "./support";
import { platformConfigOf, rawPlatformConfigOf } from "../../model/config";

const dir = path.join(repoRoot, "deploy", "external-dns");
type Json = Record<string, unknown>;
const objectsIn = (file: string): Json[] => parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8")).map((d) => d.toJS() as Json);
interface Container {
    name: string;
    image: string;
    args: string[];
    envFrom?: { secretRef: { name: string } }[];
    env?: unknown[];
}
const containerOf = (env: Env): Container => {
    const deployment = objectsIn(`deployment-${env}.yaml`)[0] as { spec: { template: { spec: { containers: Container[] } } } };
    const container = deployment.spec.template.spec.containers[0];
    assert.ok(container);
    return container;
};

/** Every domain the live catalog's organizations of `env` own. */
function ownedDomains(env: Env): string[] {
    const config = liveConfig(env).config;
    const platform = platformConfigOf(
        env,
        rawPlatformConfigOf((k) => config[k], Object.keys(config)),
    );
    const catalog = parseCatalog(readCatalogDir(path.join(repoRoot, "stacks", env), repoRoot), platform);
    return [...new Set(catalog.organizations.flatMap((o) => o.ownedDomains))].sort();
}

describe("deploy/external-dns: one ExternalDNS per stack, writing only its own records", () => {
    it("lists every file of the folder in its kustomization, after ExternalDNS's own CRD at the controller's version", () => {
        const kustomization = parse(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] };
        const files = fs
            .readdirSync(dir)
            .filter((f) => f !== "kustomization.yaml")
            .sort();
        assert.deepEqual(kustomization.resources.slice(1).sort(), files);
        assert.equal(
            kustomization.resources[0],
            "https://raw.githubusercontent.com/kubernetes-sigs/external-dns/v0.22.0/config/crd/standard/dnsendpoints.externaldns.k8s.io.yaml",
        );
        for (const env of envs) assert.equal(containerOf(env).image, "registry.k8s.io/external-dns/external-dns:v0.22.0");
    });

    for (const env of envs) {
        it(`${env}: reads only DNSEndpoints labelled with its owner id, writes CNAMEs to GoDaddy under the TXT registry with that id, only in the catalog's domains`, () => {
            const owner = resolveDns(undefined, env).ownerId;
            assert.equal(owner, `tenant-apps-${env}`);
            assert.deepEqual(ownedDomains(env), ["activeinference.institute", "numinia.xyz", "r3s3t.xyz"]);
            assert.deepEqual(containerOf(env).args, [
                "--source=crd",
                "--crd-source-apiversion=externaldns.k8s.io/v1alpha1",
                "--crd-source-kind=DNSEndpoint",
                `--label-filter=tenant-apps/dns-owner=${owner}`,
                "--provider=godaddy",
                "--registry=txt",
                `--txt-owner-id=${owner}`,
                "--policy=sync",
                "--managed-record-types=CNAME",
                ...ownedDomains(env).map((d) => `--domain-filter=${d}`),
            ]);
        });
    }

    it("gets the GoDaddy key only as environment from the ExternalSecret's Secret, never in its arguments", () => {
        const [secret] = objectsIn("credentials.yaml");
        new ExternalSecret(secret as never).validate();
        const spec = (secret as { spec: { target: { name: string }; data: { secretKey: string }[] } }).spec;
        assert.deepEqual(
            spec.data.map((d) => d.secretKey),
            ["EXTERNAL_DNS_GODADDY_API_KEY", "EXTERNAL_DNS_GODADDY_API_SECRET"],
        );
        for (const env of envs) {
            const container = containerOf(env);
            assert.deepEqual(container.envFrom, [{ secretRef: { name: spec.target.name } }]);
            assert.equal(container.env, undefined);
            assert.deepEqual(
                container.args.filter((a) => /godaddy-api-(key|secret)/.test(a)),
                [],
            );
        }
    });

    it("may read DNSEndpoints and write their status, nothing else", () => {
        const role = objectsIn("rbac.yaml").find((o) => o.kind === "ClusterRole") as { rules: unknown[] };
        assert.deepEqual(role.rules, [
            { apiGroups: ["externaldns.k8s.io"], resources: ["dnsendpoints"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["externaldns.k8s.io"], resources: ["dnsendpoints/status"], verbs: ["update"] },
        ]);
    });

    it("every DNSEndpoint the program renders is valid against the upstream CRD and labelled for its stack's instance", async () => {
        const validate = crdValidator("externaldns.k8s.io_dnsendpoints.yaml", "v1alpha1");
        const target = "k8s-kouriers-kourier-0a1b2c3d4e-0123456789abcdef.elb.eu-west-1.amazonaws.com";
        for (const env of envs) {
            const ev = await evaluate(env, { config: { "tenant-apps:dns": { provider: "externaldns", target } } });
            const endpoints = ev.resources.filter((r) => r.type === "kubernetes:externaldns.k8s.io/v1alpha1:DNSEndpoint");
            assert.equal(endpoints.length, { pre: 7, pro: 6 }[env]);
            const filter = containerOf(env)
                .args.find((a) => a.startsWith("--label-filter="))
                ?.slice("--label-filter=".length);
            for (const endpoint of endpoints) {
                assert.deepEqual(crdErrorsOf(validate, endpoint.inputs), [], endpoint.name);
                const labels = (endpoint.inputs.metadata as { labels: Record<string, string> }).labels;
                assert.equal(`tenant-apps/dns-owner=${labels["tenant-apps/dns-owner"]}`, filter);
            }
        }
    });
});
