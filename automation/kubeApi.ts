/**
 * A thin, read-only Kubernetes API client for the preflight: the stack's kubeconfig and context
 * (`tenant-apps:kubernetes`, the same binding the program's provider uses), GET of JSON only.
 * Thin on purpose: three GETs do not justify @kubernetes/client-node, and the credentials come
 * from the kubeconfig as kubectl reads them (a bearer token, a client certificate, or an exec
 * plugin such as `aws eks get-token`, client.authentication.k8s.io ExecCredential).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import type { ClusterConfig } from "../model/cluster";

/** Where and how to reach one API server. */
export interface KubeTarget {
    readonly server: string;
    readonly ca?: Buffer;
    readonly clientCert?: Buffer;
    readonly clientKey?: Buffer;
    /** Returns the bearer token, if the user has one (a static token or an exec plugin's). */
    readonly token: () => Promise<string | undefined>;
}

interface Named<T> {
    readonly name: string;
    readonly [key: string]: unknown;
    readonly cluster?: T;
    readonly user?: T;
    readonly context?: T;
}
interface Kubeconfig {
    readonly "current-context"?: string;
    readonly clusters?: Named<{ server?: string; "certificate-authority-data"?: string; "certificate-authority"?: string }>[];
    readonly users?: Named<{
        token?: string;
        "client-certificate-data"?: string;
        "client-key-data"?: string;
        exec?: { command: string; args?: string[]; env?: { name: string; value: string }[] | null };
    }>[];
    readonly contexts?: Named<{ cluster?: string; user?: string }>[];
}

/** The kubeconfig file the stack names: `kubeconfig`, else `$kubeconfigEnv`, else `$KUBECONFIG`, else ~/.kube/config. */
export function kubeconfigPathOf(cluster: ClusterConfig, env: NodeJS.ProcessEnv): string {
    const fromEnv = cluster.kubeconfigEnv !== undefined ? env[cluster.kubeconfigEnv] : undefined;
    if (cluster.kubeconfigEnv !== undefined && (fromEnv === undefined || fromEnv === ""))
        throw new Error(`$${cluster.kubeconfigEnv} is not set (tenant-apps:kubernetes.kubeconfigEnv)`);
    return (
        cluster.kubeconfig ?? fromEnv ?? env.KUBECONFIG?.split(path.delimiter)[0] ?? path.join(env.HOME ?? os.homedir(), ".kube", "config")
    );
}

/** The API server, CA and credentials of the stack's context. */
export function kubeTargetOf(cluster: ClusterConfig, env: NodeJS.ProcessEnv = process.env): KubeTarget {
    const file = kubeconfigPathOf(cluster, env);
    const config = parseYaml(fs.readFileSync(file, "utf8")) as Kubeconfig;
    const contextName = cluster.context ?? config["current-context"];
    const context = config.contexts?.find((c) => c.name === contextName)?.context;
    if (context === undefined) throw new Error(`${file}: no context ${JSON.stringify(contextName)}`);
    const clusterEntry = config.clusters?.find((c) => c.name === context.cluster)?.cluster;
    if (clusterEntry?.server === undefined) throw new Error(`${file}: context ${contextName} names no cluster with a server`);
    const user = config.users?.find((u) => u.name === context.user)?.user ?? {};
    const b64 = (value: string | undefined) => (value !== undefined ? Buffer.from(value, "base64") : undefined);
    const ca = b64(clusterEntry["certificate-authority-data"]) ?? readIf(clusterEntry["certificate-authority"]);
    const exec = user.exec;
    return {
        server: clusterEntry.server.replace(/\/+$/, ""),
        ...(ca !== undefined ? { ca } : {}),
        ...(user["client-certificate-data"] !== undefined ? { clientCert: b64(user["client-certificate-data"]) } : {}),
        ...(user["client-key-data"] !== undefined ? { clientKey: b64(user["client-key-data"]) } : {}),
        token: async () => {
            if (user.token !== undefined) return user.token;
            if (exec === undefined) return undefined;
            const extra = Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value]));
            const out = await new Promise<string>((resolve, reject) =>
                execFile(exec.command, exec.args ?? [], { env: { ...env, ...extra }, timeout: 60_000 }, (error, stdout) =>
                    error ? reject(new Error(`kubeconfig exec plugin ${exec.command} failed: ${error.message}`)) : resolve(stdout),
                ),
            );
            const token = (JSON.parse(out) as { status?: { token?: string } }).status?.token;
            if (token === undefined) throw new Error(`kubeconfig exec plugin ${exec.command} returned no status.token`);
            return token;
        },
    };
}

const readIf = (file: string | undefined) => (file !== undefined ? fs.readFileSync(file) : undefined);

/** GET `apiPath` as JSON; a non-2xx answer is an error naming the path and status (never the token). */
export async function kubeGet(target: KubeTarget, apiPath: string): Promise<unknown> {
    const token = await target.token();
    const url = new URL(target.server + apiPath);
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const request = client.request(
            url,
            {
                method: "GET",
                headers: { accept: "application/json", ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) },
                ...(target.ca !== undefined ? { ca: target.ca } : {}),
                ...(target.clientCert !== undefined ? { cert: target.clientCert } : {}),
                ...(target.clientKey !== undefined ? { key: target.clientKey } : {}),
                timeout: 30_000,
            },
            (response) => {
                let body = "";
                response.setEncoding("utf8");
                response.on("data", (chunk: string) => (body += chunk));
                response.on("end", () => {
                    const status = response.statusCode ?? 0;
                    if (status < 200 || status >= 300) reject(new Error(`GET ${apiPath}: HTTP ${status}`));
                    else resolve(JSON.parse(body) as unknown);
                });
            },
        );
        request.on("timeout", () => request.destroy(new Error(`GET ${apiPath}: timed out`)));
        request.on("error", reject);
        request.end();
    });
}
