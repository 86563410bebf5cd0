import { expect } from "chai";
import { systemClock } from "../../provider/foundation/clock";

/** The longest delay Node's setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

describe("clock: systemClock.sleep", () => {
    const realSetTimeout = globalThis.setTimeout;
    let delays: unknown[];

    beforeEach(() => {
        delays = [];
        // Records the delay and fires at once, so the test never waits.
        globalThis.setTimeout = ((callback: () => void, ms?: number) => {
            delays.push(ms);
            return realSetTimeout(callback, 0);
        }) as typeof setTimeout;
    });

    afterEach(() => {
        globalThis.setTimeout = realSetTimeout;
    });

    it("never hands setTimeout a delay Node would overflow to 1 ms", async () => {
        for (const ms of [2 ** 31, 3 * 24 * 3600 * 1000 * 30, Number.MAX_SAFE_INTEGER, Infinity]) {
            await systemClock.sleep(ms);
        }
        expect(delays).to.deep.equal([MAX_TIMER_MS, MAX_TIMER_MS, MAX_TIMER_MS, MAX_TIMER_MS]);
    });

    it("passes ordinary delays through and turns negative or NaN ones into 0", async () => {
        for (const ms of [0, 250, MAX_TIMER_MS, -5, NaN]) {
            await systemClock.sleep(ms);
        }
        expect(delays).to.deep.equal([0, 250, MAX_TIMER_MS, 0, 0]);
    });
});
