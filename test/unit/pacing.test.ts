import { expect } from "chai";
import { VpcApi } from "../../provider/service/client";
import { errorKind, ServiceError } from "../../provider/foundation/errors";
import { pacedCalls, pacedRate } from "../../provider/service/pacing";
import { IdleClock } from "./idleClock";

const throttled = () =>
    new ServiceError({
        code: "Throttling.User",
        serviceMessage: "Request was denied due to user flow control.",
        statusCode: 400,
        retryAfterMs: 10,
    });

/** A VpcApi limited like the service: a token bucket of `perSecond`, burst `perSecond`; counts what it answers. */
function limitedApi(perSecond: number, clock: IdleClock): { api: VpcApi; ok: () => number; refused: () => number } {
    let tokens = perSecond;
    let at = clock.now();
    let ok = 0;
    let refused = 0;
    /** Answers `body`, or refuses the call when the bucket is empty. */
    const take = <T>(body: T): Promise<T> => {
        const now = clock.now();
        tokens = Math.min(perSecond, tokens + ((now - at) * perSecond) / 1000);
        at = now;
        if (tokens < 1) {
            refused++;
            return Promise.reject(throttled());
        }
        tokens -= 1;
        ok++;
        return Promise.resolve(body);
    };
    const api: VpcApi = {
        describeVpnConnection: (_region, id) => take({ VpnConnectionId: id }),
        describeVpnConnections: () => take({ TotalCount: 0, VpnConnections: { VpnConnection: [] } }),
        modifyVpnAttachmentAttribute: () => take({ requestId: "req", body: {} }),
    };
    return { api, ok: () => ok, refused: () => refused };
}

let gate = 0;
const freshGate = () => `test-gate-${++gate}`;

describe("pacing: pacedCalls", () => {
    it("lets calls through unpaced until the service first throttles", async () => {
        const clock = new IdleClock();
        const { api, refused } = limitedApi(1000, clock);
        const key = freshGate();
        const paced = pacedCalls(api, key, clock);
        await Promise.all(Array.from({ length: 20 }, (_, i) => paced.describeVpnConnection("cn-hangzhou", `vco-${i}`)));
        expect(refused()).to.equal(0);
        expect(pacedRate(key)).to.equal(undefined);
    });

    it("learns the rate from the first throttle, and carries a burst through it with few refusals", async () => {
        const clock = new IdleClock();
        const { api, ok, refused } = limitedApi(40, clock);
        const key = freshGate();
        const paced = pacedCalls(api, key, clock);
        const started = clock.now();
        const results = await Promise.allSettled(
            Array.from({ length: 100 }, (_, i) =>
                paced.modifyVpnAttachmentAttribute({ VpnConnectionId: `vco-${i}` } as never),
            ),
        );
        const elapsed = clock.now() - started;
        expect(results.filter((r) => r.status === "rejected")).to.have.length(0);
        expect(ok()).to.equal(100);
        // 40 from the burst, 60 at 40/s: about 1.5 s; refusals only while the first in-flight calls return.
        expect(refused()).to.be.at.most(12);
        expect(pacedRate(key)).to.be.within(20, 45);
        // Not much slower than the limit allows.
        expect(elapsed).to.be.within(1300, 6000);
    });

    it("returns the throttling error once the gate has taken a call back several times", async () => {
        const key = freshGate();
        let calls = 0;
        const api: VpcApi = {
            describeVpnConnection() {
                calls++;
                return Promise.reject(throttled());
            },
            describeVpnConnections: () => Promise.reject(new Error("not used")),
            modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
        };
        const err = await pacedCalls(api, key, new IdleClock())
            .describeVpnConnection("cn-hangzhou", "vco-1")
            .then(
                () => undefined,
                (e: unknown) => e,
            );
        expect(err).to.be.instanceOf(ServiceError);
        expect((err as ServiceError).code).to.equal("Throttling.User");
        expect(calls).to.equal(5);
    });

    it("passes other errors through at once", async () => {
        let calls = 0;
        const api: VpcApi = {
            describeVpnConnection() {
                calls++;
                return Promise.reject(
                    new ServiceError({ code: "Forbidden.RAM", serviceMessage: "no", statusCode: 403 }),
                );
            },
            describeVpnConnections: () => Promise.reject(new Error("not used")),
            modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
        };
        const err = await pacedCalls(api, freshGate(), new IdleClock())
            .describeVpnConnection("cn-hangzhou", "vco-1")
            .then(
                () => undefined,
                (e: unknown) => e,
            );
        expect((err as ServiceError).code).to.equal("Forbidden.RAM");
        expect(calls).to.equal(1);
    });
});

describe("pacing: the deadline", () => {
    /** An API whose every call is throttled with this retry-after; counts the calls. */
    function throttling(retryAfterMs: number): { api: VpcApi; calls: () => number } {
        let calls = 0;
        const refuse = () => {
            calls++;
            return Promise.reject(
                new ServiceError({
                    code: "Throttling.User",
                    serviceMessage: "Request was denied due to user flow control.",
                    statusCode: 400,
                    requestId: "REQ-T",
                    retryAfterMs,
                }),
            );
        };
        return {
            api: {
                describeVpnConnection: refuse,
                describeVpnConnections: refuse,
                modifyVpnAttachmentAttribute: refuse,
            },
            calls: () => calls,
        };
    }

    async function failure(call: Promise<unknown>): Promise<Error> {
        return call.then(
            () => expect.fail("the call succeeded"),
            (e: Error) => e,
        );
    }

    for (const retryAfterMs of [20_000, 1e12]) {
        it(`fails at once when a throttle's retry-after (${retryAfterMs} ms) ends past the deadline`, async () => {
            const clock = new IdleClock();
            const { api, calls } = throttling(retryAfterMs);
            const started = clock.now();
            const paced = pacedCalls(api, freshGate(), clock, started + 5000);
            const err = await failure(paced.modifyVpnAttachmentAttribute({ VpnConnectionId: "vco-1" } as never));
            expect(clock.now() - started, "virtual time spent").to.be.below(100);
            expect(calls()).to.equal(1);
            expect(errorKind(err)).to.equal("timeout");
            expect(err.message).to.match(
                /ModifyVpnAttachmentAttribute was throttled \(Throttling\.User, RequestId REQ-T\)/,
            );
            expect(err.message).to.match(/only 5\.0 s were left before the deadline/);
        });
    }

    it("makes no call that the rate could start only after the deadline", async () => {
        const clock = new IdleClock();
        const key = freshGate();
        // A first throttle, with a 10 s retry-after, from a caller with a long deadline: the gate is closed for 10 s.
        const { api } = throttling(10_000);
        await failure(pacedCalls(api, key, clock, clock.now() + 3_600_000).describeVpnConnection("r", "vco-1"));
        const { api: open, calls } = throttling(0);
        const started = clock.now();
        const err = await failure(pacedCalls(open, key, clock, started + 2000).describeVpnConnection("r", "vco-2"));
        expect(calls(), "calls made").to.equal(0);
        expect(clock.now() - started).to.be.below(100);
        expect(err.message).to.match(/DescribeVpnConnection was not made: the account's API rate limit/);
    });

    it("makes no call once the deadline has passed", async () => {
        const clock = new IdleClock();
        const { api, calls } = throttling(0);
        const err = await failure(
            pacedCalls(api, freshGate(), clock, clock.now() - 1).describeVpnConnections("r", 1, 50),
        );
        expect(calls()).to.equal(0);
        expect(err.message).to.match(/DescribeVpnConnections was not made: the deadline \(timeoutSeconds\) passed/);
    });
});
