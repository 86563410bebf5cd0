import { expect } from "chai";
import fc from "fast-check";
import { sustainedRate } from "../../provider/service/pacing";

/**
 * The first throttle's rate, against a token bucket of rate R and burst R
 * (how the service and the emulator limit): the successes since the bucket
 * was last full are its burst plus its rate over the time they took.
 */
describe("pacing: the rate a first throttle implies", () => {
    it("takes a burst that came at once as the rate: a bucket holds a second's worth", () => {
        expect(sustainedRate(Array<number>(12).fill(1000), 1000)).to.equal(12);
    });

    it("takes a second's successes up to the throttle as the burst plus a second at the rate", () => {
        // 20 at once, then 20 more spread over the next second: a bucket of 20 a second.
        const times = [...Array<number>(20).fill(0), ...Array.from({ length: 20 }, (_, i) => 50 * (i + 1))];
        expect(sustainedRate(times, 1000)).to.equal(20);
    });

    it("counts only what followed the last gap of over a second, in which the bucket filled again", () => {
        expect(sustainedRate([0, 0, 0, 1500, 1600], 1600)).to.be.closeTo(2 / 1.1, 1e-9);
        expect(sustainedRate([0, 0, 0], 1001)).to.equal(0);
        expect(sustainedRate([0, 1000], 2000)).to.equal(2 / 3);
    });

    it("is 0 with no success", () => {
        expect(sustainedRate([], 5000)).to.equal(0);
    });

    it("never exceeds the bucket's rate, and never falls below a third of it, whatever came before the throttle", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 2, max: 100 }),
                // Gaps between attempted calls (ms): bursts, steady streams and pauses.
                fc.array(
                    fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 500, max: 3000 })),
                    {
                        minLength: 1,
                        maxLength: 400,
                    },
                ),
                (rate, gaps) => {
                    let tokens = rate;
                    let at = 0;
                    const ok: number[] = [];
                    for (const gap of gaps) {
                        const now = at + gap;
                        tokens = Math.min(rate, tokens + (gap * rate) / 1000);
                        at = now;
                        if (tokens < 1) {
                            const estimate = sustainedRate(
                                ok.filter((t) => now - t <= 2000),
                                now,
                            );
                            // One token short of a call, at most, is in the bucket at the throttle.
                            expect(estimate).to.be.at.most(rate + 1);
                            if (ok.length > 0 && now - ok[ok.length - 1] <= 1000) {
                                expect(estimate).to.be.at.least(rate / 3 - 1);
                            }
                            return;
                        }
                        tokens -= 1;
                        ok.push(now);
                    }
                },
            ),
            { seed: 25, numRuns: 500 },
        );
    });
});
