/**
 * Resolution of one app's Pod Security settings from the catalog: the uid/gid, writable paths,
 * added capabilities and Kubernetes API use, refused (with the rulebook's rule name) when the
 * container they give would break Pod Security "restricted" or hide the image's own files.
 * Pure.
 */
import type { AppType } from "../appTypes";
import { containerSecurityContext, runtimeWritePaths, shadowedImagePath, type AppSecurity } from "../podSecurity";
import { maxWritablePaths, podSecurityProblems, writablePathProblem } from "../rules";
import type { RawApp } from "./schema";

type Report = (field: readonly PropertyKey[], message: string) => void;

/** The app's security settings; every problem is reported against the catalog field that causes it. */
export function resolveSecurity(raw: RawApp, report: Report): AppSecurity {
    const declared = raw.securityContext ?? {};
    const writablePaths = raw.writablePaths ?? [];
    writablePaths.forEach((path, i) => {
        const problem = writablePathProblem(path) ?? shadowProblem(raw.type, path);
        if (problem !== undefined) report(["writablePaths", i], `writable-paths: ${problem}`);
        else if (writablePaths.indexOf(path) !== i) report(["writablePaths", i], `writable-paths: "${path}" is listed twice`);
    });
    if (writablePaths.length > maxWritablePaths) {
        report(
            ["writablePaths"],
            `writable-paths: at most ${maxWritablePaths} writable directories per app; ${writablePaths.length} are listed`,
        );
    }
    // The env the container gets: the catalog's over the type's (model/appTypes.ts plainEnvOf sets WORLD to the app name).
    const env = { ...(raw.type === "hyperfy2" ? { WORLD: raw.name } : {}), ...raw.env };
    for (const path of runtimeWritePaths(raw.type, env)) {
        const problem = writablePathProblem(path) ?? shadowProblem(raw.type, path);
        if (problem !== undefined) report(raw.env !== undefined ? ["env"] : ["name"], `writable-paths: the runtime writes ${problem}`);
    }
    const security: AppSecurity = {
        ...(declared.runAsUser !== undefined ? { runAsUser: declared.runAsUser } : {}),
        ...(declared.runAsGroup !== undefined ? { runAsGroup: declared.runAsGroup } : {}),
        writablePaths,
        addCapabilities: declared.capabilities?.add ?? [],
        kubernetesApi: raw.kubernetesApi ?? false,
    };
    // The container as it would run with every declared field, held against the rulebook.
    const securityContext = {
        ...containerSecurityContext(raw.type, security),
        ...pick(declared, ["runAsNonRoot", "privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem"]),
        capabilities: { drop: ["ALL"], add: security.addCapabilities },
    };
    for (const problem of podSecurityProblems({ containers: [{ name: raw.name, securityContext }] })) {
        const field = problem.field.replace(/^containers\[0\]\./, "").split(".");
        report(field, `${problem.rule}: ${problem.message}; Pod Security "restricted" refuses it`);
    }
    return security;
}

function shadowProblem(type: AppType, path: string): string | undefined {
    const hidden = shadowedImagePath(type, path);
    return hidden === undefined ? undefined : `"${path}", which would hide the image's own ${hidden}; choose another directory`;
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
    const out: Partial<Pick<T, K>> = {};
    for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
    return out;
}
