import type { AddressInfo } from "node:net";
import { Admin, type EmulatorAdmin } from "./admin";
import { CallLog } from "./calllog";
import { Faults } from "./faults";
import { DEFAULT_NEGOTIATION_MS } from "./negotiation";
import { createEmulatorServer } from "./server";
import { VpcService } from "./service";
import { type ReadingName, Readings } from "./readings";
import { SignatureVerifier } from "./signature";
import { Store } from "./store";
import type { SeedConnection } from "./types";

export type { EmulatorAdmin } from "./admin";
export type { PeerSide } from "./negotiation";
export type { DropRule, FailRule, LatencyRule, ThrottleRule } from "./faults";
export { READINGS, type ReadingName } from "./readings";
export type { CallRecord, ConnectionPatch, DeepPartial, SeedConnection, TunnelOptions } from "./types";
export { dualTunnelConnection, singleTunnelConnection } from "./fixtures";

/** The emulator's own test key pair; not a real credential. */
export const DEFAULT_ACCESS_KEY_ID = "LTAI-emulator-test";
export const DEFAULT_ACCESS_KEY_SECRET = "emulator-secret";
export const DEFAULT_TASK_DURATION_MS = 3000;

export interface EmulatorOptions {
    /** 0 or unset: any free port. The emulator only ever listens on 127.0.0.1. */
    port?: number;
    accessKeyId?: string;
    accessKeySecret?: string;
    /** When set, requests must carry this STS token in `x-acs-security-token`. */
    securityToken?: string;
    /** How long a Modify task keeps the connection `updating`. */
    taskDurationMs?: number;
    /** How long a tunnel with a peer takes to negotiate after a task (negotiation.ts). */
    negotiationMs?: number;
    /** JSON file loaded at start and rewritten after every change. */
    stateFile?: string;
    /** Connections to add at start, except those the state file already holds. */
    seed?: SeedConnection[];
    /** Readings of the service to switch on (readings.ts); admin `reset` comes back to these. */
    readings?: ReadingName[];
}

export interface EmulatorHandle {
    /** `http://127.0.0.1:PORT` */
    endpoint: string;
    port: number;
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
    admin: EmulatorAdmin;
    close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
    const keys = {
        accessKeyId: opts.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
        accessKeySecret: opts.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    };
    const store = new Store(opts.stateFile);
    const service = new VpcService(
        store,
        opts.taskDurationMs ?? DEFAULT_TASK_DURATION_MS,
        opts.negotiationMs ?? DEFAULT_NEGOTIATION_MS,
        new Readings(opts.readings),
    );
    const faults = new Faults();
    const log = new CallLog();
    const verifier = new SignatureVerifier(keys, opts.securityToken);
    const admin = new Admin(service, faults, log, verifier);
    const fresh = (opts.seed ?? []).filter((conn) => !store.has(conn.VpnConnectionId));
    if (fresh.length > 0) admin.seed(fresh);

    const server = createEmulatorServer({ service, faults, log, verifier, admin });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(opts.port ?? 0, "127.0.0.1", () => {
            server.off("error", reject);
            resolve();
        });
    });
    const { port } = server.address() as AddressInfo;

    return {
        endpoint: `http://127.0.0.1:${port}`,
        port,
        ...keys,
        ...(opts.securityToken !== undefined && { securityToken: opts.securityToken }),
        admin,
        close: () =>
            new Promise<void>((resolve, reject) => {
                service.tasks.stopAll();
                service.negotiations.stopAll();
                server.close((error) => (error ? reject(error) : resolve()));
                server.closeAllConnections();
            }),
    };
}
