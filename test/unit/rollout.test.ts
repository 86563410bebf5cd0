import { expect } from "chai";
import * as fc from "fast-check";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { PeerSide } from "../../emulator/negotiation";
import { SeedConnection } from "../../emulator/types";
import { ConvergeContext } from "../../provider/apply/context";
import { rollOut } from "../../provider/apply/rollout";
import { errorKind } from "../../provider/foundation/errors";
import { DesiredAttributes, ResourceSettings, RolloutSettings } from "../../provider/model/types";
import { check } from "../property/support/fcSettings";
import { withoutJitter } from "./fakeVpc";
import { PeerVpc } from "./peerVpc";
import { VirtualClock } from "./virtualClock";

const ID = "vco-roll";
const OLD = ["emulatorPskTunnel1", "emulatorPskTunnel2"];
const NEW = ["rotatedPsk1", "rotatedPsk2"];

/** The peer of tunnel `i` (0 or 1) of `conn` as seeded, with `psk` and any other differences. */
function peerOf(conn: SeedConnection, i: number, psk: string, extra: PeerSide = {}): PeerSide {
    const tunnel = conn.TunnelOptionsSpecification?.TunnelOptions[i];
    return {
        Psk: psk,
        IkeConfig: { LocalId: tunnel?.TunnelIkeConfig?.RemoteId, RemoteId: tunnel?.TunnelIkeConfig?.LocalId },
        Bgp: { PeerBgpIp: tunnel?.TunnelBgpConfig?.LocalBgpIp },
        ...extra,
    };
}

const ROTATION: DesiredAttributes = {
    tunnelOptionsSpecification: [
        { tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0] } },
        { tunnelIndex: 2, tunnelIkeConfig: { psk: NEW[1] } },
    ],
};

interface Rig {
    clock: VirtualClock;
    vpc: PeerVpc;
    ctx: ConvergeContext;
    logs: string[];
    settings: ResourceSettings;
    tunnelIds: string[];
}

/** A dual-tunnel connection whose peers have `peerPsks`, and a context on the virtual clock. */
function rig(rollout: RolloutSettings | undefined, peerPsks: string[] = OLD, conn = dualTunnelConnection(ID)): Rig {
    const clock = new VirtualClock();
    const vpc = new PeerVpc(clock, conn);
    const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
    tunnels.forEach((t, i) => vpc.setPeer(peerOf(conn, i, peerPsks[i]), t.TunnelId));
    const logs: string[] = [];
    const ctx: ConvergeContext = {
        api: vpc,
        clock,
        deadline: clock.now() + 3_600_000,
        log: (line) => logs.push(line),
        secrets: [...OLD, ...NEW],
    };
    const settings = { regionId: "cn-hangzhou", vpnConnectionId: ID, rollout };
    return { clock, vpc, ctx, logs, settings, tunnelIds: tunnels.map((t) => t.TunnelId) };
}

async function failure(work: Promise<unknown>): Promise<Error> {
    try {
        await work;
    } catch (err) {
        return err as Error;
    }
    throw new Error("expected the rollout to fail");
}

function statuses(r: Rig): Array<string | undefined> {
    return (r.vpc.current().TunnelOptionsSpecification?.TunnelOptions ?? []).map((t) => t.Status);
}

describe("rollout: the gate's waits and timeouts (virtual clock)", () => {
    withoutJitter();

    it("by default sends both tunnels in one Modify and is done when the task is, negotiated or not", async () => {
        const r = rig(undefined);
        const started = r.clock.now();
        await rollOut(r.settings, ROTATION, r.ctx);
        expect(r.vpc.modifies.map((m) => m.tunnelIds)).to.deep.equal([r.tunnelIds]);
        expect(r.clock.now() - started).to.be.below(r.vpc.taskMs + r.vpc.negotiationMs / 2);
        expect(statuses(r)).to.deep.equal(["ike_sa_not_established", "ike_sa_not_established"]);
    });

    it("oneAtATime sends tunnel 1 alone, and tunnel 2 only once tunnel 1 reports ipsec_sa_established", async () => {
        const r = rig({ tunnels: "oneAtATime" }, NEW);
        await rollOut(r.settings, ROTATION, r.ctx);
        const [first, second] = r.vpc.modifies;
        expect(r.vpc.modifies.map((m) => m.tunnelIds)).to.deep.equal([[r.tunnelIds[0]], [r.tunnelIds[1]]]);
        expect(second.statusBefore[r.tunnelIds[0]]).to.equal("ipsec_sa_established");
        expect(second.at - first.at).to.be.at.least(r.vpc.taskMs + r.vpc.negotiationMs);
        // Seen within the poll schedule's lag (at most a fifth of the time waited), not a fixed sleep later.
        expect(second.at - first.at).to.be.below(1.25 * (r.vpc.taskMs + r.vpc.negotiationMs) + 1_000);
        expect(statuses(r)).to.deep.equal(["ipsec_sa_established", "ipsec_sa_established"]);
    });

    it("stops when tunnel 1 does not negotiate within negotiationTimeoutSeconds, and never sends tunnel 2", async () => {
        const r = rig({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60 });
        const started = r.clock.now();
        const err = await failure(rollOut(r.settings, ROTATION, r.ctx));
        const waited = r.clock.now() - started - r.vpc.taskMs;
        expect(waited).to.be.within(60_000, 62_000);
        expect(r.vpc.modifies.map((m) => m.tunnelIds)).to.deep.equal([[r.tunnelIds[0]]]);
        expect(errorKind(err)).to.equal("timeout");
        expect(err.message).to.include(`tunnel 1 (${r.tunnelIds[0]}) was changed by this update and did not negotiate`);
        expect(err.message).to.include("within 60 s");
        expect(err.message).to.include("stopped at ike_sa_not_established with BGP false");
        expect(err.message).to.include(`Tunnel 2 (${r.tunnelIds[1]}) was not sent`);
        expect(err.message).to.include("still carries traffic");
        expect(err.message).to.match(/pre-shared key.*IKE settings.*IPsec settings.*LocalId\/RemoteId.*BGP addresses/);
        for (const psk of [...OLD, ...NEW]) {
            expect(err.message).to.not.include(psk);
        }
        expect(statuses(r)).to.deep.equal(["ike_sa_not_established", "ipsec_sa_established"]);
    });

    it("together with waitForNegotiation sends one Modify, then waits for both tunnels", async () => {
        const ok = rig({ waitForNegotiation: true }, NEW);
        const started = ok.clock.now();
        await rollOut(ok.settings, ROTATION, ok.ctx);
        expect(ok.vpc.modifies.map((m) => m.tunnelIds)).to.deep.equal([ok.tunnelIds]);
        expect(ok.clock.now() - started).to.be.at.least(ok.vpc.taskMs + ok.vpc.negotiationMs);
        expect(statuses(ok)).to.deep.equal(["ipsec_sa_established", "ipsec_sa_established"]);

        const bad = rig({ waitForNegotiation: true, negotiationTimeoutSeconds: 60 });
        const err = await failure(rollOut(bad.settings, ROTATION, bad.ctx));
        expect(err.message).to.include(`Tunnel 2 (${bad.tunnelIds[1]}) was changed by the same Modify and reports`);
        expect(err.message).to.include("so it carries no traffic either");
    });

    it("never waits past the update's deadline, even when negotiationTimeoutSeconds is longer", async () => {
        const r = rig({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 3_000 });
        r.ctx.deadline = r.clock.now() + 120_000;
        await failure(rollOut(r.settings, ROTATION, r.ctx));
        expect(r.clock.now()).to.be.at.most(r.ctx.deadline + 1);
        expect(r.vpc.modifies).to.have.length(1);
    });

    const mismatches: Array<[string, PeerSide, string]> = [
        [
            "waits for tunnel BGP too: IPsec SA up with BGP down",
            { Bgp: { PeerBgpIp: "169.254.99.1" } },
            "ipsec_sa_established with BGP false",
        ],
        ["stops in phase 2 on an IPsec mismatch", { IpsecConfig: { IpsecPfs: "group14" } }, "ipsec_sa_not_established"],
    ];
    for (const [title, difference, stoppedAt] of mismatches) {
        it(`${title}: the message names where it stopped`, async () => {
            const conn = dualTunnelConnection(ID);
            const r = rig({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60 }, NEW, conn);
            r.vpc.setPeer(peerOf(conn, 0, NEW[0], difference), r.tunnelIds[0]);
            const err = await failure(rollOut(r.settings, ROTATION, r.ctx));
            expect(err.message).to.include(`stopped at ${stoppedAt}`);
            expect(r.vpc.modifies).to.have.length(1);
        });
    }

    it("a single-tunnel connection with waitForNegotiation waits after the task until it reports ipsec_sa_established", async () => {
        const conn = singleTunnelConnection(ID);
        const ok = rig({ waitForNegotiation: true }, [], conn);
        ok.vpc.setPeer({ Psk: "new-single-psk", IkeConfig: { LocalId: "198.51.100.20" } });
        const started = ok.clock.now();
        await rollOut(ok.settings, { ikeConfig: { psk: "new-single-psk" } }, ok.ctx);
        expect(ok.clock.now() - started).to.be.at.least(ok.vpc.taskMs + ok.vpc.negotiationMs);
        expect(ok.vpc.current().Status).to.equal("ipsec_sa_established");

        const bad = rig({ waitForNegotiation: true, negotiationTimeoutSeconds: 30 }, [], singleTunnelConnection(ID));
        bad.vpc.setPeer({ Psk: "emulatorPsk0001" });
        const err = await failure(rollOut(bad.settings, { ikeConfig: { psk: "new-single-psk" } }, bad.ctx));
        expect(err.message).to.include("the connection was changed by this update and did not negotiate within 30 s");
        expect(err.message).to.include("stopped at ike_sa_not_established");
    });

    it("with revert, re-applies the failed tunnel's previous PSK, waits for it, and says so", async () => {
        const r = rig({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60, onNegotiationFailure: "revert" });
        const err = await failure(rollOut(r.settings, ROTATION, r.ctx));
        const [rolled, reverted] = r.vpc.modifies;
        expect(r.vpc.modifies.map((m) => m.tunnelIds)).to.deep.equal([[r.tunnelIds[0]], [r.tunnelIds[0]]]);
        expect(rolled.request.tunnelOptionsSpecification?.[0].tunnelIkeConfig?.psk).to.equal(NEW[0]);
        expect(reverted.request.tunnelOptionsSpecification?.[0].tunnelIkeConfig?.psk).to.equal(OLD[0]);
        expect(err.message).to.include(`Tunnel 1 (${r.tunnelIds[0]}) was reverted to its settings before this update`);
        expect(err.message).to.include("negotiated again");
        expect(statuses(r)).to.deep.equal(["ipsec_sa_established", "ipsec_sa_established"]);
    });

    it("a revert leaves alone what another actor changed after this update", async () => {
        const r = rig({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60, onNegotiationFailure: "revert" });
        const change: DesiredAttributes = {
            tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0], ikePfs: "group14" } }],
        };
        // Once the update has confirmed its values and waits for negotiation, someone sets group5.
        r.vpc.actor = (conn) => {
            const ike = conn.TunnelOptionsSpecification?.TunnelOptions[0].TunnelIkeConfig;
            if (ike?.IkePfs === "group14" && r.clock.now() > r.vpc.modifies[0].at + 30_000) {
                ike.IkePfs = "group5";
            }
        };
        const err = await failure(rollOut(r.settings, change, r.ctx));
        const reverted = r.vpc.modifies[1].request.tunnelOptionsSpecification?.[0].tunnelIkeConfig;
        expect(reverted?.psk).to.equal(OLD[0]);
        expect(reverted?.ikePfs, "the other actor's group5 stays").to.equal("group5");
        expect(err.message).to.include("tunnelOptionsSpecification[0].tunnelIkeConfig.ikePfs");
    });

    it("progress lines name the tunnel being rolled and what it reports", async () => {
        const r = rig({ tunnels: "oneAtATime" }, NEW);
        r.vpc.negotiationMs = 120_000;
        await rollOut(r.settings, ROTATION, r.ctx);
        const name = `tunnel 1 (${r.tunnelIds[0]})`;
        expect(r.logs).to.include(
            `rolling ${name}: sending stage 1 of 2; tunnel 2 (${r.tunnelIds[1]}) is sent only after this one negotiates`,
        );
        const progress = r.logs.filter((l) => l.startsWith(`rolling ${name}: `) && l.includes("still waiting"));
        expect(progress.length).to.be.at.least(2);
        expect(progress.join("\n")).to.match(/tunnel 1 \(tun-[^)]+\) ike_sa_(not_)?established with BGP false/);
    });

    it("property: a tunnel's settings are sent only while the other reports ipsec_sa_established, or as the first Modify", async () => {
        const change = fc.record({ psk: fc.boolean(), ikePfs: fc.boolean(), ipsecPfs: fc.boolean() });
        const peer = fc.constantFrom("matchesNew", "matchesOld", "matchesNeither");
        await check(
            fc.asyncProperty(fc.tuple(change, change), fc.tuple(peer, peer), async (changes, peers) => {
                const conn = dualTunnelConnection(ID);
                const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
                const r = rig({ tunnels: "oneAtATime", negotiationTimeoutSeconds: 60 }, OLD, conn);
                const declared = changes.map((c, i) => ({
                    tunnelIndex: i + 1,
                    tunnelIkeConfig: { ...(c.psk && { psk: NEW[i] }), ...(c.ikePfs && { ikePfs: "group14" }) },
                    ...(c.ipsecPfs && { tunnelIpsecConfig: { ipsecPfs: "group14" } }),
                }));
                tunnels.forEach((t, i) => {
                    const target = {
                        psk: changes[i].psk ? NEW[i] : OLD[i],
                        ikePfs: changes[i].ikePfs ? "group14" : "group2",
                        ipsecPfs: changes[i].ipsecPfs ? "group14" : "group2",
                    };
                    const side =
                        peers[i] === "matchesNew"
                            ? target
                            : peers[i] === "matchesOld"
                              ? { psk: OLD[i], ikePfs: "group2", ipsecPfs: "group2" }
                              : { psk: "someOtherPsk", ikePfs: "group5", ipsecPfs: "group5" };
                    r.vpc.setPeer(
                        peerOf(conn, i, side.psk, {
                            IkeConfig: { ...peerOf(conn, i, side.psk).IkeConfig, IkePfs: side.ikePfs },
                            IpsecConfig: { IpsecPfs: side.ipsecPfs },
                        }),
                        t.TunnelId,
                    );
                    // Down before the update unless its peer still matches the current settings.
                    t.Status = peers[i] === "matchesOld" ? "ipsec_sa_established" : "ike_sa_not_established";
                });
                try {
                    await rollOut(r.settings, { tunnelOptionsSpecification: declared }, r.ctx);
                } catch (err) {
                    expect(errorKind(err), String(err)).to.equal("timeout");
                }
                r.vpc.modifies.forEach((m, k) => {
                    expect(m.tunnelIds.length, "one tunnel per Modify").to.be.at.most(1);
                    const others = tunnels.map((t) => t.TunnelId).filter((id) => !m.tunnelIds.includes(id));
                    if (k > 0) {
                        for (const other of others) {
                            expect(m.statusBefore[other], `Modify ${k + 1} while ${other} was down`).to.equal(
                                "ipsec_sa_established",
                            );
                        }
                    }
                });
            }),
            100,
        );
    });
});
