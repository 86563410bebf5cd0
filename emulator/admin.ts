import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallLog } from "./calllog";
import type { PeerSide } from "./negotiation";
import type { DropRule, FailRule, Faults, LatencyRule, ThrottleRule } from "./faults";
import { parseReadings, type ReadingName } from "./readings";
import type { VpcService } from "./service";
import type { SignatureVerifier } from "./signature";
import type { CallRecord, ConnectionPatch, SeedConnection } from "./types";

/** Test control of the emulator: the same operations in process and under `/__admin/`. */
export interface EmulatorAdmin {
    /** Adds or replaces connections (Describe-shaped, plus RegionId). */
    seed(conn: SeedConnection | SeedConnection[]): void;
    /** The stored connection, Psk included; throws (404 over HTTP) when unknown. */
    get(id: string): SeedConnection;
    list(): SeedConnection[];
    /** Deep-merges into a connection (null removes a field; tunnels matched by TunnelId); throws when unknown. */
    patch(id: string, patch: ConnectionPatch): SeedConnection;
    remove(id: string): boolean;
    calls(): CallRecord[];
    clearCalls(): void;
    /** Duration of Modify tasks started from now on, globally or for one connection. */
    setTaskDuration(ms: number, connectionId?: string): void;
    /** How long a tunnel with a peer takes to negotiate after a task, from now on. */
    setNegotiationDuration(ms: number): void;
    /**
     * The customer's side of a tunnel (`tunnelId`) or of a single-tunnel
     * connection (no tunnelId); null removes it. The tunnel negotiates with it at once.
     */
    setPeer(connectionId: string, peer: PeerSide | null, tunnelId?: string): void;
    /** Rotates the accepted STS token; the previous one is then answered as expired. */
    setSecurityToken(token: string | undefined): void;
    /** Which readings of the service are on (readings.ts); `reset` goes back to those given at start. */
    setReadings(names: ReadingName[]): void;
    readings(): ReadingName[];
    failNext(rule: FailRule): void;
    latency(rule: LatencyRule): void;
    dropNext(rule: DropRule): void;
    throttle(rule: ThrottleRule): void;
    /** A stuck connection's task never ends until released with `stuck(id, false)` or clearFaults(). */
    stuck(connectionId: string, stuck?: boolean): void;
    clearFaults(): void;
    /** Back to an empty emulator: no connections, calls, faults, tokens or per-connection settings. */
    reset(): void;
}

export class AdminError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
    }
}

export class Admin implements EmulatorAdmin {
    constructor(
        private readonly service: VpcService,
        private readonly faults: Faults,
        private readonly log: CallLog,
        private readonly verifier: SignatureVerifier,
    ) {}

    seed(conn: SeedConnection | SeedConnection[]): void {
        const conns = Array.isArray(conn) ? conn : [conn];
        const peers = conns.flatMap(peersOf);
        this.service.store.put(conns.map(withoutPeers));
        for (const { connectionId, tunnelId, peer } of peers) this.setPeer(connectionId, peer, tunnelId);
    }

    get(id: string): SeedConnection {
        const conn = this.service.store.get(id);
        if (!conn) throw new AdminError(404, `Connection ${id} does not exist.`);
        return conn;
    }

    list(): SeedConnection[] {
        return this.service.store.list();
    }

    patch(id: string, patch: ConnectionPatch): SeedConnection {
        const updated = this.service.store.patch(id, patch);
        if (!updated) throw new AdminError(404, `Connection ${id} does not exist.`);
        return updated;
    }

    remove(id: string): boolean {
        return this.service.remove(id);
    }

    calls(): CallRecord[] {
        return this.log.list();
    }

    clearCalls(): void {
        this.log.clear();
    }

    setTaskDuration(ms: number, connectionId?: string): void {
        this.service.tasks.setDuration(ms, connectionId);
    }

    setNegotiationDuration(ms: number): void {
        this.service.negotiations.setDuration(ms);
    }

    setPeer(connectionId: string, peer: PeerSide | null, tunnelId?: string): void {
        const conn = this.get(connectionId);
        if (
            tunnelId !== undefined &&
            !conn.TunnelOptionsSpecification?.TunnelOptions?.some((t) => t.TunnelId === tunnelId)
        )
            throw new AdminError(404, `Connection ${connectionId} has no tunnel ${tunnelId}.`);
        if (peer !== null && (typeof peer !== "object" || Array.isArray(peer)))
            throw new AdminError(400, "peer must be an object or null.");
        this.service.negotiations.setPeer(connectionId, tunnelId, peer);
    }

    setSecurityToken(token: string | undefined): void {
        this.verifier.setSecurityToken(token);
    }

    setReadings(names: ReadingName[]): void {
        this.service.readings.set(parseReadings(names));
    }

    readings(): ReadingName[] {
        return this.service.readings.list();
    }

    failNext(rule: FailRule): void {
        this.faults.failNext(rule);
    }

    latency(rule: LatencyRule): void {
        this.faults.latency(rule);
    }

    dropNext(rule: DropRule): void {
        this.faults.dropNext(rule);
    }

    throttle(rule: ThrottleRule): void {
        this.faults.throttle(rule);
    }

    stuck(connectionId: string, stuck = true): void {
        this.service.tasks.setStuck(connectionId, stuck);
    }

    clearFaults(): void {
        this.faults.clear();
        this.service.tasks.releaseAll();
    }

    reset(): void {
        this.service.reset();
        this.faults.clear();
        this.log.clear();
        this.verifier.reset();
    }
}

/** The peers a seeded connection carries (`Peer`, on it or on its tunnels). */
function peersOf(conn: SeedConnection): Array<{ connectionId: string; tunnelId?: string; peer: PeerSide }> {
    const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
    return [
        ...(conn.Peer ? [{ connectionId: conn.VpnConnectionId, peer: conn.Peer }] : []),
        ...tunnels.flatMap((t) =>
            t.Peer ? [{ connectionId: conn.VpnConnectionId, tunnelId: t.TunnelId, peer: t.Peer }] : [],
        ),
    ];
}

/** The connection as stored: Describe never reports a peer. */
function withoutPeers(conn: SeedConnection): SeedConnection {
    const { Peer: _peer, ...rest } = conn;
    const tunnels = rest.TunnelOptionsSpecification?.TunnelOptions;
    if (!Array.isArray(tunnels)) return rest;
    return {
        ...rest,
        TunnelOptionsSpecification: { TunnelOptions: tunnels.map(({ Peer: _tunnelPeer, ...tunnel }) => tunnel) },
    };
}

/* ---- HTTP mapping under /__admin/ ---- */

type Json = unknown;

function isLoopback(address: string | undefined): boolean {
    return !!address && (address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127."));
}

/**
 * A web page can send a cross-site POST without the browser asking first only
 * with a form or text/plain body, or none; requiring JSON on every write makes
 * the browser ask (a CORS preflight), which the admin API never approves.
 */
function isJson(contentType: string | undefined): boolean {
    return contentType?.split(";")[0].trim().toLowerCase() === "application/json";
}

function send(res: ServerResponse, status: number, body: Json): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
}

function asObject(body: Json): Record<string, unknown> {
    if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new AdminError(400, "Expected a JSON object.");
    return body as Record<string, unknown>;
}

function applyFault(admin: EmulatorAdmin, body: Record<string, unknown>): void {
    const { kind, ...rule } = body;
    switch (kind) {
        case "fail":
            return admin.failNext(rule as unknown as FailRule);
        case "latency":
            return admin.latency(rule as unknown as LatencyRule);
        case "drop":
            return admin.dropNext(rule);
        case "throttle":
            return admin.throttle(rule as unknown as ThrottleRule);
        case "stuck":
            if (typeof rule.connectionId !== "string") throw new AdminError(400, "connectionId must be a string.");
            return admin.stuck(rule.connectionId, rule.stuck !== false);
        default:
            throw new AdminError(400, "kind must be one of fail, latency, drop, throttle, stuck.");
    }
}

function applySettings(admin: EmulatorAdmin, body: Record<string, unknown>): void {
    const { taskDurationMs, negotiationMs, connectionId, securityToken, readings } = body;
    if (negotiationMs !== undefined) {
        if (typeof negotiationMs !== "number") throw new AdminError(400, "negotiationMs must be a number.");
        admin.setNegotiationDuration(negotiationMs);
    }
    if (readings !== undefined) {
        try {
            admin.setReadings(parseReadings(readings));
        } catch (error) {
            throw new AdminError(400, (error as Error).message);
        }
    }
    if (taskDurationMs !== undefined) {
        if (typeof taskDurationMs !== "number") throw new AdminError(400, "taskDurationMs must be a number.");
        if (connectionId !== undefined && typeof connectionId !== "string")
            throw new AdminError(400, "connectionId must be a string.");
        admin.setTaskDuration(taskDurationMs, connectionId);
    }
    if (securityToken !== undefined) {
        if (securityToken !== null && typeof securityToken !== "string")
            throw new AdminError(400, "securityToken must be a string or null.");
        admin.setSecurityToken(securityToken ?? undefined);
    }
}

function route(admin: EmulatorAdmin, method: string, path: string[], body: Json): [number, Json] {
    const [resource, id, ...rest] = path;
    if (rest.length > 0) throw new AdminError(404, "No such admin route.");
    const target = id === undefined ? undefined : decodeURIComponent(id);
    const key = `${method} ${resource}${target === undefined ? "" : "/:id"}`;
    switch (key) {
        case "GET connections":
            return [200, admin.list()];
        case "POST connections": {
            const conns = (Array.isArray(body) ? body : [asObject(body)]) as SeedConnection[];
            admin.seed(conns);
            return [201, conns.map((conn) => admin.get(conn.VpnConnectionId))];
        }
        case "GET connections/:id":
            return [200, admin.get(target as string)];
        case "PATCH connections/:id":
            return [200, admin.patch(target as string, asObject(body))];
        case "DELETE connections/:id":
            if (!admin.remove(target as string)) throw new AdminError(404, `Connection ${target} does not exist.`);
            return [200, { removed: target }];
        case "GET calls":
            return [200, admin.calls()];
        case "DELETE calls":
            admin.clearCalls();
            return [200, {}];
        case "POST faults":
            applyFault(admin, asObject(body));
            return [201, {}];
        case "DELETE faults":
            admin.clearFaults();
            return [200, {}];
        case "GET readings":
            return [200, admin.readings()];
        case "PUT settings":
            applySettings(admin, asObject(body));
            return [200, {}];
        case "PUT peers/:id": {
            const { tunnelId, peer } = asObject(body);
            if (tunnelId !== undefined && typeof tunnelId !== "string")
                throw new AdminError(400, "tunnelId must be a string.");
            if (peer === undefined) throw new AdminError(400, "peer is required: an object, or null to remove it.");
            admin.setPeer(target as string, peer, tunnelId);
            return [200, {}];
        }
        case "POST reset":
            admin.reset();
            return [200, {}];
        default:
            throw new AdminError(404, `No admin route ${method} /__admin/${path.join("/")}.`);
    }
}

/** Serves `/__admin/...`; callers must be on the loopback interface and send JSON with everything but GET. */
export function handleAdmin(
    admin: EmulatorAdmin,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    rawBody: Buffer,
): void {
    if (!isLoopback(req.socket.remoteAddress))
        return send(res, 403, { error: "The admin API only answers loopback clients." });
    if (req.method !== "GET" && !isJson(req.headers["content-type"])) {
        return send(res, 415, {
            error: `Admin ${req.method} requests must be sent with Content-Type: application/json.`,
        });
    }
    try {
        let body: Json;
        try {
            body = rawBody.length === 0 ? undefined : JSON.parse(rawBody.toString("utf8"));
        } catch {
            throw new AdminError(400, "The body is not valid JSON.");
        }
        const segments = path
            .slice("/__admin/".length)
            .split("/")
            .filter((s) => s !== "");
        const [status, answer] = route(admin, req.method ?? "GET", segments, body);
        send(res, status, answer);
    } catch (error) {
        send(res, error instanceof AdminError ? error.status : 400, { error: (error as Error).message });
    }
}
