import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { PeerSide } from "../../emulator/negotiation";
import { SeedConnection } from "../../emulator/types";
import { ConvergeContext } from "../../provider/apply/context";
import { rollOut } from "../../provider/apply/rollout";
import { DesiredAttributes, RolloutSettings } from "../../provider/model/types";
import { ServiceError } from "../../provider/foundation/errors";
import { withoutJitter } from "./fakeVpc";
import { PeerVpc } from "./peerVpc";
import { VirtualClock } from "./virtualClock";

/**
 * What a gated rollout tells, word for word: the error that stops it (where
 * the tunnel stopped, what the other tunnel does, what to check, what was
 * reverted) and its progress lines.
 */

const ID = "vco-roll";
const OLD = ["emulatorPskTunnel1", "emulatorPskTunnel2"];
const NEW = ["rotatedPsk1", "rotatedPsk2"];
const T1 = "tunnel 1 (tun-roll-1)";
const T2 = "tunnel 2 (tun-roll-2)";

const ROTATION: DesiredAttributes = {
    tunnelOptionsSpecification: [
        { tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0] } },
        { tunnelIndex: 2, tunnelIkeConfig: { psk: NEW[1] } },
    ],
};

/** The peer of tunnel `i` of `conn`, with `psk`. */
function peerOf(conn: SeedConnection, i: number, psk: string): PeerSide {
    const tunnel = conn.TunnelOptionsSpecification?.TunnelOptions[i];
    return {
        Psk: psk,
        IkeConfig: { LocalId: tunnel?.TunnelIkeConfig?.RemoteId, RemoteId: tunnel?.TunnelIkeConfig?.LocalId },
        Bgp: { PeerBgpIp: tunnel?.TunnelBgpConfig?.LocalBgpIp },
    };
}

/** Rolls `desired` out on a dual-tunnel connection whose peers hold `peerPsks`; its error message (undefined if none) and lines. */
async function roll(
    rollout: RolloutSettings,
    desired: DesiredAttributes = ROTATION,
    peerPsks: string[] = OLD,
    setUp: (vpc: PeerVpc, clock: VirtualClock) => void = () => undefined,
    conn: SeedConnection = dualTunnelConnection(ID),
): Promise<{ message?: string; name?: string; lines: string[] }> {
    const clock = new VirtualClock();
    const vpc = new PeerVpc(clock, conn);
    (conn.TunnelOptionsSpecification?.TunnelOptions ?? []).forEach((t, i) =>
        vpc.setPeer(peerOf(conn, i, peerPsks[i]), t.TunnelId),
    );
    setUp(vpc, clock);
    const lines: string[] = [];
    const ctx: ConvergeContext = {
        api: vpc,
        clock,
        deadline: clock.now() + 3_600_000,
        log: (line) => lines.push(line),
        secrets: [...OLD, ...NEW],
    };
    try {
        await rollOut({ regionId: "cn-hangzhou", vpnConnectionId: ID, rollout }, desired, ctx);
        return { lines: lines.map(seconds) };
    } catch (err) {
        return { message: (err as Error).message, name: (err as Error).name, lines: lines.map(seconds) };
    }
}

const seconds = (line: string) => line.replace(/still waiting after \d+ s/, "still waiting after N s");

const stopped = (name: string, seconds: number, at: string) =>
    `IPsec-VPN connection ${ID}: ${name} was changed by this update and did not negotiate within ${seconds} s ` +
    `(rollout.negotiationTimeoutSeconds): it stopped at ${at}.`;
const check = (name: string, bgp: boolean) =>
    `Check the customer gateway's side of ${name}: its pre-shared key, its IKE settings (version, mode, encryption ` +
    `and authentication algorithms, DH group, lifetime), its IPsec settings, and LocalId/RemoteId (each side's ` +
    `LocalId is the other's RemoteId)${bgp ? ", and its BGP addresses" : ""}.`;
const stop = (name: string) =>
    `The update stopped here (rollout.onNegotiationFailure "stop"): ${name} keeps its new settings. Update the peer ` +
    `to match, or change the program, and run the update again.`;
const reverted = (name: string, outcome: string) =>
    `${name} was reverted to its settings before this update, its pre-shared key included ` +
    `(rollout.onNegotiationFailure "revert"), and ${outcome}. The program still declares the change: the next ` +
    `update tries it again.`;
const upper = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const DOWN = "ike_sa_not_established with BGP false";
/** A progress line of the negotiation wait, its seconds as N (the first comes at about 30 s). */
const waiting = (prefix: string, name: string) =>
    `${prefix}${ID}: ${name} to negotiate again: still waiting after N s; ${name} ${DOWN}; it carries no traffic yet`;

describe("rollout: what a stopped rollout says", () => {
    withoutJitter();

    it("names where the tunnel stopped, that the other was not sent, what to check, and that it keeps its settings", async () => {
        const { message, name, lines } = await roll({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60 });
        expect(name).to.equal("NegotiationFailedError");
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                `${upper(T2)} was not sent: its change waits for the next update, and it still carries traffic.`,
                check(T1, true),
                stop(T1),
            ].join(" "),
        );
        expect(lines).to.deep.equal([
            `rolling ${T1}: sending stage 1 of 2; ${T2} is sent only after this one negotiates`,
            waiting(`rolling ${T1}: `, T1),
        ]);
    });

    it("says the tunnel rolled first negotiated when the second one stops", async () => {
        const { message, lines } = await roll({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60 }, ROTATION, [
            NEW[0],
            OLD[1],
        ]);
        expect(message).to.equal(
            [
                stopped(T2, 60, DOWN),
                `${upper(T1)} negotiated its new settings earlier in this update and still carries traffic.`,
                check(T2, true),
                stop(T2),
            ].join(" "),
        );
        expect(lines.slice(0, 2)).to.deep.equal([
            `rolling ${T1}: sending stage 1 of 2; ${T2} is sent only after this one negotiates`,
            `rolling ${T2}: sending stage 2 of 2; the last one`,
        ]);
    });

    it("says the other tunnel changed in the same Modify carries no traffic either", async () => {
        const { message, lines } = await roll({ waitForNegotiation: true, negotiationTimeoutSeconds: 60 });
        expect(lines).to.deep.equal([waiting(`rolling ${T1} and ${T2}: `, T1)]);
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                `${upper(T2)} was changed by the same Modify and reports ${DOWN}, so it carries no traffic either.`,
                check(T1, true),
                stop(T1),
            ].join(" "),
        );
    });

    it("says a tunnel the update did not change still carries traffic", async () => {
        const { message, lines } = await roll(
            { waitForNegotiation: true, negotiationTimeoutSeconds: 60 },
            { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0] } }] },
        );
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                `${upper(T2)} was not changed and still carries traffic.`,
                check(T1, true),
                stop(T1),
            ].join(" "),
        );
        expect(lines).to.deep.equal([waiting(`rolling ${T1}: `, T1)]);
    });
});

describe("rollout: what a revert says", () => {
    withoutJitter();
    const REVERT: RolloutSettings = {
        tunnels: "oneAtATime",
        negotiationTimeoutSeconds: 60,
        onNegotiationFailure: "revert",
    };
    const notSent = `${upper(T2)} was not sent: its change waits for the next update, and it still carries traffic.`;

    it("says the tunnel was reverted and negotiated again", async () => {
        const { message, lines } = await roll(REVERT);
        expect(message).to.equal(
            [stopped(T1, 60, DOWN), notSent, check(T1, true), reverted(upper(T1), "negotiated again")].join(" "),
        );
        expect(lines.at(-1)).to.equal(`rolling ${T1}: ${ID}: reverting ${T1} to its settings before this update`);
    });

    it("says where a reverted tunnel stands when it does not negotiate again either", async () => {
        const { message } = await roll(REVERT, ROTATION, ["someOtherKey", OLD[1]]);
        expect(message).to.equal(
            [stopped(T1, 60, DOWN), notSent, check(T1, true), reverted(upper(T1), `reports ${DOWN} after 60 s`)].join(
                " ",
            ),
        );
    });

    it("reverts nothing another actor changed since, and names what it left", async () => {
        const { message } = await roll(REVERT, ROTATION, OLD, (vpc, clock) => {
            vpc.actor = (conn) => {
                const ike = conn.TunnelOptionsSpecification?.TunnelOptions[0].TunnelIkeConfig;
                if (ike?.Psk === NEW[0] && clock.now() > vpc.modifies[0].at + 30_000) ike.Psk = "someoneElsesKey";
            };
        });
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                notSent,
                check(T1, true),
                `${upper(T1)} was not reverted (rollout.onNegotiationFailure "revert"): nothing this update set is ` +
                    `still in place. Left as they are, since they no longer hold what this update set (another ` +
                    `change came after it), or had no value before: tunnelOptionsSpecification[0].tunnelIkeConfig.psk.`,
            ].join(" "),
        );
    });

    it("reverts only the failed tunnel's settings, not the other tunnel's nor the connection's", async () => {
        let reverts: unknown[] = [];
        const { message } = await roll(
            { waitForNegotiation: true, negotiationTimeoutSeconds: 60, onNegotiationFailure: "revert" },
            { ...ROTATION, name: "renamed" },
            OLD,
            (vpc) => {
                reverts = vpc.modifies;
            },
        );
        const [, revert] = reverts as Array<{ tunnelIds: string[]; request: Record<string, unknown> }>;
        expect(revert.tunnelIds).to.deep.equal(["tun-roll-1"]);
        expect(revert.request.name).to.equal(undefined);
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                `${upper(T2)} was changed by the same Modify and reports ${DOWN}, so it carries no traffic either.`,
                check(T1, true),
                reverted(upper(T1), "negotiated again"),
            ].join(" "),
        );
    });

    it("reverts what is still as this update set it, and names what another actor changed since", async () => {
        const change: DesiredAttributes = {
            tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0], ikePfs: "group14" } }],
        };
        const { message } = await roll(REVERT, change, OLD, (vpc, clock) => {
            vpc.actor = (conn) => {
                const ike = conn.TunnelOptionsSpecification?.TunnelOptions[0].TunnelIkeConfig;
                if (ike?.IkePfs === "group14" && clock.now() > vpc.modifies[0].at + 30_000) ike.IkePfs = "group5";
            };
        });
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                `${upper(T2)} was not changed and still carries traffic.`,
                check(T1, true),
                `${upper(T1)} was reverted to its settings before this update, its pre-shared key included ` +
                    `(rollout.onNegotiationFailure "revert"), and negotiated again. Left as they are, since they no ` +
                    `longer hold what this update set (another change came after it), or had no value before: ` +
                    `tunnelOptionsSpecification[0].tunnelIkeConfig.ikePfs. The program still declares the change: ` +
                    `the next update tries it again.`,
            ].join(" "),
        );
    });

    it("lists, separated, each setting it left", async () => {
        const change: DesiredAttributes = {
            tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0], ikePfs: "group14" } }],
        };
        const { message } = await roll(REVERT, change, OLD, (vpc, clock) => {
            vpc.actor = (conn) => {
                const ike = conn.TunnelOptionsSpecification?.TunnelOptions[0].TunnelIkeConfig;
                if (ike?.IkePfs === "group14" && clock.now() > vpc.modifies[0].at + 30_000) {
                    ike.IkePfs = "group5";
                    ike.Psk = "someoneElsesKey";
                }
            };
        });
        expect(message).to.include(
            "or had no value before: tunnelOptionsSpecification[0].tunnelIkeConfig.psk, " +
                "tunnelOptionsSpecification[0].tunnelIkeConfig.ikePfs.",
        );
    });

    it("says the revert failed, and why, when its Modify is refused", async () => {
        const { message } = await roll(REVERT, ROTATION, OLD, (vpc) => {
            const modify = vpc.modifyVpnAttachmentAttribute.bind(vpc);
            vpc.modifyVpnAttachmentAttribute = (request) =>
                vpc.modifies.length === 0
                    ? modify(request)
                    : Promise.reject(
                          new ServiceError({
                              code: "Forbidden.RAM",
                              serviceMessage: "not allowed",
                              statusCode: 403,
                              requestId: "REQ-F",
                          }),
                      );
        });
        expect(message).to.equal(
            [
                stopped(T1, 60, DOWN),
                notSent,
                check(T1, true),
                `Reverting ${T1} failed, so it keeps its new settings: ModifyVpnAttachmentAttribute failed: ` +
                    "Forbidden.RAM: not allowed (RequestId REQ-F)",
            ].join(" "),
        );
    });

    it("names the connection itself, without BGP, for a single-tunnel connection", async () => {
        const conn = singleTunnelConnection(ID);
        const { message, lines } = await roll(
            { waitForNegotiation: true, negotiationTimeoutSeconds: 30, onNegotiationFailure: "revert" },
            { ikeConfig: { psk: "new-single-psk" } },
            [],
            (vpc) => vpc.setPeer({ Psk: "emulatorPsk0001" }),
            conn,
        );
        expect(message).to.equal(
            [
                stopped("the connection", 30, "ike_sa_not_established"),
                check("the connection", false),
                reverted("The connection", "negotiated again"),
            ].join(" "),
        );
        expect(lines).to.deep.equal([
            `rolling the connection: ${ID}: reverting the connection to its settings before this update`,
        ]);
    });
});
