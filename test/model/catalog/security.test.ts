import { strict as assert } from "node:assert";
import { CatalogError, formatProblem, parseCatalog } from "../../../model/catalog";
import { oneApp, platformOf } from "../../support/fixtures";

/** Every problem of one organization file `stacks/pro/acme.yaml`, formatted as the user sees them. */
function problemsOf(appYaml: string): string[] {
    try {
        parseCatalog([{ file: "stacks/pro/acme.yaml", text: oneApp("acme", appYaml) }], platformOf("pro"));
    } catch (error) {
        if (error instanceof CatalogError) return error.problems.map(formatProblem);
        throw error;
    }
    return [];
}

const custom = (extra: string) => `name: web\ntype: custom\nimage: ghcr.io/acme/web:1.0.0\nport: 8080\n${extra}`;

describe("catalog: what a container may ask of Pod Security", () => {
    it("accepts a custom app's uid, gid, writable paths and NET_BIND_SERVICE, and keeps them for the manifest", () => {
        const catalog = parseCatalog(
            [
                {
                    file: "stacks/pro/acme.yaml",
                    text: oneApp(
                        "acme",
                        custom(
                            "securityContext: { runAsUser: 1000, runAsGroup: 1000, capabilities: { add: [NET_BIND_SERVICE] } }\nwritablePaths: [/tmp, /data]",
                        ),
                    ),
                },
            ],
            platformOf("pro"),
        );
        assert.deepEqual(catalog.organizations[0]?.apps[0]?.security, {
            runAsUser: 1000,
            runAsGroup: 1000,
            writablePaths: ["/tmp", "/data"],
            addCapabilities: ["NET_BIND_SERVICE"],
            kubernetesApi: false,
        });
    });

    // Each row: what the catalog asks, and the one line the user reads (file, line, organization, app, field, rule).
    const refused: ReadonlyArray<{ reason: string; extra: string; problem: string }> = [
        {
            reason: "uid 0 is root, which restricted forbids (runAsUser)",
            extra: "securityContext: { runAsUser: 0 }",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "securityContext.runAsUser": pss-run-as-user: container "web" runs as uid 0 (root); Pod Security "restricted" refuses it',
        },
        {
            reason: "runAsNonRoot: false lets an image run as root",
            extra: "securityContext: { runAsNonRoot: false }",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "securityContext.runAsNonRoot": pss-run-as-non-root: container "web" must run with runAsNonRoot: true; Pod Security "restricted" refuses it',
        },
        {
            reason: "a privileged container is the host's root",
            extra: "securityContext: { privileged: true }",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "securityContext.privileged": pss-privileged: container "web" is privileged; Pod Security "restricted" refuses it',
        },
        {
            reason: "privilege escalation (setuid binaries) must stay off",
            extra: "securityContext: { allowPrivilegeEscalation: true }",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "securityContext.allowPrivilegeEscalation": pss-allow-privilege-escalation: container "web" must set allowPrivilegeEscalation: false; Pod Security "restricted" refuses it',
        },
        {
            reason: "only NET_BIND_SERVICE may be added back",
            extra: "securityContext: { capabilities: { add: [NET_ADMIN] } }",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "securityContext.capabilities.add": pss-capabilities: container "web" adds NET_ADMIN; only NET_BIND_SERVICE is allowed; Pod Security "restricted" refuses it',
        },
        {
            reason: "the root filesystem stays read-only; writable directories are declared instead",
            extra: "securityContext: { readOnlyRootFilesystem: false }",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "securityContext.readOnlyRootFilesystem": read-only-root-filesystem: container "web" must set readOnlyRootFilesystem: true; Pod Security "restricted" refuses it',
        },
        {
            reason: "a writable path must be absolute",
            extra: "writablePaths: [data]",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "writablePaths[0]": writable-paths: "data" is not an absolute path',
        },
        {
            reason: "KNative refuses a mount at /",
            extra: "writablePaths: [/]",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "writablePaths[0]": writable-paths: "/" is reserved by KNative and cannot be mounted',
        },
        {
            reason: "a path listed twice would be two volumes on one mount point",
            extra: "writablePaths: [/tmp, /tmp]",
            problem:
                'stacks/pro/acme.yaml:8: organization "acme", app "web", field "writablePaths[1]": writable-paths: "/tmp" is listed twice',
        },
    ];
    for (const row of refused) {
        it(`refuses ${row.extra}: ${row.reason}`, () => {
            assert.deepEqual(problemsOf(custom(row.extra)), [row.problem]);
        });
    }

    it("refuses a hostPath or any other key it does not know, naming the keys securityContext takes", () => {
        const found = problemsOf(custom("securityContext: { hostPath: /var/run }"));
        assert.equal(found.length, 1);
        assert.match(found[0] ?? "", /field "securityContext.hostPath": unknown key "hostPath"; allowed: /);
        assert.match(
            found[0] ?? "",
            /runAsUser, runAsGroup, runAsNonRoot, privileged, allowPrivilegeEscalation, readOnlyRootFilesystem, capabilities/,
        );
    });

    it("refuses a hyperfy2 world whose writable directory would hide the image's code", () => {
        assert.deepEqual(problemsOf("name: build\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2"), [
            'stacks/pro/acme.yaml:4: organization "acme", app "build", field "name": writable-paths: the runtime writes "/app/build", which would hide the image\'s own /app/build; choose another directory',
        ]);
    });
});
