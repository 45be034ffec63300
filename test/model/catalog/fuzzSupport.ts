/**
 * The fuzz tests' seeded PRNG, hostile values and catalog mutations, shared by the catalog
 * fuzz (fuzz.test.ts) and the newer blocks' fuzz (fuzzBlocks.test.ts).
 */
/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Values a hostile contributor would try, dropped into scalars. */
export const hostile = [
    "1e21",
    "-1",
    "0x10",
    ".inf",
    "~",
    "null",
    "__proto__",
    "constructor",
    '"\\0"',
    '"a\\r\\nb"',
    "&a x",
    "*a",
    "!!js/function x",
    "!!binary AA==",
    "[",
    "{",
    "'",
    '"',
    "`",
    "|",
    ">",
    "%",
    "@",
    "xn--a",
    "10.0.0.1",
    "..",
    "/etc/passwd",
    "kube-system",
    "ÅÄÖ",
    "\u202e",
    "a".repeat(300),
    "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
    "{a: {b: {c: {d: {e: []}}}}}",
    "<<: *x",
    "? a\n: b",
    "- - -",
    "\t",
    // Values the newer blocks refuse: credentials, escape bytes, reserved names and domains.
    '"postgres://u:p4ssw0rd-fuzz@db/x"',
    "sk-live-fuzz0123456789abcdef",
    "AKIAFUZZ0123456789AB",
    '"\\e[2J\\e]0;x\\a"',
    '"a\\u202eb"',
    "pg_fuzz",
    "co.uk",
    "github.io",
    "cluster.local",
    "acme.internal",
    "xn--pple-43d.com",
    "xn--80ak6aa92e.com",
    "statics.numinia.xyz",
    "/app/../../etc",
    "SERVER_PORT",
    "[schema, database, schema]",
    "{ schema: x.y, database: z }",
];

export function mutate(text: string, random: () => number): string {
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const lines = text.split("\n");
    const at = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 8)) {
        case 0: {
            const i = Math.floor(random() * text.length);
            return text.slice(0, i) + String.fromCharCode(Math.floor(random() * 0x80)) + text.slice(i + 1);
        }
        case 1: {
            const i = Math.floor(random() * text.length);
            return text.slice(0, i) + text.slice(i + 1 + Math.floor(random() * 20));
        }
        case 2:
            lines.splice(at, 0, lines[Math.floor(random() * lines.length)] ?? "");
            return lines.join("\n");
        case 3:
            lines.splice(at, 1);
            return lines.join("\n");
        case 4:
            lines[at] = (lines[at] ?? "").replace(/:\s*(\S.*)?$/, `: ${pick(hostile)}`);
            return lines.join("\n");
        case 5:
            lines[at] = `${" ".repeat(Math.floor(random() * 8))}${(lines[at] ?? "").trimStart()}`;
            return lines.join("\n");
        case 6:
            return text.slice(0, Math.floor(random() * text.length));
        default:
            lines.splice(
                at,
                0,
                `${" ".repeat(Math.floor(random() * 3) * 2)}${pick(["env", "scale", "x", "apps", "domains", "hostname", "adopt", "moves", "agent"])}: ${pick(hostile)}`,
            );
            return lines.join("\n");
    }
}
