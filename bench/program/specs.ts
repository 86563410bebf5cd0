/**
 * What the benchmark stacks declare, generated from three config values so
 * that a scenario changes config, not code:
 *
 *   vpn-bench:count   how many resources
 *   vpn-bench:prefix  connection ids are vco-<prefix>-<i>
 *   vpn-bench:gen     0 declares the emulator fixtures' own values (so the
 *                     first `up` makes no Modify); every other value changes
 *                     the name and the IKE lifetime of every resource
 *
 * (program/vpn.ts also reads vpn-bench:source and vpn-bench:package.)
 *
 * Even indexes are single-tunnel connections, odd ones dual-tunnel (the
 * emulator is seeded to match, see bench/fixtures.ts). Type-only imports:
 * the do-nothing stack must not load the provider.
 */
import type { TunnelOptionsArgs, VpnAttachmentAttributeArgs } from "../../provider";

export const PROJECT = "vpn-bench";
/** Config key (in the project's namespace) naming the installed package, for `source: package`. */
export const PACKAGE_CONFIG_KEY = "package";

export interface StackSettings {
    count: number;
    prefix: string;
    gen: number;
}

export function connectionId(prefix: string, index: number): string {
    return `vco-${prefix}-${String(index).padStart(3, "0")}`;
}

export function isDual(index: number): boolean {
    return index % 2 === 1;
}

/** The fixtures' IKE lifetime is 86400; each generation takes 60 s off. */
function ikeLifetime(gen: number): number {
    return 86400 - 60 * gen;
}

function name(prefix: string, index: number, gen: number): string {
    const id = connectionId(prefix, index);
    return gen === 0 ? `emulator-${id.replace(/^vco-/, "")}` : `bench-g${gen}-${id.replace(/^vco-/, "")}`;
}

export function resourceArgs(settings: StackSettings, index: number): VpnAttachmentAttributeArgs {
    const { prefix, gen } = settings;
    const common = {
        regionId: "cn-hangzhou",
        vpnConnectionId: connectionId(prefix, index),
        timeoutSeconds: 600,
        name: name(prefix, index, gen),
        localSubnet: "0.0.0.0/0",
        remoteSubnet: "0.0.0.0/0",
    };
    if (isDual(index)) {
        const tunnel = (tunnelIndex: number): TunnelOptionsArgs => ({
            tunnelIndex,
            tunnelIkeConfig: { ikeVersion: "ikev2", ikePfs: "group2", ikeLifetime: ikeLifetime(gen) },
            tunnelIpsecConfig: { ipsecPfs: "group2", ipsecLifetime: 86400 },
        });
        return { ...common, enableTunnelsBgp: true, tunnelOptionsSpecification: [tunnel(1), tunnel(2)] };
    }
    return {
        ...common,
        enableDpd: true,
        ikeConfig: {
            ikeVersion: "ikev2",
            ikeEncAlg: "aes",
            ikeAuthAlg: "sha1",
            ikePfs: "group2",
            ikeLifetime: ikeLifetime(gen),
        },
        ipsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 },
    };
}

/** Reads the settings from a `pulumi.Config`-like object. */
export function readSettings(config: {
    requireNumber(key: string): number;
    require(key: string): string;
}): StackSettings {
    return { count: config.requireNumber("count"), prefix: config.require("prefix"), gen: config.requireNumber("gen") };
}
