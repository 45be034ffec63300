// s3rver 3.7.1 ships no types; only what the workload tests use.
declare module "s3rver" {
    interface S3rverOptions {
        address?: string;
        port?: number;
        silent?: boolean;
        directory: string;
        configureBuckets?: Array<{ name: string }>;
    }
    export default class S3rver {
        constructor(options: S3rverOptions);
        run(): Promise<{ address: string; port: number }>;
        close(): Promise<void>;
    }
}
declare module "s3rver/lib/models/account" {
    interface AWSAccount {
        createKeyPair(accessKeyId: string, secretAccessKey: string): void;
    }
    export const DUMMY_ACCOUNT: AWSAccount;
}
