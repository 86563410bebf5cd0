/**
 * Turns a DescribeVpnConnection (or ModifyVpnAttachmentAttribute response)
 * body into an `ObservedConnection` in the canonical types of types.ts.
 *
 * The service is inconsistent about types: top-level lifetimes and ASNs are
 * numbers but per-tunnel ones are strings, `EnableBgp` and per-tunnel
 * `EnableDpd` are "true"/"false" strings while top-level `EnableDpd` is a
 * boolean. Every value is therefore read leniently and converted, or each
 * refresh would report a false difference. Missing or unreadable values are
 * omitted rather than set to undefined, because Pulumi refuses undefined in
 * outputs.
 */
import {
    IkeConfig,
    IpsecConfig,
    ObservedBgpConfig,
    ObservedConnection,
    ObservedHealthCheckConfig,
    ObservedTunnel,
    ObservedTunnelBgpConfig,
} from "./types";

type Body = Record<string, unknown>;

function text(value: unknown): string | undefined {
    if (typeof value === "string") {
        return value === "" ? undefined : value;
    }
    return typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

function number(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : undefined;
    }
    if (typeof value === "string" && /^[+-]?\d+(\.\d+)?$/.test(value.trim())) {
        return Number(value.trim());
    }
    return undefined;
}

/**
 * An ASN, also in the two-segment form "123.456" (123 * 65536 + 456) the
 * request side takes: read as a decimal it would be a fraction in state that
 * check then refuses when the program declares it back.
 */
function asn(value: unknown): number | undefined {
    const dotted = typeof value === "string" ? /^(\d+)\.(\d+)$/.exec(value.trim()) : null;
    return dotted ? Number(dotted[1]) * 65536 + Number(dotted[2]) : number(value);
}

function flag(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    const lower = typeof value === "string" ? value.trim().toLowerCase() : undefined;
    return lower === "true" ? true : lower === "false" ? false : undefined;
}

/** The service separates subnets with commas and sometimes spaces; keep its order, drop the spaces. */
function subnets(value: unknown): string | undefined {
    const list = text(value)
        ?.split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
    return list && list.length > 0 ? list.join(",") : undefined;
}

function record(value: unknown): Body | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Body) : undefined;
}

/** Drops undefined-valued keys; returns undefined for an object left empty. */
function compact<T extends object>(value: T): T | undefined {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

function ikeConfig(raw: unknown): IkeConfig | undefined {
    const body = record(raw);
    return (
        body &&
        compact<IkeConfig>({
            psk: text(body.Psk),
            ikeVersion: text(body.IkeVersion),
            ikeMode: text(body.IkeMode),
            ikeEncAlg: text(body.IkeEncAlg),
            ikeAuthAlg: text(body.IkeAuthAlg),
            ikePfs: text(body.IkePfs),
            ikeLifetime: number(body.IkeLifetime),
            localId: text(body.LocalId),
            remoteId: text(body.RemoteId),
        })
    );
}

function ipsecConfig(raw: unknown): IpsecConfig | undefined {
    const body = record(raw);
    return (
        body &&
        compact<IpsecConfig>({
            ipsecEncAlg: text(body.IpsecEncAlg),
            ipsecAuthAlg: text(body.IpsecAuthAlg),
            ipsecPfs: text(body.IpsecPfs),
            ipsecLifetime: number(body.IpsecLifetime),
        })
    );
}

function bgpConfig(raw: unknown): ObservedBgpConfig | undefined {
    const body = record(raw);
    return (
        body &&
        compact<ObservedBgpConfig>({
            enableBgp: flag(body.EnableBgp),
            localAsn: asn(body.LocalAsn),
            tunnelCidr: text(body.TunnelCidr),
            localBgpIp: text(body.LocalBgpIp),
            peerAsn: asn(body.PeerAsn),
            peerBgpIp: text(body.PeerBgpIp),
            status: text(body.Status),
        })
    );
}

function healthCheckConfig(raw: unknown): ObservedHealthCheckConfig | undefined {
    const body = record(raw);
    return (
        body &&
        compact<ObservedHealthCheckConfig>({
            enable: flag(body.Enable),
            dip: text(body.Dip),
            sip: text(body.Sip),
            interval: number(body.Interval),
            retry: number(body.Retry),
            policy: text(body.Policy),
            status: text(body.Status),
        })
    );
}

function tunnelBgpConfig(raw: unknown): ObservedTunnelBgpConfig | undefined {
    const body = record(raw);
    return (
        body &&
        compact<ObservedTunnelBgpConfig>({
            localAsn: asn(body.LocalAsn),
            localBgpIp: text(body.LocalBgpIp),
            tunnelCidr: text(body.TunnelCidr),
            peerAsn: asn(body.PeerAsn),
            peerBgpIp: text(body.PeerBgpIp),
            bgpStatus: text(body.BgpStatus),
        })
    );
}

/**
 * A tunnel without TunnelIndex takes its position in the list (1-based) and
 * one without TunnelId an empty id, so that it still shows in state rather
 * than vanish; the service is documented to always send both.
 */
function tunnel(raw: Body, position: number): ObservedTunnel {
    const optional = compact({
        role: text(raw.Role),
        state: text(raw.State),
        status: text(raw.Status),
        customerGatewayId: text(raw.CustomerGatewayId),
        internetIp: text(raw.InternetIp),
        zoneNo: text(raw.ZoneNo),
        enableDpd: flag(raw.EnableDpd),
        enableNatTraversal: flag(raw.EnableNatTraversal),
        tunnelBgpConfig: tunnelBgpConfig(raw.TunnelBgpConfig),
        tunnelIkeConfig: ikeConfig(raw.TunnelIkeConfig),
        tunnelIpsecConfig: ipsecConfig(raw.TunnelIpsecConfig),
    });
    return {
        tunnelId: text(raw.TunnelId) ?? "",
        tunnelIndex: number(raw.TunnelIndex) ?? position + 1,
        ...optional,
    };
}

/** Describe wraps the list as `{TunnelOptions: [...]}`; the Modify response sends a plain array. */
function tunnelList(raw: unknown): Body[] {
    const wrapped = record(raw)?.TunnelOptions;
    const list = Array.isArray(raw) ? raw : Array.isArray(wrapped) ? wrapped : record(wrapped) ? [wrapped] : [];
    return list.map(record).filter((entry): entry is Body => entry !== undefined);
}

/**
 * The peer CA certificate. The SDK's Describe model also has one per tunnel;
 * RemoteCaCert is one top-level parameter in both modes, so a dual-tunnel
 * connection that reports it only on its tunnels, the same on each, holds
 * that value.
 */
function remoteCaCert(body: Body, tunnels: Body[]): string | undefined {
    const own = text(body.RemoteCaCertificate ?? body.RemoteCaCert);
    const perTunnel = new Set(tunnels.map((t) => text(t.RemoteCaCertificate)));
    return own ?? (tunnels.length > 0 && perTunnel.size === 1 ? [...perTunnel][0] : undefined);
}

export function observeConnection(body: Record<string, unknown>): ObservedConnection {
    const rawTunnels = tunnelList(body.TunnelOptionsSpecification);
    const tunnels = rawTunnels.map(tunnel).sort((a, b) => a.tunnelIndex - b.tunnelIndex);
    const optional = compact({
        state: text(body.State),
        status: text(body.Status),
        name: text(body.Name),
        description: text(body.Description),
        localSubnet: subnets(body.LocalSubnet),
        remoteSubnet: subnets(body.RemoteSubnet),
        effectImmediately: flag(body.EffectImmediately),
        autoConfigRoute: flag(body.AutoConfigRoute),
        networkType: text(body.NetworkType),
        remoteCaCert: remoteCaCert(body, rawTunnels),
        customerGatewayId: text(body.CustomerGatewayId),
        enableDpd: flag(body.EnableDpd),
        enableNatTraversal: flag(body.EnableNatTraversal),
        vpnGatewayId: text(body.VpnGatewayId),
        attachType: text(body.AttachType),
        attachInstanceId: text(body.AttachInstanceId),
        spec: text(body.Spec),
        createTime: number(body.CreateTime),
        resourceGroupId: text(body.ResourceGroupId),
        ikeConfig: ikeConfig(body.IkeConfig),
        ipsecConfig: ipsecConfig(body.IpsecConfig),
        bgpConfig: bgpConfig(body.VpnBgpConfig),
        healthCheckConfig: healthCheckConfig(body.VcoHealthCheck),
        tunnelOptionsSpecification: tunnels.length > 0 ? tunnels : undefined,
        enableTunnelsBgp: flag(body.EnableTunnelsBgp),
    });
    return {
        vpnConnectionId: text(body.VpnConnectionId) ?? "",
        mode: tunnels.length > 0 ? "dual" : "single",
        ...optional,
    };
}
