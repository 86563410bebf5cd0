/**
 * Declarations a program may write for a given connection, shaped as the
 * resource class hands them to `check`: PSKs already moved to `psk` and
 * `tunnelPsks`. Any subset of the attributes, with values that check accepts
 * and that fit the connection where only the connection can tell (a
 * LocalBgpIp inside the block the connection will have, a tunnel it has).
 */
import * as fc from "fast-check";
import { describeItem } from "../../../emulator/render";
import type { SeedConnection } from "../../../emulator/types";
import { observeConnection } from "../../../provider/model/normalize";
import type { ObservedConnection, ObservedTunnel } from "../../../provider/model/types";
import { UNKNOWN } from "../../../provider/model/unknowns";
import { isDual } from "./observed";
import {
    asBoolean,
    authentication,
    customerGatewayId,
    declaredAsn,
    declaredBoolean,
    declaredIdentifier,
    dhGroup,
    encryption,
    healthCheckPolicy,
    hostOf,
    ikeMode,
    ikeVersion,
    ipsecPfs,
    lifetime,
    name,
    positiveInteger,
    psk,
    subnetBlocks,
    tunnelCidr,
} from "./values";

export const REGION = "cn-hangzhou";

export type Declaration = Record<string, unknown>;

/** The connection as the provider reads it, for generators and oracles that reason in the provider's terms. */
export function observedOf(conn: SeedConnection): ObservedConnection {
    return observeConnection(describeItem(conn));
}

const subnetInput: fc.Arbitrary<string | string[]> = fc.oneof(
    subnetBlocks,
    subnetBlocks.map((blocks) => blocks.join(",")),
);

const certificate = fc.stringMatching(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/]{16,64}\n-----END CERTIFICATE-----$/);

const optional = { requiredKeys: [] as [] };

export const ikeDeclaration = fc.record(
    {
        ikeVersion,
        ikeMode,
        ikeEncAlg: encryption,
        ikeAuthAlg: authentication,
        ikePfs: dhGroup,
        ikeLifetime: lifetime,
        localId: declaredIdentifier,
        remoteId: declaredIdentifier,
    },
    optional,
);

export const ipsecDeclaration = fc.record(
    { ipsecEncAlg: encryption, ipsecAuthAlg: authentication, ipsecPfs, ipsecLifetime: lifetime },
    optional,
);

/**
 * A BGP block; a declared LocalBgpIp is a host of the block the connection
 * will have (declared or current), and BGP switched on always has a block.
 */
function bgpDeclaration(currentCidr: string | undefined, withEnable: boolean): fc.Arbitrary<Declaration> {
    return fc
        .record({
            declared: fc.record(
                { enableBgp: declaredBoolean, localAsn: declaredAsn, tunnelCidr, host: fc.constantFrom<1 | 2>(1, 2) },
                optional,
            ),
            fallbackCidr: tunnelCidr,
        })
        .map(({ declared: { host, enableBgp, ...bgp }, fallbackCidr }) => {
            const out: Declaration = { ...bgp };
            if (withEnable && enableBgp !== undefined) out.enableBgp = enableBgp;
            let cidr = bgp.tunnelCidr ?? currentCidr;
            if ((host !== undefined || asBoolean(enableBgp)) && cidr === undefined) {
                cidr = out.tunnelCidr = fallbackCidr;
            }
            if (host !== undefined && cidr !== undefined) out.localBgpIp = hostOf(cidr, host);
            return out;
        });
}

const healthCheckDeclaration = fc.record(
    {
        enable: declaredBoolean,
        dip: fc.ipV4(),
        sip: fc.ipV4(),
        interval: positiveInteger,
        retry: positiveInteger,
        policy: healthCheckPolicy,
    },
    optional,
);

const commonFields = {
    name,
    localSubnet: subnetInput,
    remoteSubnet: subnetInput,
    effectImmediately: declaredBoolean,
    autoConfigRoute: declaredBoolean,
    remoteCaCert: certificate,
};

/** Mostly the connection's own type: a change is rare in real programs. */
function networkType(observed: ObservedConnection): fc.Arbitrary<string> {
    const current =
        observed.networkType === undefined ? [] : [{ weight: 3, arbitrary: fc.constant(observed.networkType) }];
    return fc.oneof(...current, { weight: 1, arbitrary: fc.constantFrom("public", "private") });
}

function singleDeclaration(observed: ObservedConnection): fc.Arbitrary<Declaration> {
    return fc.record(
        {
            ...commonFields,
            networkType: networkType(observed),
            customerGatewayId,
            enableDpd: declaredBoolean,
            enableNatTraversal: declaredBoolean,
            ikeConfig: ikeDeclaration,
            ipsecConfig: ipsecDeclaration,
            bgpConfig: bgpDeclaration(observed.bgpConfig?.tunnelCidr, true),
            healthCheckConfig: healthCheckDeclaration,
            psk: psk(1),
        },
        optional,
    );
}

/** How a declared tunnel names the one it configures. */
type Naming = "id" | "index" | "both";

function tunnelDeclaration(tunnel: ObservedTunnel): fc.Arbitrary<Declaration> {
    return fc
        .record({
            naming: fc.constantFrom<Naming>("id", "index", "both"),
            settings: fc.record(
                {
                    customerGatewayId,
                    enableDpd: declaredBoolean,
                    enableNatTraversal: declaredBoolean,
                    tunnelIkeConfig: ikeDeclaration,
                    tunnelIpsecConfig: ipsecDeclaration,
                    tunnelBgpConfig: bgpDeclaration(tunnel.tunnelBgpConfig?.tunnelCidr, false),
                    psk: psk(1),
                },
                optional,
            ),
        })
        .map(({ naming, settings }) => ({ ...identify(tunnel, naming), ...settings }));
}

function identify(tunnel: ObservedTunnel, naming: Naming): Declaration {
    return {
        ...(naming !== "index" && { tunnelId: tunnel.tunnelId }),
        ...(naming !== "id" && { tunnelIndex: tunnel.tunnelIndex }),
    };
}

/**
 * Moves each tunnel's PSK to `tunnelPsks`, named as its entry names the
 * tunnel: what the resource class does before `check` sees the inputs.
 */
function splitTunnelPsks(tunnels: Declaration[]): Declaration {
    const psks = tunnels.flatMap(({ tunnelId, tunnelIndex, psk: key }) =>
        key === undefined
            ? []
            : [
                  {
                      ...(tunnelId !== undefined && { tunnelId }),
                      ...(tunnelIndex !== undefined && { tunnelIndex }),
                      psk: key,
                  },
              ],
    );
    return {
        tunnelOptionsSpecification: tunnels.map(({ psk: _key, ...rest }) => rest),
        ...(psks.length > 0 && { tunnelPsks: psks }),
    };
}

function dualDeclaration(observed: ObservedConnection): fc.Arbitrary<Declaration> {
    const tunnels = observed.tunnelOptionsSpecification ?? [];
    const declaredTunnels = fc
        .subarray(tunnels, { minLength: 1 })
        .chain((chosen) => fc.shuffledSubarray(chosen, { minLength: chosen.length }))
        .chain((chosen) => fc.tuple(...chosen.map(tunnelDeclaration)));
    return fc
        .record(
            {
                ...commonFields,
                networkType: networkType(observed),
                enableTunnelsBgp: declaredBoolean,
                tunnels: declaredTunnels,
            },
            optional,
        )
        .map(({ tunnels: declared, ...rest }) => ({ ...rest, ...(declared && splitTunnelPsks(declared)) }));
}

/** A declaration check accepts, for this connection (region and id included). */
export function declarationFor(conn: SeedConnection): fc.Arbitrary<Declaration> {
    const observed = observedOf(conn);
    const attributes = isDual(conn) ? dualDeclaration(observed) : singleDeclaration(observed);
    return attributes.map((decl) => ({ regionId: REGION, vpnConnectionId: conn.VpnConnectionId, ...decl }));
}

/** Every path of a declaration at which a preview may hold an unknown: whole attributes, objects, list entries and leaves. */
function unknownablePaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
    const here = prefix.length > 0 ? [prefix] : [];
    if (Array.isArray(value)) {
        return [...here, ...value.flatMap((item, index) => unknownablePaths(item, [...prefix, index]))];
    }
    if (value !== null && typeof value === "object") {
        return [...here, ...Object.entries(value).flatMap(([key, item]) => unknownablePaths(item, [...prefix, key]))];
    }
    return here;
}

function replaceAt(value: unknown, path: Array<string | number>): unknown {
    if (path.length === 0) {
        return UNKNOWN;
    }
    if (value === null || typeof value !== "object") {
        // An ancestor is already unknown.
        return value;
    }
    const [head, ...rest] = path;
    if (Array.isArray(value)) {
        return (value as unknown[]).map((item, index) => (index === head ? replaceAt(item, rest) : item));
    }
    const record = value as Record<string, unknown>;
    return { ...record, [head]: replaceAt(record[head], rest) };
}

/** The declaration as a preview sees it: some values (never the connection's region and id) not known yet. */
export function withUnknowns(decl: Declaration): fc.Arbitrary<{ decl: Declaration; unknownPaths: string[] }> {
    const paths = unknownablePaths(decl).filter((path) => path[0] !== "regionId" && path[0] !== "vpnConnectionId");
    if (paths.length === 0) {
        return fc.constant({ decl, unknownPaths: [] });
    }
    return fc.subarray(paths, { minLength: 1, maxLength: Math.min(3, paths.length) }).map((chosen) => ({
        decl: chosen.reduce<unknown>((acc, path) => replaceAt(acc, path), decl) as Declaration,
        unknownPaths: chosen.map((path) => path.join(".")),
    }));
}
