/**
 * Declarations that break one rule of the API page each, as probes for
 * agreement between the provider and the emulator.
 */
import * as fc from "fast-check";
import { AUTHENTICATION, DH_GROUPS, ENCRYPTION, IPSEC_PFS, psk } from "./values";

export type Mode = "single" | "dual";

export interface Probe {
    /** The rule broken, e.g. `ikeConfig.ikePfs outside its list`. */
    rule: string;
    mode: Mode;
    /** The attributes declared (region and id are added by the test). */
    attributes: Record<string, unknown>;
    /**
     * The request's own fields, for declarations from which the provider
     * builds no request (it refuses them before any call).
     */
    wire?: Record<string, unknown>;
}

function probe(rule: string, mode: Mode, attributes: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Probe> {
    return attributes.map((a) => ({ rule, mode, attributes: a }));
}

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
const notIn = (list: string[]) => word.filter((w) => !list.includes(w));

/** One slip of the keyboard on a listed value: a swap, a dropped, doubled or changed character, or another case. */
function typoOf(list: string[]): fc.Arbitrary<string> {
    const slip = fc
        .tuple(fc.constantFrom(...list), fc.nat(), fc.constantFrom("swap", "drop", "double", "change", "upper"))
        .map(([value, at, kind]) => {
            const i = at % value.length;
            const j = Math.min(i + 1, value.length - 1);
            switch (kind) {
                case "swap":
                    return value.slice(0, i) + value[j] + value[i] + value.slice(j + 1);
                case "drop":
                    return value.slice(0, i) + value.slice(i + 1);
                case "double":
                    return value.slice(0, i) + value[i] + value.slice(i);
                case "change":
                    return value.slice(0, i) + (value[i] === "x" ? "y" : "x") + value.slice(i + 1);
                default:
                    return value.toUpperCase();
            }
        });
    return slip.filter((typo) => typo !== "" && !list.includes(typo));
}

/**
 * A value off a documented list: a typo of a listed value, one no current
 * source documents for this API (group24 and sha386 were Terraform's until
 * 2025; sm3/sm4 are other APIs' ShangMi names), or any other word.
 */
const offList = (list: string[], undocumented: string[] = []) =>
    fc.oneof(
        typoOf(list),
        notIn([...list, ...undocumented]),
        ...(undocumented.length > 0 ? [fc.constantFrom(...undocumented)] : []),
    );
const badLifetime = fc.oneof(fc.integer({ min: 86401, max: 10_000_000 }), fc.integer({ min: -100_000, max: -1 }));
const badBoolean = fc.constantFrom("yes", "no", "1", "0", "True");

const ikeFieldProbes = (
    mode: Mode,
    wrap: (ike: Record<string, unknown>) => Record<string, unknown>,
): fc.Arbitrary<Probe>[] => [
    probe(
        "IkeVersion outside its list",
        mode,
        offList(["ikev1", "ikev2"], ["ikev3"]).map((v) => wrap({ ikeVersion: v })),
    ),
    probe(
        "IkeMode outside its list",
        mode,
        offList(["main", "aggressive"]).map((v) => wrap({ ikeMode: v })),
    ),
    probe(
        "IkeEncAlg outside its list",
        mode,
        offList(ENCRYPTION, ["sm4"]).map((v) => wrap({ ikeEncAlg: v })),
    ),
    probe(
        "IkeAuthAlg outside its list",
        mode,
        offList(AUTHENTICATION, ["sm3", "sha386"]).map((v) => wrap({ ikeAuthAlg: v })),
    ),
    probe(
        "IkePfs outside its list",
        mode,
        offList(DH_GROUPS, ["group24", "group3", "group19", "disabled"]).map((v) => wrap({ ikePfs: v })),
    ),
    probe(
        "IkeLifetime outside 0..86400",
        mode,
        badLifetime.map((v) => wrap({ ikeLifetime: v })),
    ),
    probe(
        "LocalId with whitespace",
        mode,
        fc.tuple(word, word).map(([a, b]) => wrap({ localId: `${a} ${b}` })),
    ),
    probe(
        "RemoteId over 100 characters",
        mode,
        fc.stringMatching(/^[a-z0-9.]{101,120}$/).map((v) => wrap({ remoteId: v })),
    ),
    probe(
        "Psk with a character outside the page's alphabet",
        mode,
        fc
            .tuple(psk(1, 20), fc.constantFrom(" ", '"', "\\", "中", "é"), psk(1, 20))
            .map(([a, bad, b]) => wrap({ psk: `${a}${bad}${b}` })),
    ),
    probe(
        "Psk over 100 characters",
        mode,
        psk(101, 120).map((v) => wrap({ psk: v })),
    ),
];

const ipsecFieldProbes = (
    mode: Mode,
    wrap: (ipsec: Record<string, unknown>) => Record<string, unknown>,
): fc.Arbitrary<Probe>[] => [
    probe(
        "IpsecEncAlg outside its list",
        mode,
        offList(ENCRYPTION, ["sm4"]).map((v) => wrap({ ipsecEncAlg: v })),
    ),
    probe(
        "IpsecAuthAlg outside its list",
        mode,
        offList(AUTHENTICATION, ["sm3", "sha386"]).map((v) => wrap({ ipsecAuthAlg: v })),
    ),
    probe(
        "IpsecPfs outside its list",
        mode,
        offList(IPSEC_PFS, ["group24", "group3", "enabled"]).map((v) => wrap({ ipsecPfs: v })),
    ),
    probe(
        "IpsecLifetime outside 0..86400",
        mode,
        badLifetime.map((v) => wrap({ ipsecLifetime: v })),
    ),
];

const badTunnelCidr = fc.oneof(
    fc.constantFrom("169.254.0.0/30", "169.254.3.0/30", "169.254.6.0/30", "169.254.169.252/30"),
    fc.integer({ min: 7, max: 250 }).map((third) => `169.254.${third}.0/29`),
    fc.integer({ min: 7, max: 250 }).map((third) => `169.254.${third}.1/30`),
    fc.integer({ min: 1, max: 250 }).map((second) => `10.${second}.0.0/30`),
    word,
);

/**
 * BGP probes carry their request (`wire`): the provider refuses some before
 * any call (a TunnelCidr the connection's LocalBgpIp is outside of), and the
 * emulator must still judge the values as the page writes them.
 */
function bgpProbe(
    rule: string,
    mode: Mode,
    wrap: (bgp: Record<string, unknown>) => Record<string, unknown>,
    bgp: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Probe> {
    const apiKeys = (fields: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(fields).map(([key, value]) => [key[0].toUpperCase() + key.slice(1), value]));
    return bgp.map((fields) => ({
        rule,
        mode,
        attributes: wrap(fields),
        wire: mode === "single" ? { bgpConfig: JSON.stringify(apiKeys(fields)) } : wrap(fields),
    }));
}

const bgpFieldProbes = (
    mode: Mode,
    wrap: (bgp: Record<string, unknown>) => Record<string, unknown>,
): fc.Arbitrary<Probe>[] => [
    bgpProbe(
        "LocalAsn outside 1..4294967295",
        mode,
        wrap,
        fc.constantFrom(0, 4294967296, "65536.1", "1.65536", "0.0").map((v) => ({ localAsn: v })),
    ),
    bgpProbe(
        "TunnelCidr not an allowed /30",
        mode,
        wrap,
        badTunnelCidr.map((v) => ({ tunnelCidr: v })),
    ),
    bgpProbe(
        "LocalBgpIp not an address",
        mode,
        wrap,
        word.map((v) => ({ localBgpIp: v })),
    ),
    bgpProbe(
        "LocalBgpIp not a host of its TunnelCidr",
        mode,
        wrap,
        fc.tuple(fc.integer({ min: 30, max: 250 }), fc.constantFrom(0, 3, 5, 200)).map(([third, last]) => ({
            tunnelCidr: `169.254.${third}.0/30`,
            localBgpIp: `169.254.${third}.${last}`,
        })),
    ),
];

const dualTunnel = (index: 1 | 2) => (fields: Record<string, unknown>) => ({
    tunnelOptionsSpecification: [{ tunnelIndex: index, ...fields }],
});
const tunnelIndex = fc.constantFrom<1 | 2>(1, 2);

function perTunnel(
    make: (mode: Mode, wrap: (fields: Record<string, unknown>) => Record<string, unknown>) => fc.Arbitrary<Probe>[],
    key: string,
): fc.Arbitrary<Probe>[] {
    return make("dual", (fields) => ({ [key]: fields })).map((arb) =>
        fc.tuple(arb, tunnelIndex).map(([p, index]) => ({
            ...p,
            rule: `tunnel ${p.rule}`,
            attributes: dualTunnel(index)(p.attributes),
            ...(p.wire && { wire: dualTunnel(index)(p.wire) }),
        })),
    );
}

const commonProbes = (mode: Mode): fc.Arbitrary<Probe>[] => [
    probe(
        "Name over 100 characters",
        mode,
        fc.stringMatching(/^[a-z0-9]{101,130}$/).map((name) => ({ name })),
    ),
    probe(
        "Name starting with http:// or https://",
        mode,
        fc.tuple(fc.constantFrom("http://", "https://"), word).map(([p, w]) => ({ name: p + w })),
    ),
    probe(
        "Name starting with HTTP:// in upper case",
        mode,
        word.map((w) => ({ name: `HTTP://${w}` })),
    ),
    probe(
        "Name of 51-100 characters outside the BMP (over 100 UTF-16 units)",
        mode,
        fc.integer({ min: 51, max: 100 }).map((n) => ({ name: "😀".repeat(n) })),
    ),
    probe(
        "LocalSubnet not a CIDR",
        mode,
        fc.constantFrom("10.0.0.0/33", "10.0.0", "300.1.1.0/24", "abc").map((s) => ({ localSubnet: s })),
    ),
    probe(
        "RemoteSubnet with host bits",
        mode,
        fc.constantFrom("10.1.1.1/24", "192.168.0.7/16").map((s) => ({ remoteSubnet: s })),
    ),
    probe("LocalSubnet repeating a block", mode, fc.constant({ localSubnet: "10.1.0.0/16,10.1.0.0/16" })),
    probe(
        "EffectImmediately not a boolean",
        mode,
        badBoolean.map((v) => ({ effectImmediately: v })),
    ),
    probe(
        "AutoConfigRoute not a boolean",
        mode,
        badBoolean.map((v) => ({ autoConfigRoute: v })),
    ),
    probe(
        "NetworkType outside its list",
        mode,
        offList(["public", "private"], ["internet", "vpc"]).map((v) => ({ networkType: v })),
    ),
    probe("NetworkType changed", mode, fc.constant({ networkType: "private" })),
];

export const singleProbes: fc.Arbitrary<Probe> = fc.oneof(
    ...commonProbes("single"),
    ...ikeFieldProbes("single", (ike) => ({ ikeConfig: ike })),
    ...ipsecFieldProbes("single", (ipsec) => ({ ipsecConfig: ipsec })),
    ...bgpFieldProbes("single", (bgp) => ({ bgpConfig: bgp })),
    probe(
        "EnableBgp not a boolean",
        "single",
        badBoolean.map((v) => ({ bgpConfig: { enableBgp: v } })),
    ),
    probe(
        "EnableDpd not a boolean",
        "single",
        badBoolean.map((v) => ({ enableDpd: v })),
    ),
    probe(
        "EnableNatTraversal not a boolean",
        "single",
        badBoolean.map((v) => ({ enableNatTraversal: v })),
    ),
    probe(
        "health check dip not an address",
        "single",
        word.map((v) => ({ healthCheckConfig: { dip: v } })),
    ),
    probe(
        "health check interval not positive",
        "single",
        fc.integer({ min: -5, max: 0 }).map((v) => ({ healthCheckConfig: { interval: v } })),
    ),
    probe(
        "health check retry not positive",
        "single",
        fc.integer({ min: -5, max: 0 }).map((v) => ({ healthCheckConfig: { retry: v } })),
    ),
    probe(
        "health check policy outside its list",
        "single",
        offList(["revoke_route", "reserve_route"]).map((v) => ({ healthCheckConfig: { policy: v } })),
    ),
    probe("health check enabled without dip and sip", "single", fc.constant({ healthCheckConfig: { enable: true } })),
    probe(
        "IKEv1 with several subnets, both declared",
        "single",
        fc.constant({ ikeConfig: { ikeVersion: "ikev1" }, localSubnet: "10.1.0.0/16,10.2.0.0/16" }),
    ).map((p) => ({
        ...p,
        wire: { ikeConfig: JSON.stringify({ IkeVersion: "ikev1" }), localSubnet: "10.1.0.0/16,10.2.0.0/16" },
    })),
    probe(
        "CustomerGatewayId not a customer gateway",
        "single",
        word.map((v) => ({ customerGatewayId: `gw-${v}` })),
    ),
);

export const dualProbes: fc.Arbitrary<Probe> = fc.oneof(
    ...commonProbes("dual"),
    ...perTunnel(ikeFieldProbes, "tunnelIkeConfig"),
    ...perTunnel(ipsecFieldProbes, "tunnelIpsecConfig"),
    ...perTunnel(bgpFieldProbes, "tunnelBgpConfig"),
    probe(
        "EnableTunnelsBgp not a boolean",
        "dual",
        badBoolean.map((v) => ({ enableTunnelsBgp: v })),
    ),
    probe(
        "tunnel EnableDpd not a boolean",
        "dual",
        fc.tuple(badBoolean, tunnelIndex).map(([v, i]) => dualTunnel(i)({ enableDpd: v })),
    ),
    probe(
        "both tunnels on one TunnelCidr",
        "dual",
        fc.integer({ min: 30, max: 250 }).map((third) => ({
            tunnelOptionsSpecification: [1, 2].map((tunnelIndex) => ({
                tunnelIndex,
                tunnelBgpConfig: { tunnelCidr: `169.254.${third}.0/30` },
            })),
        })),
    ).map((p) => ({ ...p, wire: p.attributes })),
    probe(
        "RemoteCaCert on a dual-tunnel connection",
        "dual",
        fc.constant({ remoteCaCert: "-----BEGIN CERTIFICATE-----" }),
    ),
    fc.constantFrom(
        ...[
            { rule: "TunnelIndex not 1 or 2", tunnel: { tunnelIndex: 3, enableDpd: false } },
            { rule: "tunnel entry naming no tunnel", tunnel: { enableDpd: false } },
            { rule: "TunnelId the connection does not have", tunnel: { tunnelId: "tun-not-there", enableDpd: false } },
        ].map(({ rule, tunnel }): Probe => ({
            rule,
            mode: "dual",
            attributes: { tunnelOptionsSpecification: [tunnel] },
            wire: { tunnelOptionsSpecification: [tunnel] },
        })),
    ),
    probe(
        "tunnel CustomerGatewayId not a customer gateway",
        "dual",
        fc.tuple(word, tunnelIndex).map(([v, i]) => dualTunnel(i)({ customerGatewayId: `gw-${v}` })),
    ),
);
