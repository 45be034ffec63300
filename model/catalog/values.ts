/**
 * Values of one organization file that the platform or a runtime refuses, or that would put a
 * credential in plaintext: env names and values, PostgreSQL's reserved prefix, agent
 * settings, and domains and hostnames nobody may own (internal, public-suffix, look-alike or
 * the platform's own). Every message names the field; none quotes a possible credential. Pure.
 */
import type { PlatformConfig } from "../config";
import type { AppNames } from "../naming";
import {
    domainProblem,
    hasDotSegment,
    hostnameLabelProblem,
    isPostgresReservedName,
    modelNamePattern,
    plaintextCredentialOf,
    platformHostnameOf,
    programEnv,
    reservedEnvVars,
    runtimeReservedEnv,
} from "../rules";
import type { RawApp, RawCatalogFile } from "./schema";

/** One refused value: the field path inside the app or file, and why. */
export interface ValueProblem {
    readonly field: readonly PropertyKey[];
    readonly message: string;
}

/** Platform facts the value rules need. */
type ValueContext = Pick<PlatformConfig, "platformHostnames">;

/** Problems of one app's values, with fields relative to the app. `secretKeys` are already reported elsewhere. */
export function appValueProblems(
    raw: RawApp,
    names: AppNames,
    links: { readonly database: boolean; readonly ownDatabase: boolean; readonly storage: boolean },
    secretKeys: readonly string[],
    platform: ValueContext,
): ValueProblem[] {
    const problems: ValueProblem[] = [];
    const reserved = [...runtimeReservedEnv[raw.type], ...programEnv];
    for (const [key, value] of Object.entries(raw.env ?? {})) {
        // Reported by resolve.ts already: bad names, KNative's variables, the app's secret keys.
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || (reservedEnvVars as readonly string[]).includes(key) || secretKeys.includes(key))
            continue;
        const runtime = reserved.find((r) => r.name === key);
        if (runtime !== undefined) {
            problems.push({
                field: ["env", key],
                message: `${key} is set by the program for a ${raw.type} app: it ${runtime.why}; remove it`,
            });
            continue;
        }
        const credential = plaintextCredentialOf(key, value);
        if (credential !== undefined)
            problems.push({
                field: ["env", key],
                message:
                    `refused: ${credential}, and plain env is written in the clear into the KNative Service, plan.json and every preview; ` +
                    "a credential reaches an app only through its secret (the stack's secret config), so remove it from env",
            });
    }
    if (links.database && isPostgresReservedName(names.schema))
        problems.push({
            field: ["name"],
            message: `the PostgreSQL schema/role name "${names.schema}" starts with pg_, which PostgreSQL reserves for system objects (CREATE ROLE and CREATE SCHEMA refuse it); rename the app or change the stack's schema pattern`,
        });
    for (const key of ["smallModel", "largeModel"] as const) {
        const model = raw.agent?.[key];
        if (model !== undefined && !modelNamePattern.test(model))
            problems.push({
                field: ["agent", key],
                message: "must be a model name of letters, digits and ._:/@+- (no spaces or control characters), at most 200 characters",
            });
    }
    const charactersPath = raw.agent?.charactersPath;
    if (charactersPath !== undefined && hasDotSegment(charactersPath))
        problems.push({
            field: ["agent", "charactersPath"],
            message: "has a . or .. segment; give the characters directory's own absolute path in the image, such as /app/characters",
        });
    for (const [index, field] of (raw.moves ?? []).entries()) {
        const why = moveProblem(field, links);
        if (why !== undefined) problems.push({ field: ["moves", index], message: `cannot declare a move of ${field}: ${why}` });
    }
    const hostField = raw.hostname !== undefined ? ["hostname"] : ["name"];
    const lookAlike = hostnameLabelProblem(names.hostname);
    if (lookAlike !== undefined) problems.push({ field: hostField, message: `hostname ${names.hostname}: ${lookAlike}` });
    const platformHost = platformHostnameOf(names.hostname, platform.platformHostnames);
    if (platformHost !== undefined)
        problems.push({
            field: hostField,
            message: `hostname ${names.hostname} is the platform's own ${platformHost} (tenant-apps:platformHostnames); a tenant app cannot take it`,
        });
    return problems;
}

/** Why an app cannot move a data-bearing name: it has no such resource. */
function moveProblem(field: string, links: { readonly database: boolean; readonly ownDatabase: boolean; readonly storage: boolean }) {
    if ((field === "schema" || field === "database" || field === "dbRole") && !links.database) return "the app has no database";
    if (field === "schema" && links.ownDatabase)
        return "the app keeps its data in a database of its own, not a schema of the shared database; declare moves: [database]";
    if (field === "database" && !links.ownDatabase)
        return "the app keeps its data in a schema of the shared database, not a database of its own; declare moves: [schema]";
    if (field === "assets" && !links.storage) return "the app has no storage";
    return undefined;
}

/** Problems of an organization's domains (`domain`, `domains`). */
export function organizationValueProblems(raw: RawCatalogFile, platform: ValueContext): ValueProblem[] {
    const problems: ValueProblem[] = [];
    const domains: Array<{ domain: string; field: PropertyKey[] }> = [
        { domain: raw.domain, field: ["domain"] },
        ...(raw.domains ?? []).map((domain, i) => ({ domain, field: ["domains", i] })),
    ];
    for (const { domain, field } of domains) {
        const problem = domainProblem(domain);
        if (problem !== undefined) {
            problems.push({ field, message: problem });
            continue;
        }
        const platformHost = platformHostnameOf(domain, platform.platformHostnames);
        if (platformHost !== undefined)
            problems.push({
                field,
                message: `${domain} is the platform's own hostname ${platformHost} (tenant-apps:platformHostnames); no organization can own it`,
            });
    }
    return problems;
}
