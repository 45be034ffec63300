/**
 * One command-line convention for every command of the project (render, render:diff, bench,
 * deploy, preview, drift): Node's own `util.parseArgs` in strict mode, plus what it lacks.
 *
 * - `--help`/`-h` prints the command's usage on stdout and exits 0, whatever else is given.
 * - A usage error (unknown flag, stray word, missing value, a single-valued flag given twice,
 *   or a value the command rejects) is printed once on stderr, with the usage line and a
 *   pointer to `--help`, and exits 64 (sysexits `EX_USAGE`), for every command.
 * - `util.parseArgs` lets the last of `--stack pre --stack pro` win silently; here a flag that
 *   is not declared `multiple` may be given once (its long and short forms count together).
 */
import { parseArgs } from "node:util";

/** Exit statuses every command shares; the rest are each command's own (docs/automation.md). */
export const ExitStatus = {
    ok: 0,
    /** Bad usage (sysexits `EX_USAGE`). */
    usage: 64,
    /** Stopped by SIGINT (128 + 2), the shell's convention. */
    interrupted: 130,
    /** Stopped by SIGTERM (128 + 15). */
    terminated: 143,
} as const;

/** One flag: a string or a boolean, optionally with a one-letter alias; `multiple` may repeat. */
export interface OptionSpec {
    readonly type: "string" | "boolean";
    readonly short?: string;
    readonly multiple?: boolean;
}

/** A command: how it is invoked (`npm run <name> --`), its help text and its flags. */
export interface CommandSpec {
    /** The npm script, e.g. `render:diff`; used in the pointer to `--help`. */
    readonly name: string;
    /** The whole help text; its first line is the usage line repeated with every usage error. */
    readonly usage: string;
    readonly options: Readonly<Record<string, OptionSpec>>;
    /** Whether words that are not flags are accepted (render:diff's directories, bench's sizes). */
    readonly positionals?: boolean;
}

/** Thrown by a command's `build` to reject a value; becomes a usage error (exit 64). */
export class UsageError extends Error {
    override readonly name = "UsageError";
}

/** Rejects the command line with `message` (a usage error). */
export function usageError(message: string): never {
    throw new UsageError(message);
}

/** A flag or a word, in command-line order. */
export type ArgToken =
    | { readonly kind: "option"; readonly name: string; readonly value?: string; readonly inline: boolean }
    | { readonly kind: "positional"; readonly value: string };

/** The parsed command line, as a command's `build` reads it. */
export interface Args {
    /** The value of a string flag, or undefined when absent. */
    string(name: string): string | undefined;
    /** Whether a boolean flag is present. */
    boolean(name: string): boolean;
    /** Every value of a `multiple` string flag, in order. */
    strings(name: string): readonly string[];
    readonly positionals: readonly string[];
    /** Flags and words in order, for a flag that also takes the words after it (bench `--apps 10 100`). */
    readonly tokens: readonly ArgToken[];
}

/** The outcome of parsing: run with the options, print the help, or a usage error. */
export type Parsed<T> =
    { readonly kind: "run"; readonly options: T } | { readonly kind: "help" } | { readonly kind: "usage"; readonly message: string };

/** The flag named in one of `util.parseArgs`' messages (`Option '-s, --stack <value>' …`). */
function flagIn(message: string): string {
    return /--[\w-]+/.exec(message)?.[0] ?? /'(-[^' ]+)/.exec(message)?.[1] ?? "an option";
}

/** `util.parseArgs`' errors reworded the same way for every command. */
function reword(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const quoted = /'([^']*)'/.exec(message)?.[1] ?? "";
    switch (code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown argument "${quoted}"`;
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return `unexpected argument "${quoted}"`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            return /does not take an argument/.test(message) ? `${flagIn(message)} takes no value` : `${flagIn(message)} needs a value`;
        default:
            return message;
    }
}

/** Whether `--help`/`-h` appears before a `--` terminator. */
function asksForHelp(argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

/**
 * Parses `argv` for `spec`; `build` turns the flags into the command's options and may call
 * `usageError`. Never throws for a bad command line: the result says what to do.
 */
export function parseCommand<T>(spec: CommandSpec, argv: readonly string[], build: (args: Args) => T): Parsed<T> {
    if (asksForHelp(argv)) return { kind: "help" };
    let parsed: ReturnType<typeof parseArgs>;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: spec.options,
            strict: true,
            allowPositionals: spec.positionals === true,
            tokens: true,
        });
    } catch (error) {
        return { kind: "usage", message: reword(error) };
    }
    const tokens: ArgToken[] = [];
    for (const token of parsed.tokens ?? []) {
        if (token.kind === "option")
            tokens.push({
                kind: "option",
                name: token.name,
                inline: token.inlineValue === true,
                ...(token.value === undefined ? {} : { value: token.value }),
            });
        else if (token.kind === "positional") tokens.push({ kind: "positional", value: token.value });
    }
    const seen = new Map<string, string[]>();
    for (const token of tokens) {
        if (token.kind !== "option" || spec.options[token.name]?.multiple === true) continue;
        const earlier = seen.get(token.name);
        if (earlier !== undefined) {
            const values = [...earlier, token.value].filter((v): v is string => v !== undefined);
            const shown = values.length > 0 ? ` (${values.map((v) => JSON.stringify(v)).join(" and ")})` : "";
            return { kind: "usage", message: `--${token.name} is given twice${shown}; give it once` };
        }
        seen.set(token.name, token.value === undefined ? [] : [token.value]);
    }
    const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
    const args: Args = {
        string: (name) => {
            const value = values[name];
            return typeof value === "string" ? value : undefined;
        },
        boolean: (name) => values[name] === true,
        strings: (name) => {
            const value = values[name];
            return Array.isArray(value)
                ? value.filter((v): v is string => typeof v === "string")
                : typeof value === "string"
                  ? [value]
                  : [];
        },
        positionals: parsed.positionals,
        tokens,
    };
    try {
        return { kind: "run", options: build(args) };
    } catch (error) {
        if (error instanceof UsageError) return { kind: "usage", message: error.message };
        throw error;
    }
}

/** Where a command writes: its result (stdout) and its diagnostics (stderr). */
export interface Output {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
}

/** The process's own streams. */
export const processOutput: Output = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
};

/** The text of a usage error: the message, the usage line, and where the rest is. */
export function usageText(spec: Pick<CommandSpec, "name" | "usage">, message: string): string {
    const line = spec.usage.split("\n", 1)[0] ?? "";
    return `error: ${message}\n${line}\nrun \`npm run ${spec.name} -- --help\` for every option\n`;
}

/**
 * Settles the help and usage cases: help on stdout (exit 0), a usage error once on stderr
 * (exit 64). Returns the options to run with, or the exit status to stop with.
 */
export function settle<T>(parsed: Parsed<T>, spec: Pick<CommandSpec, "name" | "usage">, io: Output = processOutput): T | number {
    if (parsed.kind === "help") {
        io.out(spec.usage.endsWith("\n") ? spec.usage : `${spec.usage}\n`);
        return ExitStatus.ok;
    }
    if (parsed.kind === "usage") {
        io.err(usageText(spec, parsed.message));
        return ExitStatus.usage;
    }
    return parsed.options;
}
