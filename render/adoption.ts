/**
 * What a render says about adoption (issue 12): per app, the resources imported by id instead
 * of created, those created, what the catalog says is left behind by hand, and the follow-up
 * steps a person takes after `pulumi up`. Used by `summary.md` and by the render:diff comment.
 * Pure: built from plan resources.
 */
import { typeTokens } from "../model/typeTokens";
import { codeSpan, plainText, shellWord } from "./markdown";
import { kindOf, physicalNameOf, type PlanResource } from "./plan";

/** What the TenantApp component records when its app adopts something (components/adopt.ts). */
interface AppAdoptionRecord {
    readonly adopts: readonly string[];
    readonly leaveBehind: readonly string[];
}

function adoptionRecordOf(r: PlanResource): AppAdoptionRecord | undefined {
    if (r.type !== typeTokens.app) return undefined;
    const record = r.inputs.adoption as Partial<AppAdoptionRecord> | undefined;
    if (record === undefined || !Array.isArray(record.adopts)) return undefined;
    return { adopts: record.adopts, leaveBehind: Array.isArray(record.leaveBehind) ? record.leaveBehind : [] };
}

const appKey = (r: { organization?: string; app?: string }): string => `${r.organization ?? ""}/${r.app ?? ""}`;

/** Follow-up steps that depend on what was adopted. */
function followUps(adopted: readonly PlanResource[], stack: string): string[] {
    const has = (type: string): boolean => adopted.some((r) => r.type === type);
    const steps = [
        `Run ${codeSpan(`pulumi preview --stack ${shellWord(stack)}`)}: an import whose inputs differ from the live resource (beyond the ignored fields) shows there, and \`pulumi up\` would refuse it.`,
        "After `pulumi up`, remove the `adopt` entries in a second pull request; the next `up` applies the program's values to the fields ignored while adopting.",
    ];
    if (has(typeTokens.secret))
        steps.push(
            "The program writes a new version of each adopted secret: its keys replace the hand-made values (the previous version stays in the secret's history as AWSPREVIOUS). Copy any value the program does not generate into stack config first.",
        );
    if (has(typeTokens.pgSchema))
        steps.push(
            "An adopted schema's existing tables keep their owner. As the RDS admin, give them to the app's role (`ALTER TABLE … OWNER TO …` for each table of the schema), or the app cannot migrate them.",
        );
    if (adopted.some((r) => r.type === typeTokens.domainMapping))
        steps.push(
            "Until the adopted DomainMapping points at the new service, traffic still goes to the old one; its `pulumi.com/waitFor` fails the update if the domain stays unclaimed (DomainAlreadyClaimed).",
        );
    return steps;
}

/** Markdown lines about adoption for a set of plan resources (a whole plan, or a diff's added and changed ones). */
export function adoptionLines(resources: readonly PlanResource[], stack: string, heading = "## Adoption"): string[] {
    const records = resources
        .map((r) => [r, adoptionRecordOf(r)] as const)
        .filter((p): p is readonly [PlanResource, AppAdoptionRecord] => p[1] !== undefined);
    const adopted = resources.filter((r) => r.custom && r.adopt !== undefined);
    if (records.length === 0 && adopted.length === 0) return [];
    const lines = [heading, ""];
    const apps = [...new Set([...records.map(([r]) => appKey(r)), ...adopted.map(appKey)])].sort();
    for (const key of apps) {
        lines.push(`### ${codeSpan(key)}`, "");
        const mine = adopted.filter((r) => appKey(r) === key);
        if (mine.length > 0) {
            lines.push("**Adopted** (imported by id, not created):");
            for (const r of mine) lines.push(`- ${plainText(kindOf(r.type))} ${codeSpan(physicalNameOf(r))} ← ${codeSpan(r.adopt ?? "")}`);
            lines.push("");
        }
        const created = resources.filter((r) => r.custom && r.adopt === undefined && appKey(r) === key);
        if (created.length > 0) lines.push(`**Created:** ${created.length} resource${created.length === 1 ? "" : "s"}.`, "");
        const leaveBehind = records.filter(([r]) => appKey(r) === key).flatMap(([, record]) => record.leaveBehind);
        if (leaveBehind.length > 0) {
            lines.push("**Left behind** (not managed by this program; remove by hand once the app is Ready):");
            for (const item of leaveBehind) lines.push(`- ${codeSpan(item)}`);
            lines.push("");
        }
    }
    lines.push("**Follow-up steps:**", ...followUps(adopted, stack).map((s, i) => `${i + 1}. ${s}`), "");
    return lines;
}
