import { ClientError, ServerError, ThrottlingError } from "@alicloud/openapi-core";
import { expect } from "chai";
import { errorKind, ServiceError, TransportError } from "../../provider/foundation/errors";
import { backoffDelay, isRetryable, retry } from "../../provider/service/retrying";
import { VirtualClock } from "./virtualClock";

function service(code: string, statusCode = 400, requestId = "REQ-1", retryAfterMs?: number): ServiceError {
    return new ServiceError({ code, statusCode, requestId, serviceMessage: `${code} happened`, retryAfterMs });
}

describe("retrying: isRetryable", () => {
    const retryable: Array<[string, number]> = [
        ["Throttling", 400],
        ["Throttling.User", 400],
        ["Throttling.Api", 400],
        ["ServiceUnavailable", 503],
        ["InternalError", 500],
        ["UnknownError", 502],
        ["VpnTask.CONFLICT", 400],
        ["TaskConflict", 400],
        ["VpnConnection.Configuring", 400],
        ["VpnGateway.Configuring", 400],
        ["Appliance.Configuring", 400],
    ];
    const failFast: Array<[string, number]> = [
        ["InvalidName", 400],
        ["IllegalParam.TunnelCidr", 400],
        ["Forbidden", 403],
        ["Forbbiden.SubUser", 403],
        ["InvalidVpnConnectionInstanceId.NotFound", 404],
        ["VpnConnection.FinancialLocked", 400],
        ["SignatureDoesNotMatch", 400],
        ["InvalidAccessKeyId.NotFound", 404],
        ["MissingParameter", 400],
    ];

    for (const [code, status] of retryable) {
        it(`retries ${code} (${status})`, () => {
            expect(isRetryable(service(code, status))).to.equal(true);
        });
    }
    for (const [code, status] of failFast) {
        it(`fails at once on ${code} (${status})`, () => {
            expect(isRetryable(service(code, status))).to.equal(false);
        });
    }

    it("fails at once on an answer it could not read when its status was 4xx: the same request gets it again", () => {
        expect(isRetryable(new TransportError("InvalidResponse", "not JSON", true, 400))).to.equal(false);
        expect(isRetryable(new TransportError("InvalidResponse", "not JSON", true, 404))).to.equal(false);
        expect(isRetryable(new TransportError("InvalidResponse", "not JSON", true, 429)), "too many requests").to.equal(
            true,
        );
        expect(isRetryable(new TransportError("InvalidResponse", "not JSON", true, 503))).to.equal(true);
    });

    it("classifies the SDK's own exceptions", () => {
        const data = (code: string) => ({ Code: code, Message: "m", RequestId: "R" });
        expect(
            isRetryable(
                new ThrottlingError({ statusCode: 400, code: "Throttling.User", data: data("Throttling.User") }),
            ),
        ).to.equal(true);
        expect(
            isRetryable(new ServerError({ statusCode: 500, code: "InternalError", data: data("InternalError") })),
        ).to.equal(true);
        expect(
            isRetryable(new ClientError({ statusCode: 400, code: "InvalidName", data: data("InvalidName") })),
        ).to.equal(false);
        expect(
            isRetryable(new ClientError({ statusCode: 400, code: "VpnTask.CONFLICT", data: data("VpnTask.CONFLICT") })),
        ).to.equal(true);
    });

    it("retries transient transport failures only", () => {
        expect(isRetryable(new TransportError("ECONNRESET", "reset", true))).to.equal(true);
        expect(isRetryable(new TransportError("ReadTimeout", "slow", true))).to.equal(true);
        expect(
            isRetryable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })),
        ).to.equal(true);
        expect(isRetryable(new TransportError("ENOTFOUND", "no such host", false))).to.equal(false);
    });

    it("fails at once on anything else, a retry that gave up included", async () => {
        const clock = new VirtualClock();
        const gaveUp = await retry(() => Promise.reject(service("VpnTask.CONFLICT")), {
            deadline: clock.now() + 1,
            clock,
        }).then(
            () => undefined,
            (err: unknown) => err,
        );
        expectGaveUp(gaveUp, 1);
        expect(isRetryable(new Error("bug"))).to.equal(false);
        expect(isRetryable(gaveUp)).to.equal(false);
        expect(isRetryable(undefined)).to.equal(false);
    });
});

describe("retrying: backoffDelay", () => {
    const opts = { baseMs: 1000, capMs: 15_000 };

    it("doubles its ceiling per attempt up to the cap", () => {
        const ceilings = [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, opts, () => 1));
        expect(ceilings).to.deep.equal([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    });

    it("draws uniformly below the ceiling (full jitter)", () => {
        expect(backoffDelay(3, opts, () => 0)).to.equal(0);
        expect(backoffDelay(3, opts, () => 0.5)).to.equal(2000);
        for (let attempt = 1; attempt < 40; attempt++) {
            const d = backoffDelay(attempt, opts, Math.random);
            expect(d).to.be.at.least(0).and.at.most(opts.capMs);
        }
    });

    it("stays finite for huge attempt numbers and odd random values", () => {
        expect(backoffDelay(1_000_000, opts, () => 1)).to.equal(15_000);
        expect(backoffDelay(0, opts, () => 1)).to.equal(1000);
        expect(backoffDelay(2, opts, () => NaN)).to.equal(0);
        expect(backoffDelay(2, opts, () => 7)).to.equal(2000);
    });

    it("defaults suit conflicts that last a gateway task: from 1 s, doubling, at most 15 s", async () => {
        const clock = new VirtualClock();
        const failure = await retry(() => Promise.reject(service("VpnTask.CONFLICT")), {
            deadline: clock.now() + 60_000,
            clock,
            random: () => 1,
        }).then(
            () => undefined,
            (err: unknown) => err,
        );
        expect(clock.sleeps).to.deep.equal([1000, 2000, 4000, 8000, 15_000, 15_000]);
        expectGaveUp(failure, 7);
    });
});

describe("retrying: retry", () => {
    it("retries, then returns the result", async () => {
        const clock = new VirtualClock();
        const failures = [service("VpnTask.CONFLICT"), new TransportError("ECONNRESET", "reset", true)];
        const seen: Array<[string, number, number]> = [];
        const result = await retry(
            (attempt) => {
                const failure = failures.shift();
                return failure ? Promise.reject(failure) : Promise.resolve(`ok on attempt ${attempt}`);
            },
            {
                deadline: clock.now() + 60_000,
                clock,
                random: () => 0.5,
                onRetry: (err, delayMs, attempt) => seen.push([(err as Error).name, delayMs, attempt]),
            },
        );
        expect(result).to.equal("ok on attempt 3");
        expect(clock.sleeps).to.deep.equal([500, 1000]);
        expect(seen).to.deep.equal([
            ["ServiceError", 500, 1],
            ["TransportError", 1000, 2],
        ]);
    });

    it("waits at least the throttle's retry-after", async () => {
        const clock = new VirtualClock();
        let calls = 0;
        await retry(
            () =>
                calls++ === 0 ? Promise.reject(service("Throttling.User", 400, "R", 5000)) : Promise.resolve("done"),
            { deadline: clock.now() + 60_000, clock, random: () => 0 },
        );
        expect(clock.sleeps).to.deep.equal([5000]);
    });

    it("stops at the deadline, naming the attempts and the last code and RequestId", async () => {
        const clock = new VirtualClock();
        const deadline = clock.now() + 20_000;
        let attempts = 0;
        let caught: unknown;
        try {
            await retry(
                () => {
                    attempts++;
                    return Promise.reject(service("VpnTask.CONFLICT", 400, `REQ-${attempts}`));
                },
                { deadline, clock, random: () => 1 },
            );
        } catch (err) {
            caught = err;
        }
        const gaveUp = expectGaveUp(caught, attempts);
        expect(gaveUp.message).to.include("VpnTask.CONFLICT");
        expect(gaveUp.message).to.include(`REQ-${attempts}`);
        // 1 + 2 + 4 + 8 s fit in 20 s; the next 15 s would not.
        expect(clock.sleeps).to.deep.equal([1000, 2000, 4000, 8000]);
        expect(clock.now()).to.be.at.most(deadline);
    });

    it("gives up at once when the retry-after reaches past the deadline", async () => {
        const clock = new VirtualClock();
        let attempts = 0;
        const run = retry(
            () => {
                attempts++;
                return Promise.reject(service("Throttling", 400, "R", 120_000));
            },
            { deadline: clock.now() + 60_000, clock },
        );
        expectGaveUp(
            await run.then(
                () => undefined,
                (err: unknown) => err,
            ),
            1,
        );
        expect(attempts).to.equal(1);
        expect(clock.sleeps).to.deep.equal([]);
    });

    it("fails at once on a non-retryable error, passing it through", async () => {
        const clock = new VirtualClock();
        const invalid = service("InvalidName");
        let attempts = 0;
        let caught: unknown;
        try {
            await retry(
                () => {
                    attempts++;
                    return Promise.reject(invalid);
                },
                { deadline: clock.now() + 60_000, clock },
            );
        } catch (err) {
            caught = err;
        }
        expect(caught).to.equal(invalid);
        expect(attempts).to.equal(1);
        expect(clock.sleeps).to.deep.equal([]);
    });
});

/** The error of a retry that gave up at the deadline: a timeout that says how many attempts were made. */
function expectGaveUp(err: unknown, attempts: number): Error {
    expect(err).to.be.instanceOf(Error);
    expect(errorKind(err)).to.equal("timeout");
    expect((err as Error).message).to.match(
        new RegExp(`^gave up after ${attempts} attempts? at the deadline; last error: `),
    );
    return err as Error;
}

describe("retrying: retry at the deadline", () => {
    it("makes no attempt when the deadline has already passed", async () => {
        const clock = new VirtualClock();
        let calls = 0;
        const failure = await retry(
            () => {
                calls++;
                return Promise.resolve("sent");
            },
            { deadline: clock.now() - 1, clock },
        ).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(calls).to.equal(0);
        expect(errorKind(failure)).to.equal("timeout");
        expect(failure?.message).to.contain("nothing was sent");
    });

    it("makes no attempt after a sleep that overran the deadline", async () => {
        // Timers fire late under load: each sleep here ends 5 s after it should.
        const clock = new VirtualClock();
        const late = { now: () => clock.now(), sleep: (ms: number) => Promise.resolve(clock.advance(ms + 5_000)) };
        const attemptsAt: number[] = [];
        const start = clock.now();
        const failure = await retry(
            () => {
                attemptsAt.push(clock.now() - start);
                return Promise.reject(service("Throttling"));
            },
            { deadline: start + 10_000, clock: late, random: () => 0.5 },
        ).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(
            attemptsAt.every((t) => t < 10_000),
            `attempts at ${attemptsAt.join(", ")} ms`,
        ).to.equal(true);
        expectGaveUp(failure, attemptsAt.length);
    });
});

describe("retrying: failures to connect", () => {
    const refused = () => new TransportError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1", true);

    /** The reproduction: ALICLOUD_VPC_ENDPOINT=http://127.0.0.1:1 under the 30-minute default deadline. */
    it("gives up on a refused endpoint after a few attempts within about a minute, naming it and the cause", async () => {
        const clock = new VirtualClock();
        const started = clock.now();
        let attempts = 0;
        const err = await retry(
            () => {
                attempts++;
                return Promise.reject(refused());
            },
            { deadline: started + 30 * 60_000, clock, random: () => 0.5 },
        ).then(
            () => expect.fail("succeeded"),
            (e: Error) => e,
        );
        expect(attempts).to.equal(4);
        expect(clock.now() - started, "time spent").to.be.at.most(60_000);
        expect(err.message).to.match(/could not connect to the endpoint in 4 attempts over 50 s: ECONNREFUSED/);
        expect(err.message).to.include("127.0.0.1:1");
        expect(errorKind(err)).to.equal("transport");
        expect(isRetryable(err), "a wait polling through it stops too").to.equal(false);
    });

    it("keeps the long deadline for throttling and conflicts", async () => {
        const clock = new VirtualClock();
        let attempts = 0;
        const result = await retry(
            () => {
                attempts++;
                return attempts <= 20 ? Promise.reject(service("VpnTask.CONFLICT")) : Promise.resolve("done");
            },
            { deadline: clock.now() + 30 * 60_000, clock, random: () => 0.5 },
        );
        expect(result).to.equal("done");
        expect(attempts).to.equal(21);
    });

    it("counts only failures to connect in a row: an answer in between starts the count again", async () => {
        const clock = new VirtualClock();
        const failures = [refused(), refused(), refused(), service("Throttling.User"), refused(), refused(), refused()];
        const result = await retry(
            () => {
                const next = failures.shift();
                return next ? Promise.reject(next) : Promise.resolve("done");
            },
            { deadline: clock.now() + 30 * 60_000, clock, random: () => 0.5 },
        );
        expect(result).to.equal("done");
    });
});
