/** Checks of IAM trust and permission documents. Pure. */
import { typeTokens } from "../model/typeTokens";
import { at, isBag, list, str, type Bag } from "./bag";
import type { PolicyContext } from "./context";

interface Statement {
    readonly index: number;
    readonly raw: Bag;
}

/** Statements of an IAM document given as a JSON string or an object; `error` when it cannot be read. */
export function statementsOf(document: unknown): { statements: Statement[]; error?: string } {
    let doc: unknown = document;
    if (typeof document === "string") {
        try {
            doc = JSON.parse(document);
        } catch {
            return { statements: [], error: "is not valid JSON" };
        }
    }
    if (!isBag(doc)) return { statements: [], error: "is not an IAM policy document" };
    const raw = list(doc.Statement);
    const statements: Statement[] = [];
    raw.forEach((s, index) => {
        if (isBag(s)) statements.push({ index, raw: s });
    });
    if (statements.length !== raw.length) return { statements, error: "has a statement that is not an object" };
    return { statements };
}

const statementLabel = (s: Statement): string => (typeof s.raw.Sid === "string" ? `statement "${s.raw.Sid}"` : `statement #${s.index + 1}`);
const isAllow = (s: Statement): boolean => s.raw.Effect !== "Deny";

const oidcProviderArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;
const serviceAccountSubject = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * An IAM role's trust policy lets exactly one service account assume it through the
 * cluster's OIDC provider: principal `Federated` = the provider only, action
 * `sts:AssumeRoleWithWebIdentity` only, `StringEquals` on both `<issuer>:sub` (one
 * concrete service account, no wildcard) and `<issuer>:aud` = `sts.amazonaws.com`.
 */
export function irsaTrustPolicy(type: string, props: Bag, context: Pick<PolicyContext, "oidcProviderArn">): string[] {
    if (type !== typeTokens.iamRole) return [];
    const { statements, error } = statementsOf(props.assumeRolePolicy);
    if (error !== undefined) return [`assumeRolePolicy ${error}`];
    const allows = statements.filter(isAllow);
    if (allows.length === 0) return ["assumeRolePolicy has no Allow statement"];
    const out: string[] = [];
    for (const s of allows) {
        const label = statementLabel(s);
        const principal = s.raw.Principal;
        const federated = list(at(principal, "Federated"));
        if (!isBag(principal) || Object.keys(principal).some((k) => k !== "Federated") || federated.length !== 1) {
            out.push(`${label} must name exactly one principal, { "Federated": <the cluster's OIDC provider ARN> }`);
            continue;
        }
        const provider = str(federated[0]) ?? "";
        const match = oidcProviderArnPattern.exec(provider);
        if (match === null) {
            out.push(`${label} federates "${provider}", which is not an IAM OIDC provider ARN`);
            continue;
        }
        if (context.oidcProviderArn !== undefined && provider !== context.oidcProviderArn) {
            out.push(`${label} federates "${provider}"; only the cluster's OIDC provider "${context.oidcProviderArn}" is allowed`);
        }
        if (s.raw.NotAction !== undefined) out.push(`${label} uses NotAction; name sts:AssumeRoleWithWebIdentity only`);
        const actions = list(s.raw.Action);
        if (actions.length !== 1 || actions[0] !== "sts:AssumeRoleWithWebIdentity") {
            out.push(`${label} allows ${JSON.stringify(s.raw.Action)}; only "sts:AssumeRoleWithWebIdentity" is allowed`);
        }
        const issuer = match[1] ?? "";
        const equals = at(s.raw, "Condition", "StringEquals");
        const sub = at(equals, `${issuer}:sub`);
        const aud = at(equals, `${issuer}:aud`);
        if (typeof sub !== "string") {
            out.push(`${label} has no StringEquals condition on "${issuer}:sub" naming one service account`);
        } else if (!serviceAccountSubject.test(sub)) {
            out.push(`${label} pins "${issuer}:sub" to "${sub}"; it must be exactly system:serviceaccount:<namespace>:<name>, no wildcard`);
        }
        if (aud !== "sts.amazonaws.com") {
            out.push(`${label} must have a StringEquals condition "${issuer}:aud" = "sts.amazonaws.com"`);
        }
    }
    return out;
}

/** Where each IAM-bearing type keeps its documents. */
function iamDocumentsOf(type: string, props: Bag): Array<{ where: string; document: unknown }> {
    switch (type) {
        case typeTokens.iamRole:
            return [
                { where: "assumeRolePolicy", document: props.assumeRolePolicy },
                ...list(props.inlinePolicies).map((p, i) => ({ where: `inlinePolicies[${i}].policy`, document: at(p, "policy") })),
            ].filter((d) => d.document !== undefined && d.document !== "");
        case typeTokens.iamRolePolicy:
        case typeTokens.iamPolicy:
        case typeTokens.iamUserPolicy:
        case typeTokens.iamGroupPolicy:
            return [{ where: "policy", document: props.policy }];
        default:
            return [];
    }
}

/** An ARN or resource that matches everything of a service: `*`, `arn:aws:s3:::*`, `arn:aws:secretsmanager:*:*:*`. */
function isWildcardResource(resource: string): boolean {
    if (resource === "*") return true;
    const parts = resource.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return false;
    const rest = parts.slice(5).join(":");
    return rest === "*" || /^[\w-]+[/:]\*$/.test(rest) || (parts[2] === "s3" && /^\*/.test(rest));
}

/** No Allow statement has a wildcard action, `NotAction`, a `*` resource or `NotResource`. */
export function iamNoWildcards(type: string, props: Bag): string[] {
    const out: string[] = [];
    for (const { where, document } of iamDocumentsOf(type, props)) {
        const { statements, error } = statementsOf(document);
        if (error !== undefined) {
            out.push(`${where} ${error}`);
            continue;
        }
        for (const s of statements.filter(isAllow)) {
            const label = `${where} ${statementLabel(s)}`;
            if (s.raw.NotAction !== undefined) out.push(`${label} uses NotAction, which allows every other action`);
            if (s.raw.NotResource !== undefined) out.push(`${label} uses NotResource, which allows every other resource`);
            for (const action of list(s.raw.Action)) {
                if (typeof action === "string" && action.includes("*")) out.push(`${label} allows the wildcard action "${action}"`);
            }
            for (const resource of list(s.raw.Resource)) {
                if (typeof resource === "string" && isWildcardResource(resource)) {
                    out.push(`${label} allows the wildcard resource "${resource}"`);
                }
            }
        }
    }
    return out;
}
