import { expect } from "chai";
import { ObservedConnection } from "../../provider/model/types";
import { errorKind } from "../../provider/foundation/errors";
import {
    connectionSettled,
    describeConnection,
    waitFor,
    WaitTimeoutError,
    WaitOptions,
} from "../../provider/service/waiting";
import { VirtualClock } from "./virtualClock";

async function failure(wait: Promise<unknown>): Promise<Error & { polls?: number; elapsedMs?: number }> {
    try {
        await wait;
    } catch (err) {
        return err as Error;
    }
    throw new Error("the wait did not fail");
}

/** A wait on "busy" answers that take 10 ms each, until `deadlineMs`. */
function busyWait(clock: VirtualClock, extra: Partial<WaitOptions<string>> = {}): Promise<unknown> {
    return waitFor<string>({
        poll: () => {
            clock.advance(10);
            return Promise.resolve("busy");
        },
        acceptor: () => ({ state: "retry" }),
        deadline: clock.now() + 2000,
        clock,
        delays: () => 500,
        ...extra,
    });
}

describe("waiting: what a wait that ends without success says", () => {
    it("names a timeout as such, and says the service gave no reason when nothing described the last poll", async () => {
        const clock = new VirtualClock();
        const err = await failure(busyWait(clock));
        expect(err).to.be.instanceOf(WaitTimeoutError);
        expect(err.name).to.equal("WaitTimeoutError");
        expect(errorKind(err)).to.equal("timeout");
        expect(err.message).to.equal("timed out after 2 s and 5 polls: the service reported no reason");
    });

    it("quotes the described observation alone when the acceptor gives no reason", async () => {
        const clock = new VirtualClock();
        const err = await failure(busyWait(clock, { describe: (o) => `the thing is ${o}` }));
        expect(err.message).to.equal("timed out after 2 s and 5 polls: the thing is busy");
    });

    it("says a wait cannot succeed, after how long, when the acceptor fails it without a reason", async () => {
        const clock = new VirtualClock();
        const err = await failure(busyWait(clock, { acceptor: () => ({ state: "failure" }) }));
        expect(err.name).to.equal("WaitFailedError");
        expect(err.message).to.equal("the wait cannot succeed");
        expect(err.polls).to.equal(1);
        expect(err.elapsedMs).to.equal(10);
    });

    it("ends as a timeout, with what it saw last, when a poll is refused for the deadline", async () => {
        const clock = new VirtualClock();
        let polls = 0;
        const err = await failure(
            waitFor<string>({
                poll: () =>
                    ++polls === 1
                        ? Promise.resolve("busy")
                        : Promise.reject(new WaitTimeoutError("no call starts after the deadline", 0, 0)),
                acceptor: () => ({ state: "retry", reason: "still busy" }),
                deadline: clock.now() + 60_000,
                clock,
                delays: () => 500,
            }),
        );
        expect(err.message).to.equal("timed out after 1 s and 2 polls: still busy; no call starts after the deadline");
    });

    it("writes progress lines as 'waiting' with 'no answer yet' when it has no name and no description", async () => {
        const clock = new VirtualClock();
        const lines: string[] = [];
        await failure(busyWait(clock, { progress: (line) => lines.push(line), progressEveryMs: 1000 }));
        expect(lines).to.deep.equal(["waiting: still waiting after 1 s; no answer yet"]);
    });

    it("takes a delay that is not a finite number as none", async () => {
        for (const bad of [NaN, Infinity, -5]) {
            const clock = new VirtualClock();
            let polls = 0;
            await waitFor<string>({
                poll: () => Promise.resolve(++polls < 3 ? "busy" : "done"),
                acceptor: (o) => ({ state: o === "done" ? "success" : "retry" }),
                deadline: clock.now() + 60_000,
                clock,
                delays: () => bad,
            });
            expect(clock.sleeps, String(bad)).to.deep.equal([0, 0]);
        }
    });
});

describe("waiting: how a connection is described and judged", () => {
    const conn = (extra: Partial<ObservedConnection>): ObservedConnection => ({
        vpnConnectionId: "vco-x",
        mode: "single",
        ...extra,
    });

    it("says a missing connection cannot settle, and names it not found", () => {
        expect(connectionSettled(undefined)).to.deep.equal({
            state: "failure",
            reason: "the connection does not exist",
        });
        expect(describeConnection(undefined)).to.equal("connection not found");
    });

    it("names each busy tunnel", () => {
        const verdict = connectionSettled(
            conn({
                state: "attached",
                tunnelOptionsSpecification: [
                    { tunnelId: "tun-1", state: "Updating" },
                    { tunnelId: "tun-2", state: "deleting" },
                ] as ObservedConnection["tunnelOptionsSpecification"],
            }),
        );
        expect(verdict).to.deep.equal({ state: "retry", reason: "a task is running on tunnel tun-1 and tunnel tun-2" });
    });

    it("describes a connection without tunnels or state in so many words", () => {
        expect(describeConnection(conn({ state: "attached" }))).to.equal("connection vco-x attached");
        expect(describeConnection(conn({}))).to.equal("connection vco-x in an unknown state");
        expect(
            describeConnection(
                conn({
                    state: "updating",
                    tunnelOptionsSpecification: [
                        { tunnelId: "tun-1" },
                    ] as ObservedConnection["tunnelOptionsSpecification"],
                }),
            ),
        ).to.equal("connection vco-x updating (tunnel tun-1 in an unknown state)");
    });
});
