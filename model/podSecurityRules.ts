/**
 * The Pod Security rules of the rulebook (re-exported by `rules.ts`): the Pod Security
 * Standards' "restricted" checks that a tenant pod template can break, plus tenant-apps' own
 * read-only root filesystem, as one pure function over a plain pod spec. The catalog
 * validation runs it on the container an app would get, the policy pack on every rendered
 * KNative Service. The authority is upstream: test/model/podSecurityStandard.test.ts holds
 * every rule here against `k8s.io/pod-security-admission` v0.35.6 (`policy/check_*.go`).
 * No Pulumi, no I/O.
 */

/** The rules, by the name every refusal carries. */
export const podSecurityRules = {
    // Baseline, and so restricted too (https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline).
    "pss-host-namespaces": "hostNetwork, hostPID and hostIPC must be unset or false (upstream policy/check_hostNamespaces.go)",
    "pss-privileged": "containers must not be privileged (upstream policy/check_privileged.go)",
    "pss-host-path-volumes": "hostPath volumes are forbidden (upstream policy/check_hostPathVolumes.go)",
    "pss-host-ports": "containers must not set hostPort (upstream policy/check_hostPorts.go)",
    // Restricted (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted).
    "pss-volume-types":
        "volumes only of type configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret (upstream policy/check_restrictedVolumes.go)",
    "pss-allow-privilege-escalation":
        "every container sets allowPrivilegeEscalation: false (upstream policy/check_allowPrivilegeEscalation.go)",
    "pss-run-as-non-root": "runAsNonRoot: true on the pod or every container, never false (upstream policy/check_runAsNonRoot.go)",
    "pss-run-as-user": "runAsUser must not be 0 (upstream policy/check_runAsUser.go)",
    "pss-seccomp-profile":
        "seccompProfile.type RuntimeDefault or Localhost on the pod or every container, never Unconfined (upstream policy/check_seccompProfile_restricted.go)",
    "pss-capabilities":
        'every container drops ["ALL"] and adds nothing but NET_BIND_SERVICE (upstream policy/check_capabilities_restricted.go)',
    // tenant-apps' own: an image cannot change itself or plant files for the next start.
    "read-only-root-filesystem": "every tenant container sets readOnlyRootFilesystem: true; it writes only to its declared emptyDir mounts",
} as const;

export type PodSecurityRule = keyof typeof podSecurityRules;

/** One broken rule: its name, the field of the pod spec (dotted, with container indexes) and what is wrong. */
export interface PodSecurityProblem {
    readonly rule: PodSecurityRule;
    readonly field: string;
    readonly message: string;
}

/** Volume types the restricted level admits (upstream policy/check_restrictedVolumes.go L94-102). */
export const restrictedVolumeTypes = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
] as const;

/** The one capability a restricted container may add (upstream policy/check_capabilities_restricted.go L31). */
export const addableCapability = "NET_BIND_SERVICE";

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => typeof v === "object" && v !== null && !Array.isArray(v);
const bagAt = (v: unknown, key: string): Bag | undefined => (isBag(v) && isBag(v[key]) ? v[key] : undefined);
const listAt = (v: unknown, key: string): unknown[] => (isBag(v) && Array.isArray(v[key]) ? v[key] : []);
const valueAt = (v: unknown, key: string): unknown => (isBag(v) ? v[key] : undefined);

/**
 * Every rule a pod spec (a Pod's `spec` or a KNative revision template's `spec`) breaks.
 * Containers, init containers and ephemeral containers are all checked, as upstream does.
 */
export function podSecurityProblems(spec: unknown): PodSecurityProblem[] {
    const out: PodSecurityProblem[] = [];
    const add = (rule: PodSecurityRule, field: string, message: string) => out.push({ rule, field, message });
    for (const key of ["hostNetwork", "hostPID", "hostIPC"]) {
        if (valueAt(spec, key) === true) add("pss-host-namespaces", key, `${key} is true; a tenant pod shares no host namespace`);
    }
    listAt(spec, "volumes").forEach((volume, i) => {
        const name = String(valueAt(volume, "name") ?? `#${i}`);
        const kinds = isBag(volume) ? Object.keys(volume).filter((k) => k !== "name") : [];
        for (const kind of kinds) {
            if (kind === "hostPath") add("pss-host-path-volumes", `volumes[${i}].hostPath`, `volume "${name}" is a hostPath`);
            else if (!(restrictedVolumeTypes as readonly string[]).includes(kind)) {
                add("pss-volume-types", `volumes[${i}].${kind}`, `volume "${name}" is of type ${kind}, which restricted does not admit`);
            }
        }
    });
    const pod = bagAt(spec, "securityContext");
    const podNonRoot = valueAt(pod, "runAsNonRoot");
    const podSeccomp = valueAt(bagAt(pod, "seccompProfile"), "type");
    if (valueAt(pod, "runAsUser") === 0) add("pss-run-as-user", "securityContext.runAsUser", "the pod runs as uid 0 (root)");
    if (podNonRoot === false) add("pss-run-as-non-root", "securityContext.runAsNonRoot", "the pod sets runAsNonRoot: false");
    if (podSeccomp === "Unconfined")
        add("pss-seccomp-profile", "securityContext.seccompProfile.type", "the pod's seccomp profile is Unconfined");
    for (const group of ["containers", "initContainers", "ephemeralContainers"]) {
        listAt(spec, group).forEach((container, i) => {
            const at = `${group}[${i}]`;
            const label = `container "${String(valueAt(container, "name") ?? i)}"`;
            const sc = bagAt(container, "securityContext");
            const field = (name: string) => `${at}.securityContext.${name}`;
            if (valueAt(sc, "privileged") === true) add("pss-privileged", field("privileged"), `${label} is privileged`);
            if (valueAt(sc, "allowPrivilegeEscalation") !== false) {
                add(
                    "pss-allow-privilege-escalation",
                    field("allowPrivilegeEscalation"),
                    `${label} must set allowPrivilegeEscalation: false`,
                );
            }
            const nonRoot = valueAt(sc, "runAsNonRoot");
            if (nonRoot === false || (nonRoot === undefined && podNonRoot !== true)) {
                add("pss-run-as-non-root", field("runAsNonRoot"), `${label} must run with runAsNonRoot: true`);
            }
            if (valueAt(sc, "runAsUser") === 0) add("pss-run-as-user", field("runAsUser"), `${label} runs as uid 0 (root)`);
            const seccomp = valueAt(bagAt(sc, "seccompProfile"), "type");
            const seccompOk = seccomp === "RuntimeDefault" || seccomp === "Localhost";
            if (seccomp === "Unconfined" || (!seccompOk && !(podSeccomp === "RuntimeDefault" || podSeccomp === "Localhost"))) {
                add("pss-seccomp-profile", field("seccompProfile.type"), `${label} needs seccompProfile.type RuntimeDefault or Localhost`);
            }
            const capabilities = bagAt(sc, "capabilities");
            if (!listAt(capabilities, "drop").includes("ALL")) {
                add("pss-capabilities", field("capabilities.drop"), `${label} must drop ["ALL"] capabilities`);
            }
            const added = listAt(capabilities, "add").filter((c) => c !== addableCapability);
            if (added.length > 0) {
                add(
                    "pss-capabilities",
                    field("capabilities.add"),
                    `${label} adds ${added.map(String).join(", ")}; only ${addableCapability} is allowed`,
                );
            }
            listAt(container, "ports").forEach((port, p) => {
                const hostPort = valueAt(port, "hostPort");
                if (typeof hostPort === "number" && hostPort !== 0) {
                    add("pss-host-ports", `${at}.ports[${p}].hostPort`, `${label} binds host port ${hostPort}`);
                }
            });
            if (group !== "ephemeralContainers" && valueAt(sc, "readOnlyRootFilesystem") !== true) {
                add("read-only-root-filesystem", field("readOnlyRootFilesystem"), `${label} must set readOnlyRootFilesystem: true`);
            }
        });
    }
    return out;
}

/** `rule: message (field)`, the form every refusal takes. */
export const podSecurityProblemMessage = (p: PodSecurityProblem): string => `${p.rule}: ${p.message} (${p.field})`;

// ---------------------------------------------------------------------------------------
// Writable paths.

/** Mount paths KNative refuses (serving pkg/apis/serving/k8s_validation.go L43-47, release-1.17). */
export const knativeReservedMountPaths = ["/", "/dev", "/dev/log"] as const;

/** At most this many writable directories per app (each is one emptyDir volume). */
export const maxWritablePaths = 8;

/** Why `path` cannot be a writable emptyDir mount, or undefined when it can. */
export function writablePathProblem(path: string): string | undefined {
    if (!path.startsWith("/")) return `"${path}" is not an absolute path`;
    if ((knativeReservedMountPaths as readonly string[]).includes(path)) return `"${path}" is reserved by KNative and cannot be mounted`;
    if (path.length > 1 && path.endsWith("/")) return `"${path}" ends with "/"; write it without the trailing slash`;
    if (path.split("/").some((s, i) => i > 0 && (s === "" || s === "." || s === ".."))) {
        return `"${path}" has an empty, "." or ".." segment; give the plain absolute path`;
    }
    if (path === "/proc" || path.startsWith("/proc/") || path === "/sys" || path.startsWith("/sys/")) {
        return `"${path}" is a kernel filesystem, not a place an app writes`;
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------
// Namespace labels.

/**
 * What is wrong with a tenant namespace's Pod Security Admission labels: each of enforce,
 * audit and warn must be `restricted` with a pinned `v1.N` version. Admission reads labels
 * only (https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces);
 * annotations, as the live namespaces carry them, enforce nothing.
 */
export function podSecurityLabelProblems(labels: Readonly<Record<string, unknown>> | undefined): string[] {
    const out: string[] = [];
    for (const mode of ["enforce", "audit", "warn"]) {
        const level = labels?.[`pod-security.kubernetes.io/${mode}`];
        const version = labels?.[`pod-security.kubernetes.io/${mode}-version`];
        if (level !== "restricted") {
            out.push(
                `label pod-security.kubernetes.io/${mode} is ${level === undefined ? "missing" : `"${String(level)}"`}; it must be "restricted"`,
            );
        }
        if (typeof version !== "string" || !/^v1\.\d+$/.test(version)) {
            out.push(
                `label pod-security.kubernetes.io/${mode}-version is ${version === undefined ? "missing" : `"${String(version)}"`}; pin it to the cluster's minor, such as "v1.35"`,
            );
        }
    }
    return out;
}
