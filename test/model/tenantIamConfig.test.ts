import { strict as assert } from "node:assert";
import { parsePlatformConfig, PlatformConfigError } from "../../model/config";
import { rawConfigOf } from "../support/fixtures";

function problemsOf(stack: "pre" | "pro", iam: unknown): readonly string[] {
    try {
        parsePlatformConfig(stack, { ...rawConfigOf(stack), iam });
    } catch (error) {
        // Each problem as `key: message`, the way the render prints it after the file.
        if (error instanceof PlatformConfigError) return error.problems.map((p) => `${p.key}: ${p.message}`);
        throw error;
    }
    return [];
}

describe("tenant IAM placement config (tenant-apps:iam)", () => {
    it("defaults to the environment's path and the boundary of the stack's own account", () => {
        assert.deepEqual(parsePlatformConfig("pro", rawConfigOf("pro")).iam, {
            path: "/tenant-apps/pro/",
            permissionsBoundaryArn: "arn:aws:iam::482103417651:policy/tenant-apps/tenant-boundary-pro",
        });
        assert.deepEqual(parsePlatformConfig("pre", rawConfigOf("pre")).iam, {
            path: "/tenant-apps/pre/",
            permissionsBoundaryArn: "arn:aws:iam::482103417651:policy/tenant-apps/tenant-boundary-pre",
        });
    });

    it("takes an explicit path and boundary of the same account", () => {
        const iam = { path: "/platform/tenants/pro/", permissionsBoundaryArn: "arn:aws:iam::482103417651:policy/boundaries/tenants-pro" };
        assert.deepEqual(problemsOf("pro", iam), []);
        assert.deepEqual(parsePlatformConfig("pro", { ...rawConfigOf("pro"), iam }).iam, iam);
    });

    const cases: { reason: string; stack: "pre" | "pro"; iam: unknown; problems: string[] }[] = [
        {
            reason: "a path shared with the other environment lets its operator reach these identities",
            stack: "pre",
            iam: { path: "/tenant-apps/" },
            problems: [
                "tenant-apps:iam.path: \"/tenant-apps/\" must name this stack's environment (pre) and not pro, so each environment's operator reaches only its own identities",
            ],
        },
        {
            reason: "pre may not live under pro's path",
            stack: "pre",
            iam: { path: "/tenant-apps/pro/pre/" },
            problems: [
                "tenant-apps:iam.path: \"/tenant-apps/pro/pre/\" must name this stack's environment (pre) and not pro, so each environment's operator reaches only its own identities",
            ],
        },
        {
            reason: "IAM paths start and end with a slash",
            stack: "pro",
            iam: { path: "tenant-apps/pro" },
            problems: ["tenant-apps:iam.path: must be an IAM path such as /tenant-apps/pro/ (starts and ends with /)"],
        },
        {
            reason: "a boundary in another account caps nothing here",
            stack: "pro",
            iam: { permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/tenant-apps/tenant-boundary-pro" },
            problems: ["tenant-apps:iam.permissionsBoundaryArn: names account 111122223333, not the stack's account 482103417651"],
        },
        {
            reason: "a boundary must be a managed policy",
            stack: "pro",
            iam: { permissionsBoundaryArn: "arn:aws:iam::482103417651:role/x" },
            problems: ["tenant-apps:iam.permissionsBoundaryArn: must be an IAM managed policy ARN, arn:aws:iam::<account>:policy/..."],
        },
        {
            reason: "unknown keys are reported, not dropped",
            stack: "pro",
            iam: { boundary: "x" },
            problems: ["tenant-apps:iam: unknown key(s) boundary"],
        },
    ];
    for (const c of cases) {
        it(`refuses: ${c.reason}`, () => {
            assert.deepEqual(problemsOf(c.stack, c.iam), c.problems);
        });
    }
});
