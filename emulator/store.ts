import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { readJsonFile, writeFileAtomically } from "./jsonfile";
import { clone, deepMerge } from "./merge";
import type { ConnectionPatch, SeedConnection } from "./types";

/** A Modify accepted but not yet applied (the change lands when its task ends). */
export interface PendingChange {
    patch: ConnectionPatch;
    /** Connection State to report once the task ends. */
    settledState?: string;
    /** State to restore on each tunnel the request touched. */
    tunnelStates: Record<string, string | undefined>;
}

interface StateFile {
    connections: SeedConnection[];
    pending: Record<string, PendingChange>;
}

function checkSeed(conn: SeedConnection): void {
    if (
        typeof conn !== "object" ||
        conn === null ||
        typeof conn.VpnConnectionId !== "string" ||
        conn.VpnConnectionId === ""
    ) {
        throw new Error("A connection needs a non-empty string VpnConnectionId.");
    }
    const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions;
    if (tunnels !== undefined && (!Array.isArray(tunnels) || tunnels.some((t) => typeof t?.TunnelId !== "string"))) {
        throw new Error(
            `Connection ${conn.VpnConnectionId}: TunnelOptionsSpecification.TunnelOptions must be an array of tunnels with a TunnelId.`,
        );
    }
}

/**
 * Connections and their pending changes, in memory and optionally mirrored to
 * a JSON file (rewritten atomically after every change) so a demo survives a
 * restart. Readers get copies; callers never hold live records.
 */
export class Store {
    private readonly connections = new Map<string, SeedConnection>();
    private readonly pending = new Map<string, PendingChange>();

    constructor(private readonly stateFile?: string) {
        if (stateFile && existsSync(stateFile)) {
            const state = readJsonFile(stateFile) as StateFile;
            for (const conn of state.connections ?? []) {
                checkSeed(conn);
                this.connections.set(conn.VpnConnectionId, conn);
            }
            for (const [id, change] of Object.entries(state.pending ?? {})) this.pending.set(id, change);
        }
    }

    has(id: string): boolean {
        return this.connections.has(id);
    }

    get(id: string): SeedConnection | undefined {
        const conn = this.connections.get(id);
        return conn && clone(conn);
    }

    list(): SeedConnection[] {
        return [...this.connections.values()].map((conn) => clone(conn));
    }

    /** Adds or replaces connections, all or none. */
    put(conns: SeedConnection[]): void {
        conns.forEach(checkSeed);
        for (const conn of conns) {
            this.connections.set(conn.VpnConnectionId, clone(conn));
            this.pending.delete(conn.VpnConnectionId);
        }
        this.save();
    }

    patch(id: string, patch: ConnectionPatch): SeedConnection | undefined {
        const conn = this.connections.get(id);
        if (!conn) return undefined;
        const merged = deepMerge(conn, { ...patch, VpnConnectionId: id });
        checkSeed(merged);
        this.connections.set(id, merged);
        this.save();
        return clone(merged);
    }

    remove(id: string): boolean {
        const existed = this.connections.delete(id);
        this.pending.delete(id);
        if (existed) this.save();
        return existed;
    }

    clear(): void {
        this.connections.clear();
        this.pending.clear();
        this.save();
    }

    pendingIds(): string[] {
        return [...this.pending.keys()];
    }

    hasPending(id: string): boolean {
        return this.pending.has(id);
    }

    setPending(id: string, change: PendingChange): void {
        this.pending.set(id, clone(change));
        this.save();
    }

    takePending(id: string): PendingChange | undefined {
        const change = this.pending.get(id);
        this.pending.delete(id);
        return change;
    }

    private save(): void {
        if (!this.stateFile) return;
        const state: StateFile = {
            connections: [...this.connections.values()],
            pending: Object.fromEntries(this.pending),
        };
        mkdirSync(dirname(this.stateFile), { recursive: true });
        writeFileAtomically(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
    }
}
