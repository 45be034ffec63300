/**
 * Where the program puts the IAM roles and users it creates, and the permissions boundary it
 * sets on each (`tenant-apps:iam`). The boundary policy is created once per environment at
 * bootstrap (deploy/iam/tenant-boundary-<env>.policy.json, docs/operator.md); the operator's
 * own policy lets it create or change tenant roles and users only under this path and only
 * with this boundary. Pure.
 */
import { z } from "zod/v3";

/** An IAM path: starts and ends with `/`, at most 512 characters (IAM's CreateRole `Path`). */
const iamPath = z
    .string()
    .max(512)
    .regex(/^\/([A-Za-z0-9+=,.@_-]+\/)*$/, "must be an IAM path such as /tenant-apps/pro/ (starts and ends with /)");

/** The raw `tenant-apps:iam` key; both fields default from the account and the environment. */
export const tenantIamSchema = z
    .strictObject({
        /** The IAM path of every tenant role and user, e.g. `/tenant-apps/pro/`. */
        path: iamPath.optional(),
        /** ARN of the managed policy set as `permissionsBoundary` on every tenant role and user. */
        permissionsBoundaryArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:iam::\d{12}:policy\/.+$/, "must be an IAM managed policy ARN, arn:aws:iam::<account>:policy/...")
            .optional(),
    })
    .default({});

/** The resolved IAM placement of tenant identities. */
export interface TenantIamConfig {
    /** IAM path of every role and user the program creates. */
    readonly path: string;
    /** The permissions boundary of every role and user the program creates. */
    readonly permissionsBoundaryArn: string;
}

/**
 * The ARN IAM gives a role: `arn:<partition>:iam::<account>:role<path><name>` (the path starts
 * and ends with `/`). Known before the role exists, unlike the secret's ARN, whose last six
 * characters Secrets Manager picks.
 */
export function roleArnOf(account: { readonly partition: string; readonly accountId: string }, path: string, roleName: string): string {
    return `arn:${account.partition}:iam::${account.accountId}:role${path}${roleName}`;
}

/** The defaults: path `/tenant-apps/<env>/`, boundary `policy/tenant-apps/tenant-boundary-<env>` of the stack's account. */
export function resolveTenantIam(
    raw: z.infer<typeof tenantIamSchema>,
    account: { readonly partition: string; readonly accountId: string; readonly env: string },
): TenantIamConfig {
    return {
        path: raw.path ?? `/tenant-apps/${account.env}/`,
        permissionsBoundaryArn:
            raw.permissionsBoundaryArn ??
            `arn:${account.partition}:iam::${account.accountId}:policy/tenant-apps/tenant-boundary-${account.env}`,
    };
}

/**
 * Problems a schema cannot see: the boundary must live in the stack's own account, and a
 * path shared with the other environment would let one environment's operator manage the
 * other's identities.
 */
export function tenantIamProblems(
    iam: TenantIamConfig,
    account: { readonly accountId: string; readonly env: string },
    key: string,
): string[] {
    const problems: string[] = [];
    const boundaryAccount = iam.permissionsBoundaryArn.split(":")[4];
    if (boundaryAccount !== account.accountId) {
        problems.push(
            `${key}.permissionsBoundaryArn: names account ${boundaryAccount ?? ""}, not the stack's account ${account.accountId}`,
        );
    }
    const other = account.env === "pro" ? "pre" : "pro";
    if (!iam.path.split("/").includes(account.env) || iam.path.split("/").includes(other)) {
        problems.push(
            `${key}.path: "${iam.path}" must name this stack's environment (${account.env}) and not ${other}, so each environment's operator reaches only its own identities`,
        );
    }
    return problems;
}
