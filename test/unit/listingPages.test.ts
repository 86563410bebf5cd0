import { expect } from "chai";
import { coalescingDescribes } from "../../provider/service/batching";
import { VpcApi } from "../../provider/service/client";
import { IdleClock } from "./idleClock";

type Body = Record<string, unknown>;

/** A page of the listing holding these connections, padded to `size` with others, and the total if given. */
function page(ids: string[], total?: number, size = 50): Body {
    const padding = Array.from({ length: Math.max(0, size - ids.length) }, (_, i) => `vco-other-${i}`);
    return {
        ...(total === undefined ? {} : { TotalCount: total }),
        VpnConnections: { VpnConnection: [...ids, ...padding].map((id) => ({ VpnConnectionId: id })) },
    };
}

/**
 * A region whose listing `pages` answers (page number to body, as it is at
 * the time); a single read finds the connections `exists` says. Records each
 * call.
 */
function region(pages: (n: number) => Body, exists: (id: string) => boolean = () => true) {
    const calls: string[] = [];
    const api: VpcApi = {
        describeVpnConnection(_region, id) {
            calls.push(`one:${id}`);
            return Promise.resolve(exists(id) ? { VpnConnectionId: id } : undefined);
        },
        describeVpnConnections(_region, n) {
            calls.push(`list:${n}`);
            return Promise.resolve(pages(n));
        },
        modifyVpnAttachmentAttribute: () => Promise.reject(new Error("not used")),
    };
    return { api, calls };
}

/** A region of `count` connections vco-0, vco-1... in pages of 50, with its total. */
const numbered = (count: number) => (n: number) => {
    const ids = Array.from({ length: count }, (_, i) => `vco-${i}`).slice((n - 1) * 50, n * 50);
    return page(ids, count, ids.length);
};

let group = 0;
const T0 = 1_700_000_000_000;

/** Reads of `ids` at once through one coalesced API, and the calls they made from `from` on. */
async function readTogether(batched: VpcApi, ids: string[], calls: string[]): Promise<string[]> {
    const from = calls.length;
    await Promise.all(ids.map((id) => batched.describeVpnConnection("cn-hangzhou", id)));
    return calls.slice(from);
}

function coalesced(api: VpcApi, deadline = Infinity) {
    return coalescingDescribes(
        api,
        `listing-pages-${++group}`,
        "cn-hangzhou",
        () => undefined,
        new IdleClock(T0),
        deadline,
    );
}

describe("batching: which pages of the listing a flush reads", () => {
    it("reads the next page while the connections not seen yet outnumber the pages left", async () => {
        const { api, calls } = region(numbered(100));
        expect(await readTogether(coalesced(api), ["vco-0", "vco-50", "vco-51"], calls)).to.deep.equal([
            "list:1",
            "list:2",
        ]);
    });

    it("stops at the last page, and reads singly a connection none of the pages held", async () => {
        const { api, calls } = region(numbered(100), (id) => id !== "vco-gone");
        expect(await readTogether(coalesced(api), ["vco-0", "vco-50", "vco-gone"], calls)).to.deep.equal([
            "list:1",
            "list:2",
            "one:vco-gone",
        ]);
    });

    it("stops at a short page even when the pages left are fewer than the connections not seen", async () => {
        const { api, calls } = region((n) => (n === 1 ? page(["vco-0"], 100, 1) : page(["vco-1", "vco-2"], 100)));
        expect(await readTogether(coalesced(api), ["vco-0", "vco-1", "vco-2"], calls)).to.deep.equal([
            "list:1",
            "one:vco-1",
            "one:vco-2",
        ]);
    });

    it("starts a page at its readers' deadline itself, and none after it", async () => {
        const atDeadline = region(numbered(100));
        expect(
            await readTogether(coalesced(atDeadline.api, T0), ["vco-0", "vco-50", "vco-51"], atDeadline.calls),
        ).to.deep.equal(["list:1", "list:2"]);

        // Readers already past their deadline still get the one page a flush starts with.
        const late = region(numbered(100));
        expect(
            await readTogether(coalesced(late.api, T0 - 1), ["vco-0", "vco-50", "vco-51"], late.calls),
        ).to.deep.equal(["list:1", "one:vco-50", "one:vco-51"]);
    });

    it("lists ten pages at most in one flush, then reads the rest singly", async () => {
        const gone = Array.from({ length: 21 }, (_, i) => `vco-gone-${i}`);
        const { api, calls } = region(
            () => page([], 1000),
            () => false,
        );
        const made = await readTogether(coalesced(api), gone, calls);
        expect(made.filter((c) => c.startsWith("list:"))).to.deep.equal(
            Array.from({ length: 10 }, (_, i) => `list:${i + 1}`),
        );
        expect(made.filter((c) => c.startsWith("one:"))).to.have.length(21);
    });

    it("takes a listing without a total to end at the page that lacked it", async () => {
        // The region first says it has three pages; then its answers stop giving a total.
        let withTotal = true;
        const { api, calls } = region(() => page(["vco-a", "vco-b", "vco-c", "vco-d"], withTotal ? 150 : undefined));
        const batched = coalesced(api);
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-c", "vco-d"], calls)).to.deep.equal(["list:1"]);
        withTotal = false;
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-c", "vco-e"], calls)).to.deep.equal([
            "list:1",
            "one:vco-e",
        ]);
        // One page, as far as anyone knows now: a listing pays for three connections.
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-f"], calls)).to.deep.equal(["list:1", "one:vco-f"]);
    });

    it("keeps the region's size when a page it knows comes back without a total", async () => {
        // Three pages, of which the first holds vco-a to vco-d; later answers give no total.
        let withTotal = true;
        const { api, calls } = region(() => page(["vco-a", "vco-b", "vco-c", "vco-d"], withTotal ? 150 : undefined));
        const batched = coalesced(api);
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-c", "vco-d"], calls)).to.deep.equal(["list:1"]);
        withTotal = false;
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-c", "vco-d"], calls)).to.deep.equal(["list:1"]);
        // Still three pages: listing the region for a connection never listed costs more than reading three...
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-e"], calls)).to.deep.equal([
            "one:vco-a",
            "one:vco-b",
            "one:vco-e",
        ]);
        // ... and less than reading four.
        expect(await readTogether(batched, ["vco-a", "vco-b", "vco-c", "vco-f"], calls)).to.deep.equal([
            "list:1",
            "one:vco-f",
        ]);
    });

    it("reads the known pages only until every connection is seen, and none beyond them", async () => {
        // First vco-0 is on page 1 and vco-50, vco-51 on page 2; then the connections before them are deleted.
        let layout: (n: number) => Body = numbered(100);
        const { api, calls } = region(
            (n) => layout(n),
            (id) => id !== "vco-51",
        );
        const batched = coalesced(api);
        expect(await readTogether(batched, ["vco-0", "vco-50", "vco-51"], calls)).to.deep.equal(["list:1", "list:2"]);

        layout = (n) => (n === 1 ? page(["vco-0", "vco-50", "vco-51"], 3, 3) : page([], 3, 0));
        expect(await readTogether(batched, ["vco-0", "vco-50", "vco-51"], calls)).to.deep.equal(["list:1"]);

        // vco-51 is gone: page 1, the only page known to hold these, is read, then vco-51 singly.
        layout = (n) => (n === 1 ? page(["vco-0", "vco-50"], 2, 2) : page([], 2, 0));
        expect(await readTogether(batched, ["vco-0", "vco-50", "vco-51"], calls)).to.deep.equal([
            "list:1",
            "one:vco-51",
        ]);
    });
});
