/**
 * Held against the standard itself: every pod the renders would run is evaluated by the
 * upstream Pod Security Admission checks (k8s.io/pod-security-admission v0.35.6, the code the
 * API server runs), at the level and version its namespace's labels select; and one broken
 * pod per rule is refused by upstream and by the rulebook alike.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { podSecurityProblems, type PodSecurityRule } from "../../model/rules";
import { readStackConfig } from "../../model/stackConfig";
import { renderStack, type RenderOptions } from "../../render/render";
import { repoRoot, stackConfig, writeCatalog } from "../support/harness";
import { evaluateUpstream, podsOfRender, psaMissingReason, type PodUnderTest } from "./podSecuritySupport";

/** A custom app that declares its uid, writable paths, NET_BIND_SERVICE and Kubernetes API use. */
const customFixture = `organization: acme
domain: acme.example.com
apps:
  - name: web
    type: custom
    image: ghcr.io/acme/web:1.0.0
    port: 8080
    securityContext: { runAsUser: 10001, runAsGroup: 10001, capabilities: { add: [NET_BIND_SERVICE] } }
    writablePaths: [/tmp, /var/cache/web]
    kubernetesApi: true
  - name: api
    type: custom
    image: ghcr.io/acme/api:2.0.0
    port: 8080
    database: true
`;

describe("rendered pods against the upstream Pod Security Admission checks", function () {
    const missing = psaMissingReason();
    const pods: PodUnderTest[] = [];

    before(async function () {
        if (missing !== undefined) {
            console.log(`    skipped: ${missing}`);
            this.skip();
        }
        // One after the other: the SDK's mock runtime is one per process.
        const renders: Array<{ label: string; options: RenderOptions }> = [
            { label: "fixture pre", options: { stack: "pre", config: stackConfig("pre") } },
            { label: "fixture pro", options: { stack: "pro", config: stackConfig("pro") } },
            {
                label: "stacks/pro",
                options: {
                    stack: "pro",
                    config: readStackConfig(path.join(repoRoot, "Pulumi.pro.yaml")),
                    catalogDir: path.join(repoRoot, "stacks", "pro"),
                },
            },
            {
                label: "stacks/pre",
                options: {
                    stack: "pre",
                    config: readStackConfig(path.join(repoRoot, "Pulumi.pre.yaml")),
                    catalogDir: path.join(repoRoot, "stacks", "pre"),
                },
            },
            {
                label: "custom",
                options: { stack: "pro", config: stackConfig("pro"), catalogDir: writeCatalog({ "acme.yaml": customFixture }) },
            },
            {
                label: "custom, pod-level fields",
                options: {
                    stack: "pro",
                    config: stackConfig("pro", { config: { "tenant-apps:podSecurity": { knativePodSpecSecurityContext: "enabled" } } }),
                    catalogDir: writeCatalog({ "acme.yaml": customFixture }),
                },
            },
        ];
        for (const { label, options } of renders) {
            const render = await renderStack(options);
            for (const pod of podsOfRender(render.evaluation.resources)) pods.push({ ...pod, name: `${label}: ${pod.name}` });
        }
    });

    it("evaluates every KNative Service of the sample stacks pre and pro, the repository's stacks and the custom fixture", () => {
        // fixture pre 7 + fixture pro 6 + stacks/pre 7 + stacks/pro 6 + custom 2 + custom with pod-level fields 2.
        assert.equal(pods.length, 30);
    });

    it("finds every one allowed by restricted at v1.35, the version its namespace's labels pin", () => {
        const verdicts = evaluateUpstream(pods);
        assert.deepEqual(
            verdicts.filter((v) => !v.allowed || v.enforce !== "restricted:v1.35").map((v) => `${v.name}: ${v.enforce} ${v.detail}`),
            [],
        );
        assert.equal(verdicts.length, pods.length);
    });

    it("finds the same pods refused when their namespace carries no labels (privileged is the API server's default)", () => {
        const unlabelled = pods.slice(0, 1).map((p) => ({ ...p, namespaceLabels: {} }));
        assert.deepEqual(
            evaluateUpstream(unlabelled).map((v) => v.enforce),
            ["privileged:latest"],
        );
    });

    describe("one broken pod per rule", () => {
        type Mutation = (spec: Record<string, unknown>, app: Record<string, unknown>, sc: Record<string, unknown>) => void;
        // Each row: the rule broken, how, upstream's forbidden reasons (policy/check_*.go), the rulebook's rules.
        const rows: ReadonlyArray<{ reason: string; mutate: Mutation; upstream: string[]; rulebook: PodSecurityRule[] }> = [
            {
                reason: "a privileged container (check_privileged.go)",
                mutate: (_s, _a, sc) => (sc.privileged = true),
                upstream: ["privileged"],
                rulebook: ["pss-privileged"],
            },
            {
                reason: "the host's network namespace (check_hostNamespaces.go)",
                mutate: (s) => (s.hostNetwork = true),
                upstream: ["host namespaces"],
                rulebook: ["pss-host-namespaces"],
            },
            {
                reason: "a hostPath volume (check_hostPathVolumes.go; at restricted check_restrictedVolumes.go overrides it)",
                mutate: (s) => (s.volumes = [...(s.volumes as unknown[]), { name: "host", hostPath: { path: "/var/run" } }]),
                upstream: ["restricted volume types"],
                rulebook: ["pss-host-path-volumes"],
            },
            {
                reason: "an nfs volume (check_restrictedVolumes.go)",
                mutate: (s) => (s.volumes = [...(s.volumes as unknown[]), { name: "nfs", nfs: { server: "10.0.0.1", path: "/" } }]),
                upstream: ["restricted volume types"],
                rulebook: ["pss-volume-types"],
            },
            {
                reason: "a host port (check_hostPorts.go)",
                mutate: (_s, a) => (a.ports = [{ name: "http1", containerPort: 3000, hostPort: 3000 }]),
                upstream: ["hostPort"],
                rulebook: ["pss-host-ports"],
            },
            {
                reason: "privilege escalation allowed (check_allowPrivilegeEscalation.go)",
                mutate: (_s, _a, sc) => (sc.allowPrivilegeEscalation = true),
                upstream: ["allowPrivilegeEscalation != false"],
                rulebook: ["pss-allow-privilege-escalation"],
            },
            {
                reason: "privilege escalation left unset, which means allowed",
                mutate: (_s, _a, sc) => delete sc.allowPrivilegeEscalation,
                upstream: ["allowPrivilegeEscalation != false"],
                rulebook: ["pss-allow-privilege-escalation"],
            },
            {
                reason: "runAsNonRoot: false (check_runAsNonRoot.go)",
                mutate: (_s, _a, sc) => (sc.runAsNonRoot = false),
                upstream: ["runAsNonRoot != true"],
                rulebook: ["pss-run-as-non-root"],
            },
            {
                reason: "runAsNonRoot left unset on a container and the pod",
                mutate: (_s, _a, sc) => delete sc.runAsNonRoot,
                upstream: ["runAsNonRoot != true"],
                rulebook: ["pss-run-as-non-root"],
            },
            {
                reason: "uid 0 on the container (check_runAsUser.go)",
                mutate: (_s, _a, sc) => (sc.runAsUser = 0),
                upstream: ["runAsUser=0"],
                rulebook: ["pss-run-as-user"],
            },
            {
                reason: "uid 0 on the pod",
                mutate: (s) => (s.securityContext = { runAsUser: 0 }),
                upstream: ["runAsUser=0"],
                rulebook: ["pss-run-as-user"],
            },
            {
                reason: "seccomp Unconfined (check_seccompProfile_restricted.go)",
                mutate: (_s, _a, sc) => (sc.seccompProfile = { type: "Unconfined" }),
                upstream: ["seccompProfile"],
                rulebook: ["pss-seccomp-profile"],
            },
            {
                reason: "no seccomp profile on the container or the pod",
                mutate: (_s, _a, sc) => delete sc.seccompProfile,
                upstream: ["seccompProfile"],
                rulebook: ["pss-seccomp-profile"],
            },
            {
                reason: "capabilities not dropped (check_capabilities_restricted.go)",
                mutate: (_s, _a, sc) => (sc.capabilities = {}),
                upstream: ["unrestricted capabilities"],
                rulebook: ["pss-capabilities"],
            },
            {
                reason: "SYS_ADMIN added (the restricted capabilities check overrides the baseline one)",
                mutate: (_s, _a, sc) => (sc.capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }),
                upstream: ["unrestricted capabilities"],
                rulebook: ["pss-capabilities"],
            },
            {
                reason: "an init container that sets nothing (checked like the app container)",
                mutate: (s) => (s.initContainers = [{ name: "init", image: "busybox:1.36" }]),
                upstream: ["allowPrivilegeEscalation != false", "unrestricted capabilities", "runAsNonRoot != true", "seccompProfile"],
                rulebook: [
                    "pss-allow-privilege-escalation",
                    "pss-run-as-non-root",
                    "pss-seccomp-profile",
                    "pss-capabilities",
                    "read-only-root-filesystem",
                ],
            },
            {
                reason: "a writable root filesystem: allowed by the standard, refused by tenant-apps' own rule",
                mutate: (_s, _a, sc) => (sc.readOnlyRootFilesystem = false),
                upstream: [],
                rulebook: ["read-only-root-filesystem"],
            },
            {
                reason: "NET_BIND_SERVICE added back: allowed by both, so the rulebook refuses no more than upstream",
                mutate: (_s, _a, sc) => (sc.capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] }),
                upstream: [],
                rulebook: [],
            },
        ];

        /** A deep copy of the first rendered pod (a hyperfy2 world) with one mutation applied to its app container. */
        function broken(mutate: Mutation): PodUnderTest {
            const pod = JSON.parse(JSON.stringify(pods[0])) as PodUnderTest;
            const containers = pod.spec.containers as Array<Record<string, unknown>>;
            const app = containers[0] as Record<string, unknown>;
            mutate(pod.spec, app, app.securityContext as Record<string, unknown>);
            return pod;
        }

        it("starts from a pod both accept", () => {
            const pod = broken(() => undefined);
            assert.deepEqual(
                evaluateUpstream([pod]).map((v) => v.reasons),
                [[]],
            );
            assert.deepEqual(podSecurityProblems(pod.spec), []);
        });

        for (const row of rows) {
            it(`${row.upstream.length > 0 ? "refuses" : "admits"} ${row.reason}`, () => {
                const pod = broken(row.mutate);
                const [verdict] = evaluateUpstream([pod]);
                assert.deepEqual(verdict?.reasons, row.upstream, verdict?.detail);
                assert.equal(verdict?.allowed, row.upstream.length === 0);
                assert.deepEqual([...new Set(podSecurityProblems(pod.spec).map((p) => p.rule))], row.rulebook);
            });
        }
    });
});
