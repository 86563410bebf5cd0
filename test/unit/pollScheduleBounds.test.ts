import { expect } from "chai";
import * as fc from "fast-check";
import { pollDelays } from "../../provider/service/pollSchedule";

/**
 * The bounds pollSchedule.ts claims for its poll schedule, for any task length and
 * any jitter: how late the poll that sees a task's end comes, and how many
 * polls it takes, beside a plain poll every second.
 */

/** Poll times until the first at or after `taskMs`, with jitter drawn from `draws` in turn. */
function pollsUntil(taskMs: number, draws: number[], expectedMs?: number): number[] {
    let i = 0;
    const delays = pollDelays({ expectedMs }, () => draws[i++ % draws.length]);
    const times: number[] = [];
    let t = 0;
    while (t < taskMs) {
        t += delays.next().value;
        times.push(t);
    }
    return times;
}

/** The longest gap the schedule allows around a task's end at `taskMs`. */
function gapBound(taskMs: number): number {
    return Math.min(10_000, Math.max(Math.min(1000, 0.25 * taskMs), 0.01 * taskMs));
}

const taskLength = fc.double({ min: 1, max: 30 * 60_000, noNaN: true });
const jitterDraws = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 });

describe("waiting: the poll schedule's bounds", () => {
    it("sees a task's end within the gap it allows there: 25% of it up to 4 s, 1 s up to 100 s, then 1%", () => {
        fc.assert(
            fc.property(taskLength, jitterDraws, (taskMs, draws) => {
                const times = pollsUntil(taskMs, draws);
                const lag = times[times.length - 1] - taskMs;
                expect(lag).to.be.at.least(0);
                expect(lag).to.be.at.most(Math.max(600 - taskMs, gapBound(taskMs)) + 1e-6);
            }),
            { seed: 25, numRuns: 300 },
        );
    });

    it("makes at most six polls more than a 1 s poll (2% more with the jitter), and fewer after 150 s", () => {
        fc.assert(
            fc.property(taskLength, jitterDraws, (taskMs, draws) => {
                const polls = pollsUntil(taskMs, draws).length;
                const plainPolls = Math.max(1, Math.ceil(taskMs / 1000));
                expect(polls).to.be.at.most(Math.ceil(taskMs / 980) + 6);
                expect(pollsUntil(taskMs, [0]).length).to.be.at.most(plainPolls + 6);
                if (taskMs > 150_000) {
                    expect(polls).to.be.below(plainPolls);
                }
            }),
            { seed: 25, numRuns: 300 },
        );
    });

    it("with a learned length E, sleeps to 0.9 E, sees a task within 10% of E at most 5% of E (40-500 ms) late", () => {
        fc.assert(
            fc.property(
                fc.double({ min: 100, max: 10 * 60_000, noNaN: true }),
                fc.double({ min: 0.25, max: 4, noNaN: true }),
                jitterDraws,
                (expectedMs, ratio, draws) => {
                    const taskMs = expectedMs * ratio;
                    const times = pollsUntil(taskMs, draws, expectedMs);
                    const lag = times[times.length - 1] - taskMs;
                    const fineGap = Math.min(500, Math.max(40, 0.05 * expectedMs));
                    expect(times[0]).to.be.within(0.9 * 0.98 * expectedMs - 1e-6, 0.9 * expectedMs + 1e-6);
                    expect(lag).to.be.at.most(Math.max(0.9 * expectedMs - taskMs, gapBound(taskMs)) + 1e-6);
                    if (taskMs >= 0.9 * expectedMs && taskMs <= 1.1 * expectedMs) {
                        expect(lag).to.be.at.most(fineGap + 1e-6);
                    }
                    if (taskMs <= 1.1 * expectedMs && expectedMs <= 16_000) {
                        // A task up to 10% longer than E is seen within 7 polls.
                        expect(times.length).to.be.at.most(7);
                    }
                    if (taskMs <= expectedMs && expectedMs >= 4000) {
                        // No more polls than a plain 1 s poll makes in the same time.
                        expect(times.length).to.be.at.most(Math.ceil(taskMs / 1000));
                    }
                },
            ),
            { seed: 25, numRuns: 300 },
        );
    });
});
