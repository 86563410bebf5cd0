import { expect } from "chai";
import { coalescingDescribes, readSpacingMs, readsInCompany } from "../../provider/service/batching";
import { onSharedTicks } from "../../provider/service/pollSchedule";
import { fleetOf } from "../../provider/service/watching";
import { VpcApi } from "../../provider/service/client";
import { ServiceError } from "../../provider/foundation/errors";
import { IdleClock } from "./idleClock";

const throttled = () =>
    new ServiceError({
        code: "Throttling.User",
        serviceMessage: "Request was denied due to user flow control.",
        statusCode: 400,
    });
const forbidden = () =>
    new ServiceError({
        code: "Forbidden.RAM",
        serviceMessage: "User not authorized to operate on the specified resource.",
        statusCode: 403,
    });

/** A VpcApi that answers from a table and records each call. */
function recordingApi(ids: string[], failList?: Error, failFromPage = 1): { api: VpcApi; calls: string[] } {
    const calls: string[] = [];
    const api: VpcApi = {
        describeVpnConnection(_region, id) {
            calls.push(`one:${id}`);
            return Promise.resolve(ids.includes(id) ? { VpnConnectionId: id, State: "attached" } : undefined);
        },
        describeVpnConnections(_region, page, size) {
            calls.push(`list:${page}`);
            if (failList && page >= failFromPage) return Promise.reject(failList);
            const slice = ids.slice((page - 1) * size, page * size);
            return Promise.resolve({
                TotalCount: ids.length,
                VpnConnections: { VpnConnection: slice.map((id) => ({ VpnConnectionId: id })) },
            });
        },
        modifyVpnAttachmentAttribute() {
            return Promise.reject(new Error("not used"));
        },
    };
    return { api, calls };
}

let group = 0;
const freshGroup = () => `test-group-${++group}`;

/** The API coalesced in a group of its own, on virtual time. */
function coalesced(api: VpcApi, clock = new IdleClock()) {
    return coalescingDescribes(api, freshGroup(), "cn-hangzhou", () => undefined, clock);
}

describe("batching: coalescingDescribes", () => {
    it("answers concurrent reads of several connections with one listing", async () => {
        const { api, calls } = recordingApi(["vco-1", "vco-2", "vco-3"]);
        const batched = coalesced(api);
        const bodies = await Promise.all(
            ["vco-1", "vco-2", "vco-3"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)),
        );
        expect(bodies.map((b) => b?.VpnConnectionId)).to.deep.equal(["vco-1", "vco-2", "vco-3"]);
        expect(calls).to.deep.equal(["list:1"]);
    });

    it("reads a lone connection with a single Describe", async () => {
        const { api, calls } = recordingApi(["vco-1", "vco-2"]);
        const body = await coalesced(api).describeVpnConnection("cn-hangzhou", "vco-2");
        expect(body?.VpnConnectionId).to.equal("vco-2");
        expect(calls).to.deep.equal(["one:vco-2"]);
    });

    it("confirms a connection missing from the listing with a single Describe", async () => {
        const { api, calls } = recordingApi(["vco-1"]);
        const batched = coalesced(api);
        const [found, missing] = await Promise.all([
            batched.describeVpnConnection("cn-hangzhou", "vco-1"),
            batched.describeVpnConnection("cn-hangzhou", "vco-gone"),
        ]);
        expect(found?.VpnConnectionId).to.equal("vco-1");
        expect(missing).to.equal(undefined);
        expect(calls).to.deep.equal(["list:1", "one:vco-gone"]);
    });

    it("stops listing when the pages left cost more than reading the connections not seen yet", async () => {
        const ids = Array.from({ length: 120 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids);
        const batched = coalesced(api);
        const bodies = await Promise.all(
            ["vco-0", "vco-119"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)),
        );
        expect(bodies.map((b) => b?.VpnConnectionId)).to.deep.equal(["vco-0", "vco-119"]);
        expect(calls).to.deep.equal(["list:1", "one:vco-119"]);
    });

    it("reads the pages of a large region until every connection waited on has been seen", async () => {
        const ids = Array.from({ length: 200 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids);
        const batched = coalesced(api);
        const wanted = ["vco-1", "vco-60", "vco-110", "vco-120", "vco-130"];
        const bodies = await Promise.all(wanted.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        expect(bodies.map((b) => b?.VpnConnectionId)).to.deep.equal(wanted);
        expect(calls).to.deep.equal(["list:1", "list:2", "list:3"]);
    });

    it("passes a retryable listing failure to every reader, so each retries on its own", async () => {
        const { api, calls } = recordingApi(["vco-1", "vco-2"], throttled());
        const batched = coalesced(api);
        const results = await Promise.allSettled(
            ["vco-1", "vco-2"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)),
        );
        expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
        expect(calls).to.deep.equal(["list:1"]);
    });

    it("answers from the pages read before a listing failed mid-way", async () => {
        const ids = Array.from({ length: 120 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids, throttled(), 2);
        const batched = coalesced(api);
        const results = await Promise.allSettled(
            ["vco-0", "vco-60", "vco-61", "vco-119"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)),
        );
        expect(results[0]).to.deep.include({ status: "fulfilled" });
        expect(
            (results[0] as PromiseFulfilledResult<Record<string, unknown> | undefined>).value?.VpnConnectionId,
        ).to.equal("vco-0");
        expect(results[1].status).to.equal("rejected");
        expect(calls).to.deep.equal(["list:1", "list:2"]);
    });

    it("falls back to single reads, and stops listing, when the listing is not permitted", async () => {
        const { api, calls } = recordingApi(["vco-1", "vco-2"], forbidden());
        const batched = coalesced(api);
        const read = () =>
            Promise.all(["vco-1", "vco-2"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        expect((await read()).map((b) => b?.VpnConnectionId)).to.deep.equal(["vco-1", "vco-2"]);
        expect((await read()).map((b) => b?.VpnConnectionId)).to.deep.equal(["vco-1", "vco-2"]);
        expect(calls).to.deep.equal(["list:1", "one:vco-1", "one:vco-2", "one:vco-1", "one:vco-2"]);
    });

    it("tells a connection whether others are being read beside it", async () => {
        const { api } = recordingApi(["vco-1", "vco-2"]);
        const clock = new IdleClock();
        const key = freshGroup();
        const batched = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock);
        await batched.describeVpnConnection("cn-hangzhou", "vco-1");
        expect(readsInCompany(key, "vco-1", clock.now())).to.equal(false);
        await batched.describeVpnConnection("cn-hangzhou", "vco-2");
        expect(readsInCompany(key, "vco-1", clock.now())).to.equal(true);
    });

    it("does not coalesce reads of another region", async () => {
        const { api, calls } = recordingApi(["vco-1"]);
        await coalesced(api).describeVpnConnection("cn-beijing", "vco-1");
        expect(calls).to.deep.equal(["one:vco-1"]);
    });
});

describe("batching: onSharedTicks", () => {
    it("keeps the exact schedule of a connection waited on alone", () => {
        const delays = onSharedTicks(
            [250, 10][Symbol.iterator](),
            () => 1_000_037,
            () => false,
            100,
        );
        expect([delays.next().value, delays.next().value]).to.deep.equal([250, 10]);
    });

    it("ends every delay on a multiple of the tick, never earlier than asked", () => {
        let now = 1_000_037;
        const delays = onSharedTicks(
            [250, 10, 100][Symbol.iterator](),
            () => now,
            () => true,
            100,
        );
        const ends: number[] = [];
        const asked = [250, 10, 100];
        for (const wanted of asked) {
            const step = delays.next();
            if (step.done) throw new Error("the schedule ended early");
            const value = step.value;
            expect(value).to.be.at.least(wanted);
            expect(value - wanted).to.be.below(100);
            now += value;
            ends.push(now);
        }
        expect(ends.every((t) => t % 100 === 0)).to.equal(true);
    });
});

describe("batching: listings among company", () => {
    it("lists only the pages that held the connections waited on", async () => {
        const ids = Array.from({ length: 200 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids);
        const batched = coalesced(api);
        const read = (few: string[]) => Promise.all(few.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        await read(ids);
        expect(calls).to.deep.equal(["list:1", "list:2", "list:3", "list:4"]);
        calls.length = 0;
        const bodies = await read(["vco-60", "vco-61", "vco-120", "vco-130"]);
        expect(bodies.map((b) => b?.VpnConnectionId)).to.deep.equal(["vco-60", "vco-61", "vco-120", "vco-130"]);
        expect(calls).to.deep.equal(["list:2", "list:3"]);
    });

    it("spaces flushes among company by the calls the last one made", async () => {
        const ids = Array.from({ length: 100 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids);
        const clock = new IdleClock();
        const batched = coalesced(api, clock);
        const read = () =>
            Promise.all(["vco-1", "vco-99", "vco-50"].map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        await read();
        const first = clock.now();
        await read();
        // Two pages, so the next flush comes no sooner than 2 x 100 ms after the first (no rate known).
        expect(clock.now() - first).to.be.at.least(180);
        expect(calls).to.deep.equal(["list:1", "list:2", "list:1", "list:2"]);
    });
});

describe("batching: a region of thousands of connections", () => {
    /** The reproduction: three updates waited on together in a region of 5,000 connections. */
    it("lists one page, not the whole region, for three connections waited on together", async () => {
        const ids = Array.from({ length: 5000 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids);
        const batched = coalesced(api);
        const wanted = ["vco-1200", "vco-2600", "vco-4999"];
        for (let round = 0; round < 3; round++) {
            const bodies = await Promise.all(wanted.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
            expect(bodies.map((b) => b?.VpnConnectionId)).to.deep.equal(wanted);
        }
        expect(
            calls.filter((c) => c.startsWith("list:")),
            "DescribeVpnConnections calls",
        ).to.deep.equal(["list:1"]);
        expect(calls).to.have.length(1 + 3 * 3);
    });

    it("checks the deadline between pages, and starts no page after it", async () => {
        const ids = Array.from({ length: 5000 }, (_, i) => `vco-${i}`);
        const clock = new IdleClock();
        const { api, calls } = recordingApi(ids);
        const startedAt: number[] = [];
        // Each page takes a second to come back.
        const slow: VpcApi = {
            ...api,
            async describeVpnConnections(region, page, size) {
                startedAt.push(clock.now());
                await clock.sleep(1000);
                return api.describeVpnConnections(region, page, size);
            },
        };
        const deadline = clock.now() + 3000;
        const batched = coalescingDescribes(slow, freshGroup(), "cn-hangzhou", () => undefined, clock, deadline);
        // Enough connections, spread over every page, that each page pays: only the deadline stops the listing.
        const wanted = ids.filter((_, i) => i % 25 === 0);
        await Promise.allSettled(wanted.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        expect(startedAt.length, "pages listed").to.be.within(1, 4);
        expect(Math.max(...startedAt)).to.be.at.most(deadline);
        expect(calls.filter((c) => c.startsWith("list:")).length).to.equal(startedAt.length);
    });
});

describe("batching: holding small flushes among company", () => {
    it("waits until a flush answers six reads a call, or 400 ms a call", async () => {
        const ids = Array.from({ length: 200 }, (_, i) => `vco-${i}`);
        const { api, calls } = recordingApi(ids);
        const clock = new IdleClock();
        const batched = coalesced(api, clock);
        const read = (few: string[]) => Promise.all(few.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
        await read(ids.slice(0, 64));
        calls.length = 0;

        let started = clock.now();
        await read(["vco-1", "vco-2", "vco-3"]);
        expect(clock.now() - started, "three reads for one page: held").to.be.at.least(380);

        started = clock.now();
        await read(ids.slice(10, 16));
        expect(clock.now() - started, "six reads for one page: only the spacing after the last flush").to.be.below(300);
        expect(calls).to.deep.equal(["list:1", "list:1"]);
    });
});

describe("watching: the fleet's typical task", () => {
    it("is the median of the group's recent tasks, once three ended, and only while others are waited on", async () => {
        const { api } = recordingApi(["vco-1", "vco-2"]);
        const clock = new IdleClock();
        const key = freshGroup();
        const batched = coalescingDescribes(api, key, "cn-hangzhou", () => undefined, clock);
        const fleet = fleetOf(key, "vco-1", clock);
        await batched.describeVpnConnection("cn-hangzhou", "vco-1");
        fleet.recordTaskMs(2000);
        fleet.recordTaskMs(9000);
        expect(fleet.typicalTaskMs(), "two tasks").to.equal(undefined);
        fleet.recordTaskMs(2500);
        expect(fleet.typicalTaskMs(), "alone").to.equal(undefined);
        await batched.describeVpnConnection("cn-hangzhou", "vco-2");
        expect(fleet.typicalTaskMs()).to.equal(2500);
    });
});

describe("batching: readSpacingMs", () => {
    it("lets reads spend a quarter of a known rate, and 10 calls a second at most", () => {
        expect(readSpacingMs(undefined)).to.equal(100);
        expect(readSpacingMs(20)).to.equal(200);
        expect(readSpacingMs(4)).to.equal(1000);
        expect(readSpacingMs(1000)).to.equal(100);
        expect(readSpacingMs(0)).to.equal(100);
    });
});
