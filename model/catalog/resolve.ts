/**
 * Resolution of one organization file: the app type's defaults filled in, every name
 * computed from the stack's patterns, and every rule that needs more than one field
 * checked (scale order, requests ≤ limits, pinned images, links, ports, env, name limits).
 * Pure.
 */
import { appTypeProfiles, secretKeysOf, type AppType, type ElizaAgentSpec, type Resources } from "../appTypes";
import type { PlatformConfig } from "../config/types";
import { adoptionProblems, namespaceAdoptionProblem } from "../adoption";
import { appNames, nameRules } from "../naming";
import { appDnsOf, dnsProblemOf, route53ImportId } from "../dns";
import { memoryBytes, milliCpu } from "../quantities";
import {
    isPinnedImage,
    isRequestWithinLimit,
    isReservedNamespace,
    isScaleInOrder,
    requestOverLimitMessage,
    reservedEnvVars,
    scaleOrderMessage,
    unpinnedImageMessage,
} from "../rules";
import type { ParsedFile, ProblemSink } from "./problems";
import { resolveSecurity } from "./security";
import { appValueProblems, organizationValueProblems } from "./values";
import type { RawApp, RawCatalogFile } from "./schema";
import type { OrganizationSpec, TenantAppSpec } from "./types";

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function resolveOrganization(
    parsed: ParsedFile,
    raw: RawCatalogFile,
    platform: PlatformConfig,
    sink: ProblemSink,
): OrganizationSpec {
    const org = raw.organization;
    const quota = raw.quota ?? platform.namespaceDefaults.quota;
    const apps: TenantAppSpec[] = [];
    const seen = new Map<string, number>();
    raw.apps.forEach((rawApp, index) => {
        const at = (...field: PropertyKey[]) => ["apps", index, ...field];
        const firstIndex = seen.get(rawApp.name);
        if (firstIndex !== undefined) {
            sink.add(parsed, at("name"), `duplicate app name; apps[${firstIndex}] already uses it`);
            return;
        }
        seen.set(rawApp.name, index);
        apps.push(resolveApp(org, raw, rawApp, platform, (field, message) => sink.add(parsed, at(...field), message)));
    });
    const namespace =
        apps[0]?.names.namespace ??
        appNames(platform.names, { org, app: "x", env: platform.env, type: "custom", domain: raw.domain }, "").namespace;
    if (isReservedNamespace(namespace, platform.reservedNamespaces)) {
        sink.add(
            parsed,
            ["organization"],
            `namespace "${namespace}" is reserved by the platform (${platform.reservedNamespaces.join(", ")}); choose another organization name`,
        );
    }
    for (const app of apps) {
        // `seen` maps each name to its first index in the file: what a search by name would find.
        const index = seen.get(app.name) ?? -1;
        if (milliCpu(app.resources.requests.cpu) > milliCpu(quota.cpu)) {
            sink.add(
                parsed,
                ["apps", index, "resources", "requests", "cpu"],
                `${app.resources.requests.cpu} is more than the organization's whole CPU quota ${quota.cpu}; one pod could never start`,
            );
        }
        if (memoryBytes(app.resources.requests.memory) > memoryBytes(quota.memory)) {
            sink.add(
                parsed,
                ["apps", index, "resources", "requests", "memory"],
                `${app.resources.requests.memory} is more than the organization's whole memory quota ${quota.memory}; one pod could never start`,
            );
        }
    }
    for (const problem of organizationValueProblems(raw, platform)) sink.add(parsed, problem.field, problem.message);
    const namespaceProblem = raw.adopt !== undefined ? namespaceAdoptionProblem(raw.adopt, namespace) : undefined;
    if (namespaceProblem !== undefined) sink.add(parsed, namespaceProblem.field, namespaceProblem.message);
    const adopt = raw.adopt !== undefined ? { adopt: raw.adopt } : {};
    const dns = raw.dns !== undefined ? { dns: raw.dns } : {};
    const ownedDomains = [...new Set([raw.domain, ...(raw.domains ?? [])])];
    return { name: org, domain: raw.domain, file: parsed.source.file, namespace, quota, apps, ownedDomains, ...adopt, ...dns };
}

function resolveApp(
    org: string,
    file: RawCatalogFile,
    raw: RawApp,
    platform: PlatformConfig,
    report: (field: readonly PropertyKey[], message: string) => void,
): TenantAppSpec {
    const domain = file.domain;
    const profile = appTypeProfiles[raw.type];
    const scale = { min: raw.scale?.min ?? profile.scale.min, max: raw.scale?.max ?? profile.scale.max };
    if (!isScaleInOrder(scale.min, scale.max)) report(["scale", "min"], scaleOrderMessage(scale.min, scale.max));

    const resources: Resources = {
        requests: { ...profile.resources.requests, ...raw.resources?.requests },
        limits: { ...profile.resources.limits, ...raw.resources?.limits },
    };
    for (const resource of ["cpu", "memory"] as const) {
        const { [resource]: request } = resources.requests;
        const { [resource]: limit } = resources.limits;
        if (!isRequestWithinLimit(resource, request, limit)) {
            report(["resources", "requests", resource], requestOverLimitMessage(resource, request, limit));
        }
    }

    if (platform.env === "pro" && !isPinnedImage(raw.image)) report(["image"], unpinnedImageMessage(raw.image));

    const links = {
        database: linkOf("database", raw.type, raw.database, report),
        storage: linkOf("storage", raw.type, raw.storage, report),
    };

    const port = profile.fixedPort ? profile.port : (raw.port ?? profile.port);
    if (profile.fixedPort && raw.port !== undefined && raw.port !== profile.port) {
        report(["port"], `a ${raw.type} app always listens on ${String(profile.port)}; remove "port: ${raw.port}"`);
    } else if (port === undefined) report(["port"], `a ${raw.type} app must give its container port`);
    else if (platform.knative.reservedPorts.includes(port)) {
        report(
            ["port"],
            `${port} is reserved by KNative (its queue-proxy and profiling ports: ${platform.knative.reservedPorts.join(", ")}); choose another port`,
        );
    }

    const timeoutSeconds = raw.timeoutSeconds ?? profile.timeoutSeconds;
    const maxTimeout = platform.knative.maxRevisionTimeoutSeconds;
    if (timeoutSeconds > maxTimeout) {
        report(
            ["timeoutSeconds"],
            `${raw.timeoutSeconds === undefined ? `a ${raw.type} app's default timeout ` : ""}${timeoutSeconds} s is over the cluster's max-revision-timeout-seconds ${maxTimeout} (tenant-apps:knative.maxRevisionTimeoutSeconds); KNative would refuse the revision`,
        );
    }

    const agent = agentOf(raw, platform, report);
    const secretKeys = secretKeysOf(raw.type, links, agent);
    for (const key of Object.keys(raw.env ?? {})) {
        if (!envName.test(key))
            report(["env", key], "must be an environment variable name: letters, digits and _, not starting with a digit");
        else if ((reservedEnvVars as readonly string[]).includes(key))
            report(["env", key], `${key} is set by KNative (${reservedEnvVars.join(", ")} are reserved); remove it`);
        else if (secretKeys.includes(key)) report(["env", key], `${key} comes from the app's secret; it cannot be set as plain env`);
    }

    const names = appNames(
        platform.names,
        { org, app: raw.name, env: platform.env, type: raw.type, domain },
        platform.storage.prefix,
        raw.hostname,
    );
    for (const rule of nameRules) {
        const value = names[rule.key];
        const field = rule.key === "hostname" ? ["hostname"] : ["name"];
        if (Buffer.byteLength(value) > rule.max) {
            report(
                field,
                `the ${rule.what} "${value}" is ${Buffer.byteLength(value)} characters; at most ${rule.max} are allowed, so shorten the app or organization name`,
            );
        } else if (!rule.pattern.test(value)) {
            report(field, `the ${rule.what} "${value}" is not ${rule.allowed}; check the stack's name patterns`);
        }
    }
    const ownDatabase = links.database && profile.databaseKind === "database";
    for (const problem of appValueProblems(raw, names, { ...links, ownDatabase }, secretKeys, platform))
        report(problem.field, problem.message);
    const subject = { organization: org, app: raw.name, hostname: names.hostname, domain, dns: file.dns };
    const dns = appDnsOf(subject, platform.dns);
    const dnsProblem = dnsProblemOf(subject, platform.dns);
    if (dnsProblem !== undefined) report([raw.hostname !== undefined ? "hostname" : "name"], dnsProblem);
    if (raw.adopt !== undefined) {
        const links2 = {
            ...links,
            ownDatabase,
            externalSecrets: platform.secretDelivery === "external-secrets",
        };
        const dnsRecordId = dns.zone !== undefined ? { dnsRecordId: route53ImportId(dns.zone.id, dns.hostname) } : {};
        const context = { ...platform, database: platform.database.name, bucket: platform.storage.bucket, links: links2, ...dnsRecordId };
        for (const problem of adoptionProblems(raw.adopt, names, context)) report(problem.field, problem.message);
    }
    return {
        organization: org,
        name: raw.name,
        type: raw.type,
        image: raw.image,
        scale,
        resources,
        env: raw.env ?? {},
        port: port ?? 0,
        probePath: raw.probePath ?? profile.probePath,
        timeoutSeconds,
        database: links.database,
        storage: links.storage,
        secretKeys,
        names,
        security: resolveSecurity(raw, report),
        dns,
        ...(raw.adopt !== undefined ? { adopt: raw.adopt } : {}),
        ...(raw.moves !== undefined ? { moves: raw.moves } : {}),
        ...(agent !== undefined ? { agent } : {}),
    };
}

/** An eliza app's agent settings, its model provider from the catalog or the stack's default. */
function agentOf(
    raw: RawApp,
    platform: PlatformConfig,
    report: (field: readonly PropertyKey[], message: string) => void,
): ElizaAgentSpec | undefined {
    if (raw.type !== "eliza") {
        if (raw.agent !== undefined) report(["agent"], `only eliza apps take agent settings; remove "agent" from this ${raw.type} app`);
        return undefined;
    }
    const modelProvider = raw.agent?.modelProvider ?? platform.eliza.modelProvider;
    if (modelProvider === undefined) {
        report(
            ["agent", "modelProvider"],
            "an eliza agent needs a model provider, and the stack has no default (tenant-apps:eliza.modelProvider); set agent.modelProvider to openai, anthropic, openrouter or ollama",
        );
        return undefined;
    }
    return {
        modelProvider,
        ...(raw.agent?.smallModel !== undefined ? { smallModel: raw.agent.smallModel } : {}),
        ...(raw.agent?.largeModel !== undefined ? { largeModel: raw.agent.largeModel } : {}),
        charactersPath: raw.agent?.charactersPath ?? "/app/characters",
        daemonProcess: raw.agent?.daemonProcess ?? false,
    };
}

function linkOf(
    link: "database" | "storage",
    type: AppType,
    requested: boolean | undefined,
    report: (field: readonly PropertyKey[], message: string) => void,
): boolean {
    const fixed = appTypeProfiles[type][link];
    if (fixed === "always") {
        if (requested === false) report([link], `a ${type} app always has its ${link}; remove "${link}: false"`);
        return true;
    }
    return requested ?? fixed;
}
