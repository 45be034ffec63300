/**
 * What Pod Security "restricted" means for one tenant container: the uid/gid each runtime
 * runs as, the directories it writes (each an emptyDir, everything else read-only), the
 * container-level securityContext, the pod-level one when KNative admits it, and the
 * namespace labels that make the API server enforce it. Every path is cited from the
 * runtime's own source. Pure.
 */
import * as posix from "node:path/posix";
import type { AppType } from "./appTypes";
import type { PodSecurityConfig } from "./podSecurityConfig";
import { addableCapability } from "./podSecurityRules";

/** What the catalog (or the app type) says about how an app's container runs. */
export interface AppSecurity {
    /** uid the container runs as; undefined: the image's own numeric, non-root USER. */
    readonly runAsUser?: number;
    readonly runAsGroup?: number;
    /** Directories the catalog declares writable, beside the runtime's own. */
    readonly writablePaths: readonly string[];
    /** Capabilities added back after dropping ALL: at most NET_BIND_SERVICE. */
    readonly addCapabilities: readonly string[];
    /** Whether the app calls the Kubernetes API with its service account token. */
    readonly kubernetesApi: boolean;
}

/** The uid/gid each runtime's image is made for. */
export const runtimeUsers: Readonly<Partial<Record<AppType, { readonly runAsUser: number; readonly runAsGroup: number }>>> = {
    // hyperfy Dockerfile (dev, and numinia-hyperfy2 main) L19 `adduser -S nodeuser -u 1001`, but no USER line:
    // the image would run as root. Its files are COPY'd root-owned and world-readable (L22-26), so uid 1001
    // reads them; gid 1001 keeps the process out of the root group.
    hyperfy2: { runAsUser: 1001, runAsGroup: 1001 },
    // The node base image's `node` user (1000:1000), which @elizaos/cli 1.7.2's project Dockerfile
    // (templates/project-starter/Dockerfile L45-51) chowns /app to and switches to; the elizaOS/eliza
    // monorepo Dockerfile sets no USER, and its root-owned files are world-readable.
    eliza: { runAsUser: 1000, runAsGroup: 1000 },
};

/** Where the image keeps its own files; a writable mount there would hide them. */
export const imageFilePaths: Readonly<Partial<Record<AppType, readonly string[]>>> = {
    // hyperfy Dockerfile L22-26: COPY node_modules, build, src, package*.json, scripts into /app.
    hyperfy2: ["/app/node_modules", "/app/build", "/app/src", "/app/scripts", "/app/package.json", "/app/package-lock.json"],
    // eliza Dockerfiles (monorepo and @elizaos/cli project-starter): WORKDIR /app with dist, node_modules, src, package.json.
    eliza: ["/app/node_modules", "/app/dist", "/app/src", "/app/package.json"],
};

/**
 * ElizaOS settings that move a directory it writes (relative values are taken from its
 * working directory /app): @elizaos/core 1.7.2 dist/node/index.node.js L46164 (ELIZA_DATA_DIR),
 * L46188 (…_GENERATED), L46196 (…_UPLOADS_AGENTS), L46204 (…_UPLOADS_CHANNELS);
 * @elizaos/plugin-sql 1.7.2 dist/node/index.node.js L21085 (PGLITE_DATA_DIR).
 */
export const elizaDirectorySettings = [
    "ELIZA_DATA_DIR",
    "ELIZA_DATA_DIR_GENERATED",
    "ELIZA_DATA_DIR_UPLOADS_AGENTS",
    "ELIZA_DATA_DIR_UPLOADS_CHANNELS",
    "PGLITE_DATA_DIR",
] as const;

/**
 * The directories a runtime writes at start and while serving, given the container's env.
 * Everything else it touches is read: see docs/pod-security.md for the full audit.
 */
export function runtimeWritePaths(type: AppType, env: Readonly<Record<string, string>>): string[] {
    if (type === "hyperfy2") {
        return unique([
            // hyperfy dev src/server/index.js L21-22: worldDir = path.join(rootDir, WORLD), rootDir = /app/
            // (build/index.js's parent); L66 ensureDir(worldDir); assets (AssetsLocal.js L13-17),
            // collections (collections.js L14-18), db.sqlite without a postgres DB_URI (db.js L32) and
            // storage.json (index.js L81) all go below it.
            posix.join("/app/", env.WORLD ?? ""),
            // numinia-hyperfy2 main src/server/index.js L23-26: worldDir = join(STORAGE_PATH || rootDir,
            // STORAGE_DIRNAME || 'world'), WORLD unused; L33-39 ensureDir/copy assets and collections below it.
            posix.join(env.STORAGE_PATH ?? "/app/", env.STORAGE_DIRNAME ?? "world"),
        ]);
    }
    if (type === "eliza") {
        return unique([
            // @elizaos/core 1.7.2 L46164: data dir `${cwd}/.eliza`; @elizaos/server 1.7.2 dist/index.js
            // L47430-47435 creates it at start (the PGlite dir's parent, even with POSTGRES_URL), L47697-47700
            // creates .eliza/data/uploads/agents and .eliza/data/generated; uploads are written below them
            // (L24428-24438, L26611-26621); without POSTGRES_URL PGlite keeps its database in .eliza/.elizadb
            // (@elizaos/plugin-sql 1.7.2 L21085, mkdir L21151).
            "/app/.eliza",
            ...elizaDirectorySettings.flatMap((key) =>
                env[key] !== undefined && env[key] !== "" ? [posix.resolve("/app", env[key])] : [],
            ),
        ]);
    }
    return [];
}

/** Every writable directory of the container: the runtime's and the catalog's, sorted, nested ones folded into their parent. */
export function writableMountPaths(type: AppType, env: Readonly<Record<string, string>>, security: AppSecurity): string[] {
    const all = unique([...runtimeWritePaths(type, env), ...security.writablePaths]).sort();
    return all.filter((p) => !all.some((q) => q !== p && isUnder(p, q)));
}

/** Whether `path` is `dir` or below it. */
export const isUnder = (path: string, dir: string): boolean => path === dir || path.startsWith(dir === "/" ? "/" : `${dir}/`);

/** The image file a writable mount at `path` would hide (the mount is `path` itself or one of its parents). */
export function shadowedImagePath(type: AppType, path: string): string | undefined {
    return (imageFilePaths[type] ?? []).find((file) => isUnder(file, path));
}

/** Name of the emptyDir volume of the n-th writable path (0-based). */
export const writableVolumeName = (index: number): string => `writable-${index + 1}`;

/** The emptyDir volumes and their mounts for a container's writable paths. */
export function writableVolumes(paths: readonly string[]) {
    return {
        volumes: paths.map((_, i) => ({ name: writableVolumeName(i), emptyDir: {} })),
        volumeMounts: paths.map((mountPath, i) => ({ name: writableVolumeName(i), mountPath })),
    };
}

/** The uid/gid a container runs as: the catalog's, else the runtime's, else the image's own USER. */
export function userOf(type: AppType, security: AppSecurity): { runAsUser?: number; runAsGroup?: number } {
    const runtime = runtimeUsers[type];
    const runAsUser = security.runAsUser ?? runtime?.runAsUser;
    const runAsGroup = security.runAsGroup ?? runtime?.runAsGroup;
    return { ...(runAsUser !== undefined ? { runAsUser } : {}), ...(runAsGroup !== undefined ? { runAsGroup } : {}) };
}

/**
 * The container-level securityContext: KNative admits every field here without a feature
 * flag (serving release-1.17 pkg/apis/serving/fieldmask.go L697-713, SecurityContextMask).
 */
export function containerSecurityContext(type: AppType, security: AppSecurity) {
    const add = security.addCapabilities.filter((c) => c === addableCapability);
    return {
        runAsNonRoot: true,
        ...userOf(type, security),
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"], ...(add.length > 0 ? { add } : {}) },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/**
 * The pod-level securityContext, only where the cluster's KNative has
 * `kubernetes.podspec-securitycontext` enabled (it refuses every field otherwise,
 * fieldmask.go L666-668). It covers KNative's queue-proxy too, and gives emptyDirs the app's group.
 */
export function podSecurityContext(type: AppType, security: AppSecurity, config: PodSecurityConfig) {
    if (config.knativePodSpecSecurityContext !== "enabled") return undefined;
    const user = userOf(type, security);
    return {
        runAsNonRoot: true,
        ...user,
        ...(user.runAsGroup !== undefined ? { fsGroup: user.runAsGroup } : {}),
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** The Pod Security Admission labels of a tenant namespace: restricted, enforced, audited and warned, pinned. */
export function podSecurityLabels(config: Pick<PodSecurityConfig, "version">): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"]) {
        labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
        labels[`pod-security.kubernetes.io/${mode}-version`] = config.version;
    }
    return labels;
}

function unique(paths: readonly string[]): string[] {
    return [...new Set(paths)];
}

/**
 * The Pod Security parts of one app's KNative revision template: the container's
 * securityContext and writable mounts, and the pod's volumes, token setting and (flag
 * permitting) pod-level securityContext. `env` is the container's final plain env.
 */
export function servicePodSecurity(
    type: AppType,
    security: AppSecurity,
    env: ReadonlyArray<{ readonly name: string; readonly value: string }>,
    config: PodSecurityConfig,
) {
    const writable = writableVolumes(writableMountPaths(type, Object.fromEntries(env.map((e) => [e.name, e.value])), security));
    const pod = podSecurityContext(type, security, config);
    return {
        container: { securityContext: containerSecurityContext(type, security), volumeMounts: writable.volumeMounts },
        pod: {
            // KNative admits `false` here without a flag (fieldmask.go L222-225, PodSpecMask). IRSA does not
            // need the token: EKS's pod identity webhook mounts its own projected token `aws-iam-token`
            // (amazon-eks-pod-identity-webhook pkg/handler/handler.go L94-98, L340-357), whatever this says.
            ...(security.kubernetesApi ? {} : { automountServiceAccountToken: false }),
            ...(pod !== undefined ? { securityContext: pod } : {}),
            volumes: writable.volumes,
        },
    };
}
