import { expect } from "chai";
import { VpcApi } from "../../provider/service/client";
import { errorKind, ServiceError } from "../../provider/foundation/errors";
import { pacedCalls, pacedRate } from "../../provider/service/pacing";
import { IdleClock } from "./idleClock";

/**
 * When the rate gate lets each call go, as the service sees it: the times of
 * the calls it receives, the rate the gate learned (pacedRate, which also
 * sizes the Describe listing), and what a call it refuses says.
 */

/** "ok", or a throttle with this retry-after (ms). */
type Answer = "ok" | number;

/** Throttled as the service throttles; `requestId` only when given. */
function throttle(retryAfterMs: number, requestId?: string): ServiceError {
    return new ServiceError({
        code: "Throttling.User",
        serviceMessage: "Request was denied due to user flow control.",
        statusCode: 400,
        retryAfterMs,
        ...(requestId === undefined ? {} : { requestId }),
    });
}

/**
 * An API that answers the calls in the order they reach it from `answers`
 * ("ok" once they run out), `latencyMs` after each arrives; records which
 * call (its connection id) arrived when, and how many were in flight at most.
 */
function scripted(clock: IdleClock, answers: Answer[] = [], latencyMs = 0) {
    const calls: Array<{ id: string; at: number }> = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const describe = async (id: string) => {
        calls.push({ id, at: clock.now() });
        const answer = answers.shift() ?? "ok";
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        if (latencyMs > 0) await clock.sleep(latencyMs);
        inFlight--;
        if (answer !== "ok") throw throttle(answer);
        return { VpnConnectionId: id };
    };
    const api: VpcApi = {
        describeVpnConnection: (_region, id) => describe(id),
        describeVpnConnections: () => Promise.reject(new Error("not used")),
        modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
    };
    return {
        api,
        /** Virtual times, from `t0`, of the calls of `id` (every call if none given). */
        times: (t0: number, id?: string) => calls.filter((c) => id === undefined || c.id === id).map((c) => c.at - t0),
        order: () => calls.map((c) => c.id),
        mostInFlight: () => mostInFlight,
    };
}

let gates = 0;
const freshGate = () => `schedule-gate-${++gates}`;

/** The call's error; fails the test if it succeeds. */
function failure(call: Promise<unknown>): Promise<Error> {
    return call.then(
        () => expect.fail("the call succeeded"),
        (e: Error) => e,
    );
}

/** A fresh gate whose first call was throttled once with no retry-after and then went through: 5.2 calls a second, next slot 200 ms on. */
async function throttledOnce(clock: IdleClock, answers: Answer[] = [], latencyMs = 0) {
    const key = freshGate();
    const service = scripted(clock, [0, "ok", ...answers], latencyMs);
    const t0 = clock.now();
    await pacedCalls(service.api, key, clock).describeVpnConnection("r", "first");
    expect(service.times(t0, "first")).to.deep.equal([0, 0]);
    return { key, service, t0, paced: (deadline = Infinity) => pacedCalls(service.api, key, clock, deadline) };
}

describe("pacing: every call of the API", () => {
    it("passes each through the gate and returns its answer", async () => {
        const clock = new IdleClock();
        const asked: string[] = [];
        const api: VpcApi = {
            describeVpnConnection: (region, id) => (asked.push(`one ${region} ${id}`), Promise.resolve({ id })),
            describeVpnConnections: (region, page, size) => (
                asked.push(`list ${region} ${page} ${size}`),
                Promise.resolve({ TotalCount: 0 })
            ),
            modifyVpnAttachmentAttribute: (request) => (
                asked.push(`modify ${request.vpnConnectionId}`),
                Promise.resolve({ requestId: "REQ-M", body: {} })
            ),
        };
        const paced = pacedCalls(api, freshGate(), clock);
        expect(await paced.describeVpnConnection("r", "vco-1")).to.deep.equal({ id: "vco-1" });
        expect(await paced.describeVpnConnections("r", 2, 50)).to.deep.equal({ TotalCount: 0 });
        expect(await paced.modifyVpnAttachmentAttribute({ vpnConnectionId: "vco-1" } as never)).to.deep.equal({
            requestId: "REQ-M",
            body: {},
        });
        expect(asked).to.deep.equal(["one r vco-1", "list r 2 50", "modify vco-1"]);
    });
});

describe("pacing: the rate the service allows", () => {
    it("knows no rate for an access key no call went through", () => {
        expect(pacedRate(freshGate())).to.equal(undefined);
    });

    it("takes the calls since the bucket was last full, over a second of burst plus the seconds they took, as the first rate", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        const service = scripted(clock);
        const paced = pacedCalls(service.api, key, clock);
        const burst = (n: number) =>
            Promise.all(Array.from({ length: n }, (_, i) => paced.describeVpnConnection("r", `vco-${i}`)));
        await burst(10);
        await clock.sleep(5000);
        await burst(15);
        await clock.sleep(1000);
        // A sixteenth success exactly a second after the fifteen: all sixteen count, over 1 + 1 s.
        await burst(1);
        const err = await failure(
            pacedCalls(scripted(clock, [20_000]).api, key, clock, clock.now() + 5000).describeVpnConnection("r", "x"),
        );
        expect(errorKind(err)).to.equal("timeout");
        expect(pacedRate(key)).to.equal(8);
    });

    it("looks back at most 2 s for the first rate, however long the calls ran before the throttle", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        const paced = pacedCalls(scripted(clock).api, key, clock);
        // A success every 50 ms from 0 to 3 s; the throttle at 3.5 s counts the 31 from 1.5 s on, over 1 + 2 s.
        for (let i = 0; i <= 60; i++) {
            if (i > 0) await clock.sleep(50);
            await paced.describeVpnConnection("r", `vco-${i}`);
        }
        await clock.sleep(500);
        await failure(
            pacedCalls(scripted(clock, [20_000]).api, key, clock, clock.now() + 5000).describeVpnConnection("r", "x"),
        );
        expect(pacedRate(key)).to.be.closeTo(31 / 3, 1e-9);
    });

    it("counts no success followed by more than a second without one: the bucket filled again", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        const paced = pacedCalls(scripted(clock).api, key, clock);
        await Promise.all(Array.from({ length: 8 }, (_, i) => paced.describeVpnConnection("r", `vco-${i}`)));
        await clock.sleep(2000);
        await failure(
            pacedCalls(scripted(clock, [20_000]).api, key, clock, clock.now() + 5000).describeVpnConnection("r", "x"),
        );
        expect(pacedRate(key)).to.equal(5);
    });

    it("starts from 5 calls a second when fewer succeeded in the last second", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        await failure(
            pacedCalls(scripted(clock, [20_000]).api, key, clock, clock.now() + 5000).describeVpnConnection("r", "x"),
        );
        expect(pacedRate(key)).to.equal(5);
    });

    it("raises the rate by one call a second per second while calls succeed, and cuts it by a tenth at a throttle", async () => {
        const clock = new IdleClock();
        const { key, paced } = await throttledOnce(clock);
        // 5, then one success: 5 + 1/5.
        expect(pacedRate(key)).to.be.closeTo(5.2, 1e-9);
        await paced().describeVpnConnection("r", "second");
        expect(pacedRate(key)).to.be.closeTo(5.2 + 1 / 5.2, 1e-9);
        const before = pacedRate(key)!;
        await failure(
            pacedCalls(scripted(clock, [20_000]).api, key, clock, clock.now() + 5000).describeVpnConnection("r", "x"),
        );
        expect(pacedRate(key)).to.be.closeTo(before * 0.9, 1e-9);
    });

    it("cuts the rate once for calls in flight together when they are throttled, and again for a call sent after the cut", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        // Three calls sent together, each throttled 50 ms later: the first throttle sets 5 a second, the
        // other two were sent before it and cut nothing.
        const service = scripted(clock, [1000, 1000, 1000], 50);
        const paced = pacedCalls(service.api, key, clock);
        const t0 = clock.now();
        await Promise.all(["a", "b", "c"].map((id) => paced.describeVpnConnection("r", id)));
        // Each sent again in turn at the rate: at the retry-after's end, then 200 ms on (5 a second), then at
        // the rate the first success raised.
        const times = service.times(t0);
        expect(times.slice(0, 5)).to.deep.equal([0, 0, 0, 1050, 1250]);
        expect(times[5]).to.be.closeTo(1250 + 1000 / 5.2, 0.01);
        expect(service.order().slice(3).sort()).to.deep.equal(["a", "b", "c"]);

        const again = new IdleClock();
        const twice = scripted(again, [0, 0]);
        const key2 = freshGate();
        const t1 = again.now();
        // Throttled, taken back at once and throttled again at the same instant: sent after the first cut, so it
        // cuts it again, to 4.5; the third attempt, in the next slot, succeeds.
        await pacedCalls(twice.api, key2, again).describeVpnConnection("r", "a");
        expect(twice.times(t1)).to.deep.equal([0, 0, 200]);
        expect(pacedRate(key2)).to.be.closeTo(4.5 + 1 / 4.5, 1e-9);
    });
});

describe("pacing: when each call goes", () => {
    it("waits out a throttle's retry-after, even when it ends exactly at the deadline", async () => {
        const clock = new IdleClock();
        const service = scripted(clock, [2000]);
        const t0 = clock.now();
        await pacedCalls(service.api, freshGate(), clock, t0 + 2000).describeVpnConnection("r", "a");
        expect(service.times(t0)).to.deep.equal([0, 2000]);
    });

    it("spaces calls at the learned rate, from when the first of them comes after a quiet spell", async () => {
        const clock = new IdleClock();
        const { service, paced } = await throttledOnce(clock);
        await clock.sleep(5000);
        const t1 = clock.now();
        await Promise.all(["a", "b", "c"].map((id) => paced().describeVpnConnection("r", id)));
        const [a, b, c] = service.times(t1).slice(-3);
        expect(a).to.equal(0);
        // 5.2 a second after the first throttle's success, a little more after each further one.
        expect(b).to.be.closeTo(1000 / 5.2, 0.01);
        expect(c - b).to.be.closeTo(1000 / (5.2 + 1 / 5.2), 0.01);
    });

    it("sends a throttled call again before the calls that queued behind it", async () => {
        const clock = new IdleClock();
        const { service, t0, paced } = await throttledOnce(clock, [0]);
        // "a" may start 200 ms on and is throttled then; with "b" and "c" ahead of it, it could not make its deadline.
        const calls = [
            paced(t0 + 500).describeVpnConnection("r", "a"),
            paced().describeVpnConnection("r", "b"),
            paced().describeVpnConnection("r", "c"),
        ];
        await Promise.all(calls);
        expect(service.order().slice(2)).to.deep.equal(["a", "a", "b", "c"]);
        expect(service.times(t0, "a")[0]).to.equal(200);
    });

    it("refuses at once a call that, behind the calls queued ahead of it, could start only after its deadline", async () => {
        const clock = new IdleClock();
        const { service, t0, paced } = await throttledOnce(clock);
        const results = await Promise.allSettled(
            Array.from({ length: 8 }, (_, i) => paced(t0 + 1000).describeVpnConnection("r", `vco-${i}`)),
        );
        // Slots at 200 ms, then every 1000/5.2 ms: five fit within the second.
        expect(results.map((r) => r.status)).to.deep.equal([
            ...Array<unknown>(5).fill("fulfilled"),
            ...Array<unknown>(3).fill("rejected"),
        ]);
        const refused = (results[5] as PromiseRejectedResult).reason as Error;
        expect(refused.message).to.equal(
            "DescribeVpnConnection was not made: the account's API rate limit (the service throttled it at 5.2 calls " +
                "a second) lets it start only in 1.2 s, but only 1.0 s were left before the deadline (timeoutSeconds)",
        );
        expect(service.times(t0)).to.have.length(2 + 5);
    });

    it("makes a call whose turn comes exactly at its deadline", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        const service = scripted(clock, [1000]);
        const t0 = clock.now();
        const first = pacedCalls(service.api, key, clock).describeVpnConnection("r", "first");
        // Let the first call be throttled: it waits at the front for the retry-after's end, then one 200 ms slot.
        await clock.sleep(0);
        await pacedCalls(service.api, key, clock, t0 + 1200).describeVpnConnection("r", "second");
        await first;
        expect(service.times(t0)).to.deep.equal([0, 1000, 1200]);
    });

    it("fails a call whose deadline passes while a throttle holds it, and starts the next in its slot", async () => {
        const clock = new IdleClock();
        const { service, t0, paced } = await throttledOnce(clock, [1000]);
        // "a" goes at 200 ms and is throttled for a second; "b" (deadline 450 ms) then waits behind it too long.
        const a = paced().describeVpnConnection("r", "a");
        const b = failure(paced(t0 + 450).describeVpnConnection("r", "b"));
        const c = paced().describeVpnConnection("r", "c");
        await Promise.all([a, c]);
        const err = await b;
        expect(err.message).to.match(
            /^DescribeVpnConnection was not made: the deadline \(timeoutSeconds\) passed 1\.0 s before it could start$/,
        );
        expect(service.order()).to.not.include("b");
        const [, aAgain] = service.times(t0, "a");
        expect(aAgain).to.equal(1200);
        // "b" gives up its slot: "c" takes the one right after "a".
        expect(service.times(t0, "c")[0]).to.be.closeTo(1200 + 1000 / (5.2 * 0.9), 0.01);
    });

    it("lets at most 8 calls be in flight before the service first throttles", async () => {
        const clock = new IdleClock();
        const service = scripted(clock, [], 100);
        const paced = pacedCalls(service.api, freshGate(), clock);
        const t0 = clock.now();
        await Promise.all(Array.from({ length: 20 }, (_, i) => paced.describeVpnConnection("r", `vco-${i}`)));
        expect(service.mostInFlight()).to.equal(8);
        expect(service.times(t0)).to.deep.equal([
            ...Array<unknown>(8).fill(0),
            ...Array<unknown>(8).fill(100),
            ...Array<unknown>(4).fill(200),
        ]);
    });

    it("keeps one timer for a gate, however many calls wait for it", async () => {
        let pending = 0;
        let most = 0;
        class CountingClock extends IdleClock {
            override sleep(ms: number): Promise<void> {
                most = Math.max(most, ++pending);
                return super.sleep(ms).then(() => {
                    pending--;
                });
            }
        }
        const clock = new CountingClock();
        const { paced } = await throttledOnce(clock);
        await Promise.all(Array.from({ length: 10 }, (_, i) => paced().describeVpnConnection("r", `vco-${i}`)));
        expect(most).to.equal(1);
    });
});

describe("pacing: a gate left alone for 30 s", () => {
    /** A gate throttled once with a 60 s retry-after, by a call that could not wait that long. */
    async function closedForAMinute(clock: IdleClock) {
        const key = freshGate();
        const t0 = clock.now();
        const err = await failure(
            pacedCalls(scripted(clock, [60_000]).api, key, clock, t0 + 5000).describeVpnConnection("r", "x"),
        );
        expect(err.message).to.match(/asks to wait 60\.0 s before the next attempt/);
        return { key, t0 };
    }

    it("still holds calls to the rate and retry-after at exactly 30 s", async () => {
        const clock = new IdleClock();
        const { key, t0 } = await closedForAMinute(clock);
        await clock.sleep(30_000);
        const service = scripted(clock);
        const err = await failure(
            pacedCalls(service.api, key, clock, clock.now() + 1000).describeVpnConnection("r", "y"),
        );
        expect(err.message).to.match(/^DescribeVpnConnection was not made: .* lets it start only in 30\.0 s/);
        expect(service.times(t0)).to.deep.equal([]);
    });

    it("lets calls go as they come once more than 30 s passed without a throttle", async () => {
        const clock = new IdleClock();
        const { key, t0 } = await closedForAMinute(clock);
        await clock.sleep(30_001);
        const service = scripted(clock);
        await pacedCalls(service.api, key, clock, clock.now() + 1000).describeVpnConnection("r", "y");
        expect(service.times(t0)).to.deep.equal([30_001]);
        expect(pacedRate(key)).to.equal(undefined);
    });
});

describe("pacing: what a call refused for its deadline says", () => {
    it("names the throttle without a RequestId when the service gave none", async () => {
        const clock = new IdleClock();
        const err = await failure(
            pacedCalls(scripted(clock, [20_000]).api, freshGate(), clock, clock.now() + 5000).describeVpnConnection(
                "r",
                "x",
            ),
        );
        expect(err.message).to.equal(
            "DescribeVpnConnection was throttled (Throttling.User) and the service asks to wait 20.0 s before the " +
                "next attempt, but only 5.0 s were left before the deadline (timeoutSeconds); it is not made again",
        );
    });
});
