import { expect } from "chai";
import { VpcApi } from "../../provider/service/client";
import { ConvergeContext } from "../../provider/apply/context";
import { converge, ConvergeResult } from "../../provider/apply/converge";
import { CONVERGENCE_GRACE_MS } from "../../provider/apply/confirm";
import { errorKind } from "../../provider/foundation/errors";
import { ModifyRequest } from "../../provider/model/requests";
import { DesiredAttributes } from "../../provider/model/types";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { SETTINGS } from "./fixtures";
import { VirtualClock } from "./virtualClock";
import { fakeFleet } from "./fakeFleet";

type Body = Record<string, unknown>;

/** What DescribeVpnConnection reports about vco-1 before any Modify, in the API's casing. */
function reported(overrides: Body = {}): Body {
    return {
        VpnConnectionId: "vco-1",
        State: "attached",
        Status: "ipsec_sa_established",
        Name: "office",
        LocalSubnet: "10.1.1.0/24",
        RemoteSubnet: "192.168.0.0/16",
        IkeConfig: { Psk: "current-psk", IkeVersion: "ikev2", IkePfs: "group2", IkeLifetime: 86400 },
        IpsecConfig: { IpsecEncAlg: "aes", IpsecAuthAlg: "sha1", IpsecPfs: "group2", IpsecLifetime: 86400 },
        ...overrides,
    };
}

/** The same connection once the Modify of DESIRED has been applied. */
const APPLIED = reported({
    Name: "renamed",
    IkeConfig: { Psk: "new-psk", IkeVersion: "ikev2", IkePfs: "group2", IkeLifetime: 86400 },
    IpsecConfig: { IpsecEncAlg: "aes", IpsecAuthAlg: "sha1", IpsecPfs: "group14", IpsecLifetime: 86400 },
});

const DESIRED: DesiredAttributes = {
    name: "renamed",
    ikeConfig: { psk: "new-psk" },
    ipsecConfig: { ipsecPfs: "group14" },
};

/**
 * A fake VPC API on the virtual clock. Before the Modify it reports
 * `reported()`; from the Modify on, whatever `afterModify` says for the time
 * since it was accepted, so a test scripts the service's task in virtual time.
 */
class ScriptedVpc implements VpcApi {
    readonly modifies: ModifyRequest[] = [];
    /** Milliseconds after the accepted Modify at which each Describe came. */
    readonly describesAfterModify: number[] = [];
    private modifiedAt: number | undefined;

    constructor(
        private readonly clock: VirtualClock,
        private readonly afterModify: (msSinceModify: number) => Body,
    ) {}

    describeVpnConnection(): Promise<Body> {
        if (this.modifiedAt === undefined) {
            return Promise.resolve(reported());
        }
        const since = this.clock.now() - this.modifiedAt;
        this.describesAfterModify.push(since);
        return Promise.resolve(this.afterModify(since));
    }

    describeVpnConnections(): Promise<Body> {
        return Promise.reject(new Error("converge reads one connection at a time"));
    }

    modifyVpnAttachmentAttribute(request: ModifyRequest): Promise<{ requestId: string; body: Body }> {
        this.modifies.push(request);
        this.modifiedAt = this.clock.now();
        return Promise.resolve({ requestId: "REQ-MODIFY", body: {} });
    }
}

function run(clock: VirtualClock, api: ScriptedVpc, extra: Partial<ConvergeContext> = {}): Promise<ConvergeResult> {
    const ctx: ConvergeContext = {
        api,
        clock,
        deadline: clock.now() + 30 * 60_000,
        log: () => undefined,
        secrets: ["new-psk"],
        ...extra,
    };
    return converge(SETTINGS, DESIRED, ctx);
}

describe("converge: the values check after a Modify", () => {
    withoutJitter();

    it("ends in NotConvergedError naming the fields when an accepted Modify is never applied", async () => {
        const clock = new VirtualClock();
        const api = new ScriptedVpc(clock, () => reported());

        const failure = await run(clock, api).then(
            () => undefined,
            (err: Error) => err,
        );

        expect(failure?.name).to.equal("NotConvergedError");
        expect(failure?.message).to.include("vco-1 finished its task but does not report the declared values");
        expect(failure?.message).to.include('name (declared "renamed", service reports "office")');
        expect(failure?.message).to.include('ipsecConfig.ipsecPfs (declared "group14", service reports "group2")');
        expect(failure?.message).to.include("ikeConfig.psk (a pre-shared key; value not shown)");
        expect(failure?.message).to.not.include("new-psk");
        expect(failure?.message).to.not.include("current-psk");
        expect(api.modifies, "the Modify is not sent again").to.have.length(1);
        // It gives up at the first poll past the grace period: not before, and not at the deadline.
        const polls = api.describesAfterModify;
        expect(polls.length).to.be.at.least(2);
        expect(polls[polls.length - 2]).to.be.below(CONVERGENCE_GRACE_MS);
        expect(polls[polls.length - 1]).to.be.at.least(CONVERGENCE_GRACE_MS);
    });

    it("scrubs the PSK the settled connection reports from messages from then on", async () => {
        const clock = new VirtualClock();
        const api = new ScriptedVpc(clock, () => APPLIED);
        const secrets = ["new-psk"];

        await run(clock, api, { secrets });

        expect(secrets).to.deep.equal(["new-psk", "current-psk"]);
    });

    it("waits for a task that starts only after the connection looked settled for a moment", async () => {
        const clock = new VirtualClock();
        const api = new ScriptedVpc(clock, (since) =>
            since < 2_000 ? reported() : since < 6_000 ? reported({ State: "updating" }) : APPLIED,
        );

        const result = await run(clock, api);

        expect(api.describesAfterModify[0], "a poll saw the old values while settled").to.be.below(2_000);
        expect(
            api.describesAfterModify.some((since) => since >= 2_000 && since < 6_000),
            "a poll saw it updating",
        ).to.equal(true);
        expect(result.observed.name).to.equal("renamed");
        expect(result.observed.ipsecConfig?.ipsecPfs).to.equal("group14");
        expect(result.taskMs).to.be.at.least(6_000);
        expect(api.modifies).to.have.length(1);
    });

    it("accepts values that appear within the grace period without a task ever being seen", async () => {
        const clock = new VirtualClock();
        const appliesAt = CONVERGENCE_GRACE_MS - 3_000;
        const api = new ScriptedVpc(clock, (since) => (since < appliesAt ? reported() : APPLIED));

        const result = await run(clock, api);

        expect(result.observed.name).to.equal("renamed");
        expect(result.taskMs).to.be.at.least(appliesAt).and.below(CONVERGENCE_GRACE_MS);
    });
});

describe("converge: the fleet's typical task", () => {
    withoutJitter();

    const taskOf = (ms: number) => (since: number) => (since < ms ? reported({ State: "updating" }) : APPLIED);

    it("sleeps through most of the task when the fleet's tasks took about as long, and reports its own", async () => {
        const clock = new VirtualClock();
        const api = new ScriptedVpc(clock, taskOf(8_000));
        const recorded: number[] = [];
        const result = await run(clock, api, {
            fleet: fakeFleet({ typicalTaskMs: () => 8_000, recordTaskMs: (ms) => recorded.push(ms) }),
        });
        expect(api.describesAfterModify[0]).to.equal(0.9 * 8_000);
        expect(api.describesAfterModify.length).to.be.at.most(6);
        expect(recorded).to.deep.equal([result.taskMs]);
    });

    it("prefers the connection's own learned duration to the fleet's", async () => {
        const clock = new VirtualClock();
        const api = new ScriptedVpc(clock, taskOf(4_000));
        await run(clock, api, {
            lastTaskSeconds: 4,
            fleet: fakeFleet({ typicalTaskMs: () => 20_000 }),
        });
        expect(api.describesAfterModify[0]).to.equal(0.9 * 4_000);
    });

    it("polls from the start without either", async () => {
        const clock = new VirtualClock();
        const api = new ScriptedVpc(clock, taskOf(8_000));
        await run(clock, api, { fleet: fakeFleet({}) });
        expect(api.describesAfterModify[0]).to.equal(600);
        expect(api.describesAfterModify.length).to.be.at.least(10);
    });
});

describe("converge: its steps, in order", () => {
    withoutJitter();
    const AT = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };

    function on(api: FakeVpc, clock: VirtualClock, extra: Partial<ConvergeContext> = {}): ConvergeContext {
        return { api, clock, deadline: clock.now() + 30 * 60_000, log: () => undefined, secrets: [], ...extra };
    }

    it("waits out a running task, sends one Modify, and returns what the connection then reports", async () => {
        const clock = new VirtualClock();
        const api = new FakeVpc(clock);
        api.busyUntil = clock.now() + 5_000;
        api.applyAfterMs = 2_000;
        const result = await converge(AT, { name: "renamed" }, on(api, clock));
        expect(api.modifies.map((m) => m.name)).to.deep.equal(["renamed"]);
        const sentAt = clock.now() - result.taskMs!;
        expect(sentAt, "sent once the task was over").to.be.at.least(api.busyUntil);
        expect(api.describedAt.filter((at) => at > sentAt).length, "polled after sending").to.be.at.least(1);
        expect(result.observed.name).to.equal("renamed");
        expect(result.taskMs).to.be.at.least(2_000);
    });

    it("sends nothing, and reports no task, when the connection already reports what is declared", async () => {
        const clock = new VirtualClock();
        const api = new FakeVpc(clock);
        const result = await converge(AT, { name: "emulator-steps" }, on(api, clock));
        expect(api.modifies).to.deep.equal([]);
        expect(api.describedAt).to.have.length(1);
        expect(result).to.have.keys(["observed"]);
    });

    it("compares write-only attributes with what state says was applied, and fills in what it applies", async () => {
        const clock = new VirtualClock();
        const api = new FakeVpc(clock);
        const unchanged = await converge(
            AT,
            { autoConfigRoute: true },
            on(api, clock, { writeOnly: { autoConfigRoute: true } }),
        );
        expect(api.modifies).to.deep.equal([]);
        expect(unchanged.observed.autoConfigRoute).to.equal(true);

        const changed = await converge(
            AT,
            { autoConfigRoute: false },
            on(api, clock, { writeOnly: { autoConfigRoute: true } }),
        );
        expect(api.modifies.map((m) => m.autoConfigRoute)).to.deep.equal([false]);
        expect(changed.observed.autoConfigRoute).to.equal(false);
    });

    it("sends nothing when the plan is refused", async () => {
        const clock = new VirtualClock();
        const api = new FakeVpc(clock);
        const failure = await converge(
            AT,
            { tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: true }] },
            on(api, clock),
        ).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(errorKind(failure)).to.equal("refused");
        expect(api.modifies).to.deep.equal([]);
    });
});
