import { strict as assert } from "node:assert";
import { formatDiffMarkdown, type PlanDiff } from "../../render/diff";
import { codeSpan, fence, shellQuote, shellWord, visible } from "../../render/markdown";
import type { PlanResource } from "../../render/plan";

/** A KNative Service resource of r3s3t/world with the given env value. */
function service(value: string, urnSuffix = ""): PlanResource {
    return {
        urn: `urn:pulumi:pro::tenant-apps::kubernetes:serving.knative.dev/v1:Service::r3s3t/world${urnSuffix}`,
        name: "r3s3t/world/service/service",
        type: "kubernetes:serving.knative.dev/v1:Service",
        custom: true,
        organization: "r3s3t",
        app: "world",
        protect: true,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
        inputs: { metadata: { name: "world-pro", namespace: "r3s3t-pro" }, spec: { env: { GREETING: value } } },
        secretInputs: [],
        secretFingerprints: {},
        dependencies: [],
    } as unknown as PlanResource;
}

describe("markdown of the PR comment (render/markdown.ts)", () => {
    it("keeps line breaks, carriage returns and invisible characters inside a code span as visible escapes", () => {
        assert.equal(codeSpan("a\r\n## forged\nb"), "`a\\r\\n## forged\\nb`");
        assert.equal(codeSpan("tab\there\u2028sep"), "`tab\\there\\u{2028}sep`");
        assert.equal(codeSpan("evil\u202egnp.exe"), "`evil\\u{202e}gnp.exe`");
        assert.equal(codeSpan("zero\u200bwidth\u0000nul"), "`zero\\u{200b}width\\u{0}nul`");
    });

    it("fences a value with more backticks than any run inside it, padded when it starts or ends with one", () => {
        assert.equal(codeSpan("a`b"), "``a`b``");
        assert.equal(codeSpan("x``` y"), "````x``` y````");
        assert.equal(codeSpan("`start"), "`` `start ``");
        assert.equal(codeSpan(""), "``");
    });

    it("leaves HTML, @mentions and links as text inside the span, and escapes | only in a table cell", () => {
        assert.equal(
            codeSpan("<img src=x onerror=alert(1)> @octocat [x](http://e.vil)"),
            "`<img src=x onerror=alert(1)> @octocat [x](http://e.vil)`",
        );
        assert.equal(codeSpan("a|b"), "`a|b`");
        assert.equal(codeSpan("a|b", { inTable: true }), "`a\\|b`");
    });

    it("shortens by code points, never splitting a surrogate pair", () => {
        assert.equal(codeSpan("😀😀😀😀", { max: 3 }), "`😀😀…`");
        assert.equal(codeSpan({ a: 1 }), '`{"a":1}`');
    });

    it("quotes a shell word so that a quote or a line break cannot end it", () => {
        assert.equal(shellQuote("urn:a'b"), "'urn:a'\\''b'");
        assert.equal(shellQuote("x\nrm -rf /"), "'x\\nrm -rf /'");
        assert.equal(visible("ok"), "ok");
        assert.equal(shellWord("pro"), "pro");
        assert.equal(shellWord("pro;rm"), "'pro;rm'");
    });

    it("fences a code block with more backticks than its lines hold", () => {
        assert.deepEqual(fence(["echo ```"], "sh"), ["````sh", "echo ```", "````"]);
        assert.deepEqual(fence(["echo"], "sh"), ["```sh", "echo", "```"]);
    });

    it("a catalog value with CR/LF, backticks and a heading cannot forge text in the render diff", () => {
        const hostile = "1`\r\n\r\n## ✅ Approved by @security-team\r\n<!-- tenant-apps render diff -->\r\n`";
        const diff: PlanDiff = {
            baseStack: "pro",
            headStack: "pro",
            added: [],
            removed: [],
            changed: [
                {
                    before: service("1"),
                    after: service(hostile),
                    fields: [{ path: "spec.env.GREETING", kind: "changed", before: "1", after: hostile }],
                },
            ],
            appsAdded: [],
            appsRemoved: [],
        };
        const markdown = formatDiffMarkdown(diff);
        const line = markdown.split("\n").find((l) => l.includes("spec.env.GREETING"));
        assert.equal(
            line,
            "  - `spec.env.GREETING`: `1` → `` 1`\\r\\n\\r\\n## ✅ Approved by @security-team\\r\\n<!-- tenant-apps render diff -->\\r\\n` ``",
        );
        assert.ok(!/^#+ ✅/m.test(markdown), markdown);
        assert.equal(
            markdown.split("<!-- tenant-apps render diff -->").length,
            3,
            "the marker appears at the top and, escaped, inside the code span only",
        );
        assert.ok(!markdown.includes("\r"), "no carriage return reaches the comment");
    });
});
