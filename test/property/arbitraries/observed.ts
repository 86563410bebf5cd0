/**
 * Connections as DescribeVpnConnection reports them, in the emulator's seed
 * shape, with the service's type quirks: numbers and booleans that arrive as
 * strings, empty BGP, health-check and IKE blocks, tunnels in either order.
 */
import * as fc from "fast-check";
import { dualTunnelConnection, singleTunnelConnection } from "../../../emulator/fixtures";
import type { SeedConnection } from "../../../emulator/types";
import {
    authentication,
    customerGatewayId,
    dhGroup,
    encryption,
    healthCheckPolicy,
    hostOf,
    ikeIdentifier,
    ikeMode,
    ikeVersion,
    ipsecPfs,
    lifetime,
    localAsn,
    name,
    positiveInteger,
    psk,
    subnetBlocks,
    tunnelCidr,
} from "./values";

export const SINGLE_ID = "vco-prop-single";
export const DUAL_ID = "vco-prop-dual";

/** The value, or the same value as a string: the service is not consistent about types. */
function quirky<T extends number | boolean>(value: fc.Arbitrary<T>): fc.Arbitrary<T | string> {
    return fc.tuple(value, fc.boolean()).map(([v, asString]) => (asString ? String(v) : v));
}

const subnetText = fc
    .tuple(subnetBlocks, fc.constantFrom(",", ", "))
    .map(([blocks, separator]) => blocks.join(separator));

function ikeBlock(): fc.Arbitrary<Record<string, unknown>> {
    const full = fc.record({
        Psk: psk(1),
        IkeVersion: ikeVersion,
        IkeMode: ikeMode,
        IkeEncAlg: encryption,
        IkeAuthAlg: authentication,
        IkePfs: dhGroup,
        IkeLifetime: quirky(lifetime),
        LocalId: ikeIdentifier,
        RemoteId: ikeIdentifier,
    });
    // An empty block is what #8.3 is about: the service reported no readable IKE settings.
    return fc.oneof({ weight: 9, arbitrary: full }, { weight: 1, arbitrary: fc.constant({}) });
}

const ipsecBlock = fc.record({
    IpsecEncAlg: encryption,
    IpsecAuthAlg: authentication,
    IpsecPfs: ipsecPfs,
    IpsecLifetime: quirky(lifetime),
});

const bgpBlock: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.constant({}),
    fc.constant({ EnableBgp: "false" }),
    fc
        .record({
            enabled: quirky(fc.boolean()),
            asn: quirky(localAsn),
            cidr: tunnelCidr,
            host: fc.constantFrom<1 | 2>(1, 2),
        })
        .map(({ enabled, asn, cidr, host }) => ({
            EnableBgp: enabled,
            LocalAsn: asn,
            TunnelCidr: cidr,
            LocalBgpIp: hostOf(cidr, host),
            PeerAsn: 65535,
            PeerBgpIp: hostOf(cidr, host === 1 ? 2 : 1),
            Status: "false",
        })),
);

const healthCheckBlock: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.constant({}),
    fc
        .record({ Policy: healthCheckPolicy })
        .map(({ Policy }) => ({ Enable: "false", Dip: "", Sip: "", Interval: 3, Retry: 3, Policy, Status: "" })),
    fc.record({
        Enable: quirky(fc.boolean()),
        Dip: fc.ipV4(),
        Sip: fc.ipV4(),
        Interval: quirky(positiveInteger),
        Retry: quirky(positiveInteger),
        Policy: healthCheckPolicy,
    }),
);

/** Names a connection can hold: the service refuses only a lower-case http(s):// prefix. */
const observedName = fc.oneof(
    { weight: 9, arbitrary: name },
    { weight: 1, arbitrary: name.map((n) => `HTTP://${n}`.slice(0, 100)) },
);

export const observedSingle: fc.Arbitrary<SeedConnection> = fc
    .record({
        Name: observedName,
        LocalSubnet: subnetText,
        RemoteSubnet: subnetText,
        NetworkType: fc.constantFrom("public", "private"),
        CustomerGatewayId: customerGatewayId,
        EnableDpd: quirky(fc.boolean()),
        EnableNatTraversal: quirky(fc.boolean()),
        IkeConfig: ikeBlock(),
        IpsecConfig: ipsecBlock,
        VpnBgpConfig: bgpBlock,
        VcoHealthCheck: healthCheckBlock,
    })
    .map((fields) => {
        // IKEv1 with several subnets included: a connection can hold it, and a change that keeps both is refused.
        return { ...singleTunnelConnection(SINGLE_ID), ...fields } as unknown as SeedConnection;
    });

function tunnelBlock(index: 1 | 2, cidr: string | undefined): fc.Arbitrary<Record<string, unknown>> {
    return fc
        .record({
            CustomerGatewayId: customerGatewayId,
            EnableDpd: fc.constantFrom("true", "false"),
            EnableNatTraversal: fc.constantFrom("true", "false"),
            TunnelIkeConfig: ikeBlock().map((ike) =>
                typeof ike.IkeLifetime === "number" ? { ...ike, IkeLifetime: String(ike.IkeLifetime) } : ike,
            ),
            TunnelIpsecConfig: ipsecBlock.map((ipsec) => ({ ...ipsec, IpsecLifetime: String(ipsec.IpsecLifetime) })),
            asn: localAsn,
            host: fc.constantFrom<1 | 2>(1, 2),
        })
        .map(({ asn, host, ...fields }) => ({
            ...dualTunnelConnection(DUAL_ID).TunnelOptionsSpecification?.TunnelOptions[index - 1],
            ...fields,
            TunnelBgpConfig:
                cidr === undefined
                    ? {}
                    : {
                          LocalAsn: String(asn),
                          TunnelCidr: cidr,
                          LocalBgpIp: hostOf(cidr, host),
                          PeerAsn: "65530",
                          PeerBgpIp: hostOf(cidr, host === 1 ? 2 : 1),
                          BgpStatus: "success",
                      },
        }));
}

export const observedDual: fc.Arbitrary<SeedConnection> = fc
    .record({
        Name: observedName,
        LocalSubnet: subnetText,
        RemoteSubnet: subnetText,
        NetworkType: fc.constantFrom("public", "private"),
        EnableTunnelsBgp: fc.boolean(),
        cidrs: fc.uniqueArray(tunnelCidr, { minLength: 2, maxLength: 2 }),
        withCidrs: fc.boolean(),
        reversed: fc.boolean(),
    })
    .chain(({ cidrs, withCidrs, reversed, ...fields }) => {
        // BGP on needs both tunnels' blocks; off, a tunnel may report an empty BGP block.
        const keep = fields.EnableTunnelsBgp || withCidrs;
        return fc
            .tuple(tunnelBlock(1, keep ? cidrs[0] : undefined), tunnelBlock(2, keep ? cidrs[1] : undefined))
            .map(([first, second]) => {
                const tunnels = reversed ? [second, first] : [first, second];
                return {
                    ...dualTunnelConnection(DUAL_ID),
                    ...fields,
                    TunnelOptionsSpecification: { TunnelOptions: tunnels },
                } as unknown as SeedConnection;
            });
    });

export const observedConnection: fc.Arbitrary<SeedConnection> = fc.oneof(observedSingle, observedDual);

export function isDual(conn: SeedConnection): boolean {
    return (conn.TunnelOptionsSpecification?.TunnelOptions.length ?? 0) > 0;
}
