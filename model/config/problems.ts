/**
 * Problems of a stack's config, each naming its config key, and the errors that carry all of
 * them at once: `PlatformConfigError` for the values, `StackConfigError` for the stack file
 * itself. Structured, so a caller reports them without reading their message. Pure.
 */
import { oneLine } from "../printable";

/** One problem of the config: the key it concerns (`tenant-apps:database.host`, `aws:region`), or none for the file as a whole. */
export interface ConfigProblem {
    readonly key?: string;
    readonly message: string;
}

/** One line: `key: message`, or the message alone when it concerns the whole file. */
/** A problem on one printable line: keys and messages may carry control characters from the file. */
export const formatConfigProblem = (p: ConfigProblem): string => oneLine(p.key !== undefined ? `${p.key}: ${p.message}` : p.message);

/** The platform config of a stack is invalid; `problems` holds every problem found. */
export class PlatformConfigError extends Error {
    constructor(
        /** The stack file, as the user names it (`Pulumi.pro.yaml`). */
        readonly file: string,
        readonly problems: readonly ConfigProblem[],
        message = `${oneLine(file)}: invalid platform configuration:\n${problems.map((p) => `  - ${formatConfigProblem(p)}`).join("\n")}`,
    ) {
        super(message);
        this.name = "PlatformConfigError";
    }
}

/** The stack file cannot be read as config at all (missing, not YAML, a plaintext secret). */
export class StackConfigError extends PlatformConfigError {
    constructor(file: string, problems: readonly ConfigProblem[]) {
        super(
            file,
            problems,
            problems.length === 1
                ? `${file}: ${formatConfigProblem(problems[0] as ConfigProblem)}`
                : `${file}: ${problems.length} problems:\n${problems.map((p) => `  - ${formatConfigProblem(p)}`).join("\n")}`,
        );
        this.name = "StackConfigError";
    }
}
