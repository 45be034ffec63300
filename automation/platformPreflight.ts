/**
 * `npm run preflight -- --stack S`: can this platform isolate tenants? Reads the stack's
 * cluster and account (automation/platformReader.ts), judges the facts (model/platformChecks.ts)
 * and prints each finding, with the exact platform change for what is missing. `deploy` runs the
 * same check before a pro deploy.
 */
import * as path from "node:path";
import { parseCommand, settle, usageError, type CommandSpec } from "../cli/command";
import { platformConfigOf, rawPlatformConfigOf, type PlatformConfig } from "../model/config";
import { canIsolateTenants, platformFindings, type Finding } from "../model/platformChecks";
import { readStackConfig } from "../model/stackConfig";
import { checkStack, ExitCode, findProjectDir, knownStacks, runMain, type Console } from "./cli";

export const usage = `Usage: npm run preflight -- --stack <stack>

Checks, before any tenant is deployed, whether the stack's cluster can isolate tenants, reading
the live platform with your AWS credentials and the stack's kubeconfig context (read-only):

  network-policy  the EKS vpc-cni addon has enableNetworkPolicy "true" and the aws-node DaemonSet
                  runs its network policy agent (aws-eks-nodeagent) with --enable-network-policy=true (every
                  NetworkPolicy, tenants' egress included, is inert)
  imds            every managed node group's launch template requires IMDSv2 tokens with hop
                  limit 1 (otherwise a pod can take the node's IAM role)
  pod-security    the API server is 1.25+ (Pod Security admission) and no namespace sets
                  pod-security.kubernetes.io/* as annotations, which admission ignores
  bucket-listing  (warning only) which top-level prefixes of the statics bucket a world's storage
                  key can enumerate besides the tenants' own, such as backups/

Each missing piece is printed with the exact numinia-terragrunt or numinia-k8s change that
fixes it (docs/platform.md). Needs eks:DescribeAddon, eks:ListNodegroups, eks:DescribeNodegroup,
ec2:DescribeLaunchTemplateVersions, s3:ListBucket on the bucket, and get on namespaces, /version
and kube-system's aws-node DaemonSet.

Options:
  --stack <stack>  the stack whose platform to check (pre, pro, or org/tenant-apps/<stack>)
  -h, --help       show this help

Exit codes: 0 the platform can isolate tenants, 1 something is missing or could not be read,
            64 bad arguments.
`;

export const command: CommandSpec = { name: "preflight", usage, options: { stack: { type: "string", short: "s" } } };

/** The stack's validated platform config, read from `Pulumi.<stack>.yaml` of the project. */
export function platformOfStack(projectDir: string, stack: string): PlatformConfig {
    const short = stack.split("/").pop() as string;
    const file = path.join(projectDir, `Pulumi.${short}.yaml`);
    const { config } = readStackConfig(file);
    return platformConfigOf(
        short,
        rawPlatformConfigOf((key) => config[key], Object.keys(config)),
        file,
    );
}

/** Reads and judges the platform of `platform`'s stack. */
export async function checkPlatform(platform: PlatformConfig, env: NodeJS.ProcessEnv = process.env) {
    // Loaded only when a platform is checked: a pre deploy never pays for the AWS SDK clients.
    const { readPlatformFacts } = await import("./platformReader");
    const findings = platformFindings(await readPlatformFacts(platform, env));
    return { findings, isolated: canIsolateTenants(findings) };
}

const marks: Record<Finding["status"], string> = { ok: "ok     ", missing: "MISSING", unknown: "UNKNOWN", warning: "WARNING" };

/** The findings as text: one line each, then the fix indented under it. */
export function renderFindings(findings: readonly Finding[]): string {
    return findings
        .map((f) => {
            const fix = f.fix !== undefined ? `\n    fix: ${f.fix.split("\n").join("\n         ")}` : "";
            return `${marks[f.status]} ${f.check}: ${f.message}${fix}`;
        })
        .join("\n");
}

export async function main(argv: readonly string[], con: Console, projectDir = findProjectDir()): Promise<number> {
    const parsed = parseCommand(command, argv, (args) => {
        const stack = args.string("stack");
        const problem = checkStack(stack, knownStacks(projectDir));
        if (problem !== undefined) usageError(problem);
        return { stack: stack as string };
    });
    const options = settle(parsed, command, con);
    if (typeof options === "number") return options;
    const platform = platformOfStack(projectDir, options.stack);
    const { findings, isolated } = await checkPlatform(platform);
    con.out(`${renderFindings(findings)}\n`);
    con.out(
        isolated
            ? `\nstack ${options.stack}: the platform can isolate tenants.\n`
            : `\nstack ${options.stack}: the platform CANNOT isolate tenants; deploy refuses pro until the fixes above are applied.\n`,
    );
    return isolated ? ExitCode.ok : ExitCode.failed;
}

if (require.main === module) runMain(main);
