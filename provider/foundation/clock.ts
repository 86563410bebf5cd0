/**
 * The provider's only source of time. Retrying and waiting take a `Clock`
 * instead of calling `Date.now`/`setTimeout`, so tests drive them in virtual
 * time and a 30-minute deadline is checked in milliseconds of real time.
 */
export interface Clock {
    /** Epoch milliseconds. */
    now(): number;
    sleep(ms: number): Promise<void>;
}

/**
 * The longest delay `setTimeout` honours: Node fires any longer one (and NaN)
 * after 1 ms, which would turn a long wait into a busy loop of API calls.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay `setTimeout` takes as meant: 0 to MAX_TIMER_MS. Longer waits end early; callers re-check the clock. */
function timerDelay(ms: number): number {
    if (Number.isNaN(ms)) {
        return 0;
    }
    return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, timerDelay(ms))),
};
