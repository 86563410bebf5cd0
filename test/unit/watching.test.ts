import { expect } from "chai";
import { ObservedConnection } from "../../provider/model/types";
import { injectPollSchedule } from "../../provider/service/pollSchedule";
import { Acceptor, WaitTimeoutError } from "../../provider/service/waiting";
import { watchConnection, WatchContext } from "../../provider/service/watching";
import { rejection } from "../support/failures";
import { fakeFleet } from "./fakeFleet";
import { withoutJitter } from "./fakeVpc";
import { single } from "./fixtures";
import { VirtualClock } from "./virtualClock";

/** Success once `doneAfterMs` has passed since the wait began; retry before. */
function doneAfter(clock: VirtualClock, doneAfterMs: number): Acceptor<ObservedConnection> {
    const start = clock.now();
    return () => (clock.now() - start >= doneAfterMs ? { state: "success" } : { state: "retry", reason: "still busy" });
}

describe("watching: one watcher for every wait on a connection", () => {
    withoutJitter();

    function setUp(extra: Partial<WatchContext> = {}) {
        const clock = new VirtualClock();
        const start = clock.now();
        const polls: number[] = [];
        const read = () => {
            polls.push(clock.now() - start);
            return Promise.resolve(single());
        };
        const ctx: WatchContext = {
            clock,
            deadline: start + 30 * 60_000,
            log: () => undefined,
            secrets: [],
            ...extra,
        };
        return { clock, start, polls, read, ctx };
    }

    it("waits on no task of its own from a first poll at once, learning nothing, whatever the fleet knows", async () => {
        const recorded: number[] = [];
        const fleet = fakeFleet({ typicalTaskMs: () => 8_000, recordTaskMs: (ms) => recorded.push(ms) });
        const { clock, polls, read, ctx } = setUp({ fleet, lastTaskSeconds: 4 });
        const watched = await watchConnection(ctx, doneAfter(clock, 2_000), { read, waitingFor: "vco-1: settled" });
        expect(polls.slice(0, 2)).to.deep.equal([0, 600]);
        expect(watched.elapsedMs).to.equal(polls.at(-1));
        expect(recorded).to.deep.equal([]);
    });

    it("waits on a Modify's task from the first delay its last length sizes, and gives the fleet the task's length", async () => {
        const recorded: number[] = [];
        const fleet = fakeFleet({ typicalTaskMs: () => 20_000, recordTaskMs: (ms) => recorded.push(ms) });
        const { clock, start, polls, read, ctx } = setUp({ fleet, lastTaskSeconds: 4 });
        clock.advance(1_000);
        const watched = await watchConnection(ctx, doneAfter(clock, 3_000), {
            read,
            waitingFor: "vco-1: the task",
            taskStartedAt: start,
        });
        expect(polls[0]).to.equal(1_000 + 0.9 * 4_000);
        expect(watched.elapsedMs, "from the accepted Modify").to.equal(clock.now() - start);
        expect(recorded).to.deep.equal([watched.elapsedMs]);
    });

    it("sizes a task's first delay by the fleet's typical task when the connection has none of its own", async () => {
        const { clock, start, polls, read, ctx } = setUp({ fleet: fakeFleet({ typicalTaskMs: () => 10_000 }) });
        await watchConnection(ctx, doneAfter(clock, 9_000), { read, waitingFor: "vco-1", taskStartedAt: start });
        expect(polls[0]).to.equal(9_000);
    });

    it("ends at its own timeout when that comes before the operation's deadline", async () => {
        const { clock, start, read, ctx } = setUp();
        const err = await rejection(
            watchConnection(ctx, doneAfter(clock, 60_000), { read, waitingFor: "vco-1", timeoutMs: 5_000 }),
        );
        expect(err).to.be.instanceOf(WaitTimeoutError);
        expect(clock.now() - start).to.equal(5_000);
    });

    it("polls on the schedule a harness injects, read when the wait starts", async () => {
        const { clock, start, polls, read, ctx } = setUp();
        const before = injectPollSchedule({ firstDelayMs: 10, elapsedShare: 0.5, steadyDelayMs: 40 });
        try {
            await watchConnection(ctx, doneAfter(clock, 100), { read, waitingFor: "vco-1", taskStartedAt: start });
        } finally {
            injectPollSchedule(before);
        }
        expect(polls.slice(0, 3)).to.deep.equal([10, 15, 22.5]);
    });

    it("writes progress lines without the secrets it was given", async () => {
        async function linesWith(secrets: string[]): Promise<string[]> {
            const lines: string[] = [];
            const { clock, read, ctx } = setUp({ log: (line) => lines.push(line), secrets });
            await watchConnection(ctx, doneAfter(clock, 70_000), {
                read,
                waitingFor: "vco-1: the gate",
                describe: () => "tunnel 1 keyed with psk-Very-Secret-1",
            });
            return lines;
        }
        const plain = await linesWith([]);
        expect(plain).to.have.length(2);
        expect(plain[0]).to.match(
            /^vco-1: the gate: still waiting after 3\d s; tunnel 1 keyed with psk-Very-Secret-1; /,
        );
        const redacted = await linesWith(["psk-Very-Secret-1"]);
        expect(redacted).to.have.length(2);
        expect(redacted.join("\n")).not.to.include("psk-Very-Secret-1");
    });
});
