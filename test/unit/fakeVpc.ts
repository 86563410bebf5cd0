import { describeBody } from "../../emulator/render";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { SeedConnection } from "../../emulator/types";
import { VpcApi } from "../../provider/service/client";
import { ModifyRequest } from "../../provider/model/requests";
import { VirtualClock } from "./virtualClock";

/**
 * A VpcApi of our own for the steps of converge, on the virtual clock: one
 * connection that is `updating` until `busyUntil`, takes a Modify's name
 * `applyAfterMs` after accepting it (never, if undefined), and throws the
 * queued `failures` of each call first. It records what it was asked and when.
 */
export class FakeVpc implements VpcApi {
    readonly modifies: ModifyRequest[] = [];
    /** Virtual times of the Describe calls. */
    readonly describedAt: number[] = [];
    readonly failures: { describe: Error[]; modify: Error[] } = { describe: [], modify: [] };
    busyUntil = 0;
    applyAfterMs: number | undefined = 0;
    exists = true;
    private pending: { name: string; at: number } | undefined;

    constructor(
        private readonly clock: VirtualClock,
        readonly connection: SeedConnection = singleTunnelConnection("vco-steps"),
    ) {}

    describeVpnConnection(): Promise<Record<string, unknown> | undefined> {
        this.describedAt.push(this.clock.now());
        const failure = this.failures.describe.shift();
        if (failure !== undefined) {
            return Promise.reject(failure);
        }
        if (!this.exists) {
            return Promise.resolve(undefined);
        }
        if (this.pending && this.clock.now() >= this.pending.at) {
            this.connection.Name = this.pending.name;
            this.pending = undefined;
        }
        const state = this.clock.now() < this.busyUntil ? "updating" : this.connection.State;
        return Promise.resolve(describeBody({ ...this.connection, State: state }, "REQ-D"));
    }

    describeVpnConnections(): Promise<Record<string, unknown>> {
        return Promise.reject(new Error("converge reads one connection at a time"));
    }

    modifyVpnAttachmentAttribute(
        request: ModifyRequest,
    ): Promise<{ requestId: string; body: Record<string, unknown> }> {
        const failure = this.failures.modify.shift();
        if (failure !== undefined) {
            return Promise.reject(failure);
        }
        this.modifies.push(request);
        if (request.name !== undefined && this.applyAfterMs !== undefined) {
            this.pending = { name: request.name, at: this.clock.now() + this.applyAfterMs };
        }
        return Promise.resolve({ requestId: "REQ-M", body: { RequestId: "REQ-M" } });
    }
}

/**
 * Poll and backoff jitter draw from Math.random: without it, a schedule is
 * exact and a test can name its times. Registers the hooks that take it away
 * around each test of the calling suite.
 */
export function withoutJitter(): void {
    let original: () => number;
    beforeEach(() => {
        original = Math.random;
        Math.random = () => 0;
    });
    afterEach(() => {
        Math.random = original;
    });
}
