/**
 * Preloaded with `node --require` into a command under test: when the process exits, it writes
 * the file of every CommonJS module it loaded (`require.cache`) as JSON to $LOADED_MODULES_FILE,
 * so a test can say which packages a command loads. The Pulumi SDKs are CommonJS packages.
 */
import * as fs from "node:fs";

const out = process.env.LOADED_MODULES_FILE;
if (out !== undefined && out !== "") {
    process.on("exit", () => fs.writeFileSync(out, JSON.stringify(Object.keys(require.cache))));
}
