import { deepMerge } from "../../emulator/merge";
import { bgpEnabled, failingPhase, PeerSide, Phase, statusAt } from "../../emulator/negotiation";
import { describeBody } from "../../emulator/render";
import { ConnectionPatch, SeedConnection } from "../../emulator/types";
import { VpcApi } from "../../provider/service/client";
import { ModifyRequest } from "../../provider/model/requests";
import { VirtualClock } from "./virtualClock";

/** A negotiation under way: when it started, and where the peer stops it. */
interface Negotiation {
    startedAt: number;
    failing: Phase;
    bgp: boolean;
}

/** One Modify as the fake saw it: when, which tunnels it carried, and every tunnel's Status at that moment. */
export interface SentModify {
    at: number;
    request: ModifyRequest;
    tunnelIds: string[];
    statusBefore: Record<string, string | undefined>;
}

/**
 * A connection and its peers on the virtual clock, for the rollout's waits:
 * a Modify's task ends `taskMs` after it is accepted and applies the tunnel
 * settings it carries (IKE, IPsec, BGP: the keys in the API's casing); then
 * each tunnel it touched (or the single-tunnel connection) negotiates with
 * its peer as the emulator's model does (emulator/negotiation.ts), over
 * `negotiationMs`. A tunnel without a peer keeps its Status.
 */
export class PeerVpc implements VpcApi {
    readonly modifies: SentModify[] = [];
    readonly peers = new Map<string, PeerSide>();
    taskMs = 1_000;
    negotiationMs = 10_000;
    /** Called at each Describe once the task has caught up: a test plays another actor here, changing the connection. */
    actor: (conn: SeedConnection) => void = () => undefined;
    private pending: { request: ModifyRequest; endsAt: number } | undefined;
    private readonly negotiations = new Map<string, Negotiation>();

    constructor(
        private readonly clock: VirtualClock,
        readonly connection: SeedConnection,
    ) {}

    /** The peer of a tunnel, or (no tunnelId) of the single-tunnel connection. */
    setPeer(peer: PeerSide, tunnelId = ""): void {
        this.peers.set(tunnelId, peer);
    }

    describeVpnConnection(): Promise<Record<string, unknown> | undefined> {
        this.catchUp();
        this.actor(this.connection);
        return Promise.resolve(describeBody(this.current(), "REQ-D"));
    }

    describeVpnConnections(): Promise<Record<string, unknown>> {
        return Promise.reject(new Error("the rollout reads one connection at a time"));
    }

    modifyVpnAttachmentAttribute(
        request: ModifyRequest,
    ): Promise<{ requestId: string; body: Record<string, unknown> }> {
        this.catchUp();
        if (this.pending) {
            return Promise.reject(new Error("a task is already running"));
        }
        const now = this.current();
        this.modifies.push({
            at: this.clock.now(),
            request,
            tunnelIds: (request.tunnelOptionsSpecification ?? []).map((t) => t.tunnelId),
            statusBefore: Object.fromEntries(this.tunnels(now).map((t) => [t.TunnelId, t.Status])),
        });
        this.pending = { request, endsAt: this.clock.now() + this.taskMs };
        return Promise.resolve({ requestId: "REQ-M", body: { RequestId: "REQ-M" } });
    }

    /** The connection with its Status as the negotiations under way report it now. */
    current(): SeedConnection {
        this.catchUp();
        let conn: SeedConnection = { ...this.connection, State: this.pending ? "updating" : this.connection.State };
        for (const [tunnelId, n] of this.negotiations) {
            const { status, bgpStatus } = statusAt(
                n.failing,
                this.clock.now() - n.startedAt,
                this.negotiationMs,
                n.bgp,
            );
            conn = deepMerge(conn, statusPatch(tunnelId, status, bgpStatus));
        }
        return conn;
    }

    private tunnels(conn: SeedConnection) {
        return conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
    }

    private catchUp(): void {
        if (!this.pending || this.clock.now() < this.pending.endsAt) {
            return;
        }
        const { request, endsAt } = this.pending;
        this.pending = undefined;
        Object.assign(this.connection, deepMerge(this.connection, patchOf(request)));
        const touched = this.tunnels(this.connection).length > 0 ? (request.tunnelOptionsSpecification ?? []) : [];
        for (const tunnelId of touched.length > 0 ? touched.map((t) => t.tunnelId) : [""]) {
            const peer = this.peers.get(tunnelId);
            if (peer) {
                const id = tunnelId === "" ? undefined : tunnelId;
                this.negotiations.set(tunnelId, {
                    startedAt: endsAt,
                    failing: failingPhase(peer, this.connection, id),
                    bgp: bgpEnabled(this.connection, id),
                });
            }
        }
    }
}

function statusPatch(tunnelId: string, status: string, bgpStatus: string | undefined): ConnectionPatch {
    if (tunnelId === "") {
        return { Status: status, ...(bgpStatus !== undefined && { VpnBgpConfig: { Status: bgpStatus } }) };
    }
    const bgp = bgpStatus === undefined ? {} : { TunnelBgpConfig: { BgpStatus: bgpStatus } };
    return { TunnelOptionsSpecification: { TunnelOptions: [{ TunnelId: tunnelId, Status: status, ...bgp }] } };
}

/** `ikeVersion` → `IkeVersion`. */
function apiKeys(config: object | undefined, asText: boolean): Record<string, unknown> | undefined {
    if (config === undefined) {
        return undefined;
    }
    return Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), asText ? String(v) : v]),
    );
}

/** What the request changes, as a patch of the stored connection (the settings negotiation reads). */
function patchOf(request: ModifyRequest): ConnectionPatch {
    const tunnels = (request.tunnelOptionsSpecification ?? []).map((t) => ({
        TunnelId: t.tunnelId,
        TunnelIkeConfig: apiKeys(t.tunnelIkeConfig, true),
        TunnelIpsecConfig: apiKeys(t.tunnelIpsecConfig, true),
        TunnelBgpConfig: apiKeys(t.tunnelBgpConfig, true),
    }));
    return {
        ...(request.name !== undefined && { Name: request.name }),
        ...(request.ikeConfig !== undefined && { IkeConfig: JSON.parse(request.ikeConfig) as object }),
        ...(request.ipsecConfig !== undefined && { IpsecConfig: JSON.parse(request.ipsecConfig) as object }),
        ...(tunnels.length > 0 && { TunnelOptionsSpecification: { TunnelOptions: tunnels } }),
    };
}
