import { expect } from "chai";
import { CallRecord, dualTunnelConnection, EmulatorHandle, PeerSide, startEmulator } from "../../emulator";
import { callsFor, connectionId, killRunningCommands, PulumiProject, ResourceSpec } from "./harness";

/**
 * The gated rollout (`rollout.tunnels: "oneAtATime"`, docs/rollout.md) with
 * the real Pulumi CLI: a PSK rotation of a dual-tunnel connection against
 * an emulated peer (the customer's side of each tunnel), which decides
 * whether each tunnel negotiates again.
 *
 * One project; the scenarios run in the order written, each on a connection
 * of its own, which its first `up` adopts with the current PSKs.
 */

const REGION = "cn-hangzhou";
const MODIFY = "ModifyVpnAttachmentAttribute";
const TASK_MS = 300;
const NEGOTIATION_MS = 300;
/** Long enough for a negotiation of NEGOTIATION_MS to be seen, short enough for a failing one to end the test soon. */
const NEGOTIATION_TIMEOUT_SECONDS = 4;
const OLD = ["emulatorPskTunnel1", "emulatorPskTunnel2"];
const NEW = ["rotatedPskTunnel1", "rotatedPskTunnel2"];

/** The peer of tunnel `index` (1 or 2) of the fixture connection `id`, with PSK `psk`. */
function peer(id: string, index: 1 | 2, psk: string): PeerSide {
    const tunnel = dualTunnelConnection(id).TunnelOptionsSpecification?.TunnelOptions[index - 1];
    return {
        Psk: psk,
        IkeConfig: { LocalId: tunnel?.TunnelIkeConfig?.RemoteId, RemoteId: tunnel?.TunnelIkeConfig?.LocalId },
        Bgp: { PeerBgpIp: tunnel?.TunnelBgpConfig?.LocalBgpIp },
    };
}

/** The tunnel indexes a Modify call carries. */
function tunnelsSent(call: CallRecord): string[] {
    return Object.entries(call.params)
        .filter(([key]) => /^TunnelOptionsSpecification\.\d+\.TunnelIndex$/.test(key))
        .map(([, value]) => value)
        .sort();
}

describe("gated rollout end to end (emulated peer, steps in order, one stack)", function () {
    this.timeout(300_000);
    this.slow(30_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: TASK_MS, negotiationMs: NEGOTIATION_MS });
        project = await PulumiProject.create(emulator, "rollout");
        await project.setPsks({ old1: OLD[0], old2: OLD[1], new1: NEW[0], new2: NEW[1] });
    });
    after(async () => {
        killRunningCommands();
        project?.dispose();
        await emulator?.close();
    });

    const declare = (id: string, psks: [string, string], onFailure: "stop" | "revert" = "stop"): ResourceSpec[] => [
        {
            name: id,
            args: {
                regionId: REGION,
                vpnConnectionId: id,
                rollout: {
                    tunnels: "oneAtATime",
                    negotiationTimeoutSeconds: NEGOTIATION_TIMEOUT_SECONDS,
                    onNegotiationFailure: onFailure,
                },
                tunnelOptionsSpecification: [
                    { tunnelIndex: 1, tunnelIkeConfig: { psk: `$psk:${psks[0]}` } },
                    { tunnelIndex: 2, tunnelIkeConfig: { psk: `$psk:${psks[1]}` } },
                ],
            },
        },
    ];

    /** Seeds a connection whose tunnels negotiate with peers that have the old PSKs, and adopts it. */
    async function adopted(name: string, onFailure: "stop" | "revert" = "stop"): Promise<string> {
        const id = connectionId(name);
        emulator.admin.setNegotiationDuration(0);
        const seeded = dualTunnelConnection(id);
        seeded.TunnelOptionsSpecification?.TunnelOptions.forEach(
            (t, i) => (t.Peer = peer(id, (i + 1) as 1 | 2, OLD[i])),
        );
        emulator.admin.seed(seeded);
        emulator.admin.setNegotiationDuration(NEGOTIATION_MS);
        project.setResources(declare(id, ["old1", "old2"], onFailure));
        await project.up();
        expect(callsFor(emulator, id, MODIFY), "Modify when adopting").to.deep.equal([]);
        return id;
    }

    /** An up that must fail: its output, with the provider's message. */
    async function failingUp() {
        const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
        expect(up.code, up.output).to.not.equal(0);
        return up;
    }

    function tunnels(id: string) {
        return emulator.admin.get(id).TunnelOptionsSpecification?.TunnelOptions ?? [];
    }

    it("the peer has the new PSK on both tunnels: two Modifies, tunnel 1 then tunnel 2, both negotiate", async () => {
        const id = await adopted("both");
        emulator.admin.setPeer(id, peer(id, 1, NEW[0]), tunnels(id)[0].TunnelId);
        emulator.admin.setPeer(id, peer(id, 2, NEW[1]), tunnels(id)[1].TunnelId);
        project.setResources(declare(id, ["new1", "new2"]));

        const preview = await project.preview();
        expect(preview.output).to.include("rollout: tunnel 1, then tunnel 2 after it negotiates");

        const up = await project.up();
        expect(up.output).to.match(/1 updated/);
        const modifies = callsFor(emulator, id, MODIFY);
        expect(modifies.map(tunnelsSent)).to.deep.equal([["1"], ["2"]]);
        expect(tunnels(id).map((t) => [t.TunnelIkeConfig?.Psk, t.Status])).to.deep.equal([
            [NEW[0], "ipsec_sa_established"],
            [NEW[1], "ipsec_sa_established"],
        ]);
        expect(up.output).to.match(/rolling tunnel 1 \(tun-[^)]+\)/);
    });

    it("the peer has it on neither: tunnel 1 is rolled and fails, up fails saying so, tunnel 2 is never sent", async () => {
        const id = await adopted("neither");
        project.setResources(declare(id, ["new1", "new2"]));

        const failed = await failingUp();
        expect(failed.code).to.not.equal(0);
        expect(callsFor(emulator, id, MODIFY).map(tunnelsSent)).to.deep.equal([["1"]]);
        const [one, two] = tunnels(id);
        expect(one.Status).to.equal("ike_sa_not_established");
        expect([two.TunnelIkeConfig?.Psk, two.Status]).to.deep.equal([OLD[1], "ipsec_sa_established"]);
        const message = failed.output.replace(/\s+/g, " ");
        expect(message).to.match(/tunnel 1 \(tun-[^)]+\) was changed by this update and did not negotiate/);
        expect(message).to.include("stopped at ike_sa_not_established");
        expect(message).to.match(
            /Tunnel 2 \(tun-[^)]+\) was not sent: its change waits for the next update, and it still carries traffic/,
        );
        expect(message).to.include("pre-shared key");
        expect(message).to.include("LocalId/RemoteId");
        expect(message).to.not.include(NEW[0]);
    });

    it("the peer has it on tunnel 1 only: tunnel 1 negotiates, tunnel 2 is rolled and fails, the message names tunnel 2", async () => {
        const id = await adopted("first");
        emulator.admin.setPeer(id, peer(id, 1, NEW[0]), tunnels(id)[0].TunnelId);
        project.setResources(declare(id, ["new1", "new2"]));

        const up = await failingUp();
        expect(callsFor(emulator, id, MODIFY).map(tunnelsSent)).to.deep.equal([["1"], ["2"]]);
        const [one, two] = tunnels(id);
        expect([one.TunnelIkeConfig?.Psk, one.Status]).to.deep.equal([NEW[0], "ipsec_sa_established"]);
        expect(two.Status).to.equal("ike_sa_not_established");
        const message = up.output.replace(/\s+/g, " ");
        expect(message).to.match(/tunnel 2 \(tun-[^)]+\) was changed by this update and did not negotiate/);
        expect(message).to.match(
            /Tunnel 1 \(tun-[^)]+\) negotiated its new settings earlier in this update and still carries traffic/,
        );
    });

    it("with revert: the failed tunnel gets its old PSK back and negotiates again; up fails saying it was reverted", async () => {
        const id = await adopted("revert", "revert");
        project.setResources(declare(id, ["new1", "new2"], "revert"));

        const up = await failingUp();
        const modifies = callsFor(emulator, id, MODIFY);
        expect(modifies.map(tunnelsSent), "tunnel 1 rolled, then reverted").to.deep.equal([["1"], ["1"]]);
        const [one, two] = tunnels(id);
        expect([one.TunnelIkeConfig?.Psk, one.Status]).to.deep.equal([OLD[0], "ipsec_sa_established"]);
        expect([two.TunnelIkeConfig?.Psk, two.Status]).to.deep.equal([OLD[1], "ipsec_sa_established"]);
        const message = up.output.replace(/\s+/g, " ");
        expect(message).to.match(
            /Tunnel 1 \(tun-[^)]+\) was reverted to its settings before this update, its pre-shared key included/,
        );
        expect(message).to.include("negotiated again");
    });
});
