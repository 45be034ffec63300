/**
 * Issue 12, problem 5: a re-added app (or the hand-made live platform) adopts its existing
 * resources by id instead of failing to create them; ids that name another app, account,
 * region or database are refused before anything is registered; the render and render:diff
 * list what is adopted, created and left behind, with follow-up steps.
 */
import { strict as assert } from "node:assert";
import type { Evaluation } from "../../render/evaluate";
import { diffPlans, formatDiffMarkdown } from "../../render/diff";
import { buildPlan } from "../../render/plan";
import { summaryMarkdown } from "../../render/write";
import { evaluate } from "../support/harness";
import { acmeCatalog, webApp } from "../support/acme";

const secretArn = "arn:aws:secretsmanager:eu-west-1:482103417651:secret:custom-acme-web-pro-Ab12Cd";

/** The stateless-plus-database custom app `acme/web`, with `adopt` lines (and org-level lines) added. */
const web = (adopt: readonly string[], orgAdopt: readonly string[] = []): Record<string, string> =>
    acmeCatalog(webApp(["database: true", ...(adopt.length > 0 ? ["adopt:", ...adopt.map((l) => `  ${l}`)] : [])]), orgAdopt);

const everything = [
    `secret: ${secretArn}`,
    "iamRole: acme-web-pro",
    "dbRole: web_acme_pro",
    "schema: numinia.web_acme_pro",
    "serviceAccount: acme-pro/web-pro",
    "service: acme-pro/web-pro",
    "externalSecret: acme-pro/web-pro-env",
    "domainMapping: acme-pro/web.acme.example.com",
    "leaveBehind: [HelmRelease acme-pro/web-pro, ServiceAccount acme-pro/acme]",
];

describe("re-adding an app adopts what it left behind", () => {
    let ev: Evaluation;
    before(async () => {
        ev = await evaluate("pro", { catalog: web(everything, ["adopt: { namespace: acme-pro }"]) });
    });

    it("imports each declared resource by its id instead of creating it", () => {
        // The External Secrets API version follows the stack's ESO (v1 or v1beta1).
        const type = (t: string): string => t.replace(/external-secrets\.io\/v1(beta1)?:/, "external-secrets.io/*:");
        const imported = ev.resources.filter((r) => r.importId !== undefined).map((r) => [type(r.type), r.name, r.importId]);
        assert.deepEqual(imported.sort(), [
            ["aws:iam/role:Role", "acme/web/identity/role", "acme-web-pro"],
            ["aws:secretsmanager/secret:Secret", "acme/web/secret/secret", secretArn],
            ["kubernetes:core/v1:Namespace", "acme/namespace", "acme-pro"],
            ["kubernetes:core/v1:ServiceAccount", "acme/web/identity/service-account", "acme-pro/web-pro"],
            ["kubernetes:external-secrets.io/*:ExternalSecret", "acme/web/secret-delivery/external-secret", "acme-pro/web-pro-env"],
            ["kubernetes:serving.knative.dev/v1:Service", "acme/web/service/service", "acme-pro/web-pro"],
            ["kubernetes:serving.knative.dev/v1beta1:DomainMapping", "acme/web/domain/mapping", "acme-pro/web.acme.example.com"],
            ["postgresql:index/role:Role", "acme/web/database/role", "web_acme_pro"],
            ["postgresql:index/schema:Schema", "acme/web/database/schema", "numinia.web_acme_pro"],
        ]);
    });

    it("ignores, while adopting, only the fields a hand-made resource is expected to differ in", () => {
        const ignored = (name: string): readonly string[] => ev.resources.find((r) => r.name === name)?.ignoreChanges ?? [];
        assert.deepEqual(ignored("acme/web/secret/secret"), ["description", "tags", "recoveryWindowInDays"]);
        assert.deepEqual(ignored("acme/web/database/role"), ["password", "searchPaths", "inherit"]);
        assert.deepEqual(ignored("acme/web/database/schema"), ["owner"]);
        assert.deepEqual(ignored("acme/web/secret/version"), []);
    });

    it("creates everything else: the secret's new version, the grant, the policy, the quota", () => {
        const created = ev.resources.filter((r) => r.custom && r.importId === undefined && !r.type.startsWith("pulumi:providers:"));
        assert.ok(created.some((r) => r.name === "acme/web/secret/version"));
        assert.ok(created.some((r) => r.name === "acme/web/identity/policy"));
        assert.ok(created.some((r) => r.name === "acme/quota"));
    });

    it("shows adopted, created and left behind in summary.md, with follow-up steps", () => {
        const summary = summaryMarkdown(buildPlan(ev));
        const section = summary.slice(summary.indexOf("## Adoption"));
        assert.match(
            section,
            /^- Secrets Manager secret `custom-acme-web-pro` ← `arn:aws:secretsmanager:eu-west-1:482103417651:secret:custom-acme-web-pro-Ab12Cd`$/m,
        );
        assert.match(section, /^- PostgreSQL schema `web_acme_pro` ← `numinia\.web_acme_pro`$/m);
        assert.match(
            section,
            /^\*\*Left behind\*\* \(not managed by this program; remove by hand once the app is Ready\):\n- `HelmRelease acme-pro\/web-pro`\n- `ServiceAccount acme-pro\/acme`$/m,
        );
        assert.match(section, /^2\. After `pulumi up`, remove the `adopt` entries in a second pull request;/m);
        assert.match(section, /ALTER TABLE … OWNER TO …/);
    });

    it("marks adopted resources in the render:diff comment of the pull request that re-adds the app", async () => {
        const removed = { "acme.yaml": "organization: acme\ndomain: acme.example.com\nadopt: { namespace: acme-pro }\napps: []\n" };
        const base = buildPlan(await evaluate("pro", { catalog: removed }));
        const markdown = formatDiffMarkdown(diffPlans(base, buildPlan(ev)));
        assert.match(
            markdown,
            /^- Secrets Manager secret `custom-acme-web-pro` \(retainOnDelete, protected\) \(adopted: import `arn:aws:secretsmanager:eu-west-1:482103417651:secret:custom-acme-web-pro-Ab12Cd`, not created\)$/m,
        );
        assert.match(
            markdown,
            /^- PostgreSQL role `web_acme_pro` \(retainOnDelete, protected\) \(adopted: import `web_acme_pro`, not created\)$/m,
        );
        assert.match(markdown, /^### Adoption$/m);
        assert.match(markdown, /^- `HelmRelease acme-pro\/web-pro`$/m);
    });

    it("shows an adoption declared for an app already in the state as a changed option", async () => {
        const base = buildPlan(await evaluate("pro", { catalog: web([]) }));
        const head = buildPlan(await evaluate("pro", { catalog: web([`secret: ${secretArn}`]) }));
        const markdown = formatDiffMarkdown(diffPlans(base, head));
        assert.match(markdown, new RegExp(`^  - \`\\(option\\) adopt\`: \`undefined\` → \`${secretArn}\`$`, "m"));
    });
});

describe("adoption ids are checked before anything is registered", () => {
    const problemsOf = async (adopt: readonly string[], orgAdopt: readonly string[] = []): Promise<string> => {
        try {
            await evaluate("pro", { catalog: web(adopt, orgAdopt) });
        } catch (error) {
            return (error as Error).message;
        }
        return "";
    };
    const where = (line: number, field: string): string =>
        `acme.yaml:${line}: organization "acme", app "web", field "adopt.${field}": cannot adopt: `;

    it("refuses a secret ARN of another account, region or name", async () => {
        const message = await problemsOf(["secret: arn:aws:secretsmanager:eu-west-1:111122223333:secret:custom-acme-web-pro-Ab12Cd"]);
        assert.ok(
            message.includes(`${where(11, "secret")}the ARN is in account 111122223333; this stack's account is 482103417651`),
            message,
        );
        const region = await problemsOf(["secret: arn:aws:secretsmanager:us-east-1:482103417651:secret:custom-acme-web-pro-Ab12Cd"]);
        assert.ok(region.includes(`${where(11, "secret")}the ARN is in region us-east-1; this stack's region is eu-west-1`), region);
        const name = await problemsOf(["secret: arn:aws:secretsmanager:eu-west-1:482103417651:secret:custom-acme-api-pro-Ab12Cd"]);
        assert.ok(
            name.includes(`${where(11, "secret")}the ARN names secret "custom-acme-api-pro"; this app's secret is "custom-acme-web-pro"`),
            name,
        );
    });

    it("refuses a schema of another database, a role by ARN, and a Kubernetes object in another namespace", async () => {
        const message = await problemsOf([
            "schema: postgres.web_acme_pro",
            "iamRole: arn:aws:iam::482103417651:role/acme-web-pro",
            "domainMapping: acme/web.acme.example.com",
        ]);
        assert.ok(
            message.includes(
                `${where(11, "schema")}"postgres.web_acme_pro" is a schema of database "postgres"; this stack's database is "numinia"`,
            ),
            message,
        );
        assert.ok(
            message.includes(`${where(12, "iamRole")}give the role's name ("acme-web-pro"), not its ARN: IAM roles are imported by name`),
            message,
        );
        assert.ok(
            message.includes(
                `${where(13, "domainMapping")}"acme/web.acme.example.com" is not this app's object "acme-pro/web.acme.example.com" (namespace/name)`,
            ),
            message,
        );
    });

    it("refuses assets for an app without storage, and another organization's namespace", async () => {
        const message = await problemsOf(
            ["assets: numinia-statics/hyperfy-spaces/acme/web/pro/assets/"],
            ["adopt: { namespace: r3s3t-pro }"],
        );
        assert.ok(message.includes(`${where(12, "assets")}the app has no storage, so it has no assets folder to adopt`), message);
        assert.ok(
            message.includes(
                `acme.yaml:3: organization "acme", field "adopt.namespace": cannot adopt: "r3s3t-pro" is not this organization's namespace "acme-pro"`,
            ),
            message,
        );
    });
});
