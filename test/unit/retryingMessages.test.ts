import { expect } from "chai";
import { isRetryable, retry } from "../../provider/service/retrying";
import { ServiceError, TransportError } from "../../provider/foundation/errors";
import { VirtualClock } from "./virtualClock";

/** Which answers get another attempt at their edges, and what a retry loop that ends says, word for word. */

function failureOf(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
        () => expect.fail("succeeded"),
        (e: Error) => e,
    );
}

describe("retrying: the edges of the status rules", () => {
    it("retries a service error from 500 up, and none below", () => {
        const answer = (statusCode: number) =>
            new ServiceError({ code: "Odd", serviceMessage: "odd", statusCode, requestId: "R" });
        expect(isRetryable(answer(500))).to.equal(true);
        expect(isRetryable(answer(599))).to.equal(true);
        expect(isRetryable(answer(499))).to.equal(false);
        expect(isRetryable(new ServiceError({ code: "Odd", serviceMessage: "odd" })), "no status").to.equal(false);
    });

    it("retries an unreadable answer unless its status was 400 to 499 (429 aside)", () => {
        const unreadable = (statusCode?: number) => new TransportError("InvalidResponse", "not JSON", true, statusCode);
        expect(isRetryable(unreadable(499))).to.equal(false);
        expect(isRetryable(unreadable(400))).to.equal(false);
        expect(isRetryable(unreadable(200)), "a 200 cut short").to.equal(true);
        expect(isRetryable(unreadable(399))).to.equal(true);
        expect(isRetryable(unreadable()), "no status").to.equal(true);
    });
});

describe("retrying: what an ended retry loop says", () => {
    it("after failures to connect: the attempts, the time, the cause, and what to check", async () => {
        const clock = new VirtualClock();
        const err = await failureOf(
            retry(() => Promise.reject(new TransportError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1", true)), {
                deadline: clock.now() + 30 * 60_000,
                clock,
            }),
        );
        expect(err.name).to.equal("ConnectionFailedError");
        expect(err.message).to.equal(
            "could not connect to the endpoint in 4 attempts over 50 s: ECONNREFUSED: connect ECONNREFUSED " +
                "127.0.0.1:1. A refused connection, an unreachable host or a failing DNS does not clear within a " +
                "deployment: check the endpoint (the endpoint input, ALICLOUD_VPC_ENDPOINT, or the region's default " +
                "vpc.<region>.aliyuncs.com) and the network, then run the update again",
        );
    });

    it("at the deadline before any attempt: that nothing was sent", async () => {
        const clock = new VirtualClock();
        const err = await failureOf(retry(() => Promise.resolve(1), { deadline: clock.now(), clock }));
        expect(err.name).to.equal("DeadlinePassedError");
        expect(err.message).to.equal("the deadline (timeoutSeconds) passed before the first attempt; nothing was sent");
    });

    it("at the deadline after attempts: how many, and the last error", async () => {
        const clock = new VirtualClock();
        const busy = new ServiceError({
            code: "VpnTask.CONFLICT",
            serviceMessage: "busy",
            statusCode: 400,
            requestId: "R1",
        });
        const within = (ms: number) =>
            failureOf(retry(() => Promise.reject(busy), { deadline: clock.now() + ms, clock, random: () => 0.9 }));
        // Backoff draws 900 ms, then 1800 ms.
        const once = await within(500);
        expect(once.name).to.equal("RetryGaveUpError");
        expect(once.message).to.match(/^gave up after 1 attempt at the deadline; last error: VpnTask\.CONFLICT/);
        expect((await within(1000)).message).to.match(/^gave up after 2 attempts at the deadline;/);
    });
});
