/**
 * What each app type gets: which links, which port and probe, which secret keys and
 * which plain environment. Pure: no Pulumi, no I/O.
 */
import type { AppNames } from "./naming";

export const appTypes = ["hyperfy2", "eliza", "custom"] as const;
export type AppType = (typeof appTypes)[number];

/** Container resources in Kubernetes quantity notation. */
export interface Resources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Defaults and fixed facts of one app type. */
export interface AppTypeProfile {
    /** Whether the app gets a schema; `"always"` means the catalog cannot turn it off. */
    readonly database: boolean | "always";
    /** Whether the app gets S3 folders; `"always"` means the catalog cannot turn it off. */
    readonly storage: boolean | "always";
    /** Container port, or undefined when the catalog must give one. */
    readonly port?: number;
    /** Whether the runtime always listens on `port`, so the catalog cannot change it. */
    readonly fixedPort?: boolean;
    readonly probePath: string;
    readonly timeoutSeconds: number;
    readonly scale: { readonly min: number; readonly max: number };
    readonly resources: Resources;
    /** Keys the secret always carries, empty where no value is known. */
    readonly secretKeys: readonly string[];
}

/** The twelve keys the Hyperfy2 runtime reads from its secret. */
export const hyperfy2SecretKeys = [
    "ADMIN_CODE",
    "ASSETS_S3_URI",
    "DB_SCHEMA",
    "DB_URI",
    "JWT_SECRET",
    "LIVEKIT_API_KEY",
    "LIVEKIT_API_SECRET",
    "LIVEKIT_WS_URL",
    "AI_PROVIDER",
    "AI_MODEL",
    "AI_EFFORT",
    "AI_API_KEY",
] as const;

const aiKeys = ["AI_PROVIDER", "AI_MODEL", "AI_EFFORT", "AI_API_KEY"] as const;

const smallResources: Resources = {
    requests: { cpu: "100m", memory: "128Mi" },
    limits: { cpu: "1000m", memory: "1Gi" },
};

export const appTypeProfiles: Readonly<Record<AppType, AppTypeProfile>> = {
    hyperfy2: {
        database: "always",
        storage: "always",
        port: 3000,
        fixedPort: true,
        probePath: "/health",
        // Worlds hold websockets open; KNative's request timeout caps a connection's life.
        timeoutSeconds: 3600,
        scale: { min: 0, max: 1 },
        resources: {
            requests: { cpu: "256m", memory: "256Mi" },
            limits: { cpu: "2048m", memory: "4096Mi" },
        },
        secretKeys: hyperfy2SecretKeys,
    },
    eliza: {
        database: false,
        storage: false,
        port: 3000,
        probePath: "/",
        timeoutSeconds: 300,
        scale: { min: 0, max: 1 },
        resources: {
            requests: { cpu: "250m", memory: "512Mi" },
            limits: { cpu: "1000m", memory: "2Gi" },
        },
        secretKeys: aiKeys,
    },
    custom: {
        database: false,
        storage: false,
        probePath: "/",
        timeoutSeconds: 300,
        scale: { min: 0, max: 1 },
        resources: smallResources,
        secretKeys: [],
    },
};

/** The keys of an app's secret: its type's fixed keys, plus the database and storage keys when it has those links. */
export function secretKeysOf(type: AppType, links: { readonly database: boolean; readonly storage: boolean }): string[] {
    const keys = new Set<string>(appTypeProfiles[type].secretKeys);
    if (links.database) {
        keys.add("DB_URI");
        keys.add("DB_SCHEMA");
    }
    if (links.storage) keys.add("ASSETS_S3_URI");
    return [...keys];
}

/** Inputs of the plain (non-secret) environment of one app. */
export interface PlainEnvInputs {
    readonly app: string;
    readonly type: AppType;
    readonly names: AppNames;
    /** Public base URL of the statics bucket, e.g. `https://statics.numinia.xyz`. */
    readonly assetsBaseUrl: string;
    readonly storage: boolean;
    /** `aws-sdk` delivery tells the app which secret to read. */
    readonly secretDelivery: SecretDeliveryMode;
    /** The catalog's `env`, applied last. */
    readonly catalogEnv: Readonly<Record<string, string>>;
}

export type SecretDeliveryMode = "external-secrets" | "aws-sdk";

/** Public URL of an app's assets: `{assetsBaseUrl}/{prefix}/{org}/{app}/{env}/assets`. */
export const assetsUrlOf = (assetsBaseUrl: string, names: AppNames): string =>
    `${assetsBaseUrl.replace(/\/+$/, "")}/${names.s3Prefix}/assets`;

/** The plain environment of one app's container, in a stable order. */
export function plainEnvOf(inputs: PlainEnvInputs): Record<string, string> {
    const { names } = inputs;
    const env: Record<string, string> = {};
    if (inputs.type === "hyperfy2") {
        env.WORLD = inputs.app;
        env.PUBLIC_WS_URL = `wss://${names.hostname}/ws`;
        env.PUBLIC_API_URL = `https://${names.hostname}/api`;
        env.ASSETS = "s3";
        env.ASSETS_BASE_URL = assetsUrlOf(inputs.assetsBaseUrl, names);
        env.PUBLIC_MAX_UPLOAD_SIZE = "12";
        env.SAVE_INTERVAL = "60";
        env.CLEAN = "true";
    } else if (inputs.storage) {
        env.ASSETS_BASE_URL = assetsUrlOf(inputs.assetsBaseUrl, names);
    }
    if (inputs.secretDelivery === "aws-sdk") env.APP_SECRET_ID = names.secret;
    return { ...env, ...inputs.catalogEnv };
}
