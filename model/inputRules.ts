/**
 * Rules on values a pull request brings that the platform or a runtime refuses, or that
 * would carry a credential in plaintext: part of the rulebook (re-exported by rules.ts), used
 * by the catalog's value checks (model/catalog/values.ts) and the stack config's guards
 * (model/guardsConfig.ts). No message quotes a value that may be a credential. Pure.
 */
import { domainToUnicode } from "node:url";
import * as psl from "psl";
import type { AppType } from "./appTypes";

// ---------------------------------------------------------------------------------------
// Credentials in plaintext.

/**
 * Env names that say their value is a credential (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`,
 * `DB_PASSWORD`, `OPENAI_API_KEY`, `JWT_SECRET`): plain env is written in the clear into the
 * KNative Service, the render and every preview, so such a name is refused.
 */
export const credentialEnvName = /(^|_)(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$)/i;

/** Shapes of well-known credentials, with what they are (never the value itself). */
export const credentialValueShapes: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
    { what: "a URL with a password (scheme://user:password@host)", pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i },
    { what: "an OpenAI/Anthropic-style API key (sk-…)", pattern: /(^|[^A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}/ },
    { what: "an AWS access key id (AKIA…/ASIA…)", pattern: /(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)/ },
    { what: "a GitHub token (ghp_…, github_pat_…)", pattern: /(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
    { what: "a Slack token (xox…)", pattern: /xox[abprs]-[A-Za-z0-9-]{10,}/ },
    { what: "a Google API key (AIza…)", pattern: /AIza[0-9A-Za-z_-]{35}/ },
    { what: "a private key (-----BEGIN … PRIVATE KEY-----)", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "a JSON Web Token (eyJ….eyJ….…)", pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/ },
];

/** Why a plain `NAME=value` would carry a credential, or undefined. Never quotes the value. */
export function plaintextCredentialOf(name: string, value: string): string | undefined {
    if (credentialEnvName.test(name) && value !== "") return `the name ${name} says it holds a credential`;
    const shape = credentialValueShapes.find((s) => s.pattern.test(value));
    return shape !== undefined ? `the value looks like ${shape.what}` : undefined;
}

// ---------------------------------------------------------------------------------------
// Names PostgreSQL reserves.

/** PostgreSQL refuses `CREATE ROLE pg_…` and `CREATE SCHEMA pg_…`: the prefix is reserved for system objects. */
export const isPostgresReservedName = (name: string): boolean => /^pg_/i.test(name);

// ---------------------------------------------------------------------------------------
// Env the program or the runtime sets itself.

/** One env var an app type's runtime contract takes for itself, and what to do instead. */
export interface RuntimeEnv {
    readonly name: string;
    readonly why: string;
}

/**
 * Env the program sets for an app type because the runtime depends on it (model/appTypes.ts
 * `plainEnvOf`); the catalog's `env` is applied last, so setting one would silently break the
 * app. Chart tunables (`SAVE_INTERVAL`, `PUBLIC_MAX_UPLOAD_SIZE`, …) stay settable.
 */
export const runtimeReservedEnv: Readonly<Record<AppType, readonly RuntimeEnv[]>> = {
    hyperfy2: [
        // hyperfy `src/server/index.js`: the world's directory (its data) and the URLs its clients use.
        { name: "WORLD", why: "names the world's directory, which holds its data; the program sets it to the app name" },
        { name: "PUBLIC_WS_URL", why: "is derived from the app's hostname" },
        { name: "PUBLIC_API_URL", why: "is derived from the app's hostname" },
        { name: "ASSETS", why: "selects the assets backend the program provisions (s3)" },
        { name: "ASSETS_BASE_URL", why: "is derived from the stack's statics URL and the app's assets folder" },
    ],
    eliza: [
        // @elizaos/server 1.7.2 listens on SERVER_PORT (dist/index.js L48117-48125); the probe and KNative use the app's port.
        { name: "SERVER_PORT", why: "must equal the app's container port, which the program sets; change port: instead" },
        { name: "CHARACTERS_PATH", why: "comes from agent.charactersPath" },
        { name: "DAEMON_PROCESS", why: "comes from agent.daemonProcess" },
        { name: "OPENAI_SMALL_MODEL", why: "comes from agent.smallModel" },
        { name: "OPENAI_LARGE_MODEL", why: "comes from agent.largeModel" },
        { name: "ANTHROPIC_SMALL_MODEL", why: "comes from agent.smallModel" },
        { name: "ANTHROPIC_LARGE_MODEL", why: "comes from agent.largeModel" },
        { name: "OPENROUTER_SMALL_MODEL", why: "comes from agent.smallModel" },
        { name: "OPENROUTER_LARGE_MODEL", why: "comes from agent.largeModel" },
        { name: "OLLAMA_SMALL_MODEL", why: "comes from agent.smallModel" },
        { name: "OLLAMA_LARGE_MODEL", why: "comes from agent.largeModel" },
    ],
    custom: [],
};

/** Env every app gets from the program whatever its type. */
export const programEnv: readonly RuntimeEnv[] = [
    { name: "APP_SECRET_ID", why: "names the app's own secret (secretDelivery: aws-sdk); the program sets it" },
];

// ---------------------------------------------------------------------------------------
// Agent settings.

/** A model name: printable ASCII without spaces, as providers spell them (`gpt-4o-mini`, `anthropic/claude-3.5-sonnet`, `llama3.1:8b`). */
export const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

/** Whether an absolute path has a `.` or `..` segment (it would leave the directory it names). */
export const hasDotSegment = (path: string): boolean => path.split("/").some((s) => s === "." || s === "..");

// ---------------------------------------------------------------------------------------
// Domains.

/** Suffixes that resolve only inside a cluster or a LAN, never on the public internet. */
export const internalDomainSuffixes = [
    "cluster.local",
    "svc",
    "local",
    "internal",
    "localhost",
    "localdomain",
    "lan",
    "home.arpa",
    "arpa",
    "test",
    "example",
    "invalid",
    "onion",
] as const;

/** Scripts a look-alike label mixes with Latin (Cyrillic а, Greek ο, …). */
const scripts = ["Latin", "Cyrillic", "Greek", "Armenian", "Cherokee", "Han", "Hiragana", "Katakana", "Hangul", "Arabic", "Hebrew"];

/** The scripts the letters of a label use. */
function scriptsOf(label: string): string[] {
    return scripts.filter((script) => new RegExp(`\\p{Script=${script}}`, "u").test(label));
}

/**
 * Characters of other scripts that render like Latin letters or digits (the Unicode
 * confusables of a–z, 0–9): a label made only of them, such as `аррӏе`, reads as a Latin word.
 */
const latinLookAlikes =
    /^[\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u04bb\u04cf\u0501\u051b\u051d\u03bf\u03b1\u03bd\u03c1\u03c4\u03b9\u03ba\u0570\u0578\u057d\u0585\u13a0-\u13f4\u0030-\u0039-]+$/u;

/** Why a punycode (`xn--`) label is refused, or undefined. */
function punycodeProblem(label: string): string | undefined {
    const unicode = domainToUnicode(label);
    if (unicode === "" || unicode.startsWith("xn--")) return `the label ${label} is not valid punycode`;
    const used = scriptsOf(unicode);
    if (used.length > 1) return `the label ${label} (${unicode}) mixes ${used.join(" and ")} letters, a look-alike of another name`;
    if (used.length === 1 && used[0] !== "Latin" && latinLookAlikes.test(unicode))
        return `the label ${label} (${unicode}) is made of ${used[0] ?? ""} letters that look like Latin ones, a look-alike of another name`;
    return undefined;
}

/**
 * Why an organization's domain cannot be owned, or undefined: an internal suffix, a public
 * suffix (`co.uk`, `github.io`: owning it would claim every site under it), a name under no
 * known top-level domain, or a look-alike punycode label.
 */
export function domainProblem(domain: string): string | undefined {
    const internal = internalDomainSuffixes.find((s) => domain === s || domain.endsWith(`.${s}`));
    if (internal !== undefined)
        return `${domain} is under .${internal}, which resolves only inside a cluster or network, never publicly; use a public domain`;
    const lookAlike = hostnameLabelProblem(domain);
    if (lookAlike !== undefined) return lookAlike;
    const parsed = psl.parse(domain);
    if ("error" in parsed) return `${domain} is not a registrable domain (${parsed.error.message})`;
    if (!parsed.listed) return `${domain} is under no known public top-level domain`;
    if (parsed.domain === null)
        return `${domain} is a public suffix (like co.uk or github.io) that anyone registers names under; name the organization's own domain`;
    return undefined;
}

/** Why a hostname has a look-alike punycode label, or undefined. */
export function hostnameLabelProblem(host: string): string | undefined {
    for (const label of host.split(".")) {
        if (!label.startsWith("xn--")) continue;
        const problem = punycodeProblem(label);
        if (problem !== undefined) return problem;
    }
    return undefined;
}

/** Whether `host` is one of the platform's own hostnames, or under one. */
export const platformHostnameOf = (host: string, platformHostnames: readonly string[]): string | undefined =>
    platformHostnames.find((p) => host === p || host.endsWith(`.${p}`));
