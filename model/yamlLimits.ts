/**
 * YAML parsed within a nesting limit of our own. The `yaml` library has none: it composes
 * nested collections recursively and, when the stack runs out, records "Maximum call stack size
 * exceeded" (RESOURCE_EXHAUSTION, yaml 2.9.1 dist/compose/compose-node.js L33-42) at a depth
 * that depends on the stack size. Here the depth is measured on the parser's tokens first (with
 * an explicit stack, no recursion), and a document nested deeper than `maxYamlNesting` is
 * refused by name before it is composed. Pure.
 */
import { Composer, Parser, YAMLParseError, type CST, type Document, type LineCounter } from "yaml";

/** Levels of nested mappings and lists a catalog or stack file may have; both need fewer than ten. */
export const maxYamlNesting = 64;

/** Why a file is refused when it is nested too deeply. */
export const yamlNestingMessage = `it exceeds the YAML nesting limit of ${maxYamlNesting} levels of nested mappings and lists; flatten it (a catalog or stack file needs fewer than ten)`;

/** The deepest nesting of collections among `tokens`, counted up to `limit + 1`. */
export function nestingDepth(tokens: readonly CST.Token[], limit = maxYamlNesting): number {
    let deepest = 0;
    const pending: Array<[CST.Token | undefined, number]> = tokens.map((t): [CST.Token, number] => [t, 0]);
    while (pending.length > 0) {
        const [token, depth] = pending.pop() ?? [undefined, 0];
        if (token === undefined) continue;
        if (token.type === "document") pending.push([token.value, depth]);
        else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
            deepest = Math.max(deepest, depth + 1);
            if (deepest > limit) return deepest;
            for (const item of token.items) {
                if ("key" in item) pending.push([item.key ?? undefined, depth + 1]);
                pending.push([item.value, depth + 1]);
            }
        }
    }
    return deepest;
}

/**
 * `parseDocument(text, options)` (yaml 2.9.1 dist/public-api.js `parseDocument`), refusing a
 * document nested deeper than `maxYamlNesting`: the result is `"too deep"` then.
 */
export function parseYamlWithinLimits(
    text: string,
    options: { readonly lineCounter: LineCounter; readonly uniqueKeys: boolean },
): Document | "too deep" {
    const tokens = [...new Parser(options.lineCounter.addNewLine).parse(text)];
    if (nestingDepth(tokens) > maxYamlNesting) return "too deep";
    let doc: Document | undefined;
    for (const next of new Composer({ uniqueKeys: options.uniqueKeys }).compose(tokens, true, text.length)) {
        if (doc === undefined) doc = next;
        else {
            doc.errors.push(
                new YAMLParseError(
                    [next.range[0], next.range[1]],
                    "MULTIPLE_DOCS",
                    "Source contains multiple documents; please use YAML.parseAllDocuments()",
                ),
            );
            break;
        }
    }
    // compose(…, forceDoc = true) always yields a document.
    return doc as Document;
}
