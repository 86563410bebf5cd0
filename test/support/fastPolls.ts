/**
 * The poll schedule the integration and property suites run the provider
 * with: the emulator's tasks there take tens of milliseconds, and the
 * production schedule's first poll at 600 ms would make each update last
 * most of a second. It goes in through the option the provider reads
 * (`injectPollSchedule`), so everything else is as in production; the
 * production schedule itself is run end to end by
 * test/integration/productionPollSchedule.test.ts.
 */
import { injectPollSchedule, PollScheduleOptions } from "../../provider/service/pollSchedule";

export const FAST_POLL_SCHEDULE: Partial<PollScheduleOptions> = {
    firstDelayMs: 10,
    elapsedShare: 0.5,
    steadyDelayMs: 40,
    maxDelayMs: 200,
};

/** Runs the provider with the fast schedule from now on; returns a function that puts the previous one back. */
export function useFastPolls(): () => void {
    const before = injectPollSchedule(FAST_POLL_SCHEDULE);
    return () => {
        injectPollSchedule(before);
    };
}

/** The fast schedule for every test of the enclosing `describe`. */
export function fastPollsForSuite(): void {
    let restore: (() => void) | undefined;
    before(() => {
        restore = useFastPolls();
    });
    after(() => restore?.());
}
