import { expect } from "chai";
import { dualTunnelConnection } from "../../emulator/fixtures";
import { SeedConnection } from "../../emulator/types";
import { ConvergeContext } from "../../provider/apply/context";
import { converge } from "../../provider/apply/converge";
import { rollOut } from "../../provider/apply/rollout";
import { DesiredAttributes, RolloutSettings } from "../../provider/model/types";
import { VpcApi } from "../../provider/service/client";
import { withoutJitter } from "./fakeVpc";
import { PeerVpc } from "./peerVpc";
import { VirtualClock } from "./virtualClock";

/** What a rollout sends, reads and returns, stage by stage (PeerVpc: tasks of 1 s, negotiation over 10 s). */

const ID = "vco-roll";
const NEW = ["rotatedPsk1", "rotatedPsk2"];
const ROTATION: DesiredAttributes = {
    tunnelOptionsSpecification: [
        { tunnelIndex: 1, tunnelIkeConfig: { psk: NEW[0] } },
        { tunnelIndex: 2, tunnelIkeConfig: { psk: NEW[1] } },
    ],
};

/** A dual-tunnel connection whose peers already hold the new keys; counts the Describe calls. */
function rig(rollout?: RolloutSettings) {
    const clock = new VirtualClock();
    const conn: SeedConnection = dualTunnelConnection(ID);
    const vpc = new PeerVpc(clock, conn);
    (conn.TunnelOptionsSpecification?.TunnelOptions ?? []).forEach((t, i) => {
        vpc.setPeer(
            {
                Psk: NEW[i],
                IkeConfig: { LocalId: t.TunnelIkeConfig?.RemoteId, RemoteId: t.TunnelIkeConfig?.LocalId },
                Bgp: { PeerBgpIp: t.TunnelBgpConfig?.LocalBgpIp },
            },
            t.TunnelId,
        );
    });
    let describes = 0;
    const api: VpcApi = {
        describeVpnConnection: () => {
            describes++;
            return vpc.describeVpnConnection();
        },
        describeVpnConnections: () => vpc.describeVpnConnections(),
        modifyVpnAttachmentAttribute: (request) => vpc.modifyVpnAttachmentAttribute(request),
    };
    const lines: string[] = [];
    const ctx: ConvergeContext = {
        api,
        clock,
        deadline: clock.now() + 3_600_000,
        log: (line) => lines.push(line),
        secrets: [],
    };
    return {
        clock,
        vpc,
        ctx,
        lines,
        describes: () => describes,
        settings: { regionId: "cn-hangzhou", vpnConnectionId: ID, rollout },
    };
}

describe("rollout: running the stages", () => {
    withoutJitter();

    it("by default reads the connection no more often than one converge does", async () => {
        const byRollout = rig();
        await rollOut(byRollout.settings, ROTATION, byRollout.ctx);
        const byConverge = rig();
        await converge(byConverge.settings, ROTATION, byConverge.ctx);
        expect(byRollout.describes()).to.equal(byConverge.describes());
        expect(byRollout.vpc.modifies).to.have.length(1);
    });

    it("returns, after the last stage, the connection as its last negotiation wait saw it, and the task's length", async () => {
        const r = rig({ tunnels: "oneAtATime" });
        const result = await rollOut(r.settings, ROTATION, r.ctx);
        expect(r.vpc.modifies.map((m) => m.tunnelIds)).to.deep.equal([["tun-roll-1"], ["tun-roll-2"]]);
        expect(result.taskMs).to.be.within(r.vpc.taskMs, r.vpc.taskMs + 1_000);
        expect(result.observed.tunnelOptionsSpecification?.map((t) => [t.tunnelId, t.status])).to.deep.equal([
            ["tun-roll-1", "ipsec_sa_established"],
            ["tun-roll-2", "ipsec_sa_established"],
        ]);
        expect(result.observed.tunnelOptionsSpecification?.map((t) => t.tunnelIkeConfig?.psk)).to.deep.equal(NEW);
    });

    it("sends a change with no tunnel in it as one stage that waits for no negotiation, its lines unprefixed", async () => {
        const r = rig({ tunnels: "oneAtATime" });
        r.vpc.taskMs = 70_000;
        const result = await rollOut(r.settings, { name: "renamed" }, r.ctx);
        expect(result.observed.name).to.equal("renamed");
        expect(r.vpc.modifies).to.have.length(1);
        expect(r.lines.length).to.be.at.least(1);
        expect(
            r.lines.every((line) => line.startsWith(`${ID}: the task ModifyVpnAttachmentAttribute started`)),
        ).to.equal(true);
    });

    it("leaves a tunnel the connection lacks to converge, which refuses it and sends nothing", async () => {
        const r = rig({ tunnels: "oneAtATime" });
        const err = await rollOut(
            r.settings,
            { tunnelOptionsSpecification: [{ tunnelIndex: 3, tunnelIkeConfig: { psk: NEW[0] } }] },
            r.ctx,
        ).then(
            () => expect.fail("rolled out"),
            (e: Error) => e,
        );
        expect(err.message).to.equal(
            `IPsec-VPN connection ${ID} in cn-hangzhou: ModifyVpnAttachmentAttribute was not sent: ` +
                `tunnelOptionsSpecification[0] names a tunnel that connection ${ID} does not have`,
        );
        expect(r.vpc.modifies).to.have.length(0);
    });
});
