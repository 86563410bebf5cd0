import { expect } from "chai";
import { ServiceError } from "../../provider/foundation/errors";
import { waitFor } from "../../provider/service/waiting";
import { VirtualClock } from "./virtualClock";

const settled = (observed: string) => ({ state: observed === "done" ? ("success" as const) : ("retry" as const) });

/** Polls that answer after `latencyMs` each, from a list. */
function slowPolls(clock: VirtualClock, answers: Array<string | Error>, latencyMs: number, at: number[]) {
    return () => {
        at.push(clock.now());
        clock.advance(latencyMs);
        const next = answers.shift();
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next ?? "done");
    };
}

describe("waiting: delays run from each poll's start", () => {
    it("keeps the schedule's poll times however long each answer takes", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        await waitFor({
            poll: slowPolls(clock, ["busy", "busy", "busy"], 150, at),
            acceptor: settled,
            deadline: start + 60_000,
            clock,
            delays: [600, 400, 1000][Symbol.iterator](),
        });
        expect(at.map((t) => t - start)).to.deep.equal([0, 600, 1000, 2000]);
        expect(clock.sleeps).to.deep.equal([450, 250, 850]);
    });

    it("polls again at once after an answer slower than the delay", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        await waitFor({
            poll: slowPolls(clock, ["busy"], 700, at),
            acceptor: settled,
            deadline: start + 60_000,
            clock,
            delays: () => 500,
        });
        expect(at.map((t) => t - start)).to.deep.equal([0, 700]);
        expect(clock.sleeps).to.deep.equal([0]);
    });

    it("waits a throttled poll's retry-after from its answer, when that ends later", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        const throttled = new ServiceError({
            code: "Throttling.User",
            statusCode: 400,
            serviceMessage: "slow down",
            retryAfterMs: 1000,
        });
        await waitFor({
            poll: slowPolls(clock, [throttled, "busy"], 100, at),
            acceptor: settled,
            deadline: start + 60_000,
            clock,
            delays: () => 500,
        });
        expect(at.map((t) => t - start)).to.deep.equal([0, 1100, 1600]);
    });

    it("cuts the last sleep short at the deadline", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        await waitFor({
            poll: slowPolls(clock, ["busy", "busy", "busy"], 100, at),
            acceptor: settled,
            deadline: start + 1500,
            clock,
            delays: () => 1000,
        }).catch(() => undefined);
        expect(at.map((t) => t - start)).to.deep.equal([0, 1000, 1500]);
    });
});
