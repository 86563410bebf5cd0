import { expect } from "chai";
import { describeBody } from "../../emulator/render";
import { dualTunnelConnection } from "../../emulator/fixtures";
import { VpcApi } from "../../provider/service/client";
import { ConvergeContext } from "../../provider/apply/context";
import { converge } from "../../provider/apply/converge";
import { CONVERGENCE_GRACE_MS } from "../../provider/apply/confirm";
import { ModifyRequest } from "../../provider/model/requests";
import { errorKind, ServiceError } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { withLock } from "../../provider/service/locking";
import { pollDelays } from "../../provider/service/pollSchedule";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { IdleClock } from "./idleClock";
import { VirtualClock } from "./virtualClock";
import { fakeFleet } from "./fakeFleet";

const AT = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };

/** FakeVpc whose Modify starts a task of `taskMs`: `updating` throughout, the new name at its end. */
class TaskVpc extends FakeVpc {
    constructor(
        private readonly taskClock: VirtualClock,
        private readonly taskMs: number,
        connection = dualTunnelConnection("vco-steps"),
    ) {
        super(taskClock, connection);
        this.applyAfterMs = taskMs;
    }

    /** When set, the connection is deleted this long after the Modify, before its task ends. */
    deletedAfterMs: number | undefined;
    private modifiedAt = 0;

    override modifyVpnAttachmentAttribute(request: ModifyRequest) {
        this.modifiedAt = this.taskClock.now();
        this.busyUntil = this.modifiedAt + this.taskMs;
        return super.modifyVpnAttachmentAttribute(request);
    }

    override describeVpnConnection() {
        if (this.deletedAfterMs !== undefined && this.taskClock.now() >= this.modifiedAt + this.deletedAfterMs) {
            this.connection.State = "deleted";
            this.busyUntil = 0;
            this.applyAfterMs = undefined;
        }
        return super.describeVpnConnection();
    }
}

function on(api: VpcApi, clock: VirtualClock, extra: Partial<ConvergeContext> = {}): ConvergeContext {
    return { api, clock, deadline: clock.now() + 30 * 60_000, log: () => undefined, secrets: [], ...extra };
}

function throttled(retryAfterMs: number): ServiceError {
    return new ServiceError({
        code: "Throttling.User",
        serviceMessage: "Request was denied.",
        statusCode: 400,
        requestId: "REQ-T",
        retryAfterMs,
    });
}

function rejection(promise: Promise<unknown>): Promise<Error | undefined> {
    return promise.then(
        () => undefined,
        (err: Error) => err,
    );
}

describe("converge: a task that outlasts the grace period", () => {
    withoutJitter();

    it("waits for the task to end, however long past the grace period, and reports its length", async () => {
        const clock = new VirtualClock();
        const taskMs = 3 * CONVERGENCE_GRACE_MS;
        const api = new TaskVpc(clock, taskMs);
        const result = await converge(AT, { name: "renamed" }, on(api, clock));
        expect(result.observed.name).to.equal("renamed");
        expect(result.taskMs).to.be.at.least(taskMs);
        expect(api.modifies).to.have.length(1);
    });

    it("says the connection was deleted, rather than unconverged, when it goes during the task", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 60_000);
        api.deletedAfterMs = 2 * CONVERGENCE_GRACE_MS;
        const failure = await rejection(converge(AT, { name: "renamed" }, on(api, clock)));
        expect(failure?.message).to.include("vco-steps is deleted: it has been deleted");
        expect(failure?.name).to.not.equal("NotConvergedError");
    });
});

describe("converge: the deadline", () => {
    withoutJitter();

    it("makes its first poll after the Modify at the deadline when the fleet's tasks take longer than is left", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 20 * 60_000);
        const failure = await rejection(
            converge(
                AT,
                { name: "renamed" },
                on(api, clock, {
                    deadline: clock.now() + 60_000,
                    fleet: fakeFleet({ typicalTaskMs: () => 20 * 60_000 }),
                }),
            ),
        );
        expect(errorKind(failure)).to.equal("timeout");
        expect(failure?.message).to.match(/timed out after 60 s and 1 poll:/);
        expect(clock.now()).to.equal(api.describedAt[0] + 60_000);
    });
});

/** A connection on any clock: `updating` until `busyUntil`, a Modify's name applied at once. */
function connectionOn(clock: { now(): number }, id: string, busyUntil: number): VpcApi {
    const connection = dualTunnelConnection(id);
    return {
        describeVpnConnection: () =>
            Promise.resolve(
                describeBody(
                    { ...connection, State: clock.now() < busyUntil ? "updating" : connection.State },
                    "REQ-D",
                ),
            ),
        describeVpnConnections: () => Promise.reject(new Error("not used")),
        modifyVpnAttachmentAttribute: (request: ModifyRequest) => {
            if (request.name !== undefined) connection.Name = request.name;
            return Promise.resolve({ requestId: "REQ-M", body: { RequestId: "REQ-M" } });
        },
    };
}

describe("converge: a fleet in one provider process", () => {
    withoutJitter();

    it("updates one connection while another waits out a long task, instead of queueing behind it", async () => {
        const clock = new IdleClock();
        const start = clock.now();
        const finished: Record<string, number> = {};
        const update = (id: string, busyMs: number, timeoutMs: number) =>
            converge(
                { regionId: "cn-hangzhou", vpnConnectionId: id },
                { name: `renamed-${id}` },
                {
                    api: connectionOn(clock, id, start + busyMs),
                    clock,
                    deadline: start + timeoutMs,
                    log: () => undefined,
                    secrets: [],
                },
            ).then((result) => {
                finished[id] = clock.now() - start;
                return result.observed.name;
            });

        const names = await Promise.all([update("vco-busy", 5 * 60_000, 30 * 60_000), update("vco-idle", 0, 60_000)]);

        expect(names).to.deep.equal(["renamed-vco-busy", "renamed-vco-idle"]);
        expect(finished["vco-idle"]).to.be.below(60_000);
        expect(finished["vco-busy"]).to.be.at.least(5 * 60_000);
    });
});

describe("converge: when it polls", () => {
    withoutJitter();
    // Off the 100 ms grid that concurrent waiters share, so a poll moved onto it shows.
    const OFF_GRID = 1_700_000_000_050;

    function pollsOf(hasCompany?: () => boolean): Promise<{ before: number[]; after: number[] }> {
        const clock = new VirtualClock(OFF_GRID);
        const api = new TaskVpc(clock, 5_000);
        api.busyUntil = clock.now() + 5_000;
        return converge(
            AT,
            { name: "renamed" },
            on(api, clock, { fleet: hasCompany && fakeFleet({ hasCompany }) }),
        ).then((result) => {
            const sentAt = clock.now() - result.taskMs!;
            return {
                before: api.describedAt.filter((at) => at < sentAt).map((at) => at - OFF_GRID),
                after: api.describedAt.filter((at) => at > sentAt).map((at) => at - sentAt),
            };
        });
    }

    /** The first `count` poll times of the documented schedule, from its start. */
    function schedule(count: number): number[] {
        const delays = pollDelays({}, () => 0);
        let at = 0;
        return Array.from({ length: count }, () => (at += delays.next().value));
    }

    it("keeps a lone update's own schedule, before and after its Modify", async () => {
        // The documented schedule: 600 ms, then gaps of 25% of the time waited.
        expect(schedule(4)).to.deep.equal([600, 750, 937.5, 1171.875]);
        const { before, after } = await pollsOf();
        expect(before.slice(0, 4)).to.deep.equal([0, ...schedule(3)]);
        expect(after.slice(0, 3)).to.deep.equal(schedule(3));
    });

    it("puts the polls on the shared grid while other connections are waited on", async () => {
        const { before, after } = await pollsOf(() => true);
        const onGrid = (at: number) => (at + OFF_GRID) % 100 === 0;
        expect(before.slice(1).every(onGrid), `polls before the Modify at ${before.join(", ")}`).to.equal(true);
        expect(after.length).to.be.at.least(2);
        expect(before.length).to.be.at.least(3);
    });
});

describe("converge: progress lines", () => {
    withoutJitter();

    // At the first poll after each 30 s: polls are a second apart by then.
    it("says every 30 s what it waits for, before and after the Modify, with every secret withheld", async () => {
        const progress = async (secrets: string[]) => {
            const clock = new VirtualClock();
            const api = new TaskVpc(clock, 70_000);
            api.busyUntil = clock.now() + 70_000;
            const lines: string[] = [];
            await converge(AT, { name: "renamed" }, on(api, clock, { log: (line) => lines.push(line), secrets }));
            return lines;
        };
        expect(
            (await progress([])).map((l) => /^(.*): still waiting after (\d+) s/.exec(l)?.slice(1).join(" @ ")),
        ).to.deep.equal([
            "vco-steps: a task already running, before sending ModifyVpnAttachmentAttribute @ 30",
            "vco-steps: a task already running, before sending ModifyVpnAttachmentAttribute @ 60",
            "vco-steps: the task ModifyVpnAttachmentAttribute started @ 30",
            "vco-steps: the task ModifyVpnAttachmentAttribute started @ 60",
        ]);
        // A line that would quote a secret is withheld whole (redaction.ts), not dropped: four lines still.
        const withheld = await progress(["steps"]);
        expect(withheld).to.have.length(4);
        expect(withheld.join("\n")).to.not.include("steps");
    });
});

describe("converge: the connection's own keys in messages", () => {
    withoutJitter();

    it("blanks each tunnel's current PSK, which the Modify re-sends, from a retry line that echoes it", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 1_000);
        const echo = (psk: string) =>
            Object.assign(new Error(`socket hang up after sending ${psk}`), { code: "ECONNRESET" });
        api.failures.modify.push(echo("emulatorPskTunnel1"), echo("emulatorPskTunnel2"));
        const lines: string[] = [];
        await converge(AT, { name: "renamed" }, on(api, clock, { log: (line) => lines.push(line) }));
        expect(lines).to.have.length(2);
        expect(lines.join("\n"))
            .to.include("ModifyVpnAttachmentAttribute got")
            .and.not.match(/emulatorPskTunnel/);
    });
});

describe("converge: what its failures say", () => {
    withoutJitter();

    it("says how long it queued behind another update of the connection before its deadline passed", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 1_000);
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const holder = withLock(`${AT.regionId}/${AT.vpnConnectionId}`, () => held);
        const queued = rejection(converge(AT, { name: "late" }, on(api, clock, { deadline: clock.now() + 60_000 })));
        clock.advance(61_000);
        release();
        await holder;
        expect((await queued)?.message).to.include("the deadline passed after 61 s waiting for another update");
    });

    it("says the connection is not there, and that this resource does not create one", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 1_000);
        api.exists = false;
        const failure = await rejection(converge(AT, { name: "renamed" }, on(api, clock)));
        expect(userMessage(failure, AT)).to.include(
            "IPsec-VPN connection vco-steps was not found in region cn-hangzhou: check vpnConnectionId and regionId " +
                "(this resource manages an existing connection; it does not create one)",
        );
    });

    it("names the values not yet reported when its deadline comes within the grace period", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 1_000);
        api.applyAfterMs = undefined;
        api.busyUntil = 0;
        const failure = await rejection(
            converge(AT, { name: "renamed" }, on(api, clock, { deadline: clock.now() + CONVERGENCE_GRACE_MS / 2 })),
        );
        expect(failure?.message).to.match(
            /; task not started yet\. ModifyVpnAttachmentAttribute was sent and accepted \(RequestId REQ-M\)/,
        );
    });

    it("lists every field it could not converge, separated, with keys not shown", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 1_000);
        api.applyAfterMs = undefined;
        const failure = await rejection(converge(AT, { name: "renamed", localSubnet: "10.9.0.0/16" }, on(api, clock)));
        expect(failure?.message).to.match(
            /does not report the declared values for: name \(declared "renamed", service reports "[^"]+"\); localSubnet \(declared "10\.9\.0\.0\/16", service reports "[^"]+"\)$/,
        );
    });

    it("says how long a throttled call waits before it tries again", async () => {
        const clock = new VirtualClock();
        const api = new TaskVpc(clock, 1_000);
        api.failures.describe.push(throttled(1_500));
        const lines: string[] = [];
        await converge(AT, { name: "renamed" }, on(api, clock, { log: (line) => lines.push(line) }));
        expect(lines[0]).to.match(
            /DescribeVpnConnection got Throttling\.User \(RequestId REQ-T\); retrying in 1\.5 s$/,
        );
    });

    it("says how many attempts a call made before the deadline, with the service's last answer", async () => {
        const attemptsWithin = async (timeoutMs: number) => {
            const clock = new VirtualClock();
            const api = new TaskVpc(clock, 1_000);
            api.failures.describe.push(throttled(20_000), throttled(20_000), throttled(20_000));
            const failure = await rejection(
                converge(AT, { name: "renamed" }, on(api, clock, { deadline: clock.now() + timeoutMs })),
            );
            expect(userMessage(failure, AT)).to.include("RequestId REQ-T");
            return /DescribeVpnConnection failed: gave up after (\d+ attempts?) at the deadline; last error: Throttling\.User \(RequestId REQ-T\): Request was denied\. No ModifyVpnAttachmentAttribute was sent/.exec(
                failure?.message ?? "",
            )?.[1];
        };
        expect(await attemptsWithin(10_000)).to.equal("1 attempt");
        expect(await attemptsWithin(30_000)).to.equal("2 attempts");
    });
});
