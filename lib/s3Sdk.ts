/**
 * `@aws-sdk/client-s3`, loaded on first call. Only the seeding provider calls S3, and it runs in
 * Pulumi's dynamic provider host; the program that serializes it never does. Imported at the
 * top of a module instead, it would cost every preview and render about 150 ms of loading
 * (docs/bench.md). The provider is serialized with this function and `require` stays a free
 * variable, resolved by the host (@pulumi/pulumi 3.270.0 runtime/closure/parseFunction.js L36-40).
 */
import type * as S3 from "@aws-sdk/client-s3";

export function s3Sdk(): typeof S3 {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@aws-sdk/client-s3") as typeof S3;
}
