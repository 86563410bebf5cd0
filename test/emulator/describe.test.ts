import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection, type EmulatorHandle } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { $Vpc, describeConnection, expectCode, sdkClient, send, signFor } from "./helpers";

/**
 * The parts of a raw DescribeVpnConnection body these tests read. The leaves
 * stay unknown: their wire types (string or number) are what the tests check.
 * Type aliases, not interfaces, so that the parsed body converts to them.
 */
type RawTunnel = {
    TunnelIkeConfig: { IkeLifetime: unknown };
    TunnelIpsecConfig: { IpsecLifetime: unknown };
    TunnelBgpConfig: { TunnelCidr: unknown };
};
type RawDescribe = {
    IkeConfig: { IkeLifetime: unknown; Psk: unknown };
    IpsecConfig: { IpsecLifetime: unknown };
    VpnBgpConfig: object;
    VcoHealthCheck: object;
    TunnelOptionsSpecification: { TunnelOptions: RawTunnel[] };
};

describe("emulator: DescribeVpnConnection(s)", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite(
        {},
        (started) => (emulator = started),
        (e) => e.admin.seed([singleTunnelConnection("vco-single"), dualTunnelConnection("vco-dual")]),
    );

    async function rawDescribe(id: string): Promise<RawDescribe> {
        const res = await send(
            emulator.port,
            signFor(emulator, {
                action: "DescribeVpnConnection",
                query: { RegionId: "cn-hangzhou", VpnConnectionId: id },
            }),
        );
        expect(res.status).to.equal(200);
        return res.json as RawDescribe;
    }

    it("reports a single-tunnel connection with the service type quirks", async () => {
        const body = await rawDescribe("vco-single");
        expect(body).to.not.have.property("RegionId");
        expect(body).to.not.have.property("TunnelOptionsSpecification");
        expect(body).to.include({ State: "attached", AttachType: "CEN", EnableDpd: true, EnableNatTraversal: true });
        expect(body.IkeConfig.IkeLifetime).to.equal(86400);
        expect(body.IkeConfig.Psk).to.equal("emulatorPsk0001");
        expect(body.IpsecConfig.IpsecLifetime).to.equal(86400);
        expect(body.VpnBgpConfig).to.include({ EnableBgp: "false", LocalAsn: 45104, PeerAsn: 65535 });
        expect(body.VcoHealthCheck).to.include({ Enable: "false", Interval: 3, Retry: 3 });
    });

    it("reports a dual-tunnel connection with per-tunnel strings", async () => {
        const body = await rawDescribe("vco-dual");
        expect(body).to.include({ EnableTunnelsBgp: true });
        expect(body).to.not.have.any.keys("IkeConfig", "IpsecConfig", "VpnBgpConfig", "VcoHealthCheck", "EnableDpd");
        const [first, second] = body.TunnelOptionsSpecification.TunnelOptions;
        expect(first).to.include({
            TunnelId: "tun-dual-1",
            TunnelIndex: 1,
            Role: "master",
            State: "active",
            EnableDpd: "true",
            EnableNatTraversal: "true",
        });
        expect(second).to.include({ TunnelId: "tun-dual-2", TunnelIndex: 2, Role: "slave" });
        expect(first.TunnelIkeConfig.IkeLifetime).to.equal("86400");
        expect(first.TunnelIpsecConfig.IpsecLifetime).to.equal("86400");
        expect(first.TunnelBgpConfig).to.include({
            LocalAsn: "45104",
            PeerAsn: "65530",
            TunnelCidr: "169.254.10.0/30",
        });
        expect(second.TunnelBgpConfig.TunnelCidr).to.equal("169.254.20.0/30");
    });

    it("parses through the SDK models", async () => {
        const res = await describeConnection(sdkClient(emulator), "vco-dual");
        const tunnels = res.body?.tunnelOptionsSpecification?.tunnelOptions ?? [];
        expect(tunnels.map((t) => t.tunnelId)).to.deep.equal(["tun-dual-1", "tun-dual-2"]);
        expect(tunnels[0].tunnelIkeConfig?.psk).to.equal("emulatorPskTunnel1");
    });

    it("answers unknown ids and other regions with InvalidVpnConnectionInstanceId.NotFound", async () => {
        await expectCode(
            describeConnection(sdkClient(emulator), "vco-missing"),
            "InvalidVpnConnectionInstanceId.NotFound",
            404,
        );
        const otherRegion = sdkClient(emulator).describeVpnConnection(
            new $Vpc.DescribeVpnConnectionRequest({ regionId: "cn-beijing", vpnConnectionId: "vco-single" }),
        );
        await expectCode(otherRegion, "InvalidVpnConnectionInstanceId.NotFound", 404);
    });

    it("lists connections page by page and filters by id", async () => {
        emulator.admin.seed(Array.from({ length: 3 }, (_, i) => singleTunnelConnection(`vco-extra${i}`)));
        const client = sdkClient(emulator);
        const page = await client.describeVpnConnections(
            new $Vpc.DescribeVpnConnectionsRequest({ regionId: "cn-hangzhou", pageNumber: 2, pageSize: 2 }),
        );
        expect(page.body).to.include({ totalCount: 5, pageNumber: 2, pageSize: 2 });
        expect(page.body?.vpnConnections?.vpnConnection?.map((c) => c.vpnConnectionId)).to.deep.equal([
            "vco-extra0",
            "vco-extra1",
        ]);

        const one = await client.describeVpnConnections(
            new $Vpc.DescribeVpnConnectionsRequest({ regionId: "cn-hangzhou", vpnConnectionId: "vco-dual" }),
        );
        expect(one.body?.totalCount).to.equal(1);
        expect(one.body?.vpnConnections?.vpnConnection?.[0].tunnelOptionsSpecification?.tunnelOptions).to.have.length(
            2,
        );

        const tooBig = client.describeVpnConnections(
            new $Vpc.DescribeVpnConnectionsRequest({ regionId: "cn-hangzhou", pageSize: 51 }),
        );
        await expectCode(tooBig, "InvalidParameter.PageSize");
    });
});
