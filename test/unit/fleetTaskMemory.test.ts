import { expect } from "chai";
import { coalescingDescribes } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { fleetOf } from "../../provider/service/watching";
import { IdleClock } from "./idleClock";

const api: VpcApi = {
    describeVpnConnection: (_region, id) => Promise.resolve({ VpnConnectionId: id, State: "attached" }),
    describeVpnConnections: () => Promise.reject(new Error("not expected")),
    modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
};

let group = 0;

/** A group in which vco-2 is being waited on, so vco-1 (`fleet`) has company and vco-2 (`alone`) has none. */
async function withCompany(clock: IdleClock) {
    const key = `fleet-memory-${++group}`;
    const batched = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock);
    await batched.describeVpnConnection("cn-hangzhou", "vco-2");
    return { batched, fleet: fleetOf(key, "vco-1", clock), alone: fleetOf(key, "vco-2", clock) };
}

describe("watching: what the fleet remembers of its tasks", () => {
    it("takes the median of the last 15 tasks only", async () => {
        const clock = new IdleClock();
        const { fleet } = await withCompany(clock);
        // Ten long tasks, then fifteen short ones: the long ones fall out of the last 15.
        for (let i = 0; i < 10; i++) fleet.recordTaskMs(60_000);
        for (let i = 0; i < 15; i++) fleet.recordTaskMs(1000 + i);
        expect(fleet.typicalTaskMs()).to.equal(1007);
    });

    it("forgets tasks that ended more than 60 s ago", async () => {
        const clock = new IdleClock();
        const { batched, fleet } = await withCompany(clock);
        for (const ms of [9000, 9000, 9000]) fleet.recordTaskMs(ms);
        await clock.sleep(40_000);
        for (const ms of [2000, 2000, 2000]) fleet.recordTaskMs(ms);
        await clock.sleep(20_000);
        // Exactly 60 s after the first three: still remembered.
        await batched.describeVpnConnection("cn-hangzhou", "vco-2");
        expect(fleet.typicalTaskMs()).to.equal(9000);
        await clock.sleep(1);
        expect(fleet.typicalTaskMs()).to.equal(2000);
        await clock.sleep(40_000);
        await batched.describeVpnConnection("cn-hangzhou", "vco-2");
        expect(fleet.typicalTaskMs(), "every task older than 60 s").to.equal(undefined);
    });

    it("counts another connection as company for 3 s after its last read", async () => {
        const clock = new IdleClock();
        const { fleet, alone } = await withCompany(clock);
        await clock.sleep(3000);
        expect(fleet.hasCompany(), "exactly 3 s").to.equal(true);
        await clock.sleep(1);
        expect(fleet.hasCompany()).to.equal(false);
        expect(alone.hasCompany(), "itself is no company").to.equal(false);
    });
});
