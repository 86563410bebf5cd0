import { expect } from "chai";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { describeBody } from "../../emulator/render";
import { ConvergeContext } from "../../provider/apply/context";
import { Converged, CONVERGENCE_GRACE_MS, waitUntilConverged } from "../../provider/apply/confirm";
import { plan } from "../../provider/apply/plan";
import { readConnection } from "../../provider/apply/reading";
import { Attempted, sendFromFreshReads } from "../../provider/apply/send";
import { waitUntilSettled } from "../../provider/apply/settle";
import { errorKind, ServiceError } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { observeConnection } from "../../provider/model/normalize";
import { ModifyRequest } from "../../provider/model/requests";
import { DesiredAttributes, ObservedConnection, WriteOnlyAttributes } from "../../provider/model/types";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";
import { fakeFleet } from "./fakeFleet";

const SETTINGS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };
const RENAMED: DesiredAttributes = { name: "renamed" };
/** What a rename of the fake's connection sends: the name, and both subnets, which go with every Modify. */
const REQUEST: ModifyRequest = {
    ...SETTINGS,
    name: "renamed",
    localSubnet: "0.0.0.0/0",
    remoteSubnet: "0.0.0.0/0",
};

function send(ctx: ConvergeContext, desired: DesiredAttributes = RENAMED): Promise<Attempted> {
    return sendFromFreshReads(SETTINGS, desired, ctx, () => readConnection(SETTINGS, ctx, {}));
}

function setUp(timeoutMs = 60_000): { clock: VirtualClock; api: FakeVpc; ctx: ConvergeContext; logged: string[] } {
    const clock = new VirtualClock();
    const api = new FakeVpc(clock);
    const logged: string[] = [];
    const ctx: ConvergeContext = {
        api,
        clock,
        deadline: clock.now() + timeoutMs,
        log: (line) => logged.push(line),
        secrets: [],
    };
    return { clock, api, ctx, logged };
}

function throttled(requestId: string): ServiceError {
    return new ServiceError({
        code: "Throttling.User",
        serviceMessage: "Request was denied.",
        statusCode: 400,
        requestId,
    });
}

/** vco-steps as normalize.ts reports the fake's connection. */
function observed(): ObservedConnection {
    return observeConnection(describeBody(singleTunnelConnection("vco-steps"), "REQ-D"));
}

function rejection(promise: Promise<unknown>): Promise<Error | undefined> {
    return promise.then(
        () => undefined,
        (err: Error) => err,
    );
}

describe("converge step: wait until settled", () => {
    withoutJitter();

    it("returns what a settled connection reports at the first look, without sleeping", async () => {
        const { clock, api, ctx } = setUp();
        const current = await waitUntilSettled(SETTINGS, ctx, () => readConnection(SETTINGS, ctx, {}));
        expect(current.vpnConnectionId).to.equal("vco-steps");
        expect(current.name).to.equal("emulator-steps");
        expect(api.describedAt).to.have.length(1);
        expect(clock.sleeps).to.deep.equal([]);
    });

    it("polls while a task runs and returns once it has ended", async () => {
        const { clock, api, ctx } = setUp();
        const start = clock.now();
        api.busyUntil = start + 5_000;
        const current = await waitUntilSettled(SETTINGS, ctx, () => readConnection(SETTINGS, ctx, {}));
        expect(current.state).to.equal("attached");
        expect(api.describedAt[0]).to.equal(start);
        expect(api.describedAt[api.describedAt.length - 1]).to.be.at.least(start + 5_000);
        expect(api.modifies).to.deep.equal([]);
    });

    it("times out at the deadline naming what it last saw", async () => {
        const { clock, api, ctx } = setUp(60_000);
        api.busyUntil = Infinity;
        const failure = await rejection(waitUntilSettled(SETTINGS, ctx, () => readConnection(SETTINGS, ctx, {})));
        expect(errorKind(failure)).to.equal("timeout");
        expect(failure?.message).to.match(/timed out after 60 s .*connection vco-steps updating/);
        expect(clock.now()).to.equal(ctx.deadline);
    });

    it("fails at once on a connection locked for overdue payment", async () => {
        const { api, ctx } = setUp();
        api.connection.State = "financialLocked";
        const failure = await rejection(waitUntilSettled(SETTINGS, ctx, () => readConnection(SETTINGS, ctx, {})));
        expect(errorKind(failure)).to.equal("unavailable");
        expect(failure?.message).to.include("settle the account");
        expect(api.describedAt).to.have.length(1);
    });

    it("fails at once, naming the connection and region, when it does not exist", async () => {
        const { api, ctx } = setUp();
        api.exists = false;
        const failure = await rejection(waitUntilSettled(SETTINGS, ctx, () => readConnection(SETTINGS, ctx, {})));
        expect(errorKind(failure)).to.equal("notFound");
        expect(failure?.message).to.include("vco-steps was not found in region cn-hangzhou");
    });

    it("retries a throttled Describe, logs it, and carries on", async () => {
        const { api, ctx, logged } = setUp();
        api.failures.describe.push(throttled("REQ-T"));
        const current = await waitUntilSettled(SETTINGS, ctx, () => readConnection(SETTINGS, ctx, {}));
        expect(current.name).to.equal("emulator-steps");
        expect(api.describedAt).to.have.length(2);
        expect(logged).to.deep.equal([
            "vco-steps: DescribeVpnConnection got Throttling.User (RequestId REQ-T); retrying in 0.0 s",
        ]);
    });
});

describe("converge step: plan", () => {
    it("plans nothing when the connection already reports what is declared", () => {
        const current = observed();
        expect(plan(SETTINGS, { name: current.name }, current)).to.equal(undefined);
    });

    it("plans a request with only what differs, and both subnets", () => {
        const current = observed();
        const request = plan(SETTINGS, { name: "renamed", ipsecConfig: { ipsecPfs: "group2" } }, current);
        expect(request).to.deep.equal(REQUEST);
    });

    it("refuses per-tunnel settings on a single-tunnel connection, naming the connection's mode", () => {
        const current = observed();
        const refuse = () =>
            plan(SETTINGS, { tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: true }] }, current);
        expect(refuse).to.throw(
            /vco-steps is a single-tunnel connection, which does not accept: tunnelOptionsSpecification/,
        );
        try {
            refuse();
        } catch (err) {
            expect(errorKind(err)).to.equal("refused");
        }
    });

    it("turns a refusal of the request builder into one that says nothing was sent, not that a call failed", () => {
        const current = observed();
        const withoutPsk = { ...current, ikeConfig: { ...current.ikeConfig, psk: "" } };
        let refusal: unknown;
        try {
            plan(SETTINGS, { ikeConfig: { ikePfs: "group14" } }, withoutPsk);
        } catch (err) {
            refusal = err;
        }
        expect(errorKind(refusal)).to.equal("refused");
        const message = userMessage(refusal, SETTINGS);
        expect(message).to.match(
            /^IPsec-VPN connection vco-steps in cn-hangzhou: ModifyVpnAttachmentAttribute was not sent: /,
        );
        expect(message).to.match(/reports no pre-shared key.*Declare the current key in psk/);
        expect(message).to.not.include("failed");
    });
});

describe("converge step: send", () => {
    withoutJitter();

    it("sends the request once with a 64-hex client token, and says when it was accepted", async () => {
        const { clock, api, ctx } = setUp();
        clock.advance(1_234);
        const { sent } = await send(ctx);
        expect(api.modifies).to.have.length(1);
        const [received] = api.modifies;
        expect(received).to.deep.equal({ ...REQUEST, clientToken: received.clientToken });
        expect(received).to.include({ name: "renamed", vpnConnectionId: "vco-steps" });
        expect(received.clientToken).to.match(/^[0-9a-f]{64}$/);
        expect(sent?.acceptedAt).to.equal(clock.now());
    });

    it("retries a throttled Modify from a fresh read under the same token, and a new send gets a new token", async () => {
        const { api, ctx, logged } = setUp();
        const tokens: Array<string | undefined> = [];
        const modify = api.modifyVpnAttachmentAttribute.bind(api);
        api.modifyVpnAttachmentAttribute = (request) => {
            tokens.push(request.clientToken);
            return modify(request);
        };
        api.failures.modify.push(throttled("REQ-T1"));
        const reads = api.describedAt.length;
        await send(ctx);
        expect(api.describedAt.length - reads, "each attempt reads the connection first").to.equal(2);
        await send(ctx, { name: "renamed again" });
        expect(tokens).to.have.length(3);
        for (const token of tokens) expect(token).to.match(/^[0-9a-f]{64}$/);
        expect(tokens[1], "the same request planned again keeps the token").to.equal(tokens[0]);
        expect(tokens[2], "a new send gets a new token").to.not.equal(tokens[1]);
        expect(logged).to.have.length(1);
        expect(logged[0]).to.include("ModifyVpnAttachmentAttribute got Throttling.User (RequestId REQ-T1)");
    });

    it("fails naming the call, with the service's code and RequestId, when the service refuses", async () => {
        const { api, ctx } = setUp();
        api.failures.modify.push(
            new ServiceError({
                code: "IllegalParam.BgpConfig",
                serviceMessage: "bad",
                statusCode: 400,
                requestId: "R-7",
            }),
        );
        const failure = await rejection(send(ctx));
        expect(errorKind(failure)).to.equal("service");
        const message = userMessage(failure, SETTINGS);
        expect(message).to.match(
            /^ModifyVpnAttachmentAttribute failed for IPsec-VPN connection vco-steps in cn-hangzhou: /,
        );
        expect(message).to.include("IllegalParam.BgpConfig (HTTP 400)").and.include("RequestId: R-7.");
    });

    it("sends nothing once the deadline has passed, and says it was not sent", async () => {
        const { clock, api, ctx } = setUp(10_000);
        clock.advance(10_000);
        const failure = await rejection(send(ctx));
        expect(api.modifies).to.deep.equal([]);
        expect(errorKind(failure)).to.equal("timeout");
        expect(userMessage(failure, SETTINGS)).to.equal(
            "ModifyVpnAttachmentAttribute was not sent for IPsec-VPN connection vco-steps in cn-hangzhou: " +
                "the deadline (timeoutSeconds) passed before the first attempt; nothing was sent",
        );
    });
});

describe("converge step: wait until converged", () => {
    withoutJitter();

    async function sentRenamed(ctx: ConvergeContext): Promise<number> {
        return (await send(ctx)).sent?.acceptedAt ?? Number.NaN;
    }

    function waitForRename(
        ctx: ConvergeContext,
        acceptedAt: number,
        desired: DesiredAttributes = { name: "renamed" },
        applied: WriteOnlyAttributes = {},
    ): Promise<Converged> {
        return waitUntilConverged(SETTINGS, desired, ctx, () => readConnection(SETTINGS, ctx, applied), acceptedAt);
    }

    it("first looks after the expected task length, and reports the task's length to the fleet", async () => {
        const { api, ctx } = setUp();
        api.applyAfterMs = 3_000;
        const recorded: number[] = [];
        ctx.lastTaskSeconds = 4;
        ctx.fleet = fakeFleet({ typicalTaskMs: () => 20_000, recordTaskMs: (ms) => recorded.push(ms) });
        const acceptedAt = await sentRenamed(ctx);
        api.busyUntil = ctx.clock.now() + 4_000;
        const readsBefore = api.describedAt.length;
        const done = await waitForRename(ctx, acceptedAt);
        expect(api.describedAt[readsBefore] - acceptedAt).to.equal(0.9 * 4_000);
        expect(done.observed.name).to.equal("renamed");
        expect(done.taskMs).to.be.at.least(4_000);
        expect(recorded).to.deep.equal([done.taskMs]);
    });

    it("accepts values that appear within the grace period though no task was seen", async () => {
        const { api, ctx } = setUp();
        api.applyAfterMs = CONVERGENCE_GRACE_MS - 3_000;
        const acceptedAt = await sentRenamed(ctx);
        const done = await waitForRename(ctx, acceptedAt);
        expect(done.observed.name).to.equal("renamed");
        expect(done.taskMs)
            .to.be.at.least(CONVERGENCE_GRACE_MS - 3_000)
            .and.below(CONVERGENCE_GRACE_MS);
    });

    it("ends in notConverged at the first look past the grace period when the values never appear", async () => {
        const { api, ctx } = setUp();
        api.applyAfterMs = undefined;
        const acceptedAt = await sentRenamed(ctx);
        const failure = await rejection(waitForRename(ctx, acceptedAt));
        expect(errorKind(failure)).to.equal("notConverged");
        expect(failure?.message).to.include('name (declared "renamed", service reports "emulator-steps")');
        const looks = api.describedAt.map((at) => at - acceptedAt);
        expect(looks[looks.length - 2]).to.be.below(CONVERGENCE_GRACE_MS);
        expect(looks[looks.length - 1]).to.be.at.least(CONVERGENCE_GRACE_MS);
    });

    it("fills in the write-only attributes it is given, which Describe never reports", async () => {
        const { ctx } = setUp();
        const acceptedAt = await sentRenamed(ctx);
        const done = await waitForRename(
            ctx,
            acceptedAt,
            { name: "renamed", autoConfigRoute: false },
            { autoConfigRoute: false },
        );
        expect(done.observed.autoConfigRoute).to.equal(false);
    });
});
