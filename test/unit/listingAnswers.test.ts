import { expect } from "chai";
import { coalescingDescribes } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { IdleClock } from "./idleClock";

let group = 0;

/** Reads of vco-1 and vco-2 at once, when the listing answers `listing`: what each read got, and the calls made. */
async function readBoth(listing: Record<string, unknown>): Promise<{ ids: unknown[]; calls: string[] }> {
    const calls: string[] = [];
    const api: VpcApi = {
        describeVpnConnection(_region, id) {
            calls.push(`one:${id}`);
            return Promise.resolve({ VpnConnectionId: id, State: "attached" });
        },
        describeVpnConnections(_region, page) {
            calls.push(`list:${page}`);
            return Promise.resolve(listing);
        },
        modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
    };
    const batched = coalescingDescribes(
        api,
        `listing-answers-${++group}`,
        "cn-hangzhou",
        () => undefined,
        new IdleClock(),
    );
    const bodies = await Promise.all(["vco-1", "vco-2"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
    return { ids: bodies.map((b) => b?.VpnConnectionId), calls };
}

describe("batching: listing answers that hold less than they should", () => {
    it("reads singly the connections an answer without a list leaves out", async () => {
        for (const listing of [
            { TotalCount: 2 },
            { TotalCount: 2, VpnConnections: null },
            { TotalCount: 2, VpnConnections: "none" },
            { TotalCount: 2, VpnConnections: { VpnConnection: { VpnConnectionId: "vco-1" } } },
        ]) {
            const { ids, calls } = await readBoth(listing);
            expect(ids, JSON.stringify(listing)).to.deep.equal(["vco-1", "vco-2"]);
            expect(calls, JSON.stringify(listing)).to.deep.equal(["list:1", "one:vco-1", "one:vco-2"]);
        }
    });

    it("takes the entries that are connections and skips the rest", async () => {
        const { ids, calls } = await readBoth({
            TotalCount: 2,
            VpnConnections: {
                VpnConnection: [null, "vco-2", 7, { VpnConnectionId: 2 }, { VpnConnectionId: "vco-1", State: "x" }],
            },
        });
        expect(ids).to.deep.equal(["vco-1", "vco-2"]);
        expect(calls).to.deep.equal(["list:1", "one:vco-2"]);
    });

    it("stops at a short page even when the total says more", async () => {
        const { calls } = await readBoth({
            TotalCount: 500,
            VpnConnections: { VpnConnection: [{ VpnConnectionId: "vco-1" }] },
        });
        expect(calls).to.deep.equal(["list:1", "one:vco-2"]);
    });

    it("stops after one page when the answer gives no total", async () => {
        const page = Array.from({ length: 50 }, (_, i) => ({ VpnConnectionId: `vco-x${i}` }));
        const { calls } = await readBoth({
            VpnConnections: { VpnConnection: [...page, { VpnConnectionId: "vco-1" }] },
        });
        expect(calls).to.deep.equal(["list:1", "one:vco-2"]);
    });
});
