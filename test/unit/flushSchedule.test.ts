import { expect } from "chai";
import { coalescingDescribes } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { ServiceError } from "../../provider/foundation/errors";
import { IdleClock } from "./idleClock";

const T0 = 1_700_000_000_000;
let group = 0;

/** A region where every connection exists, whose listing answers `listing`; records each call with its time after T0. */
function region(clock: IdleClock, listing: () => Promise<Record<string, unknown>>) {
    const calls: string[] = [];
    const api: VpcApi = {
        describeVpnConnection(_region, id) {
            calls.push(`one:${id} @${clock.now() - T0}`);
            return Promise.resolve({ VpnConnectionId: id });
        },
        describeVpnConnections(_region, n) {
            calls.push(`list:${n} @${clock.now() - T0}`);
            return listing();
        },
        modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
    };
    return { api, calls };
}

async function readTogether(batched: VpcApi, ids: string[], calls: string[]): Promise<string[]> {
    const from = calls.length;
    await Promise.all(ids.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
    return calls.slice(from);
}

describe("batching: when flushes among company go out", () => {
    it("holds the next flush for the read spacing times the single reads the last one made", async () => {
        const clock = new IdleClock(T0);
        const forbidden = new ServiceError({ code: "Forbidden.RAM", serviceMessage: "denied", statusCode: 403 });
        const { api, calls } = region(clock, () => Promise.reject(forbidden));
        // The service allows 2 calls a second: reads space their flushes 2 s a call.
        const batched = coalescingDescribes(api, `flush-schedule-${++group}`, "cn-hangzhou", () => 2, clock);
        const ids = ["vco-1", "vco-2"];
        expect(await readTogether(batched, ids, calls)).to.deep.equal(["list:1 @0", "one:vco-1 @0", "one:vco-2 @0"]);
        // Listing is not permitted: the flush 2 s after the one-call listing reads both singly...
        expect(await readTogether(batched, ids, calls)).to.deep.equal(["one:vco-1 @2000", "one:vco-2 @2000"]);
        // ... and two calls hold the next one 4 s.
        expect(await readTogether(batched, ids, calls)).to.deep.equal(["one:vco-1 @6000", "one:vco-2 @6000"]);
    });

    it("keeps a read to its own flush time after an earlier timer was replaced by a sooner one", async () => {
        const clock = new IdleClock(T0);
        const { api, calls } = region(clock, () =>
            Promise.resolve({
                TotalCount: 3,
                VpnConnections: { VpnConnection: ["vco-b", "vco-c", "vco-d"].map((id) => ({ VpnConnectionId: id })) },
            }),
        );
        const key = `flush-schedule-${++group}`;
        const patient = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock);
        const hurried = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock, T0 + 50);
        expect(await readTogether(patient, ["vco-a"], calls)).to.deep.equal(["one:vco-a @0"]);
        // vco-b alone would be held 400 ms; vco-c's deadline brings the flush forward to 50 ms.
        await Promise.all([
            patient.describeVpnConnection("cn-hangzhou", "vco-b"),
            hurried.describeVpnConnection("cn-hangzhou", "vco-c"),
        ]);
        expect(calls.slice(1)).to.deep.equal(["list:1 @50"]);
        // A read after that flush is held its own 400 ms: the timer replaced at 400 ms sends nothing.
        expect(await readTogether(patient, ["vco-d"], calls)).to.deep.equal(["one:vco-d @450"]);
    });
});
