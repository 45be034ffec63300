/** What the pack's checks know about the stack they check, and what they report. Pure. */
import type { PlatformConfig } from "../model/config";
import type { Environment } from "../model/naming";
import { awsTagKeys } from "../model/rules";
import { at } from "./bag";

export type TlsMode = PlatformConfig["tls"]["mode"];

/** What the rules need to know about the stack they check. */
export interface PolicyContext {
    /** The stack's environment; `pro` turns on the production-only rules. */
    readonly environment: Environment;
    /** The shared bucket's key prefix every tenant object must live under (`""` = bucket root). */
    readonly storagePrefix: string;
    /** The stack's `names.assetsSegment` pattern (default `{env}`): the last segment of an app's own S3 prefix. */
    readonly assetsSegment?: string;
    /** When given, the shared bucket every tenant object must live in. */
    readonly bucket?: string;
    /** When given, the only OIDC provider an IRSA trust policy may federate. */
    readonly oidcProviderArn?: string;
    /** How DomainMappings get certificates; `external-domain-tls` (the default) needs no `spec.tls`. */
    readonly tlsMode?: TlsMode;
}

/** A resource as the render records it (type token, logical name, inputs, options when known). */
export interface CheckedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The `protect` option, when the caller knows it. */
    readonly protect?: boolean;
    /** The URN, when the caller knows it; carried into violations. */
    readonly urn?: string;
}

/** One violation of a policy; every policy of the pack is mandatory. */
export interface Violation {
    readonly policy: string;
    /** Logical name of the resource (of the namespace, for stack-level findings). */
    readonly resource: string;
    readonly message: string;
    /** URN of that resource, when the caller gave one. */
    readonly urn?: string;
}

/** The policy context of a validated stack config, as render and the pack config files use it. */
export function policyContextOf(platform: PlatformConfig): PolicyContext {
    return {
        environment: platform.env,
        storagePrefix: platform.storage.prefix,
        assetsSegment: platform.names.assetsSegment,
        bucket: platform.storage.bucket,
        oidcProviderArn: platform.cluster.oidcProviderArn,
        tlsMode: platform.tls.mode,
    };
}

/** The environment a resource declares through its AWS tags, if any. */
export function environmentOf(props: Record<string, unknown>): Environment | undefined {
    const env = at(props, "tags", awsTagKeys.environment);
    return env === "pre" || env === "pro" ? env : undefined;
}
