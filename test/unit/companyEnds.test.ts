import { expect } from "chai";
import { coalescingDescribes, readsInCompany } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { IdleClock } from "./idleClock";

/** Answers every single read; a listing is not expected. */
function singleReads(): { api: VpcApi; calls: string[] } {
    const calls: string[] = [];
    return {
        calls,
        api: {
            describeVpnConnection(_region, id) {
                calls.push(`one:${id}`);
                return Promise.resolve({ VpnConnectionId: id, State: "attached" });
            },
            describeVpnConnections() {
                return Promise.reject(new Error("not expected"));
            },
            modifyVpnAttachmentAttribute() {
                return Promise.reject(new Error("not used"));
            },
        },
    };
}

let group = 0;

describe("batching: company ends with an operation", () => {
    it("holds a read for company while another connection is being waited on, and not once its operation is done", async () => {
        const clock = new IdleClock();
        const { api, calls } = singleReads();
        const key = `company-ends-${++group}`;
        const batched = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock);

        await batched.describeVpnConnection("cn-hangzhou", "vco-1");
        let started = clock.now();
        await batched.describeVpnConnection("cn-hangzhou", "vco-2");
        expect(clock.now() - started, "vco-1 still counts as company: the read is held").to.be.at.least(400);
        expect(readsInCompany(key, "vco-2", clock.now())).to.equal(true);

        batched.done("vco-1");
        expect(readsInCompany(key, "vco-2", clock.now()), "vco-1's operation is over").to.equal(false);
        batched.done("vco-2");
        started = clock.now();
        await batched.describeVpnConnection("cn-hangzhou", "vco-3");
        expect(clock.now() - started, "nobody else is waited on: read at once").to.equal(0);
        expect(calls).to.deep.equal(["one:vco-1", "one:vco-2", "one:vco-3"]);
    });

    it("forgets only the connection whose operation ended", async () => {
        const clock = new IdleClock();
        const { api } = singleReads();
        const key = `company-ends-${++group}`;
        const batched = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock);
        for (const id of ["vco-1", "vco-2", "vco-3"]) {
            await batched.describeVpnConnection("cn-hangzhou", id);
        }
        batched.done("vco-3");
        expect(readsInCompany(key, "vco-1", clock.now()), "vco-2 is still waited on").to.equal(true);
        batched.done("vco-2");
        expect(readsInCompany(key, "vco-1", clock.now())).to.equal(false);
    });
});
