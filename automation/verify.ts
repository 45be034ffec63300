/**
 * `npm run verify -- --stack S`: does every app of the stack answer at its URL? For each app
 * of the stack's catalog, its hostname resolves to the gateway, TLS completes with a
 * certificate valid for the hostname and not expiring soon, and its health path answers 2xx.
 * It reads the catalog and config like the render (no Pulumi CLI, no credentials) and only
 * looks the apps up from outside, as their users would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommand, settle, usageError, type CommandSpec } from "../cli/command";
import { configNamespace, rawPlatformConfigOf } from "../model/config";
import { loadStack } from "../model/stack";
import { readStackConfig } from "../model/stackConfig";
import { checkStack, ExitCode, findProjectDir, knownStacks, runMain, type Console } from "./cli";
import { renderTable } from "./markdown";
import { verifyApp, type AppVerification, type VerifyOptions, type VerifyTarget } from "./verifyChecks";

export const usage = `Usage: npm run verify -- --stack <stack> [--gateway <hostname>] [options]

Checks, for every app of the stack's catalog, what its users need:
  dns     the hostname is a CNAME to the gateway, or resolves only to the gateway's addresses
  tls     TLS completes with a certificate valid for the hostname, trusted, and not expiring
          within --min-days days
  health  GET https://<hostname><health path> answers 2xx (the path the cluster probes)
Prints one row per app (or --json) and exits 1 when any app fails a check.

Options:
  --stack <stack>           the stack whose catalog to check (pre or pro)
  --gateway <hostname>      the gateway's hostname (the Kourier load balancer's); default:
                            the stack's tenant-apps:dns.target
  --app <org/app>           check only this app (may repeat)
  --min-days <n>            fail a certificate valid for fewer days (default 14)
  --dns-server <host[:port]>  ask this DNS server instead of the system's (may repeat), e.g.
                            the registrar's, to check a record before it has propagated
  --ca <file>               trust this PEM CA bundle instead of Node's
  --https-port <n>          connect to this port instead of 443
  --timeout-seconds <n>     bound on each lookup, handshake and request (default 10)
  --catalog <dir>, --config <file>  another catalog or stack config, as for render
  --json                    print the results as JSON
  -h, --help                show this help

Exit codes: 0 every app answers, 1 an app fails a check (or the catalog is invalid), 64 bad arguments.
`;

export const command: CommandSpec = {
    name: "verify",
    usage,
    options: {
        stack: { type: "string", short: "s" },
        gateway: { type: "string" },
        app: { type: "string", multiple: true },
        "min-days": { type: "string" },
        "dns-server": { type: "string", multiple: true },
        ca: { type: "string" },
        "https-port": { type: "string" },
        "timeout-seconds": { type: "string" },
        catalog: { type: "string" },
        config: { type: "string" },
        json: { type: "boolean" },
    },
};

export interface VerifyCommand {
    readonly stack: string;
    /** Overrides the stack's `tenant-apps:dns.target`. */
    readonly gateway?: string;
    readonly apps: readonly string[];
    readonly minDays: number;
    readonly dnsServers: readonly string[];
    readonly caFile?: string;
    readonly httpsPort: number;
    readonly timeoutSeconds: number;
    readonly catalog?: string;
    readonly config?: string;
    readonly json: boolean;
}

/** A DNS hostname of at least two labels (a trailing dot allowed). */
const isHostname = (name: string): boolean => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?$/i.test(name);

/** A whole number within bounds, or a usage error naming the flag. */
function count(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
        usageError(`--${flag} must be a whole number from ${min} to ${max}`);
    return Number(value);
}

export function parseVerifyArgs(argv: readonly string[], stacks: readonly string[]) {
    return parseCommand<VerifyCommand>(command, argv, (args) => {
        const stack = args.string("stack");
        const problem = checkStack(stack, stacks);
        if (problem !== undefined) usageError(problem);
        const gateway = args.string("gateway");
        if (gateway !== undefined && !isHostname(gateway))
            usageError("--gateway must be the gateway's hostname, e.g. the Kourier load balancer's (a1b2.elb.eu-west-1.amazonaws.com)");
        return {
            stack: stack as string,
            gateway,
            apps: args.strings("app"),
            minDays: count(args.string("min-days"), "min-days", 14, 0, 3650),
            dnsServers: args.strings("dns-server"),
            caFile: args.string("ca"),
            httpsPort: count(args.string("https-port"), "https-port", 443, 1, 65535),
            timeoutSeconds: count(args.string("timeout-seconds"), "timeout-seconds", 10, 1, 600),
            catalog: args.string("catalog"),
            config: args.string("config"),
            json: args.boolean("json"),
        };
    });
}

/** The apps of a stack as targets, and the gateway its config names, if any. */
export interface StackTargets {
    readonly targets: VerifyTarget[];
    /** `tenant-apps:dns.target`: the hostname every app's record points at. */
    readonly gateway?: string;
}

/** Every app of the stack's catalog as a target, read like the render reads them. */
export function targetsOf(
    stack: string,
    projectDir: string,
    files: { readonly catalog?: string; readonly config?: string } = {},
): StackTargets {
    const configFile = files.config ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
    const values = { ...readStackConfig(configFile).config };
    // Another catalog is named the way the render names it: as the stack's catalogDir.
    if (files.catalog !== undefined) values[`${configNamespace}:catalogDir`] = files.catalog;
    const { platform, catalog } = loadStack(
        stack,
        rawPlatformConfigOf((key) => values[key], Object.keys(values)),
        projectDir,
        configFile,
    );
    const targets = catalog.organizations.flatMap((org) =>
        org.apps.map((app) => ({ app: `${org.name}/${app.name}`, hostname: app.names.hostname, healthPath: app.probePath })),
    );
    // Every app's record points at the stack's gateway, whoever makes it (model/dns.ts `TenantAppSpec.dns`).
    return { targets, ...(platform.dns.target !== undefined ? { gateway: platform.dns.target } : {}) };
}

/** Checks every target, a few at a time, in the targets' order. */
export async function verifyAll(targets: readonly VerifyTarget[], options: VerifyOptions, parallel = 4): Promise<AppVerification[]> {
    const results: AppVerification[] = new Array<AppVerification>(targets.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < targets.length; i = next++) results[i] = await verifyApp(targets[i] as VerifyTarget, options);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, targets.length) }, worker));
    return results;
}

const mark = (ok: boolean, detail: string): string => `${ok ? "ok" : "FAIL"}: ${detail}`;

/** One row per app: each check's verdict and what was seen. */
export function renderVerifyTable(results: readonly AppVerification[]): string {
    if (results.length === 0) return "No tenant apps in this stack.\n";
    const failed = results.filter((r) => !r.ok).length;
    const table = renderTable(
        ["app", "hostname", "dns", "tls", "health"],
        results.map((r) => [
            r.app,
            r.hostname,
            mark(r.dns.ok, r.dns.detail),
            mark(r.tls.ok, r.tls.detail),
            mark(r.health.ok, r.health.detail),
        ]),
    );
    return `${table}\n${failed === 0 ? `every app answers (${results.length})` : `${failed} of ${results.length} apps fail a check`}\n`;
}

export async function main(argv: readonly string[], con: Console, projectDir = findProjectDir()): Promise<number> {
    const parsed = settle(parseVerifyArgs(argv, knownStacks(projectDir)), command, con);
    if (typeof parsed === "number") return parsed;
    let stack: StackTargets;
    let ca: string | undefined;
    try {
        const files = { catalog: parsed.catalog && path.resolve(parsed.catalog), config: parsed.config && path.resolve(parsed.config) };
        stack = targetsOf(parsed.stack.split("/").pop() as string, projectDir, files);
        ca = parsed.caFile === undefined ? undefined : fs.readFileSync(parsed.caFile, "utf8");
    } catch (error) {
        con.err(`error: ${(error as Error).message}\n`);
        return 1;
    }
    const gateway = parsed.gateway ?? stack.gateway;
    if (gateway === undefined) {
        con.err(`error: stack ${parsed.stack} names no gateway (tenant-apps:dns.target): pass --gateway <hostname>\n`);
        return 64;
    }
    const { targets } = stack;
    const unknown = parsed.apps.filter((a) => !targets.some((t) => t.app === a));
    if (unknown.length > 0) {
        con.err(`error: not an app of stack ${parsed.stack}: ${unknown.join(", ")}\n`);
        return 64;
    }
    const chosen = parsed.apps.length === 0 ? targets : targets.filter((t) => parsed.apps.includes(t.app));
    const results = await verifyAll(chosen, {
        gateway,
        dnsServers: parsed.dnsServers,
        ca,
        httpsPort: parsed.httpsPort,
        minDaysValid: parsed.minDays,
        timeoutMs: parsed.timeoutSeconds * 1000,
        now: new Date(),
    });
    con.out(parsed.json ? `${JSON.stringify(results, undefined, 2)}\n` : renderVerifyTable(results));
    return results.every((r) => r.ok) ? 0 : 1;
}

/**
 * What deploy runs after a successful update: every app of the stack, checked from here with
 * the system's resolver and CAs. Returns deploy's exit code.
 */
export async function verifyAfterDeploy(con: Console, projectDir: string, stack: string, gatewayOverride?: string): Promise<number> {
    const short = stack.split("/").pop() as string;
    let loaded: StackTargets;
    try {
        loaded = targetsOf(short, projectDir);
    } catch (error) {
        con.err(`warning: not verified: ${(error as Error).message}\n`);
        return ExitCode.notAnswering;
    }
    const gateway = gatewayOverride ?? loaded.gateway;
    if (gateway === undefined) {
        con.err(
            `not verified: stack ${short} names no gateway (tenant-apps:dns.target); check the apps with npm run verify -- --stack ${short} --gateway <hostname>\n`,
        );
        return ExitCode.ok;
    }
    con.err(`\n== checking that every app of stack ${short} answers at its URL\n`);
    const results = await verifyAll(loaded.targets, { gateway, minDaysValid: 14, timeoutMs: 10_000, now: new Date() });
    con.out(`\n### Verified stack \`${short}\`\n\n${renderVerifyTable(results)}`);
    return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.notAnswering;
}

if (require.main === module) runMain(main);
