/**
 * Fuzz of render:diff's inputs: a valid plan.json mutated at random, as bytes and as a tree,
 * read as the head render and compared with the valid one. Each case must either be refused
 * as a RenderReadError naming the head render, or give markdown whose only control character
 * is the line break. A fixed seed replays a run (`FUZZ_SEED`); the count is fixed, not a time.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffPlans, formatDiffMarkdown } from "../../render/diff";
import type { Plan, PlanResource } from "../../render/plan";
import { readRenderPlan, RenderReadError } from "../../render/readRender";
import { prng } from "../model/catalog/fuzzSupport";
import { planResource } from "../support/plans";

const resource = (name: string, type: string, inputs: Record<string, unknown>): PlanResource =>
    planResource(name, type, {
        protect: true,
        retainOnDelete: true,
        inputs,
        secretInputs: ["secretString"],
        secretFingerprints: { secretString: "hmac:0011" },
    });

const valid: Plan = {
    formatVersion: 1,
    stack: "pro",
    secretMarker: "[secret]",
    note: "stand-ins",
    apps: [
        {
            organization: "acme",
            app: "web",
            type: "custom",
            url: "https://web.acme.example",
            namespace: "acme-pro",
            service: "web-pro",
            secret: "custom-acme-web-pro",
            role: "acme-web-pro",
        },
    ],
    resources: [
        resource("acme/web/secret", "aws:secretsmanager/secret:Secret", { name: "custom-acme-web-pro", recoveryWindowInDays: 30 }),
        resource("acme/web/service", "kubernetes:serving.knative.dev/v1:Service", {
            metadata: { name: "web-pro", namespace: "acme-pro" },
            spec: { template: { spec: { containers: [{ name: "app", image: "ghcr.io/a/w:1.0.0", env: [{ name: "A", value: "1" }] }] } } },
        }),
    ],
};

/** Values a hostile render might put anywhere. */
const nasty: readonly unknown[] = [
    null,
    0,
    -1,
    1e308,
    true,
    "",
    "`",
    "```\n# heading\n```",
    "\u001b[2J\u001b[H",
    "\u202egnp.exe",
    "![x](https://evil.example/p.png)",
    "<script>alert(1)</script>",
    "a".repeat(200_000),
    [],
    {},
    { __proto__: { polluted: true } },
    Array.from({ length: 50 }, (_, i) => i),
];

/** Replaces one random node of `doc` (a JSON tree) with a nasty value or removes it. */
function mutateTree(doc: unknown, random: () => number): unknown {
    const copy: unknown = JSON.parse(JSON.stringify(doc));
    const nodes: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
    const walk = (value: unknown) => {
        if (typeof value !== "object" || value === null) return;
        for (const [key, child] of Object.entries(value)) {
            nodes.push({ parent: value as Record<string, unknown>, key: Array.isArray(value) ? Number(key) : key });
            walk(child);
        }
    };
    walk(copy);
    const target = nodes[Math.floor(random() * nodes.length)];
    if (target === undefined) return copy;
    const choice = nasty[Math.floor(random() * nasty.length)];
    if (random() < 0.15 && !Array.isArray(target.parent)) delete (target.parent as Record<string, unknown>)[target.key as string];
    else (target.parent as Record<string | number, unknown>)[target.key] = choice;
    return copy;
}

/** Flips, deletes or duplicates a few bytes of `text`. */
function mutateBytes(text: string, random: () => number): string {
    const bytes = Buffer.from(text, "utf8");
    const out = [...bytes];
    for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
        const at = Math.floor(random() * out.length);
        const op = random();
        if (op < 0.4) out[at] = Math.floor(random() * 256);
        else if (op < 0.7) out.splice(at, 1 + Math.floor(random() * 8));
        else out.splice(at, 0, ...out.slice(at, at + 1 + Math.floor(random() * 16)));
    }
    return Buffer.from(out).toString("utf8");
}

// Control characters other than the line break must never reach the comment.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const controlCharacter = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe("fuzz: render:diff never crashes, hangs or lets a control character through", function () {
    this.timeout(300_000);
    const seed = Number(process.env.FUZZ_SEED ?? 20261202);
    const cases = Number(process.env.FUZZ_DIFF_CASES ?? 600);

    it(`reads ${cases} mutated head renders (seed ${seed}): each refused with its side named, or compared`, () => {
        const random = prng(seed);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenant-apps-diff-fuzz-"));
        const counts = { refused: 0, compared: 0 };
        try {
            for (let i = 0; i < cases; i++) {
                const text = random() < 0.5 ? mutateBytes(JSON.stringify(valid), random) : JSON.stringify(mutateTree(valid, random));
                fs.writeFileSync(path.join(dir, "plan.json"), text);
                let head: Plan;
                try {
                    head = readRenderPlan(dir, "/", "head");
                } catch (error) {
                    assert.ok(error instanceof RenderReadError, `case ${i}: ${String(error)}`);
                    assert.match(error.message, /^head render /, `case ${i}`);
                    assert.doesNotMatch(error.message, controlCharacter, `case ${i}`);
                    counts.refused++;
                    continue;
                }
                const markdown = formatDiffMarkdown(diffPlans(valid, head));
                assert.doesNotMatch(markdown, controlCharacter, `case ${i}`);
                counts.compared++;
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
        // Both outcomes are exercised: the mutations are neither all fatal nor all harmless.
        assert.ok(counts.refused > cases / 10 && counts.compared > cases / 10, JSON.stringify(counts));
    });
});
