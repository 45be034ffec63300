/**
 * The pack as the Pulumi CLI runs it, up to the CLI boundary: the Node.js policy runner of
 * @pulumi/pulumi starts `policy/` (package.json `main` → dist/policy/index.js) with the pack
 * directory as working directory, the pack prints its gRPC port, and an analyzer client
 * asks it what the CLI asks during a preview.
 */
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzeRequest, AnalyzerResourceOptions, type AnalyzeResponse, type AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import {} from "../../policy/rules";
import { repoRoot } from "../support/harness";
import { typeTokens } from "../../model/typeTokens";

const packDir = path.join(repoRoot, "policy");
const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => call(req, (err, res) => (err ? reject(err) : resolve(res))));
}

describe("the policy pack served by the Pulumi policy runner", function () {
    let child: ChildProcess;
    let client: AnalyzerClient;
    let stderr = "";

    before(async () => {
        // As the nodejs language host does: `run-policy-pack <engine-address> <pack dir>`, cwd = the pack.
        child = spawn(process.execPath, [runner, "127.0.0.1:1", packDir], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            child.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const match = /^(\d+)\s*$/m.exec(out);
                if (match) resolve(match[1] as string);
            });
            child.on("exit", (code) => reject(new Error(`the pack exited with ${String(code)} before serving:\n${stderr}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (child?.pid !== undefined && child.exitCode === null) child.kill();
    });

    it("describes the tenant-apps pack with every policy, mandatory", async () => {
        const info = await unary<Empty, AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        assert.equal(info.getName(), "tenant-apps");
        assert.equal(info.getVersion(), "0.1.0");
        const names = info.getPoliciesList().map((p) => p.getName());
        assert.deepEqual(names, [
            "knative-service-resources",
            "knative-image-pinned-in-pro",
            "irsa-trust-own-service-account",
            "iam-no-wildcards",
            "s3-objects-under-prefix",
            "domain-mapping-tls",
            "secret-recovery-window-in-pro",
            "postgres-never-cascade",
            "data-protected-in-pro",
            "tenant-namespace-guarded",
            "knative-pod-security-restricted",
            "namespace-pod-security-restricted",
        ]);
        // EnforcementLevel.MANDATORY = 1 in the analyzer protocol.
        for (const p of info.getPoliciesList()) assert.equal(p.getEnforcementlevel(), 1, p.getName());
    });

    function analyze(type: string, props: Record<string, unknown>, protect = true): Promise<AnalyzeResponse> {
        const req = new AnalyzeRequest();
        req.setType(type);
        req.setName("test");
        req.setUrn(`urn:pulumi:pro::tenant-apps::${type}::test`);
        req.setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]));
        req.setOptions(new AnalyzerResourceOptions().setProtect(protect));
        return unary<AnalyzeRequest, AnalyzeResponse>(client.analyze.bind(client), req);
    }

    it("reports a force-deleting pro secret as a mandatory violation", async () => {
        const res = await analyze(typeTokens.secret, {
            name: "custom-acme-web-pro",
            recoveryWindowInDays: 0,
            tags: { "tenant-apps/environment": "pro" },
        });
        const diagnostics = res
            .getDiagnosticsList()
            .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
        assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
        assert.equal(diagnostics[0]?.policy, "secret-recovery-window-in-pro");
        assert.equal(diagnostics[0]?.level, 1);
        // The server prefixes the policy's description to the message.
        assert.ok(
            diagnostics[0]?.message.endsWith(
                "recoveryWindowInDays is 0; in pro a secret must keep a recovery window of 7–30 days (0 force-deletes it)",
            ),
        );
    });

    it("reports an unprotected pro schema through the resource options the CLI sends", async () => {
        const res = await analyze(typeTokens.pgSchema, { name: "web_acme_pro", dropCascade: false }, false);
        assert.deepEqual(
            res.getDiagnosticsList().map((d) => d.getPolicyname()),
            ["data-protected-in-pro"],
        );
    });

    it("passes a compliant KNative Service", async () => {
        const res = await analyze(typeTokens.knativeService, {
            metadata: { name: "web-pro", namespace: "acme-pro" },
            spec: {
                template: {
                    metadata: { annotations: { "autoscaling.knative.dev/max-scale": "2" } },
                    spec: {
                        containers: [
                            {
                                name: "app",
                                image: "ghcr.io/acme/web:1.0.0",
                                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "1Gi" } },
                                securityContext: {
                                    runAsNonRoot: true,
                                    allowPrivilegeEscalation: false,
                                    readOnlyRootFilesystem: true,
                                    capabilities: { drop: ["ALL"] },
                                    seccompProfile: { type: "RuntimeDefault" },
                                },
                            },
                        ],
                    },
                },
            },
        });
        assert.deepEqual(
            res.getDiagnosticsList().map((d) => d.getMessage()),
            [],
            stderr,
        );
    });
});
