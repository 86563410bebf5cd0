import { expect } from "chai";
import { coalescingDescribes } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { fleetOf } from "../../provider/service/watching";
import { IdleClock } from "./idleClock";

let group = 0;
const freshGroup = () => `coalesced-readers-${++group}`;

/** A VpcApi named `name` whose listing holds nothing and whose single reads find every connection; records each call. */
function emptyRegion(name: string, calls: string[]): VpcApi {
    return {
        describeVpnConnection(region, id) {
            calls.push(`${name} one:${region}:${id}`);
            return Promise.resolve({ VpnConnectionId: id });
        },
        describeVpnConnections(region, n) {
            calls.push(`${name} list:${region}:${n}`);
            return Promise.resolve({ TotalCount: 0, VpnConnections: { VpnConnection: [] } });
        },
        modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
    };
}

describe("batching: what each reader's read goes through", () => {
    it("reads each connection the listing missed with its own reader's API", async () => {
        const calls: string[] = [];
        const clock = new IdleClock();
        const key = freshGroup();
        const first = coalescingDescribes(emptyRegion("first", calls), key, "cn-hangzhou", () => undefined, clock);
        const second = coalescingDescribes(emptyRegion("second", calls), key, "cn-hangzhou", () => undefined, clock);
        await Promise.all([
            first.describeVpnConnection("cn-hangzhou", "vco-1"),
            second.describeVpnConnection("cn-hangzhou", "vco-2"),
        ]);
        expect(calls).to.deep.equal([
            "first list:cn-hangzhou:1",
            "first one:cn-hangzhou:vco-1",
            "second one:cn-hangzhou:vco-2",
        ]);
    });

    it("reads a connection of another region in that region", async () => {
        const calls: string[] = [];
        const batched = coalescingDescribes(
            emptyRegion("api", calls),
            freshGroup(),
            "cn-hangzhou",
            () => undefined,
            new IdleClock(),
        );
        await batched.describeVpnConnection("cn-beijing", "vco-1");
        expect(calls).to.deep.equal(["api one:cn-beijing:vco-1"]);
    });

    it("hands a failed single read's error to its reader", async () => {
        const boom = new Error("connection reset");
        const api: VpcApi = { ...emptyRegion("api", []), describeVpnConnection: () => Promise.reject(boom) };
        const batched = coalescingDescribes(api, freshGroup(), "cn-hangzhou", () => undefined, new IdleClock());
        const outcome = await batched.describeVpnConnection("cn-hangzhou", "vco-1").then(
            () => "answered",
            (err: unknown) => err,
        );
        expect(outcome).to.equal(boom);
    });

    it("gives no typical task duration from two tasks, even among company", async () => {
        const clock = new IdleClock();
        const key = freshGroup();
        const batched = coalescingDescribes(emptyRegion("api", []), key, "cn-hangzhou", () => undefined, clock);
        const fleet = fleetOf(key, "vco-1", clock);
        await batched.describeVpnConnection("cn-hangzhou", "vco-2");
        fleet.recordTaskMs(20_000);
        fleet.recordTaskMs(30_000);
        expect(fleet.hasCompany()).to.equal(true);
        expect(fleet.typicalTaskMs()).to.equal(undefined);
        fleet.recordTaskMs(40_000);
        expect(fleet.typicalTaskMs()).to.equal(30_000);
    });
});
