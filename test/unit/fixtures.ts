/**
 * Connections as normalize.ts reports them, shared by the unit tests: a
 * single-tunnel one and a dual-tunnel one with every attribute set, so a test
 * declares only what it is about and finds everything else already there.
 */
import { IkeConfig, ObservedConnection, ObservedTunnel } from "../../provider/model/types";

export const SETTINGS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };

/** Every IKE setting but the PSK, as the connection and each tunnel report them. */
export const IKE_SETTINGS: IkeConfig = {
    ikeVersion: "ikev2",
    ikeMode: "main",
    ikeEncAlg: "aes",
    ikeAuthAlg: "sha1",
    ikePfs: "group2",
    ikeLifetime: 86400,
    localId: "47.0.0.1",
    remoteId: "47.0.0.2",
};

/**
 * The observed single-tunnel connection `vco-1`: IKE, IPsec, BGP (on) and
 * health check (on) all set. No autoConfigRoute: Describe never reports it.
 */
export function single(): ObservedConnection {
    return {
        vpnConnectionId: "vco-1",
        mode: "single",
        state: "active",
        status: "ipsec_sa_established",
        name: "office",
        localSubnet: "10.1.1.0/24,10.1.2.0/24",
        remoteSubnet: "192.168.0.0/16",
        effectImmediately: false,
        enableDpd: true,
        enableNatTraversal: true,
        customerGatewayId: "cgw-1",
        ikeConfig: { psk: "current-psk", ...IKE_SETTINGS },
        ipsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 },
        bgpConfig: {
            enableBgp: true,
            localAsn: 45104,
            tunnelCidr: "169.254.11.0/30",
            localBgpIp: "169.254.11.1",
            peerAsn: 65000,
            peerBgpIp: "169.254.11.2",
            status: "success",
        },
        healthCheckConfig: {
            enable: true,
            dip: "192.168.1.1",
            sip: "10.1.1.1",
            interval: 3,
            retry: 3,
            policy: "revoke_route",
            status: "ok",
        },
    };
}

/** Tunnel `tun-<index>` of `dual()`, every setting present; tunnel 1 is the master. */
export function tunnel(index: number): ObservedTunnel {
    return {
        tunnelId: `tun-${index}`,
        tunnelIndex: index,
        role: index === 1 ? "master" : "slave",
        state: "active",
        customerGatewayId: `cgw-${index}`,
        enableDpd: true,
        enableNatTraversal: true,
        tunnelIkeConfig: { psk: `psk-${index}`, ...IKE_SETTINGS },
        tunnelIpsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 },
        tunnelBgpConfig: {
            localAsn: 65530,
            tunnelCidr: `169.254.1${index}.0/30`,
            localBgpIp: `169.254.1${index}.1`,
            peerAsn: 65531,
            peerBgpIp: `169.254.1${index}.2`,
            bgpStatus: "up",
        },
    };
}

/** The observed dual-tunnel connection `vco-1`, tunnels 1 and 2, tunnels' BGP on. */
export function dual(): ObservedConnection {
    return {
        vpnConnectionId: "vco-1",
        mode: "dual",
        state: "attached",
        name: "office",
        localSubnet: "10.0.0.0/8",
        remoteSubnet: "192.168.0.0/16",
        enableTunnelsBgp: true,
        tunnelOptionsSpecification: [tunnel(1), tunnel(2)],
    };
}

/** Every path at which `value` holds an explicit undefined (Pulumi refuses those in outputs). */
export function undefinedPaths(value: unknown, path = ""): string[] {
    if (value === undefined) {
        return [path];
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, `${path}.${k}`));
    }
    return [];
}
