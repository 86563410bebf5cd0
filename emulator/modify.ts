import { randomInt } from "node:crypto";
import { badRequest, missingParameter } from "./errors";
import { deepMerge } from "./merge";
import { parseCidr } from "./net";
import { groupIndexed } from "./params";
import { type Readings, requireSubnetsWithConfig, resetOmittedKeys } from "./readings";
import type { BoolString, ConnectionPatch, DeepPartial, SeedConnection, TunnelOptions } from "./types";
import {
    checkBgpIpInCidr,
    checkCustomerGatewayId,
    checkName,
    checkNetworkType,
    checkSubnetList,
    invalidParameter,
    parseBoolean,
    parseJsonObject,
    peerBgpIp,
    pick,
    readBgp,
    readHealthCheck,
    readIke,
    readIpsec,
} from "./validation";

/**
 * Turns ModifyVpnAttachmentAttribute parameters into a patch of the stored
 * connection, enforcing every rule of the API reference. The patch is applied
 * only when the asynchronous task ends, so Describe shows old values meanwhile.
 */

const TUNNELS = "TunnelOptionsSpecification";
const SINGLE_TUNNEL_ONLY = [
    "IkeConfig",
    "IpsecConfig",
    "HealthCheckConfig",
    "BgpConfig",
    "EnableDpd",
    "EnableNatTraversal",
    "CustomerGatewayId",
];
const DUAL_TUNNEL_ONLY = ["EnableTunnelsBgp"];
const PSK_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export interface ModifyPlan {
    patch: ConnectionPatch;
    /** Tunnels the request names; they show State `updating` during the task. */
    touchedTunnelIds: string[];
}

type TunnelPatch = DeepPartial<TunnelOptions>;

export function isDualTunnel(conn: SeedConnection): boolean {
    return (conn.TunnelOptionsSpecification?.TunnelOptions?.length ?? 0) > 0;
}

/**
 * The page: an IkeConfig (or a tunnel's TunnelIkeConfig) without Psk makes
 * the system generate a random 16-character key, even when the connection
 * had one; the tunnel then stays down until the peer is given the new key.
 */
function generatedPsk(): string {
    return Array.from({ length: 16 }, () => PSK_ALPHABET[randomInt(PSK_ALPHABET.length)]).join("");
}

function boolString(value: boolean): BoolString {
    return value ? "true" : "false";
}

function rejectModeMismatch(params: Record<string, string>, dual: boolean): void {
    const keys = Object.keys(params);
    if (dual) {
        const offending = SINGLE_TUNNEL_ONLY.find((name) => name in params);
        if (offending) {
            throw badRequest(
                "OperationUnsupported.DualTunnel",
                `The parameter ${offending} is not supported by a dual-tunnel IPsec-VPN connection.`,
            );
        }
        return;
    }
    const offending =
        DUAL_TUNNEL_ONLY.find((name) => name in params) ?? keys.find((key) => key.startsWith(`${TUNNELS}.`));
    if (offending) {
        throw badRequest(
            "OperationUnsupported.SingleTunnel",
            `The parameter ${offending} is only supported by a dual-tunnel IPsec-VPN connection.`,
        );
    }
}

function planCommon(params: Record<string, string>, current: SeedConnection, patch: ConnectionPatch): void {
    if (params.Name !== undefined) patch.Name = checkName(params.Name);
    if (params.LocalSubnet !== undefined) patch.LocalSubnet = checkSubnetList("LocalSubnet", params.LocalSubnet);
    if (params.RemoteSubnet !== undefined) patch.RemoteSubnet = checkSubnetList("RemoteSubnet", params.RemoteSubnet);
    if (params.EffectImmediately !== undefined)
        patch.EffectImmediately = parseBoolean("EffectImmediately", params.EffectImmediately);
    // Accepted and validated, but DescribeVpnConnection has no field to report it.
    if (params.AutoConfigRoute !== undefined) parseBoolean("AutoConfigRoute", params.AutoConfigRoute);
    if (params.NetworkType !== undefined) patch.NetworkType = checkNetworkType(params.NetworkType, current.NetworkType);
    // The page limits it to neither mode, and the SDK's Describe model reports a CA certificate on dual-tunnel connections too.
    if (params.RemoteCaCert !== undefined) patch.RemoteCaCertificate = params.RemoteCaCert;
}

function planSingleTunnel(params: Record<string, string>, current: SeedConnection, patch: ConnectionPatch): void {
    if (params.IkeConfig !== undefined) {
        const config = parseJsonObject("IkeConfig", params.IkeConfig);
        const ike = readIke((key) => pick(config, key));
        if (ike.Psk === undefined) ike.Psk = generatedPsk();
        patch.IkeConfig = ike;
    }
    if (params.IpsecConfig !== undefined) {
        const config = parseJsonObject("IpsecConfig", params.IpsecConfig);
        patch.IpsecConfig = readIpsec((key) => pick(config, key));
    }
    if (params.BgpConfig !== undefined) {
        const config = parseJsonObject("BgpConfig", params.BgpConfig, "IllegalParam.BgpConfig");
        const bgp = readBgp((key) => pick(config, key), "IllegalParam.BgpConfig");
        patch.VpnBgpConfig = {
            ...(bgp.EnableBgp !== undefined && { EnableBgp: boolString(bgp.EnableBgp) }),
            ...(bgp.LocalAsn !== undefined && { LocalAsn: bgp.LocalAsn }),
            ...(bgp.TunnelCidr !== undefined && { TunnelCidr: bgp.TunnelCidr }),
            ...(bgp.LocalBgpIp !== undefined && { LocalBgpIp: bgp.LocalBgpIp }),
        };
    }
    if (params.HealthCheckConfig !== undefined) {
        const health = readHealthCheck(parseJsonObject("HealthCheckConfig", params.HealthCheckConfig));
        patch.VcoHealthCheck = {
            ...(health.Enable !== undefined && { Enable: boolString(health.Enable) }),
            ...(health.Dip !== undefined && { Dip: health.Dip }),
            ...(health.Sip !== undefined && { Sip: health.Sip }),
            ...(health.Interval !== undefined && { Interval: health.Interval }),
            ...(health.Retry !== undefined && { Retry: health.Retry }),
            ...(health.Policy !== undefined && { Policy: health.Policy }),
        };
    }
    if (params.EnableDpd !== undefined) patch.EnableDpd = parseBoolean("EnableDpd", params.EnableDpd);
    if (params.EnableNatTraversal !== undefined)
        patch.EnableNatTraversal = parseBoolean("EnableNatTraversal", params.EnableNatTraversal);
    if (params.CustomerGatewayId !== undefined)
        patch.CustomerGatewayId = checkCustomerGatewayId(params.CustomerGatewayId);
}

function resolveTunnel(position: string, fields: Record<string, string>, tunnels: TunnelOptions[]): TunnelOptions {
    const id = fields.TunnelId;
    const index = fields.TunnelIndex;
    if (index !== undefined && index !== "1" && index !== "2") throw invalidParameter("TunnelIndex", index);
    if (id !== undefined) {
        const tunnel = tunnels.find((t) => t.TunnelId === id);
        if (!tunnel) throw badRequest("InvalidTunnelId.NotFound", `The specified tunnel ${id} does not exist.`);
        if (index !== undefined && String(tunnel.TunnelIndex) !== index) throw invalidParameter("TunnelIndex", index);
        return tunnel;
    }
    if (index === undefined) throw missingParameter(`${TUNNELS}.${position}.TunnelId`);
    const tunnel = tunnels.find((t) => String(t.TunnelIndex) === index);
    if (!tunnel) throw invalidParameter("TunnelIndex", index);
    return tunnel;
}

function planTunnel(fields: Record<string, string>, tunnel: TunnelOptions): TunnelPatch {
    const entry: TunnelPatch = { TunnelId: tunnel.TunnelId };
    if (fields.CustomerGatewayId !== undefined)
        entry.CustomerGatewayId = checkCustomerGatewayId(fields.CustomerGatewayId);
    if (fields.EnableDpd !== undefined) entry.EnableDpd = boolString(parseBoolean("EnableDpd", fields.EnableDpd));
    if (fields.EnableNatTraversal !== undefined) {
        entry.EnableNatTraversal = boolString(parseBoolean("EnableNatTraversal", fields.EnableNatTraversal));
    }
    const sub = (prefix: string) => (key: string) => fields[`${prefix}.${key}`];
    const has = (prefix: string) => Object.keys(fields).some((key) => key.startsWith(`${prefix}.`));
    if (has("TunnelIkeConfig")) {
        const { IkeLifetime, ...ike } = readIke(sub("TunnelIkeConfig"));
        if (ike.Psk === undefined) ike.Psk = generatedPsk();
        entry.TunnelIkeConfig = { ...ike, ...(IkeLifetime !== undefined && { IkeLifetime: String(IkeLifetime) }) };
    }
    if (has("TunnelIpsecConfig")) {
        const { IpsecLifetime, ...ipsec } = readIpsec(sub("TunnelIpsecConfig"));
        entry.TunnelIpsecConfig = {
            ...ipsec,
            ...(IpsecLifetime !== undefined && { IpsecLifetime: String(IpsecLifetime) }),
        };
    }
    if (has("TunnelBgpConfig")) {
        const bgp = readBgp(sub("TunnelBgpConfig"), "IllegalParam.BgpConfig");
        entry.TunnelBgpConfig = {
            ...(bgp.LocalAsn !== undefined && { LocalAsn: String(bgp.LocalAsn) }),
            ...(bgp.TunnelCidr !== undefined && { TunnelCidr: bgp.TunnelCidr }),
            ...(bgp.LocalBgpIp !== undefined && { LocalBgpIp: bgp.LocalBgpIp }),
        };
    }
    return entry;
}

function planDualTunnel(params: Record<string, string>, current: SeedConnection, patch: ConnectionPatch): string[] {
    if (params.EnableTunnelsBgp !== undefined)
        patch.EnableTunnelsBgp = parseBoolean("EnableTunnelsBgp", params.EnableTunnelsBgp);
    const groups = [...groupIndexed(params, TUNNELS)];
    if (groups.length === 0) return [];
    if (groups.length > 2 || groups.some(([position]) => !/^[1-9]\d*$/.test(position))) {
        throw badRequest(
            `IllegalParam.${TUNNELS}`,
            `The specified ${TUNNELS} is invalid: at most two entries numbered from 1.`,
        );
    }
    const tunnels = current.TunnelOptionsSpecification?.TunnelOptions ?? [];
    const entries = groups
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([position, fields]) => planTunnel(fields, resolveTunnel(position, fields, tunnels)));
    const ids = entries.map((entry) => entry.TunnelId as string);
    if (new Set(ids).size !== ids.length) {
        throw badRequest(`IllegalParam.${TUNNELS}`, `The specified ${TUNNELS} names the same tunnel twice.`);
    }
    patch.TunnelOptionsSpecification = { TunnelOptions: entries };
    return ids;
}

/** Distinct networks in a subnet list: a repeated block, or one written with host bits, is still one network. */
function networks(value: string | undefined): Set<string> {
    const blocks = (value ?? "").split(",").filter((block) => block !== "");
    return new Set(
        blocks.map((block) => {
            const cidr = parseCidr(block);
            return cidr ? `${cidr.network}/${cidr.prefix}` : block;
        }),
    );
}

function sameNetworks(a: string | undefined, b: string | undefined): boolean {
    const left = networks(a);
    const right = networks(b);
    return left.size === right.size && [...left].every((n) => right.has(n));
}

function ikeVersions(conn: SeedConnection): Array<string | undefined> {
    return isDualTunnel(conn)
        ? (conn.TunnelOptionsSpecification?.TunnelOptions ?? []).map((t) => t.TunnelIkeConfig?.IkeVersion)
        : [conn.IkeConfig?.IkeVersion];
}

/**
 * IKEv1 negotiates one network per side. Judged only when the request changes
 * an IKE version or the subnets: a connection that already holds both (the
 * page's own sample does) takes a Name-only change.
 */
function checkIkeV1Routes(current: SeedConnection, target: SeedConnection): void {
    const before = ikeVersions(current);
    const after = ikeVersions(target);
    const changed =
        after.some((version, i) => version !== before[i]) ||
        !sameNetworks(current.LocalSubnet, target.LocalSubnet) ||
        !sameNetworks(current.RemoteSubnet, target.RemoteSubnet);
    const multi = networks(target.LocalSubnet).size > 1 || networks(target.RemoteSubnet).size > 1;
    if (changed && after.includes("ikev1") && multi) {
        throw badRequest(
            "ModifyIkeV1WithMultiRoutes.Invalid",
            "Failed to modify VPN connection parameters. Multi-network is configured while using IkeV1 protocol.",
        );
    }
}

function missingTunnelCidr() {
    return badRequest("MissingParameter.TunnelCidr", "The parameter TunnelCidr is mandatory when BGP is enabled.");
}

/** Checks a BGP block after the change; returns the peer address it implies. */
function checkBgpBlock(
    enabled: boolean,
    tunnelCidr: string | undefined,
    localBgpIp: string | undefined,
): string | undefined {
    if (enabled && !tunnelCidr) throw missingTunnelCidr();
    if (!tunnelCidr || !localBgpIp) return undefined;
    checkBgpIpInCidr(localBgpIp, tunnelCidr);
    return peerBgpIp(localBgpIp, tunnelCidr);
}

/**
 * An enabled health check without dip/sip is not refused here: the page
 * requires neither and names no code to refuse it with.
 */
function checkSingleTunnelTarget(target: SeedConnection, patch: ConnectionPatch): void {
    if (patch.VpnBgpConfig) {
        const bgp = target.VpnBgpConfig ?? {};
        const peer = checkBgpBlock(bgp.EnableBgp === "true", bgp.TunnelCidr, bgp.LocalBgpIp);
        if (peer) patch.VpnBgpConfig.PeerBgpIp = peer;
    }
}

function checkDualTunnelTarget(target: SeedConnection, patch: ConnectionPatch): void {
    const entries = patch.TunnelOptionsSpecification?.TunnelOptions ?? [];
    const bgpTouched = patch.EnableTunnelsBgp !== undefined || entries.some((entry) => entry.TunnelBgpConfig);
    if (!bgpTouched) return;
    const tunnels = target.TunnelOptionsSpecification?.TunnelOptions ?? [];
    for (const tunnel of tunnels) {
        const bgp = tunnel.TunnelBgpConfig ?? {};
        const peer = checkBgpBlock(target.EnableTunnelsBgp === true, bgp.TunnelCidr, bgp.LocalBgpIp);
        const entry = entries.find((e) => e.TunnelId === tunnel.TunnelId);
        if (peer && entry?.TunnelBgpConfig) entry.TunnelBgpConfig.PeerBgpIp = peer;
    }
    const cidrs = tunnels.map((t) => t.TunnelBgpConfig?.TunnelCidr).filter((cidr): cidr is string => !!cidr);
    if (new Set(cidrs).size !== cidrs.length) {
        throw badRequest(
            "IllegalParam.TunnelCidr",
            "The specified TunnelCidr is invalid: the two tunnels must use different CIDR blocks.",
        );
    }
}

/**
 * Validates a Modify request against the connection; throws the service's
 * error on the first violation. `readings` switches on the other readings of
 * the service that concern a Modify (readings.ts).
 */
export function planModify(
    params: Record<string, string>,
    current: SeedConnection,
    readings?: Pick<Readings, "has">,
): ModifyPlan {
    const dual = isDualTunnel(current);
    rejectModeMismatch(params, dual);
    if (readings?.has("subnetsWithConfig")) requireSubnetsWithConfig(params);
    let patch: ConnectionPatch = {};
    planCommon(params, current, patch);
    let touchedTunnelIds: string[] = [];
    if (dual) touchedTunnelIds = planDualTunnel(params, current, patch);
    else planSingleTunnel(params, current, patch);
    if (readings?.has("resetOmitted")) patch = resetOmittedKeys(patch);

    const target = deepMerge(current, patch);
    checkIkeV1Routes(current, target);
    if (dual) checkDualTunnelTarget(target, patch);
    else checkSingleTunnelTarget(target, patch);
    return { patch, touchedTunnelIds };
}
