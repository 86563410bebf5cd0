import { deepMerge } from "./merge";
import type { DeepPartial, SeedConnection, TunnelOptions } from "./types";

/**
 * Ready-made connections shaped like real DescribeVpnConnection answers for a
 * transit-router attachment (AttachType CEN, State attached) in cn-hangzhou,
 * type quirks included. Addresses come from the documentation ranges.
 */

function suffix(id: string): string {
    return id.replace(/^vco-/, "");
}

function base(id: string): SeedConnection {
    return {
        VpnConnectionId: id,
        RegionId: "cn-hangzhou",
        Name: `emulator-${suffix(id)}`,
        VpnGatewayId: "vpn-not-exist",
        LocalSubnet: "0.0.0.0/0",
        RemoteSubnet: "0.0.0.0/0",
        CreateTime: 1700000000000,
        EffectImmediately: false,
        Status: "ipsec_sa_established",
        State: "attached",
        AttachType: "CEN",
        AttachInstanceId: "cen-emulator0001",
        NetworkType: "public",
        Spec: "1000M",
        ResourceGroupId: "rg-emulator0001",
        TransitRouterId: "tr-emulator0001",
        TransitRouterName: "emulator-tr",
        CrossAccountAuthorized: false,
        Tags: { Tag: [] },
    };
}

export function singleTunnelConnection(id: string, overrides?: DeepPartial<SeedConnection>): SeedConnection {
    const conn: SeedConnection = {
        ...base(id),
        CustomerGatewayId: "cgw-emulator0001",
        InternetIp: "203.0.113.10",
        EnableDpd: true,
        EnableNatTraversal: true,
        IkeConfig: {
            Psk: "emulatorPsk0001",
            IkeVersion: "ikev2",
            IkeMode: "main",
            IkeEncAlg: "aes",
            IkeAuthAlg: "sha1",
            IkePfs: "group2",
            IkeLifetime: 86400,
            LocalId: "203.0.113.10",
            RemoteId: "198.51.100.20",
        },
        IpsecConfig: { IpsecEncAlg: "aes", IpsecAuthAlg: "sha1", IpsecPfs: "group2", IpsecLifetime: 86400 },
        VpnBgpConfig: {
            EnableBgp: "false",
            LocalAsn: 45104,
            TunnelCidr: "169.254.11.0/30",
            LocalBgpIp: "169.254.11.1",
            PeerAsn: 65535,
            PeerBgpIp: "169.254.11.2",
            Status: "false",
        },
        VcoHealthCheck: {
            Enable: "false",
            Dip: "",
            Sip: "",
            Interval: 3,
            Retry: 3,
            Policy: "revoke_route",
            Status: "",
        },
    };
    return deepMerge(conn, overrides ?? {});
}

function tunnel(id: string, index: 1 | 2): TunnelOptions {
    const block = index === 1 ? 10 : 20;
    const internetIp = `203.0.113.${10 + index}`;
    return {
        TunnelId: `tun-${suffix(id)}-${index}`,
        TunnelIndex: index,
        Role: index === 1 ? "master" : "slave",
        State: "active",
        Status: "ipsec_sa_established",
        CustomerGatewayId: `cgw-emulator000${index}`,
        InternetIp: internetIp,
        ZoneNo: index === 1 ? "cn-hangzhou-h" : "cn-hangzhou-i",
        EnableDpd: "true",
        EnableNatTraversal: "true",
        TunnelIkeConfig: {
            Psk: `emulatorPskTunnel${index}`,
            IkeVersion: "ikev2",
            IkeMode: "main",
            IkeEncAlg: "aes",
            IkeAuthAlg: "sha1",
            IkePfs: "group2",
            IkeLifetime: "86400",
            LocalId: internetIp,
            RemoteId: `198.51.100.${20 + index}`,
        },
        TunnelIpsecConfig: { IpsecEncAlg: "aes", IpsecAuthAlg: "sha1", IpsecPfs: "group2", IpsecLifetime: "86400" },
        TunnelBgpConfig: {
            LocalAsn: "45104",
            LocalBgpIp: `169.254.${block}.1`,
            TunnelCidr: `169.254.${block}.0/30`,
            PeerAsn: "65530",
            PeerBgpIp: `169.254.${block}.2`,
            BgpStatus: "success",
        },
    };
}

export function dualTunnelConnection(id: string, overrides?: DeepPartial<SeedConnection>): SeedConnection {
    const conn: SeedConnection = {
        ...base(id),
        EnableTunnelsBgp: true,
        TunnelOptionsSpecification: { TunnelOptions: [tunnel(id, 1), tunnel(id, 2)] },
    };
    return deepMerge(conn, overrides ?? {});
}
