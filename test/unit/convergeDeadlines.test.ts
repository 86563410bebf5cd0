import { expect } from "chai";
import { describeBody } from "../../emulator/render";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { VpcApi } from "../../provider/service/client";
import { ConvergeContext } from "../../provider/apply/context";
import { converge } from "../../provider/apply/converge";
import { withLock } from "../../provider/service/locking";
import { ModifyRequest } from "../../provider/model/requests";
import { withoutJitter } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";

const SETTINGS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-deadline" };

/** A connection that applies every Modify at once, and reports `updating` while `busy()` says so. */
function fakeApi(modifies: ModifyRequest[], busy: () => boolean = () => false): VpcApi {
    const connection = singleTunnelConnection(SETTINGS.vpnConnectionId);
    return {
        describeVpnConnection() {
            const state = busy() ? "updating" : connection.State;
            return Promise.resolve(describeBody({ ...connection, State: state }, "REQ-D"));
        },
        describeVpnConnections() {
            return Promise.reject(new Error("not used"));
        },
        modifyVpnAttachmentAttribute(request) {
            modifies.push(request);
            if (request.name !== undefined) connection.Name = request.name;
            return Promise.resolve({ requestId: "REQ-M", body: { RequestId: "REQ-M" } });
        },
    };
}

function context(api: VpcApi, clock: VirtualClock, timeoutMs: number): ConvergeContext {
    return { api, clock, deadline: clock.now() + timeoutMs, log: () => undefined, secrets: [] };
}

describe("converge: deadlines", () => {
    withoutJitter();

    it("sends nothing when its deadline passed while it queued behind another update of the connection", async () => {
        const clock = new VirtualClock();
        const modifies: ModifyRequest[] = [];
        let releaseFirst!: () => void;
        const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
        const first = withLock(`${SETTINGS.regionId}/${SETTINGS.vpnConnectionId}`, () => firstHolds);

        const queued = converge(SETTINGS, { name: "late" }, context(fakeApi(modifies), clock, 60_000)).then(
            () => undefined,
            (err: Error) => err,
        );
        clock.advance(61_000);
        releaseFirst();
        await first;
        const failure = await queued;

        expect(modifies, "no Modify after the deadline").to.have.length(0);
        expect(failure?.message).to.match(/deadline passed.*waiting for another update.*nothing was sent/);
    });

    it("sends no Modify when another task on the connection ends only at the deadline", async () => {
        const clock = new VirtualClock();
        const modifies: ModifyRequest[] = [];
        const deadline = clock.now() + 60_000;
        const api = fakeApi(modifies, () => clock.now() < deadline);
        const failure = await converge(SETTINGS, { name: "late" }, context(api, clock, 60_000)).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(modifies, "no Modify at or after the deadline").to.have.length(0);
        expect(failure?.message).to.match(/ModifyVpnAttachmentAttribute .*deadline.*nothing was sent/);
    });

    it("times out naming the task it waited for when the connection stays busy past the deadline", async () => {
        const clock = new VirtualClock();
        const modifies: ModifyRequest[] = [];
        const failure = await converge(
            SETTINGS,
            { name: "late" },
            context(
                fakeApi(modifies, () => true),
                clock,
                60_000,
            ),
        ).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(modifies).to.have.length(0);
        expect(failure?.message).to.match(/timed out after 60 s .*updating/);
    });

    it("converges normally when the queue clears before the deadline", async () => {
        const clock = new VirtualClock();
        const modifies: ModifyRequest[] = [];
        const result = await converge(SETTINGS, { name: "in-time" }, context(fakeApi(modifies), clock, 60_000));
        expect(modifies.map((m) => m.name)).to.deep.equal(["in-time"]);
        expect(result.observed.name).to.equal("in-time");
    });

    it("gives each attempt its own client token", async () => {
        const modifies: ModifyRequest[] = [];
        const api = fakeApi(modifies);
        const original = singleTunnelConnection(SETTINGS.vpnConnectionId).Name;
        for (const name of ["b", original, "b"]) {
            await converge(SETTINGS, { name }, context(api, new VirtualClock(), 60_000));
        }
        expect(modifies).to.have.length(3);
        expect(new Set(modifies.map((m) => m.clientToken)).size).to.equal(3);
    });
});
