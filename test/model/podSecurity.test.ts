import { strict as assert } from "node:assert";
import { parseCatalog, type TenantAppSpec } from "../../model/catalog";
import { knativeServiceManifest, type ServiceContext } from "../../model/manifests";
import { isUnder } from "../../model/podSecurity";
import { oneApp, platformOf } from "../support/fixtures";

/** The one app of a one-app catalog, resolved for pro. */
function appOf(appYaml: string): TenantAppSpec {
    const app = parseCatalog([{ file: "stacks/pro/acme.yaml", text: oneApp("acme", appYaml) }], platformOf("pro")).organizations[0]
        ?.apps[0];
    if (app === undefined) throw new Error("no app");
    return app;
}

const context: ServiceContext = {
    assetsBaseUrl: "https://statics.example.com",
    secretDelivery: "external-secrets",
    readyTimeoutSeconds: 600,
};

interface Mount {
    readonly name: string;
    readonly mountPath: string;
    readonly readOnly?: boolean;
}

/** The container and pod of an app's rendered revision template. */
function rendered(app: TenantAppSpec, ctx: ServiceContext = context) {
    const spec = knativeServiceManifest(app, ctx).spec.template.spec as unknown as {
        automountServiceAccountToken?: boolean;
        securityContext?: unknown;
        containers: Array<{ securityContext: unknown; volumeMounts?: Mount[] }>;
        volumes?: Array<{ name: string; emptyDir?: unknown }>;
    };
    const container = spec.containers[0];
    if (container === undefined) throw new Error("no container");
    return { spec, container };
}

/** The writable directories of a rendered container: its mounts backed by an emptyDir and not read-only. */
function writableDirs(app: TenantAppSpec): string[] {
    const { spec, container } = rendered(app);
    const emptyDirs = new Set((spec.volumes ?? []).filter((v) => v.emptyDir !== undefined).map((v) => v.name));
    return (container.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name) && m.readOnly !== true).map((m) => m.mountPath);
}

describe("each runtime can write every path it writes, and nothing else", () => {
    // Each row: an app, and every path its runtime writes, read from its source (cited per path).
    const rows: ReadonlyArray<{ reason: string; app: string; writes: string[]; mounts: string[] }> = [
        {
            reason: "a hyperfy2 world named like the fork's fixed directory: both code lines write /app/world",
            app: "name: world\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2",
            writes: [
                "/app/world", // hyperfy dev src/server/index.js L22, L66 ensureDir(worldDir)
                "/app/world/collections", // hyperfy dev src/server/collections.js L14-18 ensureDir + copy
                "/app/world/storage.json", // hyperfy dev src/server/index.js L81, Storage.js L32 writeJson
                "/app/world/assets", // numinia-hyperfy2 main src/server/index.js L27, L34, L38
                "/app/world/db.sqlite", // hyperfy dev src/server/db.js L32, only without a postgres DB_URI
            ],
            mounts: ["/app/world"],
        },
        {
            reason: "a hyperfy2 world with another name: upstream writes /app/<WORLD>, the fork /app/world",
            app: "name: gallery\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2",
            writes: [
                "/app/gallery", // hyperfy dev src/server/index.js L22 path.join(rootDir, WORLD), WORLD = app name
                "/app/gallery/collections",
                "/app/gallery/storage.json",
                "/app/world", // numinia-hyperfy2 main src/server/index.js L23-26: STORAGE_DIRNAME || 'world'
                "/app/world/assets",
                "/app/world/collections",
            ],
            mounts: ["/app/gallery", "/app/world"],
        },
        {
            reason: "an eliza agent: everything under its working directory's .eliza",
            app: "name: agent\ntype: eliza\nimage: ghcr.io/n/eliza-agent:0.9.3\nagent: { modelProvider: openai }",
            writes: [
                "/app/.eliza", // @elizaos/server 1.7.2 dist/index.js L47430-47435 mkdir of the PGlite dir's parent
                "/app/.eliza/.elizadb", // @elizaos/plugin-sql 1.7.2 L21085, L21151, without POSTGRES_URL
                "/app/.eliza/data/uploads/agents", // @elizaos/core 1.7.2 L46196; server L47699, L26611-26621
                "/app/.eliza/data/uploads/channels", // @elizaos/core 1.7.2 L46204; server L24428-24438
                "/app/.eliza/data/generated", // @elizaos/core 1.7.2 L46188; server L47700
            ],
            mounts: ["/app/.eliza"],
        },
        {
            reason: "an eliza agent whose env moves PGlite out of .eliza gets that directory too",
            app: "name: agent\ntype: eliza\nimage: ghcr.io/n/eliza-agent:0.9.3\nagent: { modelProvider: openai }\nenv: { PGLITE_DATA_DIR: /data/pglite }",
            writes: ["/app/.eliza", "/data/pglite"],
            mounts: ["/app/.eliza", "/data/pglite"],
        },
        {
            reason: "a custom app writes only what its catalog entry declares",
            app: "name: web\ntype: custom\nimage: ghcr.io/acme/web:1.0.0\nport: 8080\nwritablePaths: [/tmp, /var/cache/web]",
            writes: ["/tmp", "/var/cache/web/index"],
            mounts: ["/tmp", "/var/cache/web"],
        },
        {
            reason: "a custom app that declares nothing writes nothing",
            app: "name: web\ntype: custom\nimage: ghcr.io/acme/web:1.0.0\nport: 8080",
            writes: [],
            mounts: [],
        },
    ];
    for (const row of rows) {
        it(`${row.reason}`, () => {
            const app = appOf(row.app);
            const dirs = writableDirs(app);
            assert.deepEqual(dirs, row.mounts);
            for (const write of row.writes)
                assert.ok(
                    dirs.some((d) => isUnder(write, d)),
                    `${write} is not under a writable mount (${dirs.join(", ")})`,
                );
            assert.equal((rendered(app).container.securityContext as { readOnlyRootFilesystem?: boolean }).readOnlyRootFilesystem, true);
        });
    }
});

describe("the container and pod a tenant app gets", () => {
    it("runs Hyperfy2 as the image's uid 1001, read-only, unprivileged, no capabilities, RuntimeDefault seccomp, no API token", () => {
        const { spec, container } = rendered(appOf("name: world\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2"));
        assert.deepEqual(container.securityContext, {
            runAsNonRoot: true,
            runAsUser: 1001,
            runAsGroup: 1001,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.equal(spec.automountServiceAccountToken, false);
        assert.equal(spec.securityContext, undefined, "no pod-level securityContext while KNative's flag is disabled");
        assert.deepEqual(spec.volumes, [{ name: "writable-1", emptyDir: {} }]);
    });

    it("runs ElizaOS as the node user 1000:1000", () => {
        const { container } = rendered(
            appOf("name: agent\ntype: eliza\nimage: ghcr.io/n/eliza-agent:0.9.3\nagent: { modelProvider: openai }"),
        );
        const sc = container.securityContext as { runAsUser?: number; runAsGroup?: number };
        assert.deepEqual([sc.runAsUser, sc.runAsGroup], [1000, 1000]);
    });

    it("leaves a custom app's uid to its image's USER unless the catalog gives one, and keeps the token when it calls the API", () => {
        const plain = rendered(appOf("name: web\ntype: custom\nimage: ghcr.io/acme/web:1.0.0\nport: 8080"));
        assert.equal((plain.container.securityContext as { runAsUser?: number }).runAsUser, undefined);
        const api = rendered(appOf("name: web\ntype: custom\nimage: ghcr.io/acme/web:1.0.0\nport: 8080\nkubernetesApi: true"));
        assert.equal(api.spec.automountServiceAccountToken, undefined);
    });

    it("sets the pod-level securityContext (with fsGroup) only when the stack says KNative admits it", () => {
        const app = appOf("name: world\ntype: hyperfy2\nimage: ghcr.io/n/hyperfy2:1.4.2");
        const { spec } = rendered(app, { ...context, podSecurity: { version: "v1.35", knativePodSpecSecurityContext: "enabled" } });
        assert.deepEqual(spec.securityContext, {
            runAsNonRoot: true,
            runAsUser: 1001,
            runAsGroup: 1001,
            fsGroup: 1001,
            seccompProfile: { type: "RuntimeDefault" },
        });
    });
});
