/**
 * Cancellation and the terminal: a script cancels the Pulumi CLI exactly once, whether a
 * person presses Ctrl-C on a terminal (the whole process group gets the SIGINT, the CLI
 * included), the script alone gets a SIGINT, or a CI runner sends SIGTERM; and deploy asks
 * a person on a terminal before updating. The scripts run as real processes against the
 * stand-in `pulumi`, which records every signal it receives; terminal runs get a
 * pseudo-terminal from util-linux `script`.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { watchSignals, type CancelSignal, type SignalSource } from "../../automation/cancel";
import { runScript, type Invocation, type Scenario } from "./support";

const apps = { "r3s3t/world": { type: "hyperfy2", url: "https://world.r3s3t.xyz", namespace: "r3s3t-pro" } };
const changes: Scenario = { operations: { preview: { events: "preview-pro.json" }, up: { events: "up-pro.json" } }, outputs: { apps } };
/** The update (or drift check) runs until it is signalled. */
const longUpdate: Scenario = { ...changes, operations: { ...changes.operations, up: { events: "up-pro.json", waitForSignal: true } } };
const longDrift: Scenario = { operations: { refresh: { events: "refresh-pro-clean.json", waitForSignal: true } } };

const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
/** Each command as its first words (`stack output`, `preview`, …). */
/** The signals the stand-in CLI received, in order. */
const signalsSeen = (run: { readonly signals: ReadonlyArray<{ readonly signal: string }> }): string[] => run.signals.map((s) => s.signal);

/** Waits for `banner` on the script's output, lets the stand-in arm its handlers, then sends the script `signal`. */
const signalAfter =
    (banner: string, signal: NodeJS.Signals) =>
    async (session: { waitFor(text: string): Promise<unknown>; kill(signal: NodeJS.Signals): void }): Promise<void> => {
        await session.waitFor(banner);
        // The stand-in arms its handlers before the script can see the operation start.
        await new Promise((resolve) => setTimeout(resolve, 300));
        session.kill(signal);
    };

/** Answers deploy's confirmation prompt on the terminal. */
const answerPrompt =
    (reply: string) =>
    async (session: { waitFor(text: string): Promise<unknown>; type(text: string): void }): Promise<void> => {
        await session.waitFor("? [y/N] ");
        session.type(`${reply}\r`);
    };

const verbs = (commands: readonly Invocation[]) =>
    commands.map((c) => (c.argv[0] === "stack" ? c.argv.slice(0, 2).join(" ") : (c.argv[0] ?? "")));

/** A signal source a test drives by hand. */
function fakeSignals(groupDelivered: boolean) {
    const listeners = new Map<CancelSignal, () => void>();
    const source: SignalSource = {
        on: (signal, listener) => void listeners.set(signal, listener),
        off: (signal) => void listeners.delete(signal),
        groupDelivered: () => groupDelivered,
    };
    return { source, send: (signal: CancelSignal) => listeners.get(signal)?.() };
}

describe("automation: one clean cancel", function () {
    this.timeout(60_000);

    describe("the decision (no processes)", () => {
        it("on a terminal's Ctrl-C forwards nothing: the CLI got the same SIGINT", () => {
            const said: string[] = [];
            const { source, send } = fakeSignals(true);
            const cancel = watchSignals({ out: () => undefined, err: (t) => void said.push(t) }, source);
            send("SIGINT");
            send("SIGINT");
            send("SIGTERM");
            assert.equal(cancel.signal.aborted, false);
            assert.equal(cancel.requested, "SIGINT");
            assert.equal(said.length, 3);
            assert.match(said[0] ?? "", /got the same Ctrl-C and is stopping cleanly/);
            cancel.dispose();
        });

        it("on a SIGINT to the script alone, or a SIGTERM, asks the CLI once", () => {
            for (const [first, second] of [
                ["SIGINT", "SIGTERM"],
                ["SIGTERM", "SIGINT"],
            ] as const) {
                const { source, send } = fakeSignals(false);
                const cancel = watchSignals({ out: () => undefined, err: () => undefined }, source);
                let aborts = 0;
                cancel.signal.addEventListener("abort", () => aborts++);
                send(first);
                send(second);
                send(first);
                assert.equal(aborts, 1);
                assert.equal(cancel.requested, first);
            }
        });

        it("takes a CLI killed by the signal before the handler ran as a cancel", () => {
            const { source } = fakeSignals(true);
            const cancel = watchSignals({ out: () => undefined, err: () => undefined }, source);
            assert.equal(cancel.explains(new Error("code: 255\n stderr: error: boom\n")), false);
            assert.equal(cancel.requested, undefined);
            assert.equal(cancel.explains(new Error("stderr: Command was killed with SIGTERM (Termination): pulumi up")), true);
            assert.equal(cancel.requested, "SIGTERM");
        });
    });

    describe("against the stand-in CLI", () => {
        it("SIGTERM (a cancelled CI job) during an update: the CLI gets exactly one SIGINT, exit 143 with how to recover", async () => {
            const run = await runScript("deploy", ["--stack", "pro", "--yes", "--quiet"], {
                scenario: longUpdate,
                interact: signalAfter("== update of stack pro", "SIGTERM"),
            });
            assert.equal(run.code, 143, run.stderr);
            assert.deepEqual(signalsSeen(run), ["SIGINT"]);
            // After the cancelled update, only the outputs for the table (LocalWorkspace.stackOutputs
            // reads them masked, then with secrets): no other operation starts.
            assert.deepEqual(verbs(run.commands), ["stack select", "preview", "up", "stack output", "stack output"]);
            assert.ok(run.stderr.includes("terminated: asking the Pulumi CLI to stop cleanly (one SIGINT)\n"), run.stderr);
            assert.ok(
                run.stderr.endsWith(
                    [
                        "cancelled by SIGTERM: the update of stack pro was stopped (the Pulumi CLI was asked once, so it could finish cleanly).",
                        "If the next run says another update holds the stack's lock and none is running, release it: pulumi cancel --stack pro",
                        "If resources were being changed, compare the state with the cloud: npm run drift -- --stack pro",
                        "",
                    ].join("\n"),
                ),
                run.stderr,
            );
            assert.ok(!run.stderr.includes("error: update of pro failed"), "a cancel is not reported as a failure");
        });

        it("SIGINT to the script alone (no terminal): forwarded once, exit 130", async () => {
            const run = await runScript("drift", ["--stack", "pro", "--quiet"], {
                scenario: longDrift,
                interact: signalAfter("== drift check of stack pro", "SIGINT"),
            });
            assert.equal(run.code, 130, run.stderr);
            assert.deepEqual(signalsSeen(run), ["SIGINT"]);
            assert.equal(run.stdout, "", "no drift report for a check that did not finish");
        });

        it("Ctrl-C on a terminal during a drift check: the CLI gets exactly one SIGINT (not a second, terminating one), exit 130", async function () {
            if (!hasScript) this.skip();
            const run = await runScript("drift", ["--stack", "pro"], {
                scenario: longDrift,
                terminal: true,
                interact: async (session) => {
                    await session.waitFor("Refreshing (pro):");
                    session.type("\x03");
                },
            });
            assert.equal(run.code, 130, run.stdout);
            assert.deepEqual(signalsSeen(run), ["SIGINT"]);
            assert.ok(
                run.stdout.includes("interrupted: the Pulumi CLI got the same Ctrl-C and is stopping cleanly; waiting for it\n"),
                run.stdout,
            );
            assert.ok(run.stdout.includes("^C received; cancelling."), "the stand-in's own cancel message streams through");
            assert.ok(run.stdout.includes("release it: pulumi cancel --stack pro\n"), run.stdout);
        });
    });

    describe("deploy on a terminal", () => {
        it("asks before updating, and updates after y; Ctrl-C during the update then cancels it once", async function () {
            if (!hasScript) this.skip();
            const run = await runScript("deploy", ["--stack", "pro"], {
                scenario: longUpdate,
                terminal: true,
                interact: async (session) => {
                    await session.waitFor("? [y/N] ");
                    session.type("y\r");
                    await session.waitFor("Updating (pro):");
                    session.type("\x03");
                },
            });
            assert.match(
                run.stdout,
                /Deploy to stack pro \(10 to create, 2 to update, 1 to replace, 4 to delete, 11 unchanged\)\? \[y\/N\] y\n/,
            );
            assert.deepEqual(verbs(run.commands), ["stack select", "preview", "up", "stack output", "stack output"]);
            assert.equal(run.code, 130, run.stdout);
            assert.deepEqual(signalsSeen(run), ["SIGINT"]);
        });

        it("updates after yes, and ends with the app table", async function () {
            if (!hasScript) this.skip();
            const run = await runScript("deploy", ["--stack", "pro", "--quiet"], {
                scenario: changes,
                terminal: true,
                interact: answerPrompt("yes"),
            });
            assert.equal(run.code, 0, run.stdout);
            assert.deepEqual(verbs(run.commands).slice(0, 3), ["stack select", "preview", "up"]);
            assert.match(run.stdout, /\| r3s3t\/world +\| hyperfy2 \| https:\/\/world\.r3s3t\.xyz \| updated \(1 changed\) \|/);
        });

        it("declines on n: no update, exit 1", async function () {
            if (!hasScript) this.skip();
            const run = await runScript("deploy", ["--stack", "pro", "--quiet"], {
                scenario: changes,
                terminal: true,
                interact: answerPrompt("n"),
            });
            assert.equal(run.code, 1, run.stdout);
            assert.deepEqual(verbs(run.commands), ["stack select", "preview"]);
            assert.ok(run.stdout.includes("declined: nothing was deployed\n"), run.stdout);
            assert.deepEqual(run.signals, []);
        });
    });
});
