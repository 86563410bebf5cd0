/**
 * Shapes of a VPN connection exactly as DescribeVpnConnection reports it,
 * including the service's type inconsistencies (see the reference notes):
 * top-level lifetimes and ASNs are numbers while per-tunnel ones are strings,
 * `EnableBgp`, `VcoHealthCheck.Enable` and per-tunnel `EnableDpd` /
 * `EnableNatTraversal` are "true"/"false" strings, top-level `EnableDpd` is a
 * boolean. Stored records keep these types so Describe reproduces them.
 */

import type { PeerSide } from "./negotiation";

export type BoolString = "true" | "false";

export interface IkeConfig {
    Psk?: string;
    IkeVersion?: string;
    IkeMode?: string;
    IkeEncAlg?: string;
    IkeAuthAlg?: string;
    IkePfs?: string;
    IkeLifetime?: number;
    LocalId?: string;
    RemoteId?: string;
}

export interface IpsecConfig {
    IpsecEncAlg?: string;
    IpsecAuthAlg?: string;
    IpsecPfs?: string;
    IpsecLifetime?: number;
}

export interface VpnBgpConfig {
    EnableBgp?: BoolString;
    LocalAsn?: number;
    LocalBgpIp?: string;
    PeerAsn?: number;
    PeerBgpIp?: string;
    TunnelCidr?: string;
    Status?: string;
    AuthKey?: string;
}

export interface VcoHealthCheck {
    Enable?: BoolString;
    Dip?: string;
    Sip?: string;
    Interval?: number;
    Retry?: number;
    Policy?: string;
    Status?: string;
}

/** Per tunnel, the service reports the lifetime as a string. */
export interface TunnelIkeConfig extends Omit<IkeConfig, "IkeLifetime"> {
    IkeLifetime?: string;
}

export interface TunnelIpsecConfig extends Omit<IpsecConfig, "IpsecLifetime"> {
    IpsecLifetime?: string;
}

export interface TunnelBgpConfig {
    LocalAsn?: string;
    LocalBgpIp?: string;
    TunnelCidr?: string;
    PeerAsn?: string;
    PeerBgpIp?: string;
    BgpStatus?: string;
}

export interface TunnelOptions {
    TunnelId: string;
    TunnelIndex?: number;
    Role?: string;
    State?: string;
    Status?: string;
    CustomerGatewayId?: string;
    InternetIp?: string;
    ZoneNo?: string;
    EnableDpd?: BoolString;
    EnableNatTraversal?: BoolString;
    RemoteCaCertificate?: string;
    TunnelIkeConfig?: TunnelIkeConfig;
    TunnelIpsecConfig?: TunnelIpsecConfig;
    TunnelBgpConfig?: TunnelBgpConfig;
    /** Seeding only: the customer's side of this tunnel (negotiation.ts); moved out when seeded, never reported. */
    Peer?: PeerSide;
}

/**
 * A connection as seeded, stored and returned by the admin API: the
 * DescribeVpnConnection body (without RequestId) plus `RegionId`, which the
 * service keeps implicitly and the emulator needs to answer region-scoped calls.
 */
export interface SeedConnection {
    VpnConnectionId: string;
    RegionId?: string;
    Name?: string;
    Description?: string;
    VpnGatewayId?: string;
    CustomerGatewayId?: string;
    LocalSubnet?: string;
    RemoteSubnet?: string;
    CreateTime?: number;
    EffectImmediately?: boolean;
    Status?: string;
    State?: string;
    AttachType?: string;
    AttachInstanceId?: string;
    NetworkType?: string;
    Spec?: string;
    ResourceGroupId?: string;
    TransitRouterId?: string;
    TransitRouterName?: string;
    ZoneNo?: string;
    InternetIp?: string;
    TunnelBandwidth?: string;
    CrossAccountAuthorized?: boolean;
    RemoteCaCertificate?: string;
    EnableDpd?: boolean;
    EnableNatTraversal?: boolean;
    EnableTunnelsBgp?: boolean;
    IkeConfig?: IkeConfig;
    IpsecConfig?: IpsecConfig;
    VpnBgpConfig?: VpnBgpConfig;
    VcoHealthCheck?: VcoHealthCheck;
    TunnelOptionsSpecification?: { TunnelOptions: TunnelOptions[] };
    Tags?: { Tag: Array<{ Key: string; Value: string }> };
    /** Seeding only: the customer's side of a single-tunnel connection (negotiation.ts); moved out when seeded. */
    Peer?: PeerSide;
}

/**
 * A partial connection for patches and fixture overrides. `null` removes a
 * field (JSON merge-patch); tunnels are matched by TunnelId (or TunnelIndex
 * when the patch entry has no TunnelId).
 */
export type DeepPartial<T> =
    T extends Array<infer U>
        ? Array<DeepPartial<U>>
        : T extends object
          ? { [K in keyof T]?: DeepPartial<T[K]> | null }
          : T;

export type ConnectionPatch = DeepPartial<SeedConnection>;

/** One entry of the emulator's call log. */
export interface CallRecord {
    time: string;
    action: string;
    accessKeyId: string;
    /** Flattened query and body parameters; every PSK is replaced by "***". */
    params: Record<string, string>;
    /** 0 when the connection was dropped without an answer. */
    httpStatus: number;
    /** The error code, "OK", or "ConnectionDropped". */
    code: string;
    requestId: string;
    clientToken?: string;
    /** The role ARN when the call was signed with a key STS AssumeRole issued. */
    role?: string;
}
