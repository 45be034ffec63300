/** The rules on values a pull request brings: credentials in plaintext and domains nobody may own. */
import { strict as assert } from "node:assert";
import { domainProblem, hasDotSegment, isPostgresReservedName, modelNamePattern, plaintextCredentialOf } from "../../model/inputRules";

describe("plain env that would carry a credential", () => {
    const rows: ReadonlyArray<readonly [name: string, value: string, refused: string | undefined, reason: string]> = [
        ["PUBLIC_MAX_UPLOAD_SIZE", "2000", undefined, "an ordinary setting"],
        ["PUBLIC_URL", "https://web.acme.io/path?x=1", undefined, "a URL without userinfo"],
        ["DB_HOST_URL", "postgres://db.acme.io:5432/app", undefined, "a connection URL without a password"],
        ["LOGIN_HINT", "https://user@acme.io/", undefined, "a user without a password is no credential"],
        ["TOKEN_TTL", "", undefined, "an empty value holds nothing"],
        [
            "DATABASE_URL",
            "postgres://app:pw-123@db/x",
            "the value looks like a URL with a password (scheme://user:password@host)",
            "userinfo with a password",
        ],
        ["OPENAI_API_KEY", "x", "the name OPENAI_API_KEY says it holds a credential", "an API key's name"],
        ["GITHUB_TOKEN", "x", "the name GITHUB_TOKEN says it holds a credential", "a token's name"],
        ["db_password", "x", "the name db_password says it holds a credential", "names in lowercase too"],
        [
            "NOTE",
            "sk-ant-api03-abcdefghijklmnop",
            "the value looks like an OpenAI/Anthropic-style API key (sk-…)",
            "a provider key under a harmless name",
        ],
        ["NOTE", "ASIAABCDEFGHIJKLMNOP", "the value looks like an AWS access key id (AKIA…/ASIA…)", "a temporary AWS key id"],
        ["NOTE", "AIzaSyA1234567890abcdefghijklmnopqrstuv", "the value looks like a Google API key (AIza…)", "a Google key"],
    ];
    for (const [name, value, refused, reason] of rows) {
        it(`${refused === undefined ? "accepts" : "refuses"} ${name}: ${reason}`, () => {
            assert.equal(plaintextCredentialOf(name, value), refused);
        });
    }
});

describe("domains an organization may own", () => {
    const rows: ReadonlyArray<readonly [domain: string, refused: RegExp | undefined, reason: string]> = [
        ["r3s3t.xyz", undefined, "a registrable domain"],
        ["acme.co.uk", undefined, "a name under a public suffix is registrable"],
        ["acme.github.io", undefined, "a site under a private public suffix"],
        ["activeinference.institute", undefined, "a newer top-level domain"],
        ["xn--mnchen-3ya.de", undefined, "münchen.de: one script, no look-alike"],
        ["xn--e1afmkfd.xn--p1ai", undefined, "пример.рф: Cyrillic with letters that are no Latin look-alikes"],
        ["co.uk", /^co\.uk is a public suffix/, "owning it would claim every site under it"],
        ["s3.amazonaws.com", /is a public suffix/, "a cloud's shared suffix"],
        ["acme.svc.cluster.local", /under \.cluster\.local, which resolves only inside a cluster/, "cluster DNS"],
        ["acme.internal", /under \.internal/, "private DNS"],
        ["acme.test", /under \.test/, "a reserved test name"],
        ["acme.bogus", /under no known public top-level domain/, "no such top-level domain"],
        ["xn--80ak6aa92e.com", /made of Cyrillic letters that look like Latin ones/, "аррӏе.com reads as apple.com"],
        ["xn--pple-43d.com", /mixes Latin and Cyrillic letters/, "аpple.com mixes scripts"],
    ];
    for (const [domain, refused, reason] of rows) {
        it(`${refused === undefined ? "accepts" : "refuses"} ${domain}: ${reason}`, () => {
            const problem = domainProblem(domain);
            if (refused === undefined) assert.equal(problem, undefined);
            else assert.match(problem ?? "(accepted)", refused);
        });
    }
});

describe("names PostgreSQL and the runtimes refuse", () => {
    it("refuses the pg_ prefix of roles and schemas, in any case", () => {
        assert.deepEqual(["pg_web", "PG_web", "pgweb", "web_pg_x"].map(isPostgresReservedName), [true, true, false, false]);
    });

    it("accepts model names as providers spell them and refuses spaces and control characters", () => {
        const names = ["gpt-4o-mini", "anthropic/claude-3.5-sonnet", "llama3.1:8b", "gpt 4o", "gpt\n4o", "gpt\u001b[2J", ""];
        assert.deepEqual(
            names.map((n) => modelNamePattern.test(n)),
            [true, true, true, false, false, false, false],
        );
    });

    it("finds . and .. segments of an absolute path", () => {
        assert.deepEqual(["/app/characters", "/app/../etc", "/app/./x", "/app/..x"].map(hasDotSegment), [false, true, true, false]);
    });
});
