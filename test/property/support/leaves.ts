/**
 * A connection's configurable attributes as a flat map of leaf paths, tunnels
 * named by their TunnelId: what "every attribute the program did not declare
 * is unchanged" compares. Negotiation and task status, roles and BGP peer
 * values are left out: they change on their own or follow from what was set.
 */
import { managedFieldPaths } from "../../../provider/model/pulumiState";
import { DesiredAttributes, ObservedConnection } from "../../../provider/model/types";

const TOP_LEVEL = [
    "name",
    "localSubnet",
    "remoteSubnet",
    "effectImmediately",
    "networkType",
    "remoteCaCert",
    "customerGatewayId",
    "enableDpd",
    "enableNatTraversal",
    "enableTunnelsBgp",
] as const;

const IKE = ["psk", "ikeVersion", "ikeMode", "ikeEncAlg", "ikeAuthAlg", "ikePfs", "ikeLifetime", "localId", "remoteId"];
const IPSEC = ["ipsecEncAlg", "ipsecAuthAlg", "ipsecPfs", "ipsecLifetime"];
const BGP = ["enableBgp", "localAsn", "tunnelCidr", "localBgpIp"];
const HEALTH_CHECK = ["enable", "dip", "sip", "interval", "retry", "policy"];
const TUNNEL_BGP = ["localAsn", "tunnelCidr", "localBgpIp"];

function leavesOf(prefix: string, config: object | undefined, keys: string[], out: Map<string, unknown>): void {
    for (const key of keys) {
        out.set(`${prefix}.${key}`, (config as Record<string, unknown> | undefined)?.[key]);
    }
}

export function configurableLeaves(observed: ObservedConnection): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const key of TOP_LEVEL) {
        out.set(key, observed[key]);
    }
    leavesOf("ikeConfig", observed.ikeConfig, IKE, out);
    leavesOf("ipsecConfig", observed.ipsecConfig, IPSEC, out);
    leavesOf("bgpConfig", observed.bgpConfig, BGP, out);
    leavesOf("healthCheckConfig", observed.healthCheckConfig, HEALTH_CHECK, out);
    for (const tunnel of observed.tunnelOptionsSpecification ?? []) {
        const prefix = `tunnel[${tunnel.tunnelId}]`;
        for (const key of ["tunnelIndex", "customerGatewayId", "enableDpd", "enableNatTraversal"] as const) {
            out.set(`${prefix}.${key}`, tunnel[key]);
        }
        leavesOf(`${prefix}.tunnelIkeConfig`, tunnel.tunnelIkeConfig, IKE, out);
        leavesOf(`${prefix}.tunnelIpsecConfig`, tunnel.tunnelIpsecConfig, IPSEC, out);
        leavesOf(`${prefix}.tunnelBgpConfig`, tunnel.tunnelBgpConfig, TUNNEL_BGP, out);
    }
    return out;
}

/** The leaves a declaration manages, in `configurableLeaves`' naming. */
export function declaredLeaves(desired: DesiredAttributes, observed: ObservedConnection): Set<string> {
    const paths = managedFieldPaths(desired).map((path) => {
        const match = /^tunnelOptionsSpecification\[(tunnelId|tunnelIndex)=([^\]]*)\]\.(.+)$/.exec(path);
        if (!match) {
            return path;
        }
        const [, key, value, rest] = match;
        const tunnel = observed.tunnelOptionsSpecification?.find((t) =>
            key === "tunnelId" ? t.tunnelId === value : String(t.tunnelIndex) === value,
        );
        return `tunnel[${tunnel?.tunnelId}].${rest}`;
    });
    return new Set(paths);
}

/** The configurable leaves the declaration does not manage, with their values. */
export function undeclared(observed: ObservedConnection, declared: Set<string>): Record<string, unknown> {
    return Object.fromEntries([...configurableLeaves(observed)].filter(([path]) => !declared.has(path)));
}
