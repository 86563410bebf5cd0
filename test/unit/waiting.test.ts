import { expect } from "chai";
import { errorKind, ServiceError, TransportError } from "../../provider/foundation/errors";
import { ObservedConnection } from "../../provider/model/types";
import {
    Acceptor,
    connectionSettled,
    describeConnection,
    waitFor,
    WaitTimeoutError,
} from "../../provider/service/waiting";
import { pollDelays } from "../../provider/service/pollSchedule";
import { VirtualClock } from "./virtualClock";
import { rejection } from "../support/failures";

const NO_JITTER = () => 0;
const FULL_JITTER = () => 1;

function take(iterator: Iterator<number>, n: number): number[] {
    return Array.from({ length: n }, () => iterator.next().value as number);
}

/** Poll times (ms after the wait starts) of a schedule; no request latency. */
function pollTimes(delays: Iterator<number>, until: number): number[] {
    const times: number[] = [];
    let t = 0;
    while (t < until) {
        t += delays.next().value as number;
        times.push(t);
    }
    return times;
}

/** How many schedule polls it takes to see a task that ends at `taskMs`, and how late the last one is. */
function seeTask(taskMs: number, random = NO_JITTER, expectedMs?: number): { polls: number; overheadMs: number } {
    const times = pollTimes(pollDelays({ expectedMs }, random), taskMs);
    return { polls: times.length, overheadMs: times[times.length - 1] - taskMs };
}

describe("waiting: pollDelays", () => {
    it("polls first at 600 ms, then 25% of the time waited apart, then every second", () => {
        const delays = take(pollDelays({}, NO_JITTER), 12);
        [600, 150, 187.5, 234.375, 292.96875, 366.2109375, 457.763671875, 572.20458984375, 715.2557373046875]
            .concat([894.0696716308594, 1000, 1000])
            .forEach((want, i) => expect(delays[i]).to.be.closeTo(want, 1e-9));
    });

    it("keeps every gap within the larger of min(1 s, 25% of the time waited) and 1% of it, and under 10 s", () => {
        const delays = take(pollDelays({}, NO_JITTER), 600);
        let elapsed = delays[0];
        for (const delay of delays.slice(1)) {
            expect(delay).to.be.closeTo(
                Math.min(10_000, Math.max(Math.min(1000, 0.25 * elapsed), 0.01 * elapsed)),
                1e-6,
            );
            elapsed += delay;
        }
        expect(delays[delays.length - 1]).to.equal(10_000);
    });

    it("grows its gaps again after 100 s of waiting, by 1% of the time waited", () => {
        const delays = take(pollDelays({}, NO_JITTER), 200);
        let elapsed = 0;
        const gapAt = (at: number) => {
            let t = 0;
            for (const d of delays) {
                if (t >= at) return d;
                t += d;
            }
            throw new Error("not reached");
        };
        for (const d of delays) elapsed += d;
        expect(elapsed).to.be.greaterThan(150_000);
        expect(gapAt(50_000)).to.equal(1000);
        expect(gapAt(150_000)).to.be.closeTo(1500, 20);
    });

    it("jitter only shortens, by at most 2%", () => {
        const plain = take(pollDelays({}, NO_JITTER), 20);
        const jittered = take(pollDelays({}, FULL_JITTER), 20);
        expect(jittered[0]).to.be.closeTo(588, 1e-9);
        expect(jittered[11]).to.be.closeTo(980, 1e-9);
        jittered.forEach((d, i) => expect(d).to.be.at.most(plain[i] * 1.0000001));
    });

    it("treats a random source outside 0..1 as its nearest end, and a non-number as no jitter", () => {
        const plain = take(pollDelays({}, NO_JITTER), 3);
        expect(
            take(
                pollDelays({}, () => 7),
                3,
            ),
        ).to.deep.equal(take(pollDelays({}, FULL_JITTER), 3));
        expect(
            take(
                pollDelays({}, () => -3),
                3,
            ),
        ).to.deep.equal(plain);
        expect(
            take(
                pollDelays({}, () => NaN),
                3,
            ),
        ).to.deep.equal(plain);
    });

    it("sees 1 s, 4 s, 16 s and 64 s tasks with at most six polls more than a 1 s poll, and no later", () => {
        const cases: Array<[number, number, number]> = [
            // task, polls, and how late the last one is
            [1000, 4, 171.875],
            [4000, 10, 470.348],
            [16_000, 22, 470.348],
            [64_000, 70, 470.348],
        ];
        for (const [taskMs, polls, lateMs] of cases) {
            const exact = seeTask(taskMs);
            expect(exact.polls, `${taskMs} ms`).to.equal(polls);
            expect(exact.overheadMs, `${taskMs} ms`).to.be.closeTo(lateMs, 1e-3);
        }
    });

    it("with an expected duration, sleeps to 90% of it, then polls every 5% of it (40 to 500 ms)", () => {
        expect(take(pollDelays({ expectedMs: 16_000 }, NO_JITTER), 3)).to.deep.equal([14_400, 500, 500]);
        const learned = seeTask(16_000, NO_JITTER, 16_000);
        expect(learned.polls).to.equal(5);
        expect(learned.overheadMs).to.be.at.most(500);
        expect(seeTask(4000, NO_JITTER, 4000).polls).to.equal(3);
        expect(seeTask(1000, NO_JITTER, 1000).polls).to.equal(3);
        // The fine gaps are 40 ms at least: a request takes about as long.
        expect(take(pollDelays({ expectedMs: 500 }, NO_JITTER), 3)).to.deep.equal([450, 40, 40]);
    });

    it("with an expected duration, keeps the fine gaps to 1.1 E, then lets them grow to a poll a second", () => {
        expect(take(pollDelays({ expectedMs: 10_000 }, NO_JITTER), 8)).to.deep.equal([
            9000, 500, 500, 500, 500, 600, 720, 864,
        ]);
        for (const taskMs of [18_000, 24_000, 40_000]) {
            const { overheadMs } = seeTask(taskMs, NO_JITTER, 16_000);
            expect(overheadMs, `${taskMs} ms`).to.be.at.most(1000);
        }
        expect(take(pollDelays({ expectedMs: 64_000 }, NO_JITTER), 3)).to.deep.equal([57_600, 500, 500]);
    });

    it("ignores an expected duration that is not a positive number, and undefined options", () => {
        const plain = take(pollDelays({}, NO_JITTER), 5);
        for (const expectedMs of [0, -5, NaN, Infinity, undefined]) {
            expect(take(pollDelays({ expectedMs }, NO_JITTER), 5)).to.deep.equal(plain);
        }
        expect(take(pollDelays({ firstDelayMs: undefined }, NO_JITTER), 5)).to.deep.equal(plain);
        expect(take(pollDelays(undefined, NO_JITTER), 5)).to.deep.equal(plain);
    });

    it("follows given parameters", () => {
        expect(
            take(
                pollDelays(
                    { firstDelayMs: 100, elapsedShare: 2, steadyDelayMs: 300, lateShare: 0.5, maxDelayMs: 700 },
                    NO_JITTER,
                ),
                7,
            ),
        ).to.deep.equal([100, 200, 300, 300, 450, 675, 700]);
        expect(take(pollDelays({ firstDelayMs: 100, jitter: 0.5 }, FULL_JITTER), 1)).to.deep.equal([50]);
        expect(take(pollDelays({ expectedMs: 10_000, factor: 2 }, NO_JITTER), 7)).to.deep.equal([
            9000, 500, 500, 500, 500, 1000, 1000,
        ]);
    });
});

function connection(state: string | undefined, tunnels: Array<[string, string | undefined]> = []): ObservedConnection {
    const observed: ObservedConnection = {
        vpnConnectionId: "vco-x",
        mode: tunnels.length > 0 ? "dual" : "single",
        state,
    };
    if (tunnels.length > 0) {
        observed.tunnelOptionsSpecification = tunnels.map(([tunnelId, tunnelState], i) => ({
            tunnelId,
            tunnelIndex: i + 1,
            state: tunnelState,
        }));
    }
    return observed;
}

describe("waiting: connectionSettled", () => {
    const table: Array<[string, ObservedConnection | undefined, "success" | "retry" | "failure"]> = [
        ["active", connection("active"), "success"],
        ["attached", connection("attached"), "success"],
        ["init", connection("init"), "success"],
        ["no state reported", connection(undefined), "success"],
        ["updating", connection("updating"), "retry"],
        ["provisioning", connection("provisioning"), "retry"],
        ["attaching", connection("attaching"), "retry"],
        ["detaching", connection("detaching"), "retry"],
        ["upgrading", connection("upgrading"), "retry"],
        [
            "a tunnel updating",
            connection("attached", [
                ["tun-1", "active"],
                ["tun-2", "updating"],
            ]),
            "retry",
        ],
        [
            "a tunnel deleting",
            connection("attached", [
                ["tun-1", "deleting"],
                ["tun-2", "active"],
            ]),
            "retry",
        ],
        [
            "tunnels active",
            connection("attached", [
                ["tun-1", "active"],
                ["tun-2", "active"],
            ]),
            "success",
        ],
        ["financialLocked", connection("financialLocked"), "failure"],
        ["deleted", connection("deleted"), "failure"],
        ["missing", undefined, "failure"],
    ];
    for (const [name, observed, state] of table) {
        it(`${name}: ${state}`, () => {
            expect(connectionSettled(observed).state).to.equal(state);
        });
    }

    it("says why", () => {
        expect(connectionSettled(connection("attached", [["tun-2", "updating"]])).reason).to.equal(
            "a task is running on tunnel tun-2",
        );
        expect(connectionSettled(connection("financialLocked")).reason).to.include("overdue payment");
    });
});

describe("waiting: waitFor", () => {
    const settled: Acceptor<string> = (s) =>
        s === "done"
            ? { state: "success" }
            : s === "broken"
              ? { state: "failure", reason: "it broke" }
              : { state: "retry", reason: `still ${s}` };

    function sequence<T>(values: T[]): () => Promise<T> {
        return () => Promise.resolve(values.length > 1 ? values.shift()! : values[0]);
    }

    it("polls at once, then per the schedule, until success", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const result = await waitFor({
            poll: sequence(["busy", "busy", "done"]),
            acceptor: settled,
            deadline: start + 60_000,
            clock,
            delays: pollDelays({}, NO_JITTER),
        });
        expect(result.value).to.equal("done");
        expect(result.polls).to.equal(3);
        expect(clock.sleeps).to.deep.equal([600, 150]);
        expect(result.elapsedMs).to.equal(750);
    });

    it("sleeps first when told to", async () => {
        const clock = new VirtualClock();
        const result = await waitFor({
            poll: sequence(["done"]),
            acceptor: settled,
            deadline: clock.now() + 60_000,
            clock,
            delays: pollDelays({}, NO_JITTER),
            pollFirst: false,
        });
        expect(result.polls).to.equal(1);
        expect(clock.sleeps).to.deep.equal([600]);
    });

    it("takes delays from a function of the polls so far", async () => {
        const clock = new VirtualClock();
        await waitFor({
            poll: sequence(["a", "b", "done"]),
            acceptor: settled,
            deadline: clock.now() + 60_000,
            clock,
            delays: (polls) => polls * 1000,
        });
        expect(clock.sleeps).to.deep.equal([1000, 2000]);
    });

    it("fails as unavailable when the acceptor says failure", async () => {
        const clock = new VirtualClock();
        const err = await rejection(
            waitFor({
                poll: sequence(["busy", "broken"]),
                acceptor: settled,
                deadline: clock.now() + 60_000,
                clock,
                delays: pollDelays(),
            }),
        );
        expect(errorKind(err)).to.equal("unavailable");
        expect(err).to.include({ name: "WaitFailedError", message: "it broke", polls: 2 });
    });

    it("times out at the deadline, naming what it last observed", async () => {
        const clock = new VirtualClock();
        const deadline = clock.now() + 1_800_000;
        let polls = 0;
        const err = await rejection(
            waitFor({
                poll: () => {
                    polls++;
                    clock.advance(20);
                    return Promise.resolve(
                        connection("updating", [
                            ["tun-1", "active"],
                            ["tun-2", "updating"],
                        ]),
                    );
                },
                acceptor: connectionSettled,
                deadline,
                clock,
                delays: pollDelays({}, NO_JITTER),
                describe: describeConnection,
            }),
        );
        expect(err).to.be.instanceOf(WaitTimeoutError);
        expect(err.message).to.equal(
            `timed out after 1800 s and ${polls} polls: connection vco-x updating (tunnel tun-1 active, tunnel tun-2 updating); ` +
                "a task is running on connection vco-x",
        );
        expect((err as WaitTimeoutError).polls).to.equal(polls);
        expect(clock.now() - deadline).to.be.at.most(20);
        // A poll a second for 100 s, then 1% of the time waited apart, at most 10 s.
        expect(polls).to.be.within(390, 430);
    });

    it("never sleeps past the deadline, and polls once more there", async () => {
        const clock = new VirtualClock();
        const deadline = clock.now() + 1000;
        let polls = 0;
        await rejection(
            waitFor({
                poll: () => {
                    polls++;
                    return Promise.resolve("busy");
                },
                acceptor: settled,
                deadline,
                clock,
                delays: () => 700,
            }),
        );
        expect(clock.sleeps).to.deep.equal([700, 300]);
        expect(polls).to.equal(3);
        expect(clock.now()).to.equal(deadline);
    });

    it("retries a poll that fails with a retryable error, honouring retry-after", async () => {
        const clock = new VirtualClock();
        const failures: Error[] = [
            new TransportError("ECONNRESET", "reset", true),
            new ServiceError({
                code: "Throttling.User",
                statusCode: 400,
                serviceMessage: "slow down",
                retryAfterMs: 3000,
            }),
        ];
        const result = await waitFor({
            poll: () => {
                const failure = failures.shift();
                return failure ? Promise.reject(failure) : Promise.resolve("done");
            },
            acceptor: settled,
            deadline: clock.now() + 60_000,
            clock,
            delays: pollDelays({}, NO_JITTER),
        });
        expect(result.polls).to.equal(3);
        expect(clock.sleeps).to.deep.equal([600, 3000]);
    });

    it("names a failing poll when it times out on one", async () => {
        const clock = new VirtualClock();
        const err = await rejection(
            waitFor({
                poll: () =>
                    Promise.reject(
                        new ServiceError({
                            code: "ServiceUnavailable",
                            statusCode: 503,
                            serviceMessage: "down",
                            requestId: "R-5",
                        }),
                    ),
                acceptor: settled,
                deadline: clock.now() + 5000,
                clock,
                delays: pollDelays({}, NO_JITTER),
            }),
        );
        expect(err.message).to.match(
            /^timed out after 5 s and \d+ polls: last poll failed: ServiceUnavailable: down \(RequestId R-5\)$/,
        );
    });

    it("lets non-retryable poll errors and acceptor errors through", async () => {
        const clock = new VirtualClock();
        const forbidden = new ServiceError({ code: "Forbidden", statusCode: 403, serviceMessage: "no" });
        expect(
            await rejection(
                waitFor({
                    poll: () => Promise.reject(forbidden),
                    acceptor: settled,
                    deadline: clock.now() + 60_000,
                    clock,
                    delays: pollDelays(),
                }),
            ),
        ).to.equal(forbidden);

        const notConverged = new Error("values differ");
        expect(
            await rejection(
                waitFor({
                    poll: sequence(["done"]),
                    acceptor: () => {
                        throw notConverged;
                    },
                    deadline: clock.now() + 60_000,
                    clock,
                    delays: pollDelays(),
                }),
            ),
        ).to.equal(notConverged);
    });
});
