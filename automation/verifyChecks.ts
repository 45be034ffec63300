/**
 * The outcome checks of one app after an update: its hostname resolves to the gateway, TLS
 * completes with a certificate valid for the hostname and not about to expire, and its health
 * path answers 2xx. Every network operation goes through the options given (the resolver's
 * servers, the CA, the HTTPS port), so the tests run them against servers on 127.0.0.1 only.
 */
import { Resolver } from "node:dns/promises";
import * as https from "node:https";
import * as tls from "node:tls";

/** One app to check: where users reach it. */
export interface VerifyTarget {
    /** `org/app`. */
    readonly app: string;
    readonly hostname: string;
    /** The path the cluster probes, e.g. `/health`. */
    readonly healthPath: string;
}

/** How to reach the world; the defaults are the system's resolver, CAs and port 443. */
export interface VerifyOptions {
    /** The gateway every hostname must lead to (the Kourier load balancer's hostname). */
    readonly gateway: string;
    /** DNS servers as `host` or `host:port`; the system's when empty. */
    readonly dnsServers?: readonly string[];
    /** PEM CA bundle to trust instead of Node's (a test CA, or a private issuer). */
    readonly ca?: string;
    readonly httpsPort?: number;
    /** A certificate expiring within this many days fails. */
    readonly minDaysValid: number;
    /** Bound on each network operation, so a silent peer cannot hang the command. */
    readonly timeoutMs: number;
    /** Today, for the expiry arithmetic. */
    readonly now: Date;
}

/** One check's verdict, with what was seen in words. */
export interface CheckResult {
    readonly ok: boolean;
    readonly detail: string;
}

/** Every verdict for one app; `ok` only when all three passed. */
export interface AppVerification {
    readonly app: string;
    readonly hostname: string;
    readonly dns: CheckResult;
    readonly tls: CheckResult & { readonly validTo?: string; readonly daysLeft?: number };
    readonly health: CheckResult & { readonly status?: number };
    readonly ok: boolean;
}

const dayMs = 86_400_000;
const bare = (name: string): string => name.toLowerCase().replace(/\.$/, "");

/** A resolver bound to the options' servers. */
function resolverOf(options: VerifyOptions): Resolver {
    const resolver = new Resolver({ timeout: options.timeoutMs, tries: 2 });
    if (options.dnsServers !== undefined && options.dnsServers.length > 0) resolver.setServers([...options.dnsServers]);
    return resolver;
}

/** The error code of a failed lookup (`ENOTFOUND`, `ENODATA`, …). */
const codeOf = (error: unknown): string => (error as { code?: string }).code ?? (error as Error).message;

/** IPv4 addresses of `name`, or [] when it has none. */
async function addressesOf(resolver: Resolver, name: string): Promise<string[]> {
    try {
        return await resolver.resolve4(name);
    } catch (error) {
        if (["ENODATA", "ENOTFOUND"].includes(codeOf(error))) return [];
        throw error;
    }
}

/**
 * The hostname leads to the gateway: a CNAME to the gateway's hostname, or addresses that are
 * all the gateway's own (an apex record, or an organization's wildcard). Resolves the address
 * to connect to along the way.
 */
export async function checkDns(
    target: VerifyTarget,
    options: VerifyOptions,
): Promise<{ readonly result: CheckResult; readonly address?: string }> {
    const resolver = resolverOf(options);
    const gateway = bare(options.gateway);
    try {
        let cname: string[] = [];
        try {
            cname = await resolver.resolveCname(target.hostname);
        } catch (error) {
            if (!["ENODATA", "ENOTFOUND"].includes(codeOf(error))) throw error;
        }
        const gatewayAddresses = await addressesOf(resolver, gateway);
        if (cname.length > 0) {
            const to = bare(cname[0] ?? "");
            if (to !== gateway) return { result: { ok: false, detail: `CNAME to ${to}, not the gateway ${gateway}` } };
            const address = gatewayAddresses[0];
            if (address === undefined) return { result: { ok: false, detail: `CNAME to the gateway, but ${gateway} has no address` } };
            return { result: { ok: true, detail: `CNAME to the gateway` }, address };
        }
        const addresses = await addressesOf(resolver, target.hostname);
        if (addresses.length === 0) return { result: { ok: false, detail: "does not resolve (no CNAME and no address)" } };
        const foreign = addresses.filter((a) => !gatewayAddresses.includes(a));
        if (foreign.length > 0) return { result: { ok: false, detail: `resolves to ${foreign.join(", ")}, not the gateway's address` } };
        return { result: { ok: true, detail: `A ${addresses.join(", ")} (the gateway's)` }, address: addresses[0] };
    } catch (error) {
        return { result: { ok: false, detail: `lookup failed: ${codeOf(error)}` } };
    }
}

/** Opens TLS to `address` as `hostname` and judges the certificate it presents. */
export function checkTls(target: VerifyTarget, address: string, options: VerifyOptions): Promise<AppVerification["tls"]> {
    return new Promise((resolve) => {
        const socket = tls.connect({
            host: address,
            port: options.httpsPort ?? 443,
            servername: target.hostname,
            ca: options.ca,
            // Judged below, so an expired or wrong-name certificate is reported, not just refused.
            rejectUnauthorized: false,
        });
        const finish = (result: AppVerification["tls"]) => {
            socket.destroy();
            resolve(result);
        };
        socket.setTimeout(options.timeoutMs, () => finish({ ok: false, detail: `no TLS handshake within ${options.timeoutMs} ms` }));
        socket.once("error", (error) => finish({ ok: false, detail: `TLS failed: ${codeOf(error)}` }));
        socket.once("secureConnect", () => {
            const certificate = socket.getPeerCertificate();
            const validTo = new Date(certificate.valid_to).toISOString();
            const daysLeft = Math.floor((Date.parse(certificate.valid_to) - options.now.getTime()) / dayMs);
            const nameProblem = tls.checkServerIdentity(target.hostname, certificate);
            if (nameProblem !== undefined)
                return finish({ ok: false, detail: `certificate is not valid for ${target.hostname}`, validTo, daysLeft });
            if (!socket.authorized)
                return finish({ ok: false, detail: `certificate refused: ${String(socket.authorizationError)}`, validTo, daysLeft });
            if (daysLeft < options.minDaysValid)
                return finish({
                    ok: false,
                    detail: `certificate expires in ${daysLeft} days (fewer than ${options.minDaysValid})`,
                    validTo,
                    daysLeft,
                });
            finish({ ok: true, detail: `valid until ${validTo.slice(0, 10)} (${daysLeft} days)`, validTo, daysLeft });
        });
    });
}

/** GETs the health path over verified HTTPS; 2xx passes. */
export function checkHealth(target: VerifyTarget, address: string, options: VerifyOptions): Promise<AppVerification["health"]> {
    return new Promise((resolve) => {
        const request = https.get(
            {
                host: address,
                port: options.httpsPort ?? 443,
                servername: target.hostname,
                headers: { host: target.hostname },
                path: target.healthPath,
                ca: options.ca,
                agent: false,
                timeout: options.timeoutMs,
            },
            (response) => {
                response.resume();
                const status = response.statusCode ?? 0;
                const ok = status >= 200 && status < 300;
                resolve({ ok, status, detail: `GET ${target.healthPath} → ${status}` });
            },
        );
        request.once("timeout", () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
        request.once("error", (error) => resolve({ ok: false, detail: `GET ${target.healthPath} failed: ${codeOf(error)}` }));
    });
}

/** DNS, then TLS and health against the address DNS gave; a later check that cannot run says why. */
export async function verifyApp(target: VerifyTarget, options: VerifyOptions): Promise<AppVerification> {
    const dns = await checkDns(target, options);
    const notRun = (why: string): CheckResult => ({ ok: false, detail: `not checked: ${why}` });
    if (dns.address === undefined) {
        const result = notRun("the hostname does not lead to the gateway");
        return { app: target.app, hostname: target.hostname, dns: dns.result, tls: result, health: result, ok: false };
    }
    const tlsResult = await checkTls(target, dns.address, options);
    const health = tlsResult.ok ? await checkHealth(target, dns.address, options) : notRun("TLS failed");
    return {
        app: target.app,
        hostname: target.hostname,
        dns: dns.result,
        tls: tlsResult,
        health,
        ok: dns.result.ok && tlsResult.ok && health.ok,
    };
}
