import { checkTaskDuration } from "./tasks";
import type { Store } from "./store";
import type { ConnectionPatch, IkeConfig, IpsecConfig, SeedConnection, TunnelOptions } from "./types";

/**
 * A model of the customer's side (docs/fidelity.md): the real service reports
 * each tunnel's negotiation Status, but how fast it moves, and why, depends on
 * a gateway the emulator does not have. Here the peer is what a test says it
 * is, in the API's names; a key it leaves out is not checked.
 */
export interface PeerSide {
    Psk?: string;
    /** LocalId is the peer's own identity (the tunnel's RemoteId), RemoteId the one it expects (the tunnel's LocalId). */
    IkeConfig?: Omit<IkeConfig, "Psk">;
    IpsecConfig?: IpsecConfig;
    /** The peer's BGP address, and the address it expects of the tunnel (the tunnel's LocalBgpIp). */
    Bgp?: { LocalBgpIp?: string; PeerBgpIp?: string };
}

/** How long negotiation takes after a task ends, unless set: phase 1 at half of it, phase 2 at the end. */
export const DEFAULT_NEGOTIATION_MS = 1000;

export type Phase = "phase1" | "phase2" | "bgp" | "none";

/** Settings of a tunnel, or of a single-tunnel connection, as negotiation reads them. */
interface Negotiated {
    ike?: Record<string, unknown>;
    ipsec?: Record<string, unknown>;
    localBgpIp?: string;
    bgpEnabled: boolean;
}

/** Equal, a lifetime reported as a string included; a key the peer leaves out agrees with anything. */
function sameValue(peer: unknown, ours: unknown): boolean {
    return peer === undefined || primitive(peer) === primitive(ours);
}

function primitive(value: unknown): string {
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value);
}

function mismatches(peer: Record<string, unknown> | undefined, ours: Record<string, unknown> | undefined): boolean {
    return Object.entries(peer ?? {}).some(([key, value]) => !sameValue(value, ours?.[key]));
}

function settingsOf(conn: SeedConnection, tunnel: TunnelOptions | undefined): Negotiated {
    if (tunnel) {
        return {
            ike: tunnel.TunnelIkeConfig as Record<string, unknown> | undefined,
            ipsec: tunnel.TunnelIpsecConfig as Record<string, unknown> | undefined,
            localBgpIp: tunnel.TunnelBgpConfig?.LocalBgpIp,
            bgpEnabled: bgpEnabled(conn, tunnel.TunnelId),
        };
    }
    return {
        ike: conn.IkeConfig as Record<string, unknown> | undefined,
        ipsec: conn.IpsecConfig as Record<string, unknown> | undefined,
        localBgpIp: conn.VpnBgpConfig?.LocalBgpIp,
        bgpEnabled: bgpEnabled(conn),
    };
}

/** The first phase in which the peer disagrees with the tunnel `tunnelId` of `conn` (none: the connection itself). */
export function failingPhase(peer: PeerSide, conn: SeedConnection, tunnelId?: string): Phase {
    const ours = settingsOf(
        conn,
        conn.TunnelOptionsSpecification?.TunnelOptions?.find((t) => t.TunnelId === tunnelId),
    );
    const { LocalId, RemoteId, ...ike } = peer.IkeConfig ?? {};
    const idsDiffer = !sameValue(LocalId, ours.ike?.RemoteId) || !sameValue(RemoteId, ours.ike?.LocalId);
    if (!sameValue(peer.Psk, ours.ike?.Psk) || mismatches(ike, ours.ike) || idsDiffer) return "phase1";
    if (mismatches(peer.IpsecConfig as Record<string, unknown> | undefined, ours.ipsec)) return "phase2";
    if (ours.bgpEnabled && !sameValue(peer.Bgp?.PeerBgpIp, ours.localBgpIp)) return "bgp";
    return "none";
}

/** Whether BGP runs over the tunnel (or the single-tunnel connection), so its BGP status is reported. */
export function bgpEnabled(conn: SeedConnection, tunnelId?: string): boolean {
    return tunnelId === undefined ? conn.VpnBgpConfig?.EnableBgp === "true" : conn.EnableTunnelsBgp === true;
}

/**
 * What a negotiation reports `elapsedMs` after it started: phase 1 is done at
 * half of `negotiationMs`, phase 2 at the end, each only if the peer agrees.
 */
export function statusAt(
    failing: Phase,
    elapsedMs: number,
    negotiationMs: number,
    bgp: boolean,
): { status: string; bgpStatus?: string } {
    const phase1 = failing !== "phase1" && elapsedMs >= negotiationMs / 2;
    const phase2 = phase1 && elapsedMs >= negotiationMs;
    const status = !phase1
        ? "ike_sa_not_established"
        : !phase2
          ? "ike_sa_established"
          : failing === "phase2"
            ? "ipsec_sa_not_established"
            : "ipsec_sa_established";
    return { status, ...(bgp && { bgpStatus: phase2 && failing === "none" ? "success" : "false" }) };
}

/** The patch that reports `status` (and BGP status, where BGP is on) on the tunnel or the connection. */
function statusPatch(tunnelId: string | undefined, status: string, bgp: string | undefined): ConnectionPatch {
    if (tunnelId === undefined) {
        return { Status: status, ...(bgp !== undefined && { VpnBgpConfig: { Status: bgp } }) };
    }
    return {
        TunnelOptionsSpecification: {
            TunnelOptions: [
                {
                    TunnelId: tunnelId,
                    Status: status,
                    ...(bgp !== undefined && { TunnelBgpConfig: { BgpStatus: bgp } }),
                },
            ],
        },
    };
}

function key(connectionId: string, tunnelId: string | undefined): string {
    return tunnelId === undefined ? connectionId : `${connectionId}/${tunnelId}`;
}

/**
 * Negotiation of the tunnels that have a peer: after a task on them, or when
 * their peer changes, the Status moves from ike_sa_not_established through
 * ike_sa_established to ipsec_sa_established over `negotiationMs`, as far as
 * the peer agrees. A PSK, IKE or identity mismatch stops it in phase 1
 * (ike_sa_not_established), an IPsec mismatch in phase 2
 * (ipsec_sa_not_established); a BGP address mismatch leaves BGP "false".
 * Tunnels without a peer keep whatever Status they have, as before.
 */
export class Negotiations {
    private readonly peers = new Map<string, PeerSide>();
    private readonly timers = new Map<string, NodeJS.Timeout[]>();

    constructor(
        private readonly store: Store,
        private negotiationMs = DEFAULT_NEGOTIATION_MS,
    ) {
        checkTaskDuration(negotiationMs);
    }

    setDuration(ms: number): void {
        this.negotiationMs = checkTaskDuration(ms);
    }

    /** Sets (or, with null, removes) the peer of a tunnel or of a single-tunnel connection, and negotiates with it. */
    setPeer(connectionId: string, tunnelId: string | undefined, peer: PeerSide | null): void {
        const id = key(connectionId, tunnelId);
        this.cancel(id);
        if (peer === null) {
            this.peers.delete(id);
            return;
        }
        this.peers.set(id, structuredClone(peer));
        this.negotiate(connectionId, tunnelId);
    }

    /** After a task: the tunnels it touched (none: the single-tunnel connection) negotiate again. */
    afterTask(connectionId: string, tunnelIds: string[]): void {
        const conn = this.store.get(connectionId);
        const dual = (conn?.TunnelOptionsSpecification?.TunnelOptions?.length ?? 0) > 0;
        for (const tunnelId of dual ? tunnelIds : [undefined]) this.negotiate(connectionId, tunnelId);
    }

    reset(negotiationMs: number): void {
        for (const id of [...this.timers.keys()]) this.cancel(id);
        this.peers.clear();
        this.negotiationMs = negotiationMs;
    }

    stopAll(): void {
        for (const id of [...this.timers.keys()]) this.cancel(id);
    }

    private negotiate(connectionId: string, tunnelId: string | undefined): void {
        const id = key(connectionId, tunnelId);
        const peer = this.peers.get(id);
        const conn = this.store.get(connectionId);
        if (!peer || !conn) return;
        if (
            tunnelId !== undefined &&
            !conn.TunnelOptionsSpecification?.TunnelOptions?.some((t) => t.TunnelId === tunnelId)
        )
            return;
        const failing = failingPhase(peer, conn, tunnelId);
        const bgp = bgpEnabled(conn, tunnelId);
        const report = (at: number) => {
            const { status, bgpStatus } = statusAt(failing, at, this.negotiationMs, bgp);
            return statusPatch(tunnelId, status, bgpStatus);
        };
        this.cancel(id);
        this.store.patch(connectionId, report(0));
        const timers = [this.negotiationMs / 2, this.negotiationMs]
            .filter((at) => at > 0)
            .map((at) => {
                const timer = setTimeout(
                    () => this.store.has(connectionId) && this.store.patch(connectionId, report(at)),
                    at,
                );
                timer.unref();
                return timer;
            });
        this.timers.set(id, timers);
    }

    private cancel(id: string): void {
        for (const timer of this.timers.get(id) ?? []) clearTimeout(timer);
        this.timers.delete(id);
    }
}
