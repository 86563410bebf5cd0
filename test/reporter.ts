import * as Mocha from "mocha";

/**
 * Mocha's spec reporter, plus a closing line in the plain form CI reads
 * ("N passed, N failed, N skipped"), so a run is judged by what it counted.
 */
class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes = 0, failures = 0, pending = 0 } = runner.stats ?? {};
            process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`);
        });
    }
}

export = SpecWithTotals;
