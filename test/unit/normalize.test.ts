import { expect } from "chai";
import { observeConnection } from "../../provider/model/normalize";
import { undefinedPaths } from "./fixtures";

/** The reference page's sample, as DescribeVpnConnection returns it for a single-tunnel connection. */
function singleTunnelBody(): Record<string, unknown> {
    return {
        VpnConnectionId: "vco-p0w5112fgnl2ihlmf****",
        CustomerGatewayId: "cgw-p0w2jemrcj5u61un8****",
        VpnGatewayId: "vpn-p0wa1c1018pmeb6cu****",
        Name: "nametest",
        Description: "desctest",
        LocalSubnet: "10.1.1.0/24,10.1.2.0/24",
        RemoteSubnet: "10.1.3.0/24,10.1.4.0/24",
        IkeConfig: {
            Psk: "1234***",
            IkeVersion: "ikev1",
            IkeMode: "main",
            IkeEncAlg: "aes",
            IkeAuthAlg: "sha1",
            IkePfs: "group2",
            IkeLifetime: 86400,
            LocalId: "47.XX.XX.1",
            RemoteId: "47.XX.XX.2",
        },
        IpsecConfig: { IpsecEncAlg: "aes", IpsecAuthAlg: "md5", IpsecPfs: "group2", IpsecLifetime: 86400 },
        CreateTime: 1658201810000,
        EffectImmediately: false,
        State: "active",
        Status: "ike_sa_not_established",
        VcoHealthCheck: {
            Enable: "true",
            Sip: "10.1.1.1",
            Dip: "192.168.1.1",
            Interval: 3,
            Retry: 3,
            Policy: "revoke_route",
            Status: "success",
        },
        EnableDpd: true,
        EnableNatTraversal: true,
        VpnBgpConfig: {
            EnableBgp: "true",
            TunnelCidr: "169.254.11.0/30",
            LocalBgpIp: "169.254.11.1",
            PeerBgpIp: "169.254.11.2",
            LocalAsn: 45104,
            PeerAsn: 65535,
            Status: "false",
        },
        AttachType: "CEN",
        NetworkType: "public",
        AttachInstanceId: "cen-c2r3m3zxkumoqz****",
        Spec: "1000M",
        ResourceGroupId: "rg-acfmzs372yg****",
        RequestId: "35822A84-867F-3936-A2E6-A4C4E3ED11C0",
    };
}

/** A tunnel as Describe reports it: lifetimes, ASNs and flags as strings. */
function tunnelBody(index: number): Record<string, unknown> {
    return {
        TunnelId: `tun-${index}`,
        TunnelIndex: index,
        Role: index === 1 ? "master" : "slave",
        State: "active",
        Status: "ipsec_sa_established",
        CustomerGatewayId: `cgw-${index}`,
        InternetIp: `47.0.0.${index}`,
        ZoneNo: "cn-hangzhou-h",
        EnableDpd: "true",
        EnableNatTraversal: "false",
        TunnelIkeConfig: {
            Psk: `psk-${index}`,
            IkeVersion: "ikev2",
            IkeMode: "main",
            IkeEncAlg: "aes",
            IkeAuthAlg: "sha1",
            IkePfs: "group2",
            IkeLifetime: "86400",
            LocalId: "47.0.0.9",
            RemoteId: "47.0.0.8",
        },
        TunnelIpsecConfig: { IpsecEncAlg: "aes", IpsecAuthAlg: "sha1", IpsecPfs: "group2", IpsecLifetime: "3600" },
        TunnelBgpConfig: {
            LocalAsn: "65530",
            LocalBgpIp: `169.254.1${index}.1`,
            TunnelCidr: `169.254.1${index}.0/30`,
            PeerAsn: "65531",
            PeerBgpIp: `169.254.1${index}.2`,
            BgpStatus: "success",
        },
    };
}

const EXPECTED_TUNNEL_2 = {
    tunnelId: "tun-2",
    tunnelIndex: 2,
    role: "slave",
    state: "active",
    status: "ipsec_sa_established",
    customerGatewayId: "cgw-2",
    internetIp: "47.0.0.2",
    zoneNo: "cn-hangzhou-h",
    enableDpd: true,
    enableNatTraversal: false,
    tunnelIkeConfig: {
        psk: "psk-2",
        ikeVersion: "ikev2",
        ikeMode: "main",
        ikeEncAlg: "aes",
        ikeAuthAlg: "sha1",
        ikePfs: "group2",
        ikeLifetime: 86400,
        localId: "47.0.0.9",
        remoteId: "47.0.0.8",
    },
    tunnelIpsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 3600 },
    tunnelBgpConfig: {
        localAsn: 65530,
        localBgpIp: "169.254.12.1",
        tunnelCidr: "169.254.12.0/30",
        peerAsn: 65531,
        peerBgpIp: "169.254.12.2",
        bgpStatus: "success",
    },
};

function dualTunnelBody(tunnels: unknown): Record<string, unknown> {
    return {
        VpnConnectionId: "vco-dual",
        Name: "dual",
        LocalSubnet: "10.0.0.0/8",
        RemoteSubnet: "192.168.0.0/16",
        State: "attached",
        EnableTunnelsBgp: "true",
        TunnelOptionsSpecification: tunnels,
    };
}

describe("normalize: observeConnection", () => {
    it("normalises the reference page's single-tunnel sample", () => {
        expect(observeConnection(singleTunnelBody())).to.deep.equal({
            vpnConnectionId: "vco-p0w5112fgnl2ihlmf****",
            mode: "single",
            state: "active",
            status: "ike_sa_not_established",
            name: "nametest",
            description: "desctest",
            localSubnet: "10.1.1.0/24,10.1.2.0/24",
            remoteSubnet: "10.1.3.0/24,10.1.4.0/24",
            effectImmediately: false,
            networkType: "public",
            customerGatewayId: "cgw-p0w2jemrcj5u61un8****",
            enableDpd: true,
            enableNatTraversal: true,
            vpnGatewayId: "vpn-p0wa1c1018pmeb6cu****",
            attachType: "CEN",
            attachInstanceId: "cen-c2r3m3zxkumoqz****",
            spec: "1000M",
            createTime: 1658201810000,
            resourceGroupId: "rg-acfmzs372yg****",
            ikeConfig: {
                psk: "1234***",
                ikeVersion: "ikev1",
                ikeMode: "main",
                ikeEncAlg: "aes",
                ikeAuthAlg: "sha1",
                ikePfs: "group2",
                ikeLifetime: 86400,
                localId: "47.XX.XX.1",
                remoteId: "47.XX.XX.2",
            },
            ipsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "md5", ipsecPfs: "group2", ipsecLifetime: 86400 },
            bgpConfig: {
                enableBgp: true,
                localAsn: 45104,
                tunnelCidr: "169.254.11.0/30",
                localBgpIp: "169.254.11.1",
                peerAsn: 65535,
                peerBgpIp: "169.254.11.2",
                status: "false",
            },
            healthCheckConfig: {
                enable: true,
                dip: "192.168.1.1",
                sip: "10.1.1.1",
                interval: 3,
                retry: 3,
                policy: "revoke_route",
                status: "success",
            },
        });
    });

    it("converts numbers sent as strings and booleans sent as strings", () => {
        const body = singleTunnelBody();
        body.EnableDpd = "false";
        body.EffectImmediately = "TRUE";
        body.CreateTime = "1658201810000";
        body.IkeConfig = { IkeLifetime: "28800" };
        body.IpsecConfig = { IpsecLifetime: " 3600 " };
        body.VpnBgpConfig = { EnableBgp: "false", LocalAsn: "4294967295" };
        body.VcoHealthCheck = { Enable: "false", Interval: "5", Retry: "7" };
        const observed = observeConnection(body);
        expect(observed.enableDpd).to.equal(false);
        expect(observed.effectImmediately).to.equal(true);
        expect(observed.createTime).to.equal(1658201810000);
        expect(observed.ikeConfig).to.deep.equal({ ikeLifetime: 28800 });
        expect(observed.ipsecConfig).to.deep.equal({ ipsecLifetime: 3600 });
        expect(observed.bgpConfig).to.deep.equal({ enableBgp: false, localAsn: 4294967295 });
        expect(observed.healthCheckConfig).to.deep.equal({ enable: false, interval: 5, retry: 7 });
    });

    it("reads numeric and boolean values where strings are expected", () => {
        const body = singleTunnelBody();
        body.IkeConfig = { Psk: 12345678, LocalId: 47 };
        expect(observeConnection(body).ikeConfig).to.deep.equal({ psk: "12345678", localId: "47" });
    });

    it("keeps the PSK exactly as reported", () => {
        const body = singleTunnelBody();
        body.IkeConfig = { Psk: " key with edges " };
        expect(observeConnection(body).ikeConfig?.psk).to.equal(" key with edges ");
    });

    it("drops spaces in subnet lists but keeps the service's order", () => {
        const body = singleTunnelBody();
        body.LocalSubnet = "10.1.2.0/24, 10.1.1.0/24 ,";
        expect(observeConnection(body).localSubnet).to.equal("10.1.2.0/24,10.1.1.0/24");
    });

    it("omits missing, empty and unreadable values instead of setting them undefined", () => {
        const observed = observeConnection({
            VpnConnectionId: "vco-1",
            Name: "",
            EnableDpd: "maybe",
            IkeConfig: { IkeLifetime: "forever", IkePfs: "group2" },
            IpsecConfig: {},
            VpnBgpConfig: null,
        });
        expect(observed).to.deep.equal({ vpnConnectionId: "vco-1", mode: "single", ikeConfig: { ikePfs: "group2" } });
        expect(undefinedPaths(observed)).to.deep.equal([]);
        expect(Object.keys(observed)).to.not.include("name");
    });

    it("reads RemoteCaCertificate and AutoConfigRoute", () => {
        const observed = observeConnection({
            VpnConnectionId: "vco-1",
            RemoteCaCertificate: "c20y",
            AutoConfigRoute: "true",
        });
        expect(observed.remoteCaCert).to.equal("c20y");
        expect(observed.autoConfigRoute).to.equal(true);
    });

    it("reads Describe's {TunnelOptions: [...]} shape as a dual-tunnel connection, tunnels sorted by index", () => {
        const observed = observeConnection(dualTunnelBody({ TunnelOptions: [tunnelBody(2), tunnelBody(1)] }));
        expect(observed.mode).to.equal("dual");
        expect(observed.enableTunnelsBgp).to.equal(true);
        expect(observed.tunnelOptionsSpecification?.map((t) => t.tunnelIndex)).to.deep.equal([1, 2]);
        expect(observed.tunnelOptionsSpecification?.[1]).to.deep.equal(EXPECTED_TUNNEL_2);
        expect(undefinedPaths(observed)).to.deep.equal([]);
    });

    it("reads the Modify response's plain array shape the same way", () => {
        const describe = observeConnection(dualTunnelBody({ TunnelOptions: [tunnelBody(1), tunnelBody(2)] }));
        const modify = observeConnection(dualTunnelBody([tunnelBody(2), tunnelBody(1)]));
        expect(modify).to.deep.equal(describe);
        expect(modify.tunnelOptionsSpecification?.[1]).to.deep.equal(EXPECTED_TUNNEL_2);
    });

    it("reads a lone tunnel object under TunnelOptions", () => {
        const observed = observeConnection(dualTunnelBody({ TunnelOptions: tunnelBody(2) }));
        expect(observed.tunnelOptionsSpecification).to.deep.equal([EXPECTED_TUNNEL_2]);
    });

    it("treats an absent or empty tunnel list as single-tunnel", () => {
        expect(observeConnection(dualTunnelBody(undefined)).mode).to.equal("single");
        expect(observeConnection(dualTunnelBody({ TunnelOptions: [] })).mode).to.equal("single");
        expect(observeConnection(dualTunnelBody([])).tunnelOptionsSpecification).to.equal(undefined);
    });

    it("takes a tunnel's position when TunnelIndex is missing", () => {
        const first = { TunnelId: "tun-a" };
        const second = { TunnelId: "tun-b" };
        const observed = observeConnection(dualTunnelBody([first, second]));
        expect(observed.tunnelOptionsSpecification).to.deep.equal([
            { tunnelId: "tun-a", tunnelIndex: 1 },
            { tunnelId: "tun-b", tunnelIndex: 2 },
        ]);
    });
});
