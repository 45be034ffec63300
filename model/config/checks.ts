/**
 * The rules of a platform config that its schema cannot express: the stack's environment, the
 * database host, the public base URL, the LimitRange's defaults and the name patterns on their
 * own. Each check reads a few resolved keys and runs whenever those keys are valid, so one
 * invalid key never hides the problems of another. Messages name the config key and never
 * print a value that might hold a secret (a URL's userinfo, a host). Pure.
 */
import { appTypes } from "../appTypes";
import { appNames, fillPattern, nameRules, patternPlaceholders, type AppNames, type NameParts, type NamePatterns } from "../naming";
import { isRequestWithinLimit, isReservedNamespace } from "../rules";
import type { ConfigProblem } from "./problems";
import { configNamespace } from "./schema";
import type { PlatformConfig } from "./types";

/** A host name alone: DNS labels, no scheme, port, userinfo, path, query or fragment. */
export const isHostNameOnly = (host: string): boolean =>
    host.length <= 253 && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/i.test(host);

/**
 * An https base URL: a host, an optional port and path of plain segments; no userinfo, query,
 * fragment, `.`/`..` segments, empty segments, escapes or trailing slash.
 */
export function isPlainHttpsBaseUrl(url: string): boolean {
    const match = /^https:\/\/([a-z0-9.-]+)(:\d{1,5})?((\/[A-Za-z0-9_~.-]+)*)$/.exec(url);
    if (match === null || !isHostNameOnly(match[1] ?? "")) return false;
    return (match[3] ?? "").split("/").every((s, i) => i === 0 || (s !== "." && s !== ".."));
}

/** Placeholders a pattern needs so that two organizations or two apps never share a name. */
const requiredPlaceholders: Record<keyof NamePatterns, ReadonlyArray<readonly string[]>> = {
    namespace: [["org"]],
    service: [["app"]],
    serviceAccount: [["app"]],
    schema: [["org"], ["app"]],
    role: [["org"], ["app"]],
    secret: [["org"], ["app"]],
    hostname: [["app"], ["org", "domain"]],
    tlsSecret: [],
    deliveredSecret: [["app"]],
    // Under {prefix}/{org}/{app}/, so it needs neither; the live platform uses a fixed `latest`/`dev`.
    assetsSegment: [],
};

/** Sample names for a pattern check: the shortest possible, and names with hyphens. */
const samples = (env: PlatformConfig["env"]): NameParts[] =>
    appTypes.flatMap((type) => [
        { org: "a", app: "b", env, type, domain: "c.io" },
        { org: "a-1", app: "b-2", env, type, domain: "xn--bcher-kva.example" },
    ]);

/** Problems of the name patterns on their own, for every possible organization and app, each naming its config key. */
export function namePatternProblems(
    platform: Pick<PlatformConfig, "env" | "names" | "reservedNamespaces">,
    namespace = configNamespace,
): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const patterns = platform.names;
    for (const name of Object.keys(requiredPlaceholders) as Array<keyof NamePatterns>) {
        const key = name === "tlsSecret" ? `${namespace}:tls.secretName (or names.tlsSecret)` : `${namespace}:names.${name}`;
        const pattern = patterns[name];
        const unknown = [...pattern.matchAll(/\{([^{}]*)\}/g)]
            .map((m) => m[1] ?? "")
            .filter((p) => !(patternPlaceholders as readonly string[]).includes(p));
        if (unknown.length > 0 || /[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ""))) {
            problems.push({
                key,
                message: `"${pattern}" has ${unknown.length > 0 ? `unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(", ")}` : "an unmatched brace"}; allowed: ${patternPlaceholders.map((p) => `{${p}}`).join(", ")}`,
            });
            continue;
        }
        for (const anyOf of requiredPlaceholders[name]) {
            if (!anyOf.some((p) => pattern.includes(`{${p}}`))) {
                problems.push({
                    key,
                    message: `"${pattern}" lacks ${anyOf.map((p) => `{${p}}`).join(" or ")}, so two ${anyOf.includes("app") ? "apps" : "organizations"} would get the same name`,
                });
            }
        }
        if (name === "assetsSegment") continue; // a key segment, not a name of its own
        const nameKey: keyof AppNames = name === "role" ? "iamRole" : name;
        const rule = nameRules.find((r) => r.key === nameKey);
        if (rule === undefined) continue;
        for (const parts of samples(platform.env)) {
            const value = appNames(patterns, parts, "")[nameKey];
            if (Buffer.byteLength(value) > rule.max) {
                problems.push({
                    key,
                    message: `"${pattern}" gives "${value}" (${Buffer.byteLength(value)} characters) even for the shortest names; a ${rule.what} has at most ${rule.max}`,
                });
                break;
            }
            if (!rule.pattern.test(value)) {
                problems.push({ key, message: `"${pattern}" gives "${value}", which is not ${rule.allowed} (${rule.what})` });
                break;
            }
        }
    }
    const namespaceOf = fillPattern(patterns.namespace, { org: "a", app: "b", env: platform.env, type: "custom", domain: "c.io" });
    if (isReservedNamespace(namespaceOf, platform.reservedNamespaces)) {
        problems.push({
            key: `${namespace}:names.namespace`,
            message: `"${patterns.namespace}" gives namespaces such as "${namespaceOf}", which the platform reserves`,
        });
    }
    return problems;
}

/** One rule over resolved keys: it runs when every key it `reads` resolved. */
interface PlatformCheck<K extends keyof PlatformConfig> {
    readonly reads: readonly K[];
    readonly check: (platform: Pick<PlatformConfig, K>) => ConfigProblem[];
}

const rule = <K extends keyof PlatformConfig>(reads: readonly K[], check: (platform: Pick<PlatformConfig, K>) => ConfigProblem[]) =>
    ({ reads, check }) as PlatformCheck<keyof PlatformConfig>;

/** Every rule of a platform config that its schema cannot express, in the order they are reported. */
const platformChecks: ReadonlyArray<PlatformCheck<keyof PlatformConfig>> = [
    rule(["stack", "env"], ({ stack, env }) =>
        (stack === "pre" || stack === "pro") && env !== stack
            ? [
                  {
                      key: `${configNamespace}:environment`,
                      message: `"${env}" in stack "${stack}" would render ${env} names into ${stack}; remove the key or set it to ${stack}`,
                  },
              ]
            : [],
    ),
    rule(["database"], ({ database }) =>
        isHostNameOnly(database.host)
            ? []
            : [
                  {
                      key: `${configNamespace}:database.host`,
                      message:
                          "must be a host name only, such as db.cluster-x.eu-west-1.rds.amazonaws.com: no scheme, user, password, port, path, query or fragment (it becomes part of every app's DB_URI)",
                  },
              ],
    ),
    rule(["storage"], ({ storage }) =>
        isPlainHttpsBaseUrl(storage.publicBaseUrl)
            ? []
            : [
                  {
                      key: `${configNamespace}:storage.publicBaseUrl`,
                      message:
                          'must be https://host[/path] with plain path segments: no user or password, query, fragment, "." or ".." segments, escapes or trailing slash',
                  },
              ],
    ),
    rule(["namespaceDefaults"], ({ namespaceDefaults: { defaultRequest, defaultLimit } }) =>
        (["cpu", "memory"] as const)
            .filter((resource) => !isRequestWithinLimit(resource, defaultRequest[resource], defaultLimit[resource]))
            .map((resource) => ({
                key: `${configNamespace}:namespaceDefaults.defaultRequest.${resource}`,
                message: `${defaultRequest[resource]} is greater than defaultLimit.${resource} ${defaultLimit[resource]}; the LimitRange would be refused (defaultRequest ≤ defaultLimit)`,
            })),
    ),
    rule(["env", "names", "reservedNamespaces"], (platform) => namePatternProblems(platform)),
];

/**
 * The problems of every rule whose keys resolved: `platform` holds the keys that passed their
 * schema, so a check runs even when an unrelated key is invalid.
 */
export function platformConfigProblems(platform: Partial<PlatformConfig>): ConfigProblem[] {
    return platformChecks
        .filter((c) => c.reads.every((key) => platform[key] !== undefined))
        .flatMap((c) => c.check(platform as PlatformConfig));
}
