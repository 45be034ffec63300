/**
 * Mocha's spec reporter plus one closing line, `mocha: N passed, N failed, N skipped`,
 * in the plain form CI reads.
 */
import * as Mocha from "mocha";

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            process.stdout.write(`mocha: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped\n`);
        });
    }
}

export = SpecWithTotals;
