import { expect } from "chai";
import { ConvergeContext } from "../../provider/apply/context";
import {
    describeNegotiation,
    isNegotiated,
    negotiationOf,
    waitUntilNegotiated,
} from "../../provider/apply/negotiation";
import { ObservedConnection } from "../../provider/model/types";
import { ServiceError } from "../../provider/foundation/errors";
import { pollDelays } from "../../provider/service/pollSchedule";
import { withoutJitter } from "./fakeVpc";
import { dual, single, SETTINGS, tunnel } from "./fixtures";
import { VirtualClock } from "./virtualClock";
import { fakeFleet } from "./fakeFleet";

/**
 * Where a tunnel's negotiation stands, as the rollout's messages and progress
 * lines tell it, and how the wait for it polls and ends.
 */

const CONNECTION = {};
const TUNNEL_1 = { tunnelId: "tun-1", tunnelIndex: 1 };

/** `dual()` with tunnel 1 as given. */
function withTunnel1(
    changes: Record<string, unknown>,
    connection: Partial<ObservedConnection> = {},
): ObservedConnection {
    const base = dual();
    return {
        ...base,
        ...connection,
        tunnelOptionsSpecification: [{ ...tunnel(1), ...changes }, tunnel(2)],
    };
}

describe("negotiation: where a tunnel stands", () => {
    it("reads a single-tunnel connection's Status, and its BGP status only while BGP is on", () => {
        const up = { ...single(), status: "ipsec_sa_established" };
        expect(describeNegotiation(negotiationOf(up, CONNECTION))).to.equal("ipsec_sa_established with BGP success");
        expect(isNegotiated(negotiationOf(up, CONNECTION))).to.equal(true);

        const bgpOff = { ...up, bgpConfig: { ...up.bgpConfig, enableBgp: false, status: "false" } };
        expect(describeNegotiation(negotiationOf(bgpOff, CONNECTION))).to.equal("ipsec_sa_established");
        const noBgp = { ...up, bgpConfig: undefined };
        expect(describeNegotiation(negotiationOf(noBgp, CONNECTION))).to.equal("ipsec_sa_established");
        expect(isNegotiated(negotiationOf(noBgp, CONNECTION))).to.equal(true);

        const bgpUnreported = { ...up, bgpConfig: { ...up.bgpConfig, status: undefined } };
        expect(describeNegotiation(negotiationOf(bgpUnreported, CONNECTION))).to.equal(
            "ipsec_sa_established with BGP not reported",
        );
        expect(isNegotiated(negotiationOf(bgpUnreported, CONNECTION))).to.equal(false);
    });

    it("reads a tunnel's Status, and its BGP status only while the tunnels' BGP is on", () => {
        const established = { status: "ipsec_sa_established" };
        const upBgp = { tunnelBgpConfig: { ...tunnel(1).tunnelBgpConfig, bgpStatus: "success" } };
        expect(isNegotiated(negotiationOf(withTunnel1({ ...established, ...upBgp }), TUNNEL_1))).to.equal(true);
        expect(describeNegotiation(negotiationOf(withTunnel1({ ...established, ...upBgp }), TUNNEL_1))).to.equal(
            "ipsec_sa_established with BGP success",
        );
        expect(
            describeNegotiation(negotiationOf(withTunnel1(established, { enableTunnelsBgp: false }), TUNNEL_1)),
        ).to.equal("ipsec_sa_established");
        const noBgpConfig = withTunnel1({ ...established, tunnelBgpConfig: undefined });
        expect(describeNegotiation(negotiationOf(noBgpConfig, TUNNEL_1))).to.equal(
            "ipsec_sa_established with BGP not reported",
        );
        expect(isNegotiated(negotiationOf(noBgpConfig, TUNNEL_1))).to.equal(false);
    });

    it("says a tunnel the connection no longer reports is gone, and that it carries no traffic", () => {
        const gone = negotiationOf(dual(), { tunnelId: "tun-9", tunnelIndex: 1 });
        expect(gone).to.equal(undefined);
        expect(describeNegotiation(gone)).to.equal("no longer reported by the connection");
        expect(isNegotiated(gone)).to.equal(false);
        expect(negotiationOf({ ...dual(), tunnelOptionsSpecification: undefined }, TUNNEL_1)).to.equal(undefined);
    });

    it("says when no Status is reported", () => {
        expect(describeNegotiation({})).to.equal("no status");
        expect(describeNegotiation({ bgpStatus: "false" })).to.equal("no status with BGP false");
    });
});

describe("negotiation: the wait", () => {
    withoutJitter();
    // Off the 100 ms grid that concurrent waiters share, so a poll moved onto it shows.
    const OFF_GRID = 1_700_000_000_050;

    /** A context for the wait alone: no API (the reads are given), an hour to go from the clock's time now. */
    function waitContext(clock: VirtualClock, extra: Partial<ConvergeContext> = {}): ConvergeContext {
        return {
            api: undefined as never,
            clock,
            deadline: clock.now() + 3_600_000,
            log: () => undefined,
            secrets: [],
            ...extra,
        };
    }

    /** Waits for tunnel 1 of a connection that negotiates `afterMs` from now; the poll times from the start, and the outcome. */
    async function waitOn(afterMs: number, extra: Partial<ConvergeContext> = {}, timeoutMs = 600_000) {
        const clock = new VirtualClock(OFF_GRID);
        const start = clock.now();
        const polls: number[] = [];
        const read = () => {
            polls.push(clock.now() - start);
            const status = clock.now() - start >= afterMs ? "ipsec_sa_established" : "ike_sa_not_established";
            return Promise.resolve(
                withTunnel1({ status, tunnelBgpConfig: { ...tunnel(1).tunnelBgpConfig, bgpStatus: "success" } }),
            );
        };
        const ctx = waitContext(clock, extra);
        const outcome = await waitUntilNegotiated(SETTINGS, TUNNEL_1, ctx, read, timeoutMs);
        return { polls, outcome };
    }

    function schedule(count: number): number[] {
        const delays = pollDelays({}, () => 0);
        let at = 0;
        return Array.from({ length: count }, () => (at += delays.next().value));
    }

    it("polls on its own schedule when it waits alone, and reports how long it took", async () => {
        const { polls, outcome } = await waitOn(5_000);
        expect(polls.slice(0, 4)).to.deep.equal([0, ...schedule(3)]);
        expect(outcome.negotiated).to.equal(true);
        expect(outcome.elapsedMs).to.equal(polls.at(-1));
        expect(outcome.elapsedMs).to.be.at.least(5_000);
        expect(describeNegotiation(outcome.state)).to.equal("ipsec_sa_established with BGP success");
    });

    it("polls on the shared grid while other connections are waited on", async () => {
        const { polls } = await waitOn(5_000, { fleet: fakeFleet({ hasCompany: () => true }) });
        expect(
            polls.slice(1).every((at) => (at + OFF_GRID) % 100 === 0),
            `polls at ${polls.join(", ")}`,
        ).to.equal(true);
    });

    it("waits for a running task to end before it counts a tunnel as negotiated, and stops at once at a deleted connection", async () => {
        const clock = new VirtualClock();
        const ctx = waitContext(clock);
        const start = clock.now();
        const negotiated = withTunnel1({
            status: "ipsec_sa_established",
            tunnelBgpConfig: { ...tunnel(1).tunnelBgpConfig, bgpStatus: "success" },
        });
        // Established throughout, but the connection is updating for the first 5 s.
        const busy = () =>
            Promise.resolve({ ...negotiated, state: clock.now() - start < 5_000 ? "updating" : "attached" });
        const outcome = await waitUntilNegotiated(SETTINGS, TUNNEL_1, ctx, busy, 60_000);
        expect(outcome.negotiated).to.equal(true);
        expect(outcome.elapsedMs).to.be.at.least(5_000);

        const deleted = () => Promise.resolve({ ...negotiated, state: "deleted" });
        const err = await waitUntilNegotiated(SETTINGS, TUNNEL_1, ctx, deleted, 60_000).then(
            () => expect.fail("the wait ended"),
            (e: Error) => e,
        );
        expect(err.message).to.include("vco-1 is deleted");

        // Deleted with the tunnel down: still the deletion, at once, not a wait for traffic until the timeout.
        const goneDown = () =>
            Promise.resolve({ ...withTunnel1({ status: "ike_sa_not_established" }), state: "deleted" });
        const down = await waitUntilNegotiated(SETTINGS, TUNNEL_1, ctx, goneDown, 60_000).then(
            () => expect.fail("the wait ended"),
            (e: Error) => e,
        );
        expect(down.message).to.include("vco-1 is deleted");
    });

    it("ends without a reading when no poll answered, and lets an error that is not a timeout through", async () => {
        const clock = new VirtualClock();
        const ctx = waitContext(clock);
        const throttled = () =>
            Promise.reject(new ServiceError({ code: "Throttling.User", serviceMessage: "slow", statusCode: 400 }));
        const outcome = await waitUntilNegotiated(SETTINGS, TUNNEL_1, ctx, throttled, 10_000);
        expect(outcome).to.deep.equal({ negotiated: false, observed: undefined, state: undefined, elapsedMs: 10_000 });

        const forbidden = () =>
            Promise.reject(new ServiceError({ code: "Forbidden.RAM", serviceMessage: "no", statusCode: 403 }));
        const err = await waitUntilNegotiated(SETTINGS, TUNNEL_1, ctx, forbidden, 10_000).then(
            () => expect.fail("the wait ended"),
            (e: Error) => e,
        );
        expect((err as ServiceError).code).to.equal("Forbidden.RAM");
    });
});
