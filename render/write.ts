/**
 * The files of a render, built in memory from a plan (pure), and written to the output
 * directory in one step: to a temporary sibling directory first, then renamed into place,
 * so a failed render never leaves a half-written directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { describeCluster } from "../model/cluster";
import { adoptionLines } from "./adoption";
import { lastMileMarkdown } from "./dnsAndSeeding";
import { codeSpan } from "./markdown";
import { isKubernetesType, typeTokens } from "../model/typeTokens";
import { canonical, stableJson, type AppRow, type Plan, type PlanResource } from "./plan";

/** Relative path (with `/`) → file content. Sorted by path. */
export type RenderFiles = ReadonlyMap<string, string>;

/** Name of the file that marks a directory as a render's output (safe to replace). */
export const planFile = "plan.json";

const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, "_");

/** The Kubernetes object a `kubernetes:*` resource registers: its inputs are the manifest. */
export function kubernetesObjectOf(r: PlanResource): Record<string, unknown> | undefined {
    if (!r.custom || !isKubernetesType(r.type)) return undefined;
    const { apiVersion, kind, metadata } = r.inputs as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
    if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof metadata !== "object" || metadata === null) return undefined;
    return r.inputs;
}

/** `k8s/<namespace>/<kind>-<name>.yaml`; cluster-scoped objects go under `k8s/_cluster/`. */
function kubernetesPath(object: Record<string, unknown>, withGroup: boolean): string {
    const metadata = object.metadata as { name?: unknown; namespace?: unknown };
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "_cluster";
    const kind = String(object.kind).toLowerCase();
    const group = String(object.apiVersion).includes("/") ? String(object.apiVersion).split("/")[0] : "core";
    return `k8s/${fileSafe(namespace)}/${withGroup ? `${kind}.${group}` : kind}-${fileSafe(String(metadata.name))}.yaml`;
}

/** Every Kubernetes object of the plan, by output path. Kinds that exist in two API groups get the group in their file name. */
export function kubernetesFiles(plan: Plan): Map<string, Record<string, unknown>> {
    const objects = plan.resources.map(kubernetesObjectOf).filter((o): o is Record<string, unknown> => o !== undefined);
    const groupsByKind = new Map<string, Set<string>>();
    for (const o of objects) {
        const kind = String(o.kind).toLowerCase();
        groupsByKind.set(kind, (groupsByKind.get(kind) ?? new Set()).add(String(o.apiVersion).split("/")[0] ?? ""));
    }
    const files = new Map<string, Record<string, unknown>>();
    for (const o of objects) {
        const file = kubernetesPath(o, (groupsByKind.get(String(o.kind).toLowerCase())?.size ?? 0) > 1);
        if (files.has(file)) throw new Error(`two Kubernetes objects would be written to ${file}`);
        files.set(file, o);
    }
    return files;
}

/** A manifest as YAML: apiVersion, kind, metadata, spec first; everything else sorted. */
export function manifestYaml(object: Record<string, unknown>): string {
    const sorted = canonical(object) as Record<string, unknown>;
    const ordered: Record<string, unknown> = {};
    for (const key of ["apiVersion", "kind", "metadata", "spec"]) if (key in sorted) ordered[key] = sorted[key];
    for (const key of Object.keys(sorted)) if (!(key in ordered)) ordered[key] = sorted[key];
    return stringify(ordered, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A policy document string as indented JSON; a masked or non-JSON value is kept as a string. */
function policyJson(value: unknown): string {
    if (typeof value === "string") {
        try {
            return stableJson(JSON.parse(value));
        } catch {
            return stableJson(value);
        }
    }
    return stableJson(value);
}

/**
 * `iam/<role>.trust.json` and `iam/<role>.policy.json` (or `<role>.<policy>.policy.json` when a role has
 * several), and `iam/<user>.user-policy.json` for each IAM user.
 */
export function iamFiles(plan: Plan): Map<string, string> {
    const files = new Map<string, string>();
    for (const role of plan.resources.filter((r) => r.type === typeTokens.iamRole)) {
        const name = typeof role.inputs.name === "string" ? role.inputs.name : role.name;
        files.set(`iam/${fileSafe(name)}.trust.json`, policyJson(role.inputs.assumeRolePolicy));
    }
    const policies = plan.resources.filter((r) => r.type === typeTokens.iamRolePolicy);
    const perRole = new Map<string, number>();
    for (const p of policies) perRole.set(String(p.inputs.role), (perRole.get(String(p.inputs.role)) ?? 0) + 1);
    for (const p of policies) {
        const role = String(p.inputs.role);
        const file = (perRole.get(role) ?? 0) > 1 ? `${role}.${String(p.inputs.name)}` : role;
        files.set(`iam/${fileSafe(file)}.policy.json`, policyJson(p.inputs.policy));
    }
    // A hyperfy2 world's assets user (its ASSETS_S3_URI carries static keys): its policy beside the roles'.
    for (const p of plan.resources.filter((r) => r.type === typeTokens.iamUserPolicy)) {
        files.set(`iam/${fileSafe(String(p.inputs.user))}.user-policy.json`, policyJson(p.inputs.policy));
    }
    return files;
}

/** A table cell: the value in a code span it cannot leave (render/markdown.ts), or — when absent. */
const cell = (value: string | undefined): string => (value === undefined || value === "" ? "—" : codeSpan(value, { inTable: true }));

/** Which cluster the stack's Kubernetes provider is bound to (issue 12), as a summary line. */
function clusterLines(plan: Plan): string[] {
    const provider = plan.resources.find((r) => r.type === "pulumi:providers:kubernetes");
    if (!provider) return [];
    const { context, kubeconfig } = provider.inputs as { context?: unknown; kubeconfig?: unknown };
    const named = describeCluster({
        ...(typeof context === "string" ? { context } : {}),
        ...(typeof kubeconfig === "string" ? { kubeconfig } : {}),
    });
    return [`Kubernetes cluster: ${named === "" ? "(a kubeconfig held as a secret)" : named}`, ""];
}

/**
 * What a Hyperfy world's storage key can enumerate, said plainly whenever a user policy keeps the
 * bucket-wide init-probe grant (`tenant-apps:isolation.s3ListScope: bucket`, docs/platform.md).
 */
function storageListingLines(plan: Plan): string[] {
    const bucketWide = plan.resources
        .filter((r) => r.type === "aws:iam/userPolicy:UserPolicy" && typeof r.inputs.policy === "string")
        .filter((r) => String(r.inputs.policy).includes('"HyperfyInitProbe"'));
    if (bucketWide.length === 0) return [];
    return [
        `Storage listing: the S3 key of each of the ${bucketWide.length} Hyperfy world(s) can list the key NAMES of the whole ` +
            "bucket (one per request, all of them with start-after), other worlds' and private prefixes such as backups/ included; " +
            "it reads and writes objects only under its own prefix. Set tenant-apps:isolation.s3ListScope to prefix once the " +
            "image lists with its prefix (docs/platform.md).",
        "",
    ];
}

/** `summary.md`: one row per app. */
export function summaryMarkdown(plan: Plan): string {
    const header = ["Organization", "App", "Type", "URL", "Namespace", "Service", "Schema", "S3 prefix", "Secret", "Role"];
    const row = (a: AppRow) => [a.organization, a.app, a.type, a.url, a.namespace, a.service, a.schema, a.s3Prefix, a.secret, a.role];
    const lines = [
        `# Stack ${codeSpan(plan.stack)}: ${plan.apps.length} apps`,
        "",
        "Rendered under Pulumi's mock runtime; nothing was contacted. See plan.json for every resource.",
        "",
        ...clusterLines(plan),
        ...storageListingLines(plan),
        `| ${header.join(" | ")} |`,
        `| ${header.map(() => "---").join(" | ")} |`,
        ...plan.apps.map((a) => `| ${row(a).map(cell).join(" | ")} |`),
        "",
        ...lastMileMarkdown(plan.apps),
        ...adoptionLines(plan.resources, plan.stack),
    ];
    return lines.join("\n");
}

/** Every file of a render, sorted by path. */
export function renderFiles(plan: Plan): RenderFiles {
    const files = new Map<string, string>();
    files.set(planFile, stableJson(plan));
    for (const [file, object] of kubernetesFiles(plan)) files.set(file, manifestYaml(object));
    for (const [file, content] of iamFiles(plan)) files.set(file, content);
    files.set("summary.md", summaryMarkdown(plan));
    return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Values that must never appear in any output (secret inputs in the clear, secret config
 * values). Returns the path of the first file that holds one, or undefined.
 */
export function findLeak(files: RenderFiles, needles: readonly string[], extra: readonly string[] = []): string | undefined {
    const long = needles.filter((n) => n.length > 0);
    if (long.length === 0) return undefined;
    for (const [file, content] of [...files.entries(), ...extra.map((e, i): [string, string] => [`<output ${i}>`, e])]) {
        if (long.some((n) => content.includes(n))) return file;
    }
    return undefined;
}

/** Whether `dir` may be replaced: absent, empty, or a previous render's output. */
function replaceable(dir: string): boolean {
    if (!fs.existsSync(dir)) return true;
    if (!fs.statSync(dir).isDirectory()) return false;
    const entries = fs.readdirSync(dir);
    return entries.length === 0 || entries.includes(planFile);
}

/**
 * Writes the files to `outDir`, replacing a previous render there. Everything is written to a
 * temporary sibling first and renamed into place. Refuses to replace a directory that is not
 * a render's output. `rename` is replaceable for tests of a failing rename.
 */
export function writeRender(outDir: string, files: RenderFiles, rename: (from: string, to: string) => void = fs.renameSync): void {
    const target = path.resolve(outDir);
    if (!replaceable(target)) throw new Error(`${outDir}: exists and is not a render output (no ${planFile}); refusing to replace it`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.render-`));
    try {
        for (const [file, content] of files) {
            const full = path.join(staging, ...file.split("/"));
            fs.mkdirSync(path.dirname(full), { recursive: true });
            fs.writeFileSync(full, content);
        }
        if (fs.existsSync(target)) {
            const old = `${staging}.old`;
            rename(target, old);
            try {
                rename(staging, target);
            } catch (error) {
                // Put the previous render back, so a failed write never leaves the output missing.
                rename(old, target);
                throw error;
            }
            fs.rmSync(old, { recursive: true, force: true });
        } else {
            rename(staging, target);
        }
    } catch (error) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw error;
    }
}
