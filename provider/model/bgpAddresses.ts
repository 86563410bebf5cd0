/**
 * The API's rule that LocalBgpIp lies inside TunnelCidr, applied to the BGP
 * config a Modify would carry: the declared keys plus the connection's
 * current value of every key the program leaves out. A value carried over
 * from the connection can break the rule (a new tunnelCidr with the old
 * localBgpIp); the provider cannot choose the address for the user, so it
 * names the property to declare instead of sending what the service refuses.
 */
import { TunnelBgpConfig } from "./types";
import { formatIpv4, ipInCidr, parseCidr, parseIpv4 } from "./ipv4";

type BgpAddresses = Pick<TunnelBgpConfig, "tunnelCidr" | "localBgpIp">;

/**
 * Why the BGP config sent for `path` (e.g. `bgpConfig`,
 * `tunnelOptionsSpecification[0].tunnelBgpConfig`) would break the rule, or
 * undefined when it keeps it. Values that are not known yet (preview) or do
 * not parse are left to check and to the service.
 */
export function bgpAddressConflict(
    path: string,
    declared: BgpAddresses,
    current: BgpAddresses | undefined,
): string | undefined {
    // A value that is missing or not text parses as nothing below.
    const tunnelCidr = String(declared.tunnelCidr ?? current?.tunnelCidr);
    const localBgpIp = String(declared.localBgpIp ?? current?.localBgpIp);
    const block = parseCidr(tunnelCidr);
    if (block === undefined || parseIpv4(localBgpIp) === undefined || ipInCidr(localBgpIp, tunnelCidr)) {
        return undefined;
    }
    const hosts = `${formatIpv4(block.network + 1)} to ${formatIpv4(block.broadcast - 1)}`;
    if (declared.localBgpIp === undefined) {
        // Both may be the connection's own: a changed config carries them over as they are.
        const whose = declared.tunnelCidr === undefined ? "its" : "the declared";
        return (
            `${path}.localBgpIp must be declared: the connection's localBgpIp ${localBgpIp} is not inside ${whose} ` +
            `tunnelCidr ${tunnelCidr}, and the API requires LocalBgpIp to lie in TunnelCidr. ` +
            `Declare ${path}.localBgpIp as an address of ${tunnelCidr} (${hosts})`
        );
    }
    if (declared.tunnelCidr === undefined) {
        return (
            `${path}.tunnelCidr must be declared: the declared localBgpIp ${localBgpIp} is not inside the connection's ` +
            `tunnelCidr ${tunnelCidr}, and the API requires LocalBgpIp to lie in TunnelCidr. ` +
            `Declare ${path}.tunnelCidr as the block that holds ${localBgpIp}`
        );
    }
    return `${path}.localBgpIp ${localBgpIp} must lie inside ${path}.tunnelCidr ${tunnelCidr} (${hosts})`;
}
