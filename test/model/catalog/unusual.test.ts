import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { renderStack } from "../../../render/render";
import { stackConfig, writeCatalog } from "../../support/harness";

const app = (name: string, extra = "") =>
    `  - name: ${name}\n    type: custom\n    image: ghcr.io/acme/${name}:1.0.0\n    port: 8080\n${extra}`;

/** Renders the pro stack over `files` and returns the rendered apps as `org/app`. */
async function renderedApps(files: Record<string, string>): Promise<string[]> {
    const catalogDir = writeCatalog(files);
    try {
        const render = await renderStack({ stack: "pro", config: stackConfig("pro"), catalogDir });
        return render.plan.apps.map((a) => `${a.organization}/${a.app}`);
    } finally {
        fs.rmSync(catalogDir, { recursive: true, force: true });
    }
}

describe("valid but unusual catalogs still render", () => {
    it("a byte order mark, CRLF line endings, a .yml file, a README.md, an organization with apps: [] and punycode hostnames", async () => {
        const apps = await renderedApps({
            "acme.yaml": `\ufefforganization: acme\r\ndomain: acme.io\r\napps:\r\n${app("web").replace(/\n/g, "\r\n")}`,
            "buecher.yml": `organization: buecher\ndomain: xn--bcher-kva.example\ndomains: [xn--caf-dma.example]\napps:\n${app("shop", "    hostname: xn--caf-dma.example\n")}${app("blog")}`,
            "empty.yaml": "organization: empty\ndomain: empty.io\napps: []\n",
            "README.md": "# the pro catalog\n",
        }).catch((error: unknown) => [String(error)]);
        assert.deepEqual(apps, ["acme/web", "buecher/blog", "buecher/shop"]);
    });

    it("env keys named constructor and prototype are kept, not dropped", async () => {
        const catalogDir = writeCatalog({
            "acme.yaml": `organization: acme\ndomain: acme.io\napps:\n${app("web", '    env: { constructor: "1", prototype: "2", toString: "3" }\n')}`,
        });
        try {
            const render = await renderStack({ stack: "pro", config: stackConfig("pro"), catalogDir });
            const service = render.plan.resources.find((r) => r.type === "kubernetes:serving.knative.dev/v1:Service");
            const env = JSON.stringify(service?.inputs);
            for (const name of ["constructor", "prototype", "toString"])
                assert.ok(env.includes(`"name":"${name}"`), `${name} missing in ${env}`);
        } finally {
            fs.rmSync(catalogDir, { recursive: true, force: true });
        }
    });

    it("600 apps in one organization file", async function () {
        this.timeout(180_000);
        const names = Array.from({ length: 600 }, (_, i) => `app-${String(i).padStart(3, "0")}`);
        const apps = await renderedApps({
            "big.yaml": `organization: big\ndomain: big.io\nquota: { cpu: "800", memory: 1600Gi, pods: 4000 }\napps:\n${names.map((n) => app(n)).join("")}`,
        });
        assert.equal(apps.length, 600);
        assert.equal(apps[0], "big/app-000");
        assert.equal(apps[599], "big/app-599");
    });
});
