/** The project's root directory, found without loading the program (and so without any Pulumi SDK). */
import * as fs from "node:fs";
import * as path from "node:path";

/** The directory holding Pulumi.yaml, found upward from `start`. */
export function projectRoot(start = __dirname): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return process.cwd();
    }
}
