import { writeFileSync } from "node:fs";
import * as Mocha from "mocha";
import { formatTotals, Totals, TOTALS_FILE_ENV } from "./totals";

/**
 * How long the process may live on after the last test and hook. Closing
 * servers and child processes takes milliseconds; anything still keeping the
 * process alive after this was left open by a test, and without this limit
 * mocha would wait for it forever.
 */
const EXIT_GRACE_MS = 10_000;
/** Exit status of a process ended by SIGTERM. */
const SIGTERM_STATUS = 143;

/**
 * Mocha's spec reporter, plus a closing line in the plain form CI reads
 * ("N passed, N failed, N skipped"), so a run is judged by what it counted.
 * Under the suite runner (test/runSuites.ts) the totals go to the runner
 * instead, which closes the whole run with one such line.
 *
 * A run that does not end cleanly counts one failure more, with a message
 * that says why: its process is still kept alive by something a test left
 * open `EXIT_GRACE_MS` after the last test (the process is then ended); it
 * was stopped by SIGTERM; or it exited before its tests ended. The last two
 * name the test or hook they were in.
 */
class SpecWithTotals extends Mocha.reporters.Spec {
    private extraFailures = 0;
    /** Full title of the test or hook running now. */
    private current: string | undefined;
    private ended = false;
    private stopped = false;

    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        const { EVENT_TEST_BEGIN, EVENT_HOOK_BEGIN, EVENT_TEST_END, EVENT_HOOK_END, EVENT_RUN_END } =
            Mocha.Runner.constants;
        for (const begin of [EVENT_TEST_BEGIN, EVENT_HOOK_BEGIN]) {
            runner.on(begin, (runnable: Mocha.Runnable) => {
                this.current = runnable.fullTitle();
            });
        }
        for (const end of [EVENT_TEST_END, EVENT_HOOK_END]) {
            runner.on(end, () => {
                this.current = undefined;
            });
        }
        runner.once(EVENT_RUN_END, () => {
            this.ended = true;
            setTimeout(() => this.endLingering(), EXIT_GRACE_MS).unref();
        });
        process.once("SIGTERM", () => {
            this.stopped = true;
            this.fail(`Stopped by SIGTERM${this.where(" while in: ")}.`);
            process.exit(SIGTERM_STATUS);
        });
        process.once("exit", () => {
            if (!this.ended && !this.stopped) {
                // A test or hook awaited a promise that nothing was left to settle.
                this.fail(`The process exited before the tests ended${this.where(", while in: ")}.`);
                process.exitCode = 1;
            }
            report(this.totals());
        });
    }

    private endLingering(): void {
        this.fail(
            `The tests ended ${EXIT_GRACE_MS / 1000} s ago, but the process is still kept alive by ${openResources()}: ` +
                "a test left a server, socket, timer or child process open. Close it in an after/afterEach hook or a finally block.",
        );
        process.exit(Math.min(this.totals().failures, 255));
    }

    private fail(message: string): void {
        this.extraFailures++;
        process.stderr.write(`\n${message} Counted as one failure.\n`);
    }

    private where(prefix: string): string {
        return this.current ? `${prefix}${this.current}` : "";
    }

    private totals(): Totals {
        const { passes = 0, failures = 0, pending = 0 } = this.runner.stats ?? {};
        return { passes, failures: failures + this.extraFailures, pending };
    }
}

function report(totals: Totals): void {
    const file = process.env[TOTALS_FILE_ENV];
    if (file) {
        writeFileSync(file, JSON.stringify(totals));
    } else {
        process.stdout.write(`\n${formatTotals(totals)}\n`);
    }
}

/** "1 TCPServerWrap, 2 ProcessWrap": what keeps the event loop alive. */
function openResources(): string {
    const counts = new Map<string, number>();
    for (const kind of process.getActiveResourcesInfo()) {
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return counts.size > 0 ? [...counts].map(([kind, n]) => `${n} ${kind}`).join(", ") : "something Node cannot name";
}

export = SpecWithTotals;
