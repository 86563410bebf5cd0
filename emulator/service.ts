import { ApiError, badRequest, connectionNotFound, missingParameter } from "./errors";
import { IdempotencyCache } from "./idempotency";
import { deepMerge } from "./merge";
import { planModify } from "./modify";
import { LateReads, Readings } from "./readings";
import { describeBody, describeItem, modifyBody } from "./render";
import { Store } from "./store";
import { Negotiations } from "./negotiation";
import { TaskRunner } from "./tasks";
import type { ConnectionPatch, SeedConnection } from "./types";
import { invalidParameter } from "./validation";

/** The VPC operations the emulator serves, on top of the store and task timers. */

export interface CallContext {
    accessKeyId: string;
    requestId: string;
}

type Body = Record<string, unknown>;

const MAX_PAGE_SIZE = 50;
/** States in which the service is still busy with the connection itself. */
const CONFIGURING_STATES = ["attaching", "detaching", "provisioning", "upgrading"];

function required(params: Record<string, string>, name: string): string {
    const value = params[name];
    if (value === undefined || value === "") throw missingParameter(name);
    return value;
}

function pageParam(params: Record<string, string>, name: string, fallback: number, max: number): number {
    const raw = params[name];
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= 1 && value <= max)) throw invalidParameter(name, raw);
    return value;
}

/** Where a connection returns after a task: transit-router attachments to `attached`, gateway ones to `active`. */
function settledState(conn: SeedConnection): string | undefined {
    if (conn.AttachType === "CEN") return "attached";
    if (conn.AttachType === "VPNGW") return "active";
    return conn.State;
}

function rejectBusy(conn: SeedConnection, hasTask: boolean): void {
    if (hasTask || conn.State === "updating") throw badRequest("VpnTask.CONFLICT", "Vpn task has conflict.");
    if (conn.State === "financialLocked")
        throw badRequest("VpnConnection.FinancialLocked", "The specified service is financial locked.");
    if (conn.State !== undefined && CONFIGURING_STATES.includes(conn.State)) {
        throw badRequest("VpnConnection.Configuring", "The specified service is configuring.");
    }
}

export class VpcService {
    readonly tasks: TaskRunner;
    readonly negotiations: Negotiations;
    readonly readings: Readings;
    private readonly idempotency = new IdempotencyCache();
    private readonly lateReads = new LateReads();

    constructor(
        readonly store: Store,
        private readonly initialTaskMs: number,
        private readonly initialNegotiationMs: number,
        readings: Readings = new Readings(),
    ) {
        this.negotiations = new Negotiations(store, initialNegotiationMs);
        this.readings = readings;
        this.tasks = new TaskRunner(initialTaskMs, (id) => this.completeTask(id));
        // Tasks that were running when a previous process stopped have finished by now.
        for (const id of store.pendingIds()) this.completeTask(id);
    }

    handle(action: string, params: Record<string, string>, ctx: CallContext): Body {
        switch (action) {
            case "DescribeVpnConnection":
                return describeBody(this.shown(this.find(params)), ctx.requestId, this.readings.has("canonical"));
            case "DescribeVpnConnections":
                return this.list(params, ctx.requestId);
            case "ModifyVpnAttachmentAttribute":
                return this.modify(params, ctx);
            default:
                throw new ApiError(
                    404,
                    "InvalidAction.NotFound",
                    `Specified api "${action}" is not found, please check your url and method.`,
                );
        }
    }

    reset(): void {
        this.tasks.reset(this.initialTaskMs);
        this.negotiations.reset(this.initialNegotiationMs);
        this.store.clear();
        this.idempotency.clear();
        this.readings.reset();
        this.lateReads.forget();
    }

    remove(id: string): boolean {
        this.tasks.cancel(id);
        this.lateReads.forget(id);
        return this.store.remove(id);
    }

    /** What Describe shows of a connection: under `lateReads`, its values from before its last task, for a while. */
    private shown(conn: SeedConnection): SeedConnection {
        return this.readings.has("lateReads") ? this.lateReads.read(conn) : conn;
    }

    private find(params: Record<string, string>): SeedConnection {
        const region = required(params, "RegionId");
        const conn = this.store.get(required(params, "VpnConnectionId"));
        if (!conn || conn.State === "deleted" || (conn.RegionId !== undefined && conn.RegionId !== region))
            throw connectionNotFound();
        return conn;
    }

    private list(params: Record<string, string>, requestId: string): Body {
        const region = required(params, "RegionId");
        const pageNumber = pageParam(params, "PageNumber", 1, Number.MAX_SAFE_INTEGER);
        const pageSize = pageParam(params, "PageSize", 10, MAX_PAGE_SIZE);
        const { VpnConnectionId: id, VpnGatewayId: gateway, CustomerGatewayId: customerGateway } = params;
        const matches = this.store
            .list()
            .filter(
                (conn) =>
                    (conn.RegionId === undefined || conn.RegionId === region) &&
                    conn.State !== "deleted" &&
                    (id === undefined || conn.VpnConnectionId === id) &&
                    (gateway === undefined || conn.VpnGatewayId === gateway) &&
                    (customerGateway === undefined ||
                        conn.CustomerGatewayId === customerGateway ||
                        (conn.TunnelOptionsSpecification?.TunnelOptions ?? []).some(
                            (t) => t.CustomerGatewayId === customerGateway,
                        )),
            );
        const page = matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        return {
            TotalCount: matches.length,
            PageNumber: pageNumber,
            PageSize: pageSize,
            VpnConnections: {
                VpnConnection: page.map((conn) => describeItem(this.shown(conn), this.readings.has("canonical"))),
            },
            RequestId: requestId,
        };
    }

    private modify(params: Record<string, string>, ctx: CallContext): Body {
        required(params, "RegionId");
        required(params, "VpnConnectionId");
        const token = params.ClientToken;
        const tokenKey = `${ctx.accessKeyId}\n${token}`;
        const fingerprint = IdempotencyCache.fingerprint(params);
        if (token) {
            const earlier = this.idempotency.lookup(tokenKey, fingerprint);
            if (earlier) return earlier as Body;
        }
        const conn = this.find(params);
        const plan = planModify(params, conn, this.readings);
        const id = conn.VpnConnectionId;
        rejectBusy(conn, this.store.hasPending(id));

        const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
        this.store.setPending(id, {
            patch: plan.patch,
            settledState: settledState(conn),
            tunnelStates: Object.fromEntries(
                plan.touchedTunnelIds.map((tid) => [tid, tunnels.find((t) => t.TunnelId === tid)?.State]),
            ),
        });
        const updating = this.store.patch(id, {
            State: "updating",
            ...(plan.touchedTunnelIds.length > 0 && {
                TunnelOptionsSpecification: {
                    TunnelOptions: plan.touchedTunnelIds.map((tid) => ({ TunnelId: tid, State: "updating" })),
                },
            }),
        }) as SeedConnection;
        this.tasks.start(id);

        const body = modifyBody(deepMerge(updating, plan.patch), ctx.requestId);
        if (token) this.idempotency.remember(tokenKey, fingerprint, body);
        return body;
    }

    private completeTask(id: string): void {
        const change = this.store.takePending(id);
        if (!change || !this.store.has(id)) return;
        const tunnelStates = Object.entries(change.tunnelStates);
        const restore: ConnectionPatch = {
            State: change.settledState ?? null,
            ...(tunnelStates.length > 0 && {
                TunnelOptionsSpecification: {
                    TunnelOptions: tunnelStates.map(([tid, state]) => ({ TunnelId: tid, State: state ?? null })),
                },
            }),
        };
        if (this.readings.has("lateReads")) {
            const before = this.store.get(id);
            if (before) this.lateReads.remember(deepMerge(before, restore));
        }
        // Two patches: merging them first would turn a `null` (remove) into a missing key.
        this.store.patch(id, change.patch);
        this.store.patch(id, restore);
        this.negotiations.afterTask(id, Object.keys(change.tunnelStates));
    }
}
