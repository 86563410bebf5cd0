import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection, type EmulatorHandle, type PeerSide } from "../../emulator";
import { statusAt } from "../../emulator/negotiation";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { adminCall, describeConnection, eventually, modify, sdkClient, tunnelSpec } from "./helpers";

const DUAL = "vco-neg-dual";
const SINGLE = "vco-neg-single";
const TUNNEL_1 = "tun-neg-dual-1";
const TUNNEL_2 = "tun-neg-dual-2";

/** A peer that agrees with tunnel `index` of the fixture as seeded, but for `extra`. */
function agreeing(index: 1 | 2, extra: PeerSide = {}): PeerSide {
    return {
        Psk: `emulatorPskTunnel${index}`,
        IkeConfig: { IkeVersion: "ikev2", LocalId: `198.51.100.${20 + index}`, RemoteId: `203.0.113.${10 + index}` },
        IpsecConfig: { IpsecPfs: "group2", IpsecLifetime: 86400 },
        Bgp: { PeerBgpIp: `169.254.${index === 1 ? 10 : 20}.1` },
        ...extra,
    };
}

describe("emulator: the peer's side and tunnel negotiation", () => {
    let emulator: EmulatorHandle;
    emulatorPerSuite(
        { taskDurationMs: 20, negotiationMs: 0 },
        (started) => (emulator = started),
        (e) => e.admin.seed([dualTunnelConnection(DUAL), singleTunnelConnection(SINGLE)]),
    );

    function tunnel(id: string) {
        return emulator.admin.get(DUAL).TunnelOptionsSpecification?.TunnelOptions.find((t) => t.TunnelId === id);
    }

    const cases: Array<[string, PeerSide, string, string]> = [
        ["a peer that agrees", {}, "ipsec_sa_established", "success"],
        ["another PSK", { Psk: "notTheSameKey" }, "ike_sa_not_established", "false"],
        ["another IKE setting", { IkeConfig: { IkeVersion: "ikev1" } }, "ike_sa_not_established", "false"],
        [
            "identities the other way round",
            { IkeConfig: { LocalId: "203.0.113.11" } },
            "ike_sa_not_established",
            "false",
        ],
        ["another IPsec setting", { IpsecConfig: { IpsecPfs: "group14" } }, "ipsec_sa_not_established", "false"],
        ["another BGP address", { Bgp: { PeerBgpIp: "169.254.10.2" } }, "ipsec_sa_established", "false"],
    ];
    for (const [title, difference, status, bgpStatus] of cases) {
        it(`negotiates with ${title}: ${status}, BGP ${bgpStatus}`, () => {
            emulator.admin.setPeer(DUAL, agreeing(1, difference), TUNNEL_1);
            expect([tunnel(TUNNEL_1)?.Status, tunnel(TUNNEL_1)?.TunnelBgpConfig?.BgpStatus]).to.deep.equal([
                status,
                bgpStatus,
            ]);
            expect(tunnel(TUNNEL_2)?.Status, "the other tunnel").to.equal("ipsec_sa_established");
        });
    }

    it("moves through the phases over the negotiation time, as far as the peer agrees", () => {
        const timeline = (failing: Parameters<typeof statusAt>[0]) =>
            [0, 499, 500, 999, 1000].map((at) => statusAt(failing, at, 1000, false).status);
        expect(timeline("none")).to.deep.equal([
            "ike_sa_not_established",
            "ike_sa_not_established",
            "ike_sa_established",
            "ike_sa_established",
            "ipsec_sa_established",
        ]);
        expect(timeline("phase1")).to.deep.equal(Array(5).fill("ike_sa_not_established"));
        expect(timeline("phase2").slice(-1)).to.deep.equal(["ipsec_sa_not_established"]);
        expect(statusAt("bgp", 1000, 1000, true)).to.deep.equal({ status: "ipsec_sa_established", bgpStatus: "false" });
    });

    it("negotiates a tunnel again after a task on it, with the settings the task applied", async () => {
        emulator.admin.setPeer(DUAL, agreeing(1, { Psk: "rotatedKey1" }), TUNNEL_1);
        emulator.admin.setPeer(DUAL, agreeing(2), TUNNEL_2);
        expect(tunnel(TUNNEL_1)?.Status).to.equal("ike_sa_not_established");
        const client = sdkClient(emulator);
        await modify(client, DUAL, {
            tunnelOptionsSpecification: [
                tunnelSpec({ tunnelId: TUNNEL_1, tunnelIndex: 1, ike: { psk: "rotatedKey1", ikeVersion: "ikev2" } }),
            ],
        });
        await eventually(() => expect(tunnel(TUNNEL_1)?.Status).to.equal("ipsec_sa_established"));
        expect(tunnel(TUNNEL_2)?.Status).to.equal("ipsec_sa_established");
    });

    it("takes a single-tunnel connection's peer, over HTTP too, and reports its Status through Describe", async () => {
        const answer = await adminCall(emulator, "PUT", `peers/${SINGLE}`, { peer: { Psk: "notTheSameKey" } });
        expect(answer.status).to.equal(200);
        const seen = await describeConnection(sdkClient(emulator), SINGLE);
        expect(seen.body?.status).to.equal("ike_sa_not_established");
        expect(
            (await adminCall(emulator, "PUT", `peers/${SINGLE}`, { peer: { Psk: "emulatorPsk0001" } })).status,
        ).to.equal(200);
        expect(emulator.admin.get(SINGLE).Status).to.equal("ipsec_sa_established");
        expect((await adminCall(emulator, "PUT", `peers/${DUAL}`, { tunnelId: "tun-none", peer: {} })).status).to.equal(
            404,
        );
        expect((await adminCall(emulator, "PUT", `peers/${DUAL}`, { tunnelId: TUNNEL_1 })).status).to.equal(400);
    });

    it("takes peers from the seed, and Describe never reports them", async () => {
        const seeded = dualTunnelConnection("vco-neg-seed");
        const tunnels = seeded.TunnelOptionsSpecification?.TunnelOptions ?? [];
        tunnels[0].Peer = { Psk: "notTheSameKey" };
        emulator.admin.seed(seeded);
        const stored = emulator.admin.get("vco-neg-seed").TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(stored.map((t) => [t.Status, "Peer" in t])).to.deep.equal([
            ["ike_sa_not_established", false],
            ["ipsec_sa_established", false],
        ]);
        const seen = await describeConnection(sdkClient(emulator), "vco-neg-seed");
        expect(JSON.stringify(seen.body)).to.not.include("notTheSameKey");
    });

    it("leaves the Status of a tunnel without a peer as it is after a task, as before", async () => {
        emulator.admin.patch(DUAL, {
            TunnelOptionsSpecification: { TunnelOptions: [{ TunnelId: TUNNEL_1, Status: "ike_sa_established" }] },
        });
        await modify(sdkClient(emulator), DUAL, {
            tunnelOptionsSpecification: [
                tunnelSpec({ tunnelId: TUNNEL_1, tunnelIndex: 1, ike: { psk: "anything1", ikeVersion: "ikev2" } }),
            ],
        });
        await eventually(() => expect(tunnel(TUNNEL_1)?.TunnelIkeConfig?.Psk).to.equal("anything1"));
        expect(tunnel(TUNNEL_1)?.Status).to.equal("ike_sa_established");
    });
});
