/**
 * The tenant catalog: `stacks/<stack>/<organization>.yaml`, one file per organization.
 * Loaded and validated as a whole before any resource is registered; every problem is
 * reported at once with its file, line, organization, app and field. Pure apart from
 * `readCatalogDir`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod/v3";
import { appTypeProfiles, appTypes, reservedEnvVars, reservedPorts, secretKeysOf, type AppType, type Resources } from "./appTypes";
import type { PlatformConfig } from "./config";
import { appNames, type AppNames } from "./naming";
import { cpuQuantity, formatZodPath, memoryBytes, memoryQuantity, milliCpu, typeError } from "./quantities";

/** KNative's cap on a revision's request timeout on this platform (`max-revision-timeout-seconds`). */
export const maxTimeoutSeconds = 3600;

const dnsLabelMessage =
    "must be a DNS label: lowercase letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters";
const dnsLabel = z
    .string(typeError(dnsLabelMessage))
    .max(63, dnsLabelMessage)
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, dnsLabelMessage);

const hostnameMessage = "must be a lowercase DNS hostname with at least two labels, such as world.r3s3t.xyz";
const hostname = z
    .string(typeError(hostnameMessage))
    .max(253, hostnameMessage)
    .regex(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, hostnameMessage);

const imageMessage = "must be a container image reference such as ghcr.io/org/app:1.2.3 or repo@sha256:<digest>";
const image = z
    .string(typeError(imageMessage))
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/, imageMessage);

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

const appSchema = z.strictObject({
    name: dnsLabel,
    type: z.enum(appTypes, { errorMap: () => ({ message: `must be one of ${appTypes.join(", ")}` }) }),
    image,
    hostname: hostname.optional(),
    scale: z
        .strictObject({
            min: z.number(typeError("must be a whole number ≥ 0")).int("must be a whole number ≥ 0").min(0, "must be ≥ 0"),
            max: z.number(typeError("must be a whole number ≥ 1")).int("must be a whole number ≥ 1").min(1, "must be ≥ 1"),
        })
        .partial()
        .optional(),
    resources: z
        .strictObject({
            requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }).partial(),
            limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }).partial(),
        })
        .partial()
        .optional(),
    env: z.record(z.string(), z.string(typeError('must be a string; quote numbers and booleans, e.g. "2000"'))).optional(),
    port: z
        .number(typeError("must be a port number from 1 to 65535"))
        .int("must be a port number from 1 to 65535")
        .min(1, "must be a port number from 1 to 65535")
        .max(65535, "must be a port number from 1 to 65535")
        .optional(),
    database: z.boolean(typeError("must be true or false")).optional(),
    storage: z.boolean(typeError("must be true or false")).optional(),
    probePath: z
        .string()
        .regex(/^\/[^\s]*$/, "must be an absolute HTTP path such as /health")
        .optional(),
    timeoutSeconds: z
        .number(typeError(`must be a whole number of seconds from 1 to ${maxTimeoutSeconds}`))
        .int()
        .min(1)
        .max(maxTimeoutSeconds, `must be at most ${maxTimeoutSeconds}, the cluster's max revision timeout`)
        .optional(),
});

const catalogFileSchema = z.strictObject({
    organization: dnsLabel,
    domain: hostname,
    quota: z
        .strictObject({
            cpu: cpuQuantity,
            memory: memoryQuantity,
            pods: z.number(typeError("must be a whole number ≥ 1")).int().min(1),
        })
        .optional(),
    apps: z.array(appSchema, typeError("must be a list of apps")).default([]),
});

type RawCatalogFile = z.infer<typeof catalogFileSchema>;
type RawApp = z.infer<typeof appSchema>;

/** One catalog file as read from disk. */
export interface CatalogSource {
    /** Path shown in messages, relative to the project where possible. */
    readonly file: string;
    readonly text: string;
}

/** A tenant app with every default applied and every name computed. */
export interface TenantAppSpec {
    readonly organization: string;
    readonly name: string;
    readonly type: AppType;
    readonly image: string;
    readonly scale: { readonly min: number; readonly max: number };
    readonly resources: Resources;
    /** The catalog's own env entries (the type's defaults are added by the service link). */
    readonly env: Readonly<Record<string, string>>;
    readonly port: number;
    readonly probePath: string;
    readonly timeoutSeconds: number;
    readonly database: boolean;
    readonly storage: boolean;
    /** Keys of the app's secret, in a stable order. */
    readonly secretKeys: readonly string[];
    readonly names: AppNames;
}

/** An organization of one stack with its apps. */
export interface OrganizationSpec {
    readonly name: string;
    readonly domain: string;
    readonly file: string;
    readonly namespace: string;
    readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
    readonly apps: readonly TenantAppSpec[];
}

/** The validated catalog of one stack, organizations sorted by name. */
export interface Catalog {
    readonly organizations: readonly OrganizationSpec[];
}

/** One problem in the catalog. */
export interface CatalogProblem {
    readonly file: string;
    readonly line?: number;
    readonly organization?: string;
    readonly app?: string;
    readonly field?: string;
    readonly message: string;
}

export function formatProblem(p: CatalogProblem): string {
    const where = [
        p.organization !== undefined ? `organization "${p.organization}"` : undefined,
        p.app !== undefined ? `app "${p.app}"` : undefined,
        p.field !== undefined ? `field "${p.field}"` : undefined,
    ].filter((part) => part !== undefined);
    return `${p.file}${p.line !== undefined ? `:${p.line}` : ""}: ${where.length > 0 ? `${where.join(", ")}: ` : ""}${p.message}`;
}

/** Thrown when the catalog is invalid; `problems` holds every problem found. */
export class CatalogError extends Error {
    constructor(readonly problems: readonly CatalogProblem[]) {
        super(
            `the catalog has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "CatalogError";
    }
}

/** Reads every `*.yaml`/`*.yml` file of a catalog directory, sorted by name. */
export function readCatalogDir(dir: string, displayBase = process.cwd()): CatalogSource[] {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new CatalogError([{ file: path.relative(displayBase, dir) || dir, message: "catalog directory does not exist" }]);
    }
    return fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({
            file: path.relative(displayBase, path.join(dir, f)),
            text: fs.readFileSync(path.join(dir, f), "utf8"),
        }));
}

/** A parsed file with what is needed to point at lines. */
interface ParsedFile {
    readonly source: CatalogSource;
    readonly doc: Document;
    readonly lines: LineCounter;
}

function lineOf(parsed: ParsedFile, fieldPath: readonly PropertyKey[]): number | undefined {
    for (let depth = fieldPath.length; depth >= 0; depth--) {
        const node = parsed.doc.getIn(fieldPath.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === "object" && node.range) return parsed.lines.linePos(node.range[0]).line;
    }
    return undefined;
}

/** Reports problems of one file with its location filled in. */
class ProblemSink {
    readonly problems: CatalogProblem[] = [];
    add(parsed: ParsedFile, fieldPath: readonly PropertyKey[], message: string, context: { organization?: string; app?: string } = {}) {
        const appIndex = fieldPath[0] === "apps" && typeof fieldPath[1] === "number" ? fieldPath[1] : undefined;
        const rawApps = parsed.doc.get("apps");
        const rawName = appIndex !== undefined && isSeq(rawApps) ? rawApps.getIn([appIndex, "name"]) : undefined;
        const rawOrg = parsed.doc.get("organization");
        const field = formatZodPath(appIndex !== undefined ? fieldPath.slice(2) : fieldPath);
        this.problems.push({
            file: parsed.source.file,
            line: lineOf(parsed, fieldPath),
            organization: context.organization ?? (typeof rawOrg === "string" ? rawOrg : undefined),
            app: context.app ?? (appIndex !== undefined ? (typeof rawName === "string" ? rawName : `#${appIndex + 1}`) : undefined),
            field: field === "" ? undefined : field,
            message,
        });
    }
}

/** Namespaces reserved by the platform; a `*` suffix matches any continuation. */
function isReservedNamespace(name: string, reserved: readonly string[]): boolean {
    return reserved.some((r) => (r.endsWith("*") ? name.startsWith(r.slice(0, -1)) : name === r));
}

/** Whether an image names a fixed version: a digest, or a tag other than `latest`. */
export function isPinnedImage(ref: string): boolean {
    if (/@sha256:[a-f0-9]{64}$/.test(ref)) return true;
    const lastSegment = ref.split("/").pop() ?? "";
    const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
    return tag !== undefined && tag !== "latest";
}

/** Limits of the names the chain derives, checked after the stack's patterns are applied. */
const nameRules: ReadonlyArray<{
    readonly key: keyof AppNames;
    readonly what: string;
    readonly max: number;
    readonly pattern: RegExp;
    readonly allowed: string;
}> = [
    { key: "namespace", what: "namespace", max: 63, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, allowed: "a DNS label" },
    // KNative appends `-00001` to name revisions, so a service name has 6 characters fewer than a label.
    { key: "service", what: "KNative service name", max: 57, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, allowed: "a DNS-1035 label" },
    {
        key: "serviceAccount",
        what: "service account name",
        max: 253,
        pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
        allowed: "a DNS subdomain",
    },
    {
        key: "schema",
        what: "PostgreSQL schema/role name",
        max: 63,
        pattern: /^[a-z_][a-z0-9_]*$/,
        allowed: "lowercase letters, digits and _",
    },
    { key: "iamRole", what: "IAM role name", max: 64, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-" },
    { key: "secret", what: "Secrets Manager secret name", max: 512, pattern: /^[\w/+=.@-]+$/, allowed: "letters, digits and /_+=.@-" },
    { key: "tlsSecret", what: "TLS secret name", max: 253, pattern: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, allowed: "a DNS subdomain" },
    {
        key: "hostname",
        what: "hostname",
        max: 253,
        pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/,
        allowed: "a DNS hostname",
    },
];

/** Global names that must be unique across the whole stack. */
const uniqueNames: ReadonlyArray<{ readonly key: keyof AppNames; readonly what: string }> = [
    { key: "hostname", what: "hostname" },
    { key: "schema", what: "schema name (after mapping - to _)" },
    { key: "iamRole", what: "IAM role name" },
    { key: "secret", what: "secret name" },
];

/**
 * Parses and validates every catalog file of one stack. Returns the resolved catalog or
 * throws a `CatalogError` listing every problem found.
 */
export function parseCatalog(sources: readonly CatalogSource[], platform: PlatformConfig): Catalog {
    const sink = new ProblemSink();
    const valid: Array<{ parsed: ParsedFile; raw: RawCatalogFile }> = [];
    if (sources.length === 0) {
        throw new CatalogError([
            { file: platform.catalogDir ?? `stacks/${platform.stack}`, message: "the catalog has no organization files (*.yaml)" },
        ]);
    }
    for (const source of sources) {
        const lines = new LineCounter();
        const doc = parseDocument(source.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
        const parsed: ParsedFile = { source, doc, lines };
        if (doc.errors.length > 0) {
            for (const e of doc.errors) {
                sink.problems.push({
                    file: source.file,
                    line: lines.linePos(e.pos[0]).line,
                    message: `not valid YAML: ${e.message.split("\n")[0]}`,
                });
            }
            continue;
        }
        if (!isMap(doc.contents)) {
            sink.problems.push({ file: source.file, message: "must be a mapping with organization, domain and apps" });
            continue;
        }
        const result = catalogFileSchema.safeParse(doc.toJS());
        if (!result.success) {
            for (const issue of result.error.issues) {
                if (issue.code === "unrecognized_keys") {
                    for (const key of issue.keys)
                        sink.add(parsed, [...issue.path, key], `unknown key "${key}"; allowed: ${allowedKeysAt(issue.path)}`);
                } else {
                    sink.add(parsed, issue.path, issue.message);
                }
            }
            continue;
        }
        valid.push({ parsed, raw: result.data });
    }

    const organizations: OrganizationSpec[] = [];
    const orgFiles = new Map<string, string>();
    for (const { parsed, raw } of valid) {
        const expectedFile = `${raw.organization}.yaml`;
        const base = path.basename(parsed.source.file);
        if (base !== expectedFile && base !== `${raw.organization}.yml`) {
            sink.add(parsed, ["organization"], `the file of organization "${raw.organization}" must be named ${expectedFile}`);
        }
        const earlier = orgFiles.get(raw.organization);
        if (earlier !== undefined) {
            sink.add(parsed, ["organization"], `duplicate organization; it is already defined in ${earlier}`);
            continue;
        }
        orgFiles.set(raw.organization, parsed.source.file);
        organizations.push(resolveOrganization(parsed, raw, platform, sink));
    }

    checkUniqueAcrossStack(organizations, valid, sink);
    checkHostnameOwnership(organizations, valid, sink);
    if (sink.problems.length > 0) throw new CatalogError(inReadingOrder(sink.problems));
    organizations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { organizations };
}

/** Problems sorted by file, then line, so the report reads top to bottom. */
function inReadingOrder(problems: readonly CatalogProblem[]): CatalogProblem[] {
    return [...problems].sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
}

function allowedKeysAt(issuePath: readonly PropertyKey[]): string {
    const shape = (() => {
        if (issuePath.length === 0) return catalogFileSchema.shape;
        if (issuePath[0] === "quota") return { cpu: 0, memory: 0, pods: 0 };
        if (issuePath[0] === "apps" && issuePath.length === 2) return appSchema.shape;
        const last = issuePath[issuePath.length - 1];
        if (last === "scale") return { min: 0, max: 0 };
        if (last === "resources") return { requests: 0, limits: 0 };
        return { cpu: 0, memory: 0 };
    })();
    return Object.keys(shape).join(", ");
}

function resolveOrganization(parsed: ParsedFile, raw: RawCatalogFile, platform: PlatformConfig, sink: ProblemSink): OrganizationSpec {
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
        apps.push(resolveApp(org, raw.domain, rawApp, platform, (field, message) => sink.add(parsed, at(...field), message)));
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
        const index = raw.apps.findIndex((a) => a.name === app.name);
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
    return { name: org, domain: raw.domain, file: parsed.source.file, namespace, quota, apps };
}

function resolveApp(
    org: string,
    domain: string,
    raw: RawApp,
    platform: PlatformConfig,
    report: (field: readonly PropertyKey[], message: string) => void,
): TenantAppSpec {
    const profile = appTypeProfiles[raw.type];
    const scale = { min: raw.scale?.min ?? profile.scale.min, max: raw.scale?.max ?? profile.scale.max };
    if (scale.min > scale.max) report(["scale", "min"], `min-scale ${scale.min} is greater than max-scale ${scale.max}; min must be ≤ max`);

    const resources: Resources = {
        requests: { ...profile.resources.requests, ...raw.resources?.requests },
        limits: { ...profile.resources.limits, ...raw.resources?.limits },
    };
    if (milliCpu(resources.requests.cpu) > milliCpu(resources.limits.cpu)) {
        report(
            ["resources", "requests", "cpu"],
            `request ${resources.requests.cpu} is greater than limit ${resources.limits.cpu}; requests must be ≤ limits`,
        );
    }
    if (memoryBytes(resources.requests.memory) > memoryBytes(resources.limits.memory)) {
        report(
            ["resources", "requests", "memory"],
            `request ${resources.requests.memory} is greater than limit ${resources.limits.memory}; requests must be ≤ limits`,
        );
    }

    if (platform.env === "pro" && !isPinnedImage(raw.image)) {
        report(["image"], `"${raw.image}" is not pinned; in pro an image needs a version tag other than latest, or a @sha256 digest`);
    }

    const links = {
        database: linkOf("database", raw.type, raw.database, report),
        storage: linkOf("storage", raw.type, raw.storage, report),
    };

    const port = profile.fixedPort ? profile.port : (raw.port ?? profile.port);
    if (profile.fixedPort && raw.port !== undefined && raw.port !== profile.port) {
        report(["port"], `a ${raw.type} app always listens on ${String(profile.port)}; remove "port: ${raw.port}"`);
    } else if (port === undefined) report(["port"], `a ${raw.type} app must give its container port`);
    else if ((reservedPorts as readonly number[]).includes(port)) {
        report(["port"], `${port} is used by KNative's queue-proxy (${reservedPorts.join(", ")}); choose another port`);
    }

    const secretKeys = secretKeysOf(raw.type, links);
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
        timeoutSeconds: raw.timeoutSeconds ?? profile.timeoutSeconds,
        database: links.database,
        storage: links.storage,
        secretKeys,
        names,
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

/**
 * A hostname belongs to the organization with the longest `domain` it falls under, so no
 * tenant can map a name inside another tenant's domain. Hostnames under no tenant domain
 * (an app's own vanity domain) are free.
 */
function checkHostnameOwnership(
    organizations: readonly OrganizationSpec[],
    valid: ReadonlyArray<{ parsed: ParsedFile; raw: RawCatalogFile }>,
    sink: ProblemSink,
): void {
    const byLength = [...organizations].sort((a, b) => b.domain.length - a.domain.length);
    const ownerOf = (host: string) => byLength.find((o) => host === o.domain || host.endsWith(`.${o.domain}`));
    const parsedOf = new Map(valid.map((v) => [v.raw.organization, v]));
    for (const org of organizations) {
        const source = parsedOf.get(org.name);
        if (source === undefined) continue;
        source.raw.apps.forEach((rawApp, index) => {
            if (rawApp.hostname === undefined) return;
            const owner = ownerOf(rawApp.hostname);
            if (owner !== undefined && owner.name !== org.name) {
                sink.add(
                    source.parsed,
                    ["apps", index, "hostname"],
                    `"${rawApp.hostname}" is inside organization "${owner.name}"'s domain ${owner.domain}; use a hostname under ${org.domain} or a domain no other organization owns`,
                );
            }
        });
    }
}

function checkUniqueAcrossStack(
    organizations: readonly OrganizationSpec[],
    valid: ReadonlyArray<{ parsed: ParsedFile; raw: RawCatalogFile }>,
    sink: ProblemSink,
): void {
    const parsedOf = new Map(valid.map((v) => [v.raw.organization, v]));
    for (const { key, what } of uniqueNames) {
        const owners = new Map<string, { org: string; app: string }>();
        for (const org of organizations) {
            for (const app of org.apps) {
                const value = app.names[key];
                const owner = owners.get(value);
                const source = parsedOf.get(org.name);
                if (owner === undefined) {
                    owners.set(value, { org: org.name, app: app.name });
                } else if (source !== undefined) {
                    const index = source.raw.apps.findIndex((a) => a.name === app.name);
                    sink.add(
                        source.parsed,
                        ["apps", index, key === "hostname" ? "hostname" : "name"],
                        `${what} "${value}" is already used by app "${owner.app}" of organization "${owner.org}"`,
                        {
                            organization: org.name,
                            app: app.name,
                        },
                    );
                }
            }
        }
    }
}
