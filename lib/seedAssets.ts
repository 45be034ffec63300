/**
 * Seeding a new world: every object of the template copied, server side, into the world's own
 * prefix, as the backoffice does (alchemists-tower@c4b1c75 lib/s3-assets.ts L60-133:
 * `ListObjectsV2` of `<template>/`, folder markers skipped, `CopyObject` of each key to the same
 * relative key under the world's prefix, refusal when the template has no object). Two rules
 * of our own: a world that already holds objects gets nothing (a template object never
 * overwrites a world's), and a template holding only folder markers is refused like a missing
 * one, each naming the path. Takes the S3 client, so tests hand it one pointed at a local S3.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { s3Sdk } from "./s3Sdk";

/** What to copy: `s3://bucket/template` into `s3://bucket/destination`, both prefixes ending in `/`. */
export interface SeedRequest {
    readonly bucket: string;
    readonly template: string;
    readonly destination: string;
}

/** The outcome: the destination keys written, or why nothing was. */
export type SeedResult =
    | { readonly outcome: "seeded"; readonly copied: readonly string[] }
    | { readonly outcome: "world-has-objects"; readonly existing: number };

/**
 * Why the template cannot seed anything, naming its path: missing (no object under it) or empty
 * (folder markers only). Plain strings and `Error`s only: the provider that calls this is
 * serialized by Pulumi, and a serialized subclass of `Error` loses its prototype and message.
 */
export function templateProblem(location: string, reason: "missing" | "empty"): string {
    return reason === "missing"
        ? `the world template ${location} does not exist (no object under it); upload the template or set tenant-apps:seeding.template`
        : `the world template ${location} is empty (folder markers only); upload the template's objects or set tenant-apps:seeding.template`;
}

/** Every key under `prefix`, folder markers (`…/`) included, in S3's order. */
export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
        const page = await client.send(new (s3Sdk().ListObjectsV2Command)({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
}

const isFolderMarker = (key: string): boolean => key.endsWith("/");

/** `CopySource` of a key: each segment URL-encoded, the slashes kept (lib/s3-assets.ts L52-58). */
export const copySourceOf = (bucket: string, key: string): string =>
    `${bucket}/${key
        .split("/")
        .map((segment) => encodeURIComponent(segment))
        .join("/")}`;

/** The template's object keys, or why there are none (naming `s3://bucket/template`). */
export async function templateKeys(
    client: S3Client,
    request: Pick<SeedRequest, "bucket" | "template">,
): Promise<{ readonly keys: string[] } | { readonly problem: string }> {
    const all = await listKeys(client, request.bucket, request.template);
    const keys = all.filter((k) => !isFolderMarker(k));
    const location = `s3://${request.bucket}/${request.template}`;
    if (all.length === 0) return { problem: templateProblem(location, "missing") };
    if (keys.length === 0) return { problem: templateProblem(location, "empty") };
    return { keys };
}

/**
 * Copies the template into the world once. Throws an `Error` naming an unusable template; copies nothing when
 * the world already holds an object other than folder markers (the program's own `assets/`).
 */
export async function seedWorld(client: S3Client, request: SeedRequest): Promise<SeedResult> {
    const template = await templateKeys(client, request);
    if ("problem" in template) throw new Error(template.problem);
    const sources = template.keys;
    const existing = (await listKeys(client, request.bucket, request.destination)).filter((k) => !isFolderMarker(k));
    if (existing.length > 0) return { outcome: "world-has-objects", existing: existing.length };
    const copied: string[] = [];
    for (const source of sources) {
        const key = request.destination + source.slice(request.template.length);
        await client.send(
            new (s3Sdk().CopyObjectCommand)({ Bucket: request.bucket, CopySource: copySourceOf(request.bucket, source), Key: key }),
        );
        copied.push(key);
    }
    return { outcome: "seeded", copied };
}
