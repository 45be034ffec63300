/**
 * Hyperfy's S3 client exactly as `src/server/AssetsS3.js` (hyperfy-xyz/hyperfy dev @ e7995b6)
 * builds it from `ASSETS_S3_URI`: `parseURI` (L65-132) and the constructor (L54-62) ported
 * line for line, plus the requests `init()` (L134-153) and `upload()` (L177-228) send.
 */
import { createHash } from "node:crypto";
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

export interface HyperfyS3Config {
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
    bucket?: string;
    region?: string;
    prefix?: string;
    endpoint?: string;
}

/** AssetsS3.js L65-132, verbatim in behaviour. */
export function parseHyperfyUri(uri: string): HyperfyS3Config {
    if (!uri.startsWith("s3://")) throw new Error("S3 URI must start with s3://");
    const withoutProtocol = uri.slice(5);
    const credentialsMatch = withoutProtocol.match(/^([^:]+):([^@]+)@(.+)$/);
    if (!credentialsMatch) throw new Error("Invalid S3 URI format");
    const [, accessKeyId = "", secretAccessKey = "", rest = ""] = credentialsMatch;
    const parts = rest.split("/");
    const host = parts[0] ?? "";
    const pathParts = parts.slice(1);
    const config: HyperfyS3Config = { accessKeyId, secretAccessKey, forcePathStyle: false };
    if (host.includes(".amazonaws.com")) {
        const hostParts = host.split(".");
        const s3Index = hostParts.indexOf("s3");
        if (s3Index === -1) throw new Error('Invalid S3 host: missing "s3" in hostname');
        config.bucket = hostParts.slice(0, s3Index).join(".");
        config.region = hostParts[s3Index + 1] || "us-east-1";
        config.prefix = pathParts.join("/");
        if (config.prefix && !config.prefix.endsWith("/")) config.prefix += "/";
    } else if (host.includes(".")) {
        config.endpoint = `https://${host}`;
        config.bucket = pathParts[0];
        config.prefix = pathParts.slice(1).join("/") + (pathParts.length > 1 ? "/" : "");
        config.region = "auto";
        config.forcePathStyle = true;
    } else {
        config.bucket = host;
        config.prefix = pathParts.join("/") + (pathParts.length > 0 ? "/" : "");
        config.region = "us-east-1";
    }
    return config;
}

/** The client and prefix AssetsS3's constructor makes (L49-62); `prefix || 'assets/'` is L51. */
export function hyperfyClient(uri: string): { client: S3Client; bucket: string; prefix: string; config: HyperfyS3Config } {
    const config = parseHyperfyUri(uri);
    const client = new S3Client({
        region: config.region,
        endpoint: config.endpoint,
        credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
        forcePathStyle: config.forcePathStyle,
    });
    return { client, bucket: config.bucket ?? "", prefix: config.prefix || "assets/", config };
}

/** `init()`'s bucket probe (L138-143): ListObjectsV2 with MaxKeys 1 and no Prefix. */
export const initProbe = (h: ReturnType<typeof hyperfyClient>) => h.client.send(new ListObjectsV2Command({ Bucket: h.bucket, MaxKeys: 1 }));

/** `upload(file)` (L177-228): key `<prefix><sha256>.<ext>`, HeadObject first, PutObject when absent. */
export async function uploadAsset(h: ReturnType<typeof hyperfyClient>, body: Buffer, ext: string): Promise<string> {
    const key = `${h.prefix}${createHash("sha256").update(body).digest("hex")}.${ext.toLowerCase()}`;
    try {
        await h.client.send(new HeadObjectCommand({ Bucket: h.bucket, Key: key }));
        return key;
    } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name !== "NotFound" && e.$metadata?.httpStatusCode !== 404) throw error;
    }
    await h.client.send(new PutObjectCommand({ Bucket: h.bucket, Key: key, Body: body, ContentType: "model/gltf-binary" }));
    return key;
}

/** `list()` (L230-265): the app's own prefix. */
export const listAssets = (h: ReturnType<typeof hyperfyClient>) =>
    h.client.send(new ListObjectsV2Command({ Bucket: h.bucket, Prefix: h.prefix }));

/**
 * The init probe after the one-line change docs/platform.md asks of the platform's image:
 * AssetsS3.js L139-142 with `Prefix: this.prefix` added, so the probe lists only the world's prefix.
 */
export const prefixedInitProbe = (h: ReturnType<typeof hyperfyClient>) =>
    h.client.send(new ListObjectsV2Command({ Bucket: h.bucket, MaxKeys: 1, Prefix: h.prefix }));
