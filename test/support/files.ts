/** Reading a directory the tests wrote. */
import * as fs from "node:fs";
import * as path from "node:path";

/** Every file under `dir`, relative path → content. */
export function readTree(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (sub: string): void => {
        const entries = fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
        for (const entry of entries) {
            const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
            if (entry.isDirectory()) walk(rel);
            else out.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
        }
    };
    walk("");
    return out;
}
