import * as aws from "@pulumi/aws";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { sharedSecretConfigKeys, sharedSecretKeys, type PlatformConfig, type SharedSecretKey } from "../model/config";

/** The stack's shared LiveKit/AI values, each a Pulumi secret; unset ones are absent. */
export function readSharedSecrets(config: pulumi.Config): Partial<Record<SharedSecretKey, pulumi.Output<string>>> {
    const values: Partial<Record<SharedSecretKey, pulumi.Output<string>>> = {};
    for (const key of sharedSecretKeys) {
        const value = config.getSecret(sharedSecretConfigKeys[key]);
        if (value !== undefined) values[key] = value;
    }
    return values;
}

/** Reads `username` and `password` from the RDS admin secret's JSON; never echoes the value. */
export function parseAdminSecret(secretString: string, arn: string): { username: string; password: string } {
    let parsed: unknown;
    try {
        parsed = JSON.parse(secretString);
    } catch {
        throw new Error(`the admin secret ${arn} is not JSON; expected {"username": …, "password": …}`);
    }
    const { username, password } = (parsed ?? {}) as Record<string, unknown>;
    if (typeof username !== "string" || typeof password !== "string") {
        throw new Error(`the admin secret ${arn} lacks string "username" and "password" keys`);
    }
    return { username, password };
}

/**
 * The PostgreSQL provider every app's database link uses, connected as the RDS admin
 * user whose credentials are read from Secrets Manager at deploy time (one read per stack).
 */
export function adminDatabaseProvider(platform: PlatformConfig): postgresql.Provider {
    const db = platform.database;
    const admin = aws.secretsmanager.getSecretVersionOutput({ secretId: db.adminSecretArn });
    const credentials = pulumi.secret(admin.secretString).apply((s) => parseAdminSecret(s, db.adminSecretArn));
    return new postgresql.Provider("shared-rds", {
        host: db.host,
        port: db.port,
        database: db.name,
        username: credentials.apply((c) => c.username),
        password: pulumi.secret(credentials.apply((c) => c.password)),
        sslmode: db.adminSslMode,
        // RDS's master user is not a real superuser.
        superuser: false,
        connectTimeout: 15,
    });
}
