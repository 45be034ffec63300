/** A local S3 (s3rver on 127.0.0.1, a fresh directory) and an @aws-sdk/client-s3 client for it. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export interface LocalS3 {
    /** `http://127.0.0.1:<port>`. */
    readonly endpoint: string;
    /** A client with s3rver's built-in key pair (S3RVER/S3RVER). */
    readonly client: S3Client;
    put(bucket: string, key: string, body: string): Promise<void>;
    get(bucket: string, key: string): Promise<string>;
    close(): Promise<void>;
}

/** s3rver's built-in credentials (s3rver/lib/models/account.js L26). */
export const localCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-s3-"));
    const server = new S3rver({
        address: "127.0.0.1",
        port: 0,
        silent: true,
        directory: dir,
        configureBuckets: buckets.map((name) => ({ name })),
    });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({ region: "eu-west-1", endpoint, forcePathStyle: true, credentials: localCredentials });
    return {
        endpoint,
        client,
        async put(bucket, key, body) {
            await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
        },
        async get(bucket, key) {
            const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
            return (await out.Body?.transformToString()) ?? "";
        },
        async close() {
            client.destroy();
            await server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
