import { expect } from "chai";
import { coalescingDescribes } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { IdleClock } from "./idleClock";

/** A region of `count` connections vco-0... in pages of 50; records each call with its time and the API it went through. */
function region(count: number, clock: IdleClock, calls: string[], name = "api"): VpcApi {
    const ids = Array.from({ length: count }, (_, i) => `vco-${i}`);
    return {
        describeVpnConnection(_region, id) {
            calls.push(`${name} one:${id} @${clock.now()}`);
            return Promise.resolve(ids.includes(id) ? { VpnConnectionId: id } : undefined);
        },
        describeVpnConnections(_region, page, size) {
            calls.push(`${name} list:${page} @${clock.now()}`);
            const slice = ids.slice((page - 1) * size, page * size);
            return Promise.resolve({
                TotalCount: ids.length,
                VpnConnections: { VpnConnection: slice.map((id) => ({ VpnConnectionId: id })) },
            });
        },
        modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
    };
}

let group = 0;
const T0 = 1_700_000_000_000;

/** Reads of cn-hangzhou through `api`, coalesced with every other reader of `key` (a key of their own by default). */
function batchedOn(
    api: VpcApi,
    clock: IdleClock,
    key = `timing-${++group}`,
    deadline?: number,
): ReturnType<typeof coalescingDescribes> {
    return coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock, deadline);
}

describe("batching: when a flush among company goes out", () => {
    it("holds reads for 400 ms a call, or until six reads a call wait, whichever comes first", async () => {
        const clock = new IdleClock(T0);
        const calls: string[] = [];
        const batched = batchedOn(region(100, clock, calls), clock);
        const read = (ids: string[]) => Promise.all(ids.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        await read(["vco-0", "vco-99"]); // learns the two pages
        await clock.sleep(5000);
        calls.length = 0;
        // Company (vco-1 read just before); the first reader sets the timer: held 400 ms. Three reads for
        // a listing of two pages are not six a call; page 1 then leaves only vco-60, read alone.
        await read(["vco-1"]);
        calls.length = 0;
        let started = clock.now();
        await read(["vco-2", "vco-3", "vco-60"]);
        expect(calls).to.deep.equal([`api list:1 @${started + 400}`, `api one:vco-60 @${started + 400}`]);

        // Twelve reads on the same two pages: six a call, no hold; the spacing since the last flush (2 x 100 ms) has passed.
        await clock.sleep(1000);
        calls.length = 0;
        started = clock.now();
        await read([
            "vco-4",
            "vco-5",
            "vco-6",
            "vco-7",
            "vco-8",
            "vco-9",
            "vco-51",
            "vco-52",
            "vco-53",
            "vco-54",
            "vco-55",
            "vco-56",
        ]);
        expect(calls).to.deep.equal([`api list:1 @${started + 15}`, `api list:2 @${started + 15}`]);
    });

    it("goes out no sooner than 100 ms a call after the last flush began", async () => {
        const clock = new IdleClock(T0);
        const calls: string[] = [];
        const batched = batchedOn(region(100, clock, calls), clock);
        const many = Array.from({ length: 12 }, (_, i) => `vco-${i < 6 ? i : 50 + i}`);
        const read = () => Promise.all(many.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        // The first listing does not know the region's size: it reads both pages, two calls.
        await read();
        const first = Number(calls[0].split("@")[1]);
        calls.length = 0;
        await read();
        expect(calls).to.deep.equal([`api list:1 @${first + 200}`, `api list:2 @${first + 200}`]);
    });

    it("goes out by the soonest deadline of its readers, held or not", async () => {
        const clock = new IdleClock(T0);
        const calls: string[] = [];
        const api = region(100, clock, calls);
        const key = `timing-${++group}`;
        const patient = batchedOn(api, clock, key, T0 + 60_000);
        const hurried = batchedOn(api, clock, key, T0 + 2_100);
        await patient.describeVpnConnection("cn-hangzhou", "vco-0");
        await clock.sleep(2000);
        calls.length = 0;
        await Promise.all([
            patient.describeVpnConnection("cn-hangzhou", "vco-1"),
            hurried.describeVpnConnection("cn-hangzhou", "vco-2"),
        ]);
        // Held for company (two reads, one page) but no later than the hurried reader's deadline.
        expect(calls.map((c) => c.split(" @")[1])).to.deep.equal([String(T0 + 2_100)]);
    });

    it("lists through the API of the reader with the most time left", async () => {
        const clock = new IdleClock(T0);
        const calls: string[] = [];
        const key = `timing-${++group}`;
        const early = batchedOn(region(10, clock, calls, "early"), clock, key, T0 + 10_000);
        const late = batchedOn(region(10, clock, calls, "late"), clock, key, T0 + 20_000);
        const middle = batchedOn(region(10, clock, calls, "middle"), clock, key, T0 + 15_000);
        await Promise.all([
            early.describeVpnConnection("cn-hangzhou", "vco-1"),
            late.describeVpnConnection("cn-hangzhou", "vco-2"),
            middle.describeVpnConnection("cn-hangzhou", "vco-3"),
        ]);
        expect(calls.map((c) => c.split(" @")[0])).to.deep.equal(["late list:1"]);
    });

    it("reads two connections on two different pages one by one: a listing would cost as much", async () => {
        const clock = new IdleClock(T0);
        const calls: string[] = [];
        const batched = batchedOn(region(100, clock, calls), clock);
        const read = (ids: string[]) => Promise.all(ids.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        await read(["vco-0", "vco-60", "vco-1"]);
        calls.length = 0;
        await clock.sleep(5000);
        await read(["vco-61", "vco-2"]);
        expect(calls.map((c) => c.split(" @")[0])).to.deep.equal(["api one:vco-61", "api one:vco-2"]);
    });

    it("lists the pages it knows in order", async () => {
        const clock = new IdleClock(T0);
        const calls: string[] = [];
        const batched = batchedOn(region(150, clock, calls), clock);
        const read = (ids: string[]) => Promise.all(ids.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        await read(["vco-0", "vco-60", "vco-120", "vco-121", "vco-122"]);
        calls.length = 0;
        await clock.sleep(5000);
        const ids = [
            "vco-130",
            "vco-131",
            "vco-132",
            "vco-133",
            "vco-134",
            "vco-135",
            "vco-10",
            "vco-11",
            "vco-12",
            "vco-13",
            "vco-14",
            "vco-15",
        ];
        await read(ids);
        expect(calls.map((c) => c.split(" @")[0])).to.deep.equal(["api list:1", "api list:3"]);
    });
});
