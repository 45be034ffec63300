/**
 * One clean cancel of the Pulumi CLI, whatever stops the script.
 *
 * The Pulumi CLI treats its first SIGINT as "cancel gracefully" and a second one as
 * "terminate now", which may leave resources orphaned and the stack locked. The Automation
 * API forwards an aborted `signal` to the CLI as one SIGINT (`proc.kill("SIGINT")` in
 * node_modules/@pulumi/pulumi/automation/cmd.js:181-185), so the script must abort only when
 * the CLI has not already got a SIGINT of its own:
 *
 * - Ctrl-C on a terminal sends SIGINT to the whole foreground process group, and the CLI is a
 *   child in the script's group (execa does not detach it): it already has its one SIGINT,
 *   so the script forwards nothing and waits for it to stop.
 * - A SIGINT sent to the script alone (`kill -INT <pid>`, no terminal) is forwarded once.
 * - SIGTERM (what a CI runner sends when a job is cancelled) is turned into one SIGINT.
 *
 * Later signals are never forwarded. After a cancel the script prints how to recover and
 * exits 130 (SIGINT) or 143 (SIGTERM).
 */
import * as fs from "node:fs";
import { ExitCode, type Console } from "./cli";

/** The signals a script answers. */
export type CancelSignal = "SIGINT" | "SIGTERM";

/**
 * Whether this process is in the foreground process group of its controlling terminal, so a
 * Ctrl-C there reaches the Pulumi CLI too. On Linux from /proc/self/stat, fields 5 (pgrp)
 * and 8 (tpgid, -1 without a terminal), see proc(5); elsewhere whether stdin is a terminal.
 */
export function inTerminalForeground(): boolean {
    try {
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        // Fields after "(comm) ": state, ppid, pgrp, session, tty_nr, tpgid, …
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const pgrp = Number(fields[2]);
        const tpgid = Number(fields[5]);
        return tpgid > 0 && tpgid === pgrp;
    } catch {
        return process.stdin.isTTY === true;
    }
}

/** The script's side of a cancel: the signal for the Automation API and what was asked. */
export interface Cancellation {
    /** Pass to every operation; aborted only when the CLI must be told by the script. */
    readonly signal: AbortSignal;
    /** The first signal received, if any: no further operation may start once it is set. */
    readonly requested: CancelSignal | undefined;
    /**
     * Whether an operation's `error` comes from a cancel: a signal was received, or the CLI
     * died of one before this process's own handler ran (both were signalled at once). Sets
     * `requested` in the second case.
     */
    readonly explains: (error: unknown) => boolean;
    /** Stops listening (tests; a script simply exits). */
    readonly dispose: () => void;
}

/** Where the signals come from and how to tell a terminal's Ctrl-C; tests replace both. */
export interface SignalSource {
    readonly on: (signal: CancelSignal, listener: () => void) => void;
    readonly off: (signal: CancelSignal, listener: () => void) => void;
    readonly groupDelivered: () => boolean;
}

const processSignals: SignalSource = {
    on: (signal, listener) => process.on(signal, listener),
    off: (signal, listener) => process.off(signal, listener),
    groupDelivered: inTerminalForeground,
};

/** Listens for SIGINT and SIGTERM for the rest of the script and cancels the CLI exactly once. */
export function watchSignals(con: Console, source: SignalSource = processSignals): Cancellation {
    const controller = new AbortController();
    let requested: CancelSignal | undefined;
    /** Whether the CLI has been sent (or has itself received) its one SIGINT. */
    let cliTold = false;
    const handle = (signal: CancelSignal) => {
        if (requested === undefined) requested = signal;
        if (cliTold) {
            con.err(`\n${signal}: the Pulumi CLI was already asked to stop once; waiting for it (it is not signalled again)\n`);
            return;
        }
        cliTold = true;
        if (signal === "SIGINT" && source.groupDelivered()) {
            con.err("\ninterrupted: the Pulumi CLI got the same Ctrl-C and is stopping cleanly; waiting for it\n");
            return;
        }
        con.err(`\n${signal === "SIGINT" ? "interrupted" : "terminated"}: asking the Pulumi CLI to stop cleanly (one SIGINT)\n`);
        controller.abort();
    };
    const onInt = () => handle("SIGINT");
    const onTerm = () => handle("SIGTERM");
    source.on("SIGINT", onInt);
    source.on("SIGTERM", onTerm);
    return {
        signal: controller.signal,
        get requested() {
            return requested;
        },
        explains: (error) => {
            if (requested !== undefined) return true;
            const killedBy = killedBySignal(error);
            if (killedBy === undefined) return false;
            requested = killedBy;
            cliTold = true;
            return true;
        },
        dispose: () => {
            source.off("SIGINT", onInt);
            source.off("SIGTERM", onTerm);
        },
    };
}

/**
 * The signal that killed the CLI, from the Automation API's error: execa's "Command was
 * killed with SIGINT" travels in the CommandError's message (cmd.js:193-194).
 */
export function killedBySignal(error: unknown): CancelSignal | undefined {
    const text = error instanceof Error ? error.message : String(error);
    return (/Command was killed with (SIGINT|SIGTERM)\b/.exec(text)?.[1] as CancelSignal | undefined) ?? undefined;
}

/** Prints how to recover from a cancelled operation on `stack` and returns the exit code (130 or 143). */
export function cancelled(con: Console, cancel: Cancellation, stack: string, what: string): number {
    const signal = cancel.requested ?? "SIGINT";
    con.err(
        [
            `cancelled by ${signal}: the ${what} of stack ${stack} was stopped (the Pulumi CLI was asked once, so it could finish cleanly).`,
            `If the next run says another update holds the stack's lock and none is running, release it: pulumi cancel --stack ${stack}`,
            `If resources were being changed, compare the state with the cloud: npm run drift -- --stack ${stack}`,
            "",
        ].join("\n"),
    );
    return signal === "SIGINT" ? ExitCode.interrupted : ExitCode.terminated;
}
