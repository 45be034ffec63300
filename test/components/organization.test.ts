import { strict as assert } from "node:assert";
import { TenantOrganization } from "../../components/organization";
import type { Evaluation } from "../../render/evaluate";
import { platformOf } from "../support/fixtures";
import { construct, optionsOf, organizationOf } from "./support";

describe("TenantOrganization alone", () => {
    let ev: Evaluation;
    /** What the program holds in its stack outputs, as the program holds it: `typeof` of each app's values. */
    let heldKinds: string[] = [];
    before(async () => {
        const organization = organizationOf(
            [
                "organization: acme",
                "domain: acme.example.com",
                "apps:",
                "  - { name: agent, type: eliza, image: ghcr.io/a/agent:1.0.0 }",
                "  - { name: site, type: custom, image: ghcr.io/a/site:1.0.0, port: 8080 }",
                "",
            ].join("\n"),
        );
        ev = await construct(() => {
            const org = new TenantOrganization("acme", { organization, platform: platformOf("pro"), sharedSecrets: {} });
            heldKinds = Object.values(org.apps).flatMap((outputs) => Object.values(outputs).map((value) => typeof value));
            return { apps: org.apps };
        });
    });

    it("holds the organization's namespace and one TenantApp per app", () => {
        const org = ev.resources.find((r) => r.type === "tenant-apps:index:TenantOrganization");
        assert.ok(org);
        const children = ev.resources.filter((r) => r.parent === org.urn).map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(children.sort(), [
            "tenant-apps:chain:TenantNamespace acme",
            "tenant-apps:index:TenantApp acme/agent",
            "tenant-apps:index:TenantApp acme/site",
        ]);
        assert.deepEqual(org.inputs, { organization: "acme", namespace: "acme-pro" });
        assert.equal(ev.resources.filter((r) => r.type === "pulumi:providers:postgresql").length, 0);
    });

    it("registers every app after the namespace and its guards", () => {
        const namespaceObjects = ["acme/egress", "acme/ingress", "acme/limits", "acme/namespace", "acme/quota"];
        for (const app of ["acme/agent", "acme/site"]) {
            assert.deepEqual(optionsOf(ev, app), { parent: "acme", dependsOn: namespaceObjects, protect: false, retainOnDelete: false });
        }
        assert.deepEqual(optionsOf(ev, "acme/agent/identity/service-account").dependsOn, [
            "acme/agent/identity/role",
            "acme/egress",
            "acme/ingress",
            "acme/limits",
            "acme/namespace",
            "acme/quota",
        ]);
        assert.deepEqual(optionsOf(ev, "acme/site/identity/service-account").dependsOn, [
            "acme/egress",
            "acme/ingress",
            "acme/limits",
            "acme/namespace",
            "acme/quota",
            "acme/site/identity/role",
        ]);
    });

    it("outputs each app's outputs by app name", () => {
        assert.deepEqual(ev.outputs, {
            apps: {
                agent: {
                    type: "eliza",
                    url: "https://agent.acme.example.com",
                    namespace: "acme-pro",
                    service: "agent-pro",
                    roleArn: "arn:aws:iam::482103417651:role/tenant-apps/pro/acme-agent-pro",
                    secretName: "eliza-acme-agent-pro",
                },
                site: {
                    type: "custom",
                    url: "https://site.acme.example.com",
                    namespace: "acme-pro",
                    service: "site-pro",
                    roleArn: "arn:aws:iam::482103417651:role/tenant-apps/pro/acme-site-pro",
                    secretName: "custom-acme-site-pro",
                },
            },
        });
    });

    it("holds plain strings only, so the outputs keep no resource alive; each role ARN is the one its service account names", () => {
        assert.deepEqual(heldKinds, Array<string>(12).fill("string"));
        for (const app of ["agent", "site"]) {
            const account = ev.resources.find((r) => r.name === `acme/${app}/identity/service-account`);
            const annotations = (account?.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
            assert.equal(annotations?.["eks.amazonaws.com/role-arn"], `arn:aws:iam::482103417651:role/tenant-apps/pro/acme-${app}-pro`);
        }
    });
});
