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

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
