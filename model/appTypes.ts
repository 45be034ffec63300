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
    /**
     * What the database link is: a schema of its own in the shared database (`DB_URI` +
     * `DB_SCHEMA`), or a database of its own (`POSTGRES_URL`).
     */
    readonly databaseKind: "schema" | "database";
    /** Whether the runtime needs CREATE on the database (it runs `CREATE SCHEMA IF NOT EXISTS` itself). */
    readonly createsOwnSchema: boolean;
    /**
     * How the runtime reaches S3: static keys of a per-app IAM user inside `ASSETS_S3_URI`
     * (Hyperfy's parser accepts nothing else), or the pod's IRSA role.
     */
    readonly storageCredentials: "access-key" | "irsa";
}

/**
 * The twelve keys the platform's hyperfy2 chart pulls from the app's secret, each by name
 * (numinia-k8s `base/hyperfy2-knative/templates/external-secret.yaml` L15-62); a missing
 * property fails the sync, so all twelve are always written.
 */
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

/** Model providers an eliza agent can use, as @elizaos/core 1.7.2 picks plugins by key. */
export const elizaModelProviders = ["openai", "anthropic", "openrouter", "ollama"] as const;
export type ElizaModelProvider = (typeof elizaModelProviders)[number];

/**
 * What each provider reads. Keys: @elizaos/core 1.7.2 `buildCharacterPlugins`
 * (dist/node/index.node.js L46420-46437; plugin-ollama only when no LLM key is set). Model
 * names: the @elizaos/cli 1.7.2 .env template (dist/index.js L25220-25290) for openai,
 * anthropic and ollama; openrouter's are plugin-openrouter's names, not in that template.
 */
export const elizaProviderEnv: Readonly<
    Record<ElizaModelProvider, { readonly apiKey?: string; readonly smallModel: string; readonly largeModel: string }>
> = {
    openai: { apiKey: "OPENAI_API_KEY", smallModel: "OPENAI_SMALL_MODEL", largeModel: "OPENAI_LARGE_MODEL" },
    anthropic: { apiKey: "ANTHROPIC_API_KEY", smallModel: "ANTHROPIC_SMALL_MODEL", largeModel: "ANTHROPIC_LARGE_MODEL" },
    openrouter: { apiKey: "OPENROUTER_API_KEY", smallModel: "OPENROUTER_SMALL_MODEL", largeModel: "OPENROUTER_LARGE_MODEL" },
    ollama: { smallModel: "OLLAMA_SMALL_MODEL", largeModel: "OLLAMA_LARGE_MODEL" },
};

/** Per-agent settings of an eliza app, resolved from the catalog and the stack's default provider. */
export interface ElizaAgentSpec {
    readonly modelProvider: ElizaModelProvider;
    readonly smallModel?: string;
    readonly largeModel?: string;
    /** `CHARACTERS_PATH`; the eliza chart's default is `/app/characters` (values.yaml L16). */
    readonly charactersPath: string;
    /** `DAEMON_PROCESS`; the eliza chart's default is false (values.yaml L15). */
    readonly daemonProcess: boolean;
}

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
        // hyperfy `src/server/index.js` L174-191: GET /health, 200 without auth or DB.
        probePath: "/health",
        // Worlds hold websockets open; KNative's request timeout caps a connection's life
        // (the chart's `timeoutSeconds: 3600`, values.yaml L42).
        timeoutSeconds: 3600,
        scale: { min: 0, max: 1 },
        resources: {
            requests: { cpu: "256m", memory: "256Mi" },
            limits: { cpu: "2048m", memory: "4096Mi" },
        },
        secretKeys: hyperfy2SecretKeys,
        databaseKind: "schema",
        // hyperfy `src/server/db.js` L25-27 runs CREATE SCHEMA IF NOT EXISTS on every boot.
        createsOwnSchema: true,
        // hyperfy `src/server/AssetsS3.js` L54-62: the S3 client always gets the URI's static keys.
        storageCredentials: "access-key",
    },
    eliza: {
        database: false,
        storage: false,
        // @elizaos/server 1.7.2 listens on SERVER_PORT, default 3000 (dist/index.js L48117-48125).
        port: 3000,
        // @elizaos/server 1.7.2 dist/index.js L47664-47669: GET /healthz, 200 without auth,
        // registered before the /api auth middleware (L47687); `/` may answer 403.
        probePath: "/healthz",
        // socket.io clients keep connections open; the chart's timeoutSeconds is 3600 (values.yaml L84-88).
        timeoutSeconds: 3600,
        scale: { min: 0, max: 1 },
        resources: {
            requests: { cpu: "250m", memory: "512Mi" },
            limits: { cpu: "1000m", memory: "2Gi" },
        },
        secretKeys: [],
        // @elizaos/plugin-sql 1.7.2 keeps core tables in `public` and creates `migrations` and
        // per-plugin schemas by fixed names (dist/node L5801, L7456-7478): one database per agent.
        databaseKind: "database",
        createsOwnSchema: false,
        storageCredentials: "irsa",
    },
    custom: {
        database: false,
        storage: false,
        probePath: "/",
        timeoutSeconds: 300,
        scale: { min: 0, max: 1 },
        resources: smallResources,
        secretKeys: [],
        databaseKind: "schema",
        createsOwnSchema: false,
        storageCredentials: "irsa",
    },
};

/**
 * The keys of an app's secret: its type's fixed keys, the database keys (`POSTGRES_URL` for a
 * database of its own, `DB_URI`/`DB_SCHEMA` for a schema), `ASSETS_S3_URI` with storage, and
 * an eliza agent's provider key.
 */
export function secretKeysOf(
    type: AppType,
    links: { readonly database: boolean; readonly storage: boolean },
    agent?: ElizaAgentSpec,
): string[] {
    const keys = new Set<string>(appTypeProfiles[type].secretKeys);
    if (links.database && appTypeProfiles[type].databaseKind === "database") keys.add("POSTGRES_URL");
    else if (links.database) {
        keys.add("DB_URI");
        keys.add("DB_SCHEMA");
    }
    if (links.storage) keys.add("ASSETS_S3_URI");
    const apiKey = agent === undefined ? undefined : elizaProviderEnv[agent.modelProvider].apiKey;
    if (apiKey !== undefined) keys.add(apiKey);
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
    /** An eliza app's agent settings. */
    readonly agent?: ElizaAgentSpec;
    /** The container port (eliza's `SERVER_PORT`). */
    readonly port?: number;
}

export type SecretDeliveryMode = "external-secrets" | "aws-sdk";

/** The hyperfy2 chart's defaults (numinia-k8s `base/hyperfy2-knative/values.yaml` L13-23, chart 0.4.7). */
export const hyperfy2ChartDefaults = {
    SAVE_INTERVAL: "30",
    PUBLIC_PLAYER_COLLISION: "true",
    PUBLIC_MAX_UPLOAD_SIZE: "12",
    ASSETS: "s3",
    CLEAN: "false",
    COLLECTIONS: "s3",
    COLLECTIONS_BASE_URL: "https://statics.numinia.xyz/hyperfy-spaces/numen-games/collections/dev",
} as const;

/** Public URL of an app's assets: `{assetsBaseUrl}/{prefix}/{org}/{app}/{env}/assets`. */
export const assetsUrlOf = (assetsBaseUrl: string, names: AppNames): string =>
    `${assetsBaseUrl.replace(/\/+$/, "")}/${names.s3Prefix}/assets`;

/** The plain environment of one app's container, in a stable order. */
export function plainEnvOf(inputs: PlainEnvInputs): Record<string, string> {
    const { names } = inputs;
    const env: Record<string, string> = {};
    if (inputs.type === "hyperfy2") {
        // Every env var of numinia-k8s `base/hyperfy2-knative/templates/knative-service.yaml`
        // L26-48, with values.yaml's defaults (L13-23); PORT is KNative's (runtime contract).
        env.WORLD = inputs.app;
        env.SAVE_INTERVAL = hyperfy2ChartDefaults.SAVE_INTERVAL;
        env.PUBLIC_PLAYER_COLLISION = hyperfy2ChartDefaults.PUBLIC_PLAYER_COLLISION;
        env.PUBLIC_MAX_UPLOAD_SIZE = hyperfy2ChartDefaults.PUBLIC_MAX_UPLOAD_SIZE;
        // hyperfy `src/server/index.js` L44-49: PUBLIC_WS_URL must start with ws.
        env.PUBLIC_WS_URL = `wss://${names.hostname}/ws`;
        env.PUBLIC_API_URL = `https://${names.hostname}/api`;
        env.ASSETS = hyperfy2ChartDefaults.ASSETS;
        env.ASSETS_BASE_URL = assetsUrlOf(inputs.assetsBaseUrl, names);
        env.CLEAN = hyperfy2ChartDefaults.CLEAN;
        env.COLLECTIONS = hyperfy2ChartDefaults.COLLECTIONS;
        env.COLLECTIONS_BASE_URL = hyperfy2ChartDefaults.COLLECTIONS_BASE_URL;
    } else if (inputs.storage) {
        env.ASSETS_BASE_URL = assetsUrlOf(inputs.assetsBaseUrl, names);
    }
    if (inputs.agent !== undefined) {
        const provider = elizaProviderEnv[inputs.agent.modelProvider];
        // @elizaos/server reads SERVER_PORT, never PORT (dist/index.js L48117-48125).
        if (inputs.port !== undefined) env.SERVER_PORT = String(inputs.port);
        // The eliza chart's per-agent settings (templates/knative-service.yaml L26-111).
        env.CHARACTERS_PATH = inputs.agent.charactersPath;
        env.DAEMON_PROCESS = String(inputs.agent.daemonProcess);
        if (inputs.agent.smallModel !== undefined) env[provider.smallModel] = inputs.agent.smallModel;
        if (inputs.agent.largeModel !== undefined) env[provider.largeModel] = inputs.agent.largeModel;
    }
    if (inputs.secretDelivery === "aws-sdk") env.APP_SECRET_ID = names.secret;
    return { ...env, ...inputs.catalogEnv };
}
