import { isDualTunnel } from "./modify";
import { canonicalItem } from "./readings";
import type { SeedConnection, TunnelOptions } from "./types";

/**
 * Response bodies. DescribeVpnConnection returns the stored record as is (it
 * already carries the service's type quirks); ModifyVpnAttachmentAttribute
 * answers with a different shape: tunnels as a plain array with numeric
 * lifetimes and ASNs and boolean flags, and no connection State.
 */

type Body = Record<string, unknown>;

function defined(source: object, keys: string[]): Body {
    const out: Body = {};
    for (const key of keys) {
        const value = (source as Body)[key];
        if (value !== undefined) out[key] = value;
    }
    return out;
}

function toNumber(value: string | undefined): number | undefined {
    return value === undefined || value === "" ? undefined : Number(value);
}

function toBoolean(value: string | undefined): boolean | undefined {
    return value === undefined ? undefined : value === "true";
}

export function describeBody(conn: SeedConnection, requestId: string, canonical = false): Body {
    return { ...describeItem(conn, canonical), RequestId: requestId };
}

/**
 * One connection as Describe reports it: the record without the emulator's
 * RegionId; in the service's canonical form under the `canonical` reading.
 */
export function describeItem(conn: SeedConnection, canonical = false): Body {
    const { RegionId: _region, ...rest } = conn;
    return canonical ? canonicalItem(rest) : rest;
}

function modifyTunnel(tunnel: TunnelOptions): Body {
    const ike = tunnel.TunnelIkeConfig;
    const ipsec = tunnel.TunnelIpsecConfig;
    const bgp = tunnel.TunnelBgpConfig;
    return {
        ...defined(tunnel, ["CustomerGatewayId", "InternetIp", "Role", "State", "TunnelId", "TunnelIndex"]),
        ...defined(
            { EnableDpd: toBoolean(tunnel.EnableDpd), EnableNatTraversal: toBoolean(tunnel.EnableNatTraversal) },
            ["EnableDpd", "EnableNatTraversal"],
        ),
        ...(bgp && {
            TunnelBgpConfig: {
                ...defined(bgp, ["LocalBgpIp", "PeerBgpIp", "TunnelCidr"]),
                ...defined({ LocalAsn: toNumber(bgp.LocalAsn), PeerAsn: toNumber(bgp.PeerAsn) }, [
                    "LocalAsn",
                    "PeerAsn",
                ]),
            },
        }),
        ...(ike && {
            TunnelIkeConfig: { ...ike, ...defined({ IkeLifetime: toNumber(ike.IkeLifetime) }, ["IkeLifetime"]) },
        }),
        ...(ipsec && {
            TunnelIpsecConfig: {
                ...ipsec,
                ...defined({ IpsecLifetime: toNumber(ipsec.IpsecLifetime) }, ["IpsecLifetime"]),
            },
        }),
    };
}

const COMMON_FIELDS = [
    "VpnConnectionId",
    "VpnGatewayId",
    "Name",
    "Description",
    "LocalSubnet",
    "RemoteSubnet",
    "CreateTime",
    "EffectImmediately",
    "Status",
    "AttachType",
    "NetworkType",
    "AttachInstanceId",
    "Spec",
    "ResourceGroupId",
];
const SINGLE_FIELDS = [
    "CustomerGatewayId",
    "IkeConfig",
    "IpsecConfig",
    "EnableDpd",
    "EnableNatTraversal",
    "VpnBgpConfig",
];

export function modifyBody(conn: SeedConnection, requestId: string): Body {
    const body = defined(conn, COMMON_FIELDS);
    if (isDualTunnel(conn)) {
        body.TunnelOptionsSpecification = (conn.TunnelOptionsSpecification?.TunnelOptions ?? []).map(modifyTunnel);
        if (conn.EnableTunnelsBgp !== undefined) body.EnableTunnelsBgp = conn.EnableTunnelsBgp;
    } else {
        Object.assign(body, defined(conn, SINGLE_FIELDS));
        if (conn.VcoHealthCheck) {
            const { Status: _status, ...health } = conn.VcoHealthCheck;
            body.VcoHealthCheck = health;
        }
    }
    body.RequestId = requestId;
    return body;
}
