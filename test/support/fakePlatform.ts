/**
 * A local stand-in for the platform's APIs on 127.0.0.1, replaying the responses of a fixture
 * (test/fixtures/platform/<scenario>.json, shaped as the EKS REST-JSON, EC2 query/XML and
 * Kubernetes APIs answer): the preflight's real SDK clients and Kubernetes client reach it
 * through `AWS_ENDPOINT_URL_EKS`/`_EC2` and a kubeconfig naming it. Unknown requests get 404,
 * and every request is recorded.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const platformFixtures = path.resolve(__dirname, "..", "..", "..", "test", "fixtures", "platform");

type Reply = { readonly json?: unknown; readonly xml?: string; readonly status?: number };

export interface FakePlatform {
    readonly url: string;
    /** `METHOD path` of every request, EC2's as `POST <Action> <LaunchTemplateId>`. */
    readonly requests: string[];
    /** Environment that points the preflight at this server: AWS endpoints, dummy keys, a kubeconfig. */
    readonly env: Record<string, string>;
    close(): Promise<void>;
}

/** The context the fixture stacks name (Pulumi.pro.yaml tenant-apps:kubernetes.context). */
export const proContext = "arn:aws:eks:eu-west-1:482103417651:cluster/production-numinia";

export async function startFakePlatform(
    scenario: string,
    overrides: Readonly<Record<string, Reply>> = {},
    context = proContext,
): Promise<FakePlatform> {
    const routes: Record<string, Reply> = {
        ...(JSON.parse(fs.readFileSync(path.join(platformFixtures, `${scenario}.json`), "utf8")) as Record<string, Reply>),
        ...overrides,
    };
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString()));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://127.0.0.1");
            const form = new URLSearchParams(body);
            const key =
                req.method === "POST" && form.get("Action") !== null
                    ? `POST ${form.get("Action") ?? ""} ${form.get("LaunchTemplateId") ?? ""}`
                    : `${req.method ?? "GET"} ${url.pathname}`;
            requests.push(key);
            const reply = routes[key];
            if (reply === undefined) {
                res.writeHead(404, { "content-type": "application/json" });
                res.end(JSON.stringify({ message: `no recorded response for ${key}` }));
                return;
            }
            res.writeHead(reply.status ?? 200, { "content-type": reply.xml !== undefined ? "text/xml" : "application/json" });
            res.end(reply.xml ?? JSON.stringify(reply.json));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-platform-"));
    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(
        kubeconfig,
        JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "fake", cluster: { server: url } }],
            users: [{ name: "fake", user: { token: "fake-token" } }],
            contexts: [{ name: context, context: { cluster: "fake", user: "fake" } }],
            "current-context": context,
        }),
    );
    return {
        url,
        requests,
        env: {
            AWS_ENDPOINT_URL_EKS: url,
            AWS_ENDPOINT_URL_EC2: url,
            AWS_ENDPOINT_URL_S3: url,
            AWS_ACCESS_KEY_ID: "AKIAFAKEPLATFORM0000",
            AWS_SECRET_ACCESS_KEY: "fake-platform-secret",
            AWS_EC2_METADATA_DISABLED: "true",
            KUBECONFIG: kubeconfig,
        },
        close: async () => {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
