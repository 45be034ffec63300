/**
 * The Kubernetes provider's kubeconfig from `kubeconfigEnv`: always a Pulumi secret, never read
 * by the render (which needs no cluster), and a clear one-line error at deploy time when unset.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "../../components/providers";
import { buildPlan } from "../../render/plan";
import { renderFiles } from "../../render/write";
import { evaluate } from "../support/harness";
import { acmeWeb } from "../support/acme";

const variable = "KUBECONFIG_PROVIDER_TEST";
const token = "eyJhbGciOiJSUzI1NiJ9.providerTestToken.signature0123";
const binding = { "tenant-apps:kubernetes": { kubeconfigEnv: variable, clusterIdentifier: "production-numinia" } };

describe("the Kubernetes provider's kubeconfig from an environment variable", () => {
    afterEach(() => {
        delete process.env[variable];
    });

    it("renders with the variable unset: the provider gets a masked stand-in, nothing fails", async () => {
        const ev = await evaluate("pro", { catalog: acmeWeb(), config: binding });
        const provider = ev.resources.find((r) => r.type === "pulumi:providers:kubernetes");
        assert.deepEqual(provider?.maskedInputs, { kubeconfig: "[secret]", clusterIdentifier: "production-numinia" });
        assert.deepEqual(provider?.secretInputs, ["kubeconfig"]);
        assert.equal(process.env[variable], undefined, "the render restores the environment");
    });

    it("never reads the variable during a render, so a kubeconfig with a token reaches no input and no file", async () => {
        process.env[variable] = `apiVersion: v1\nusers:\n- user: {token: ${token}}\n`;
        const ev = await evaluate("pro", { catalog: acmeWeb(), config: binding });
        const provider = ev.resources.find((r) => r.type === "pulumi:providers:kubernetes");
        assert.equal(provider?.inputs.kubeconfig, `[kubeconfig from $${variable} at deploy time]`);
        const files = renderFiles(buildPlan(ev));
        for (const [file, text] of files) assert.ok(!text.includes("providerTestToken"), `${file} holds the token`);
        assert.match(files.get("summary.md") ?? "", /^Kubernetes cluster: kubeconfig `\[secret\]`$/m);
        assert.equal(process.env[variable], `apiVersion: v1\nusers:\n- user: {token: ${token}}\n`, "the variable is restored");
    });

    it("fails a deployment whose variable is unset with one line naming the key and the variable, not a stack trace", () => {
        assert.throws(
            () =>
                kubernetesProvider(
                    { kubeconfigEnv: variable, clusterIdentifier: "x", readiness: { service: 60, domainMapping: 60, externalSecret: 60 } },
                    {},
                ),
            (error: unknown) =>
                error instanceof pulumi.RunError &&
                error.message ===
                    `tenant-apps:kubernetes.kubeconfigEnv: environment variable ${variable} is not set; export it with the kubeconfig's path or contents before pulumi up (npm run render needs no cluster and does not read it)`,
        );
    });
});
