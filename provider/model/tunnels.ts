/**
 * Which tunnel an entry names. A program names a tunnel by tunnelId, by
 * tunnelIndex or by both (and so does a `tunnelPsks` entry); the id wins when
 * both sides have one, since an index can be mistaken, and the index decides
 * otherwise.
 */
export interface NamedTunnel {
    tunnelId?: string;
    tunnelIndex?: number;
}

/** True when `entry` names `tunnel`: by id when both have one, else by index. */
export function namesTunnel(entry: NamedTunnel, tunnel: NamedTunnel): boolean {
    return entry.tunnelId !== undefined && tunnel.tunnelId !== undefined
        ? entry.tunnelId === tunnel.tunnelId
        : entry.tunnelIndex === tunnel.tunnelIndex;
}

/** The tunnel of `tunnels` that `entry` names. */
export function matchTunnel<T extends NamedTunnel>(
    entry: NamedTunnel,
    tunnels: readonly T[] | undefined,
): T | undefined {
    return tunnels?.find((tunnel) => namesTunnel(entry, tunnel));
}
