import { expect } from "chai";
import { withLock } from "../../provider/service/locking";
import { processWideKey } from "../../provider/foundation/processWide";

/**
 * Keys held or waited for, read from the process-wide table the way another
 * copy of the module (an older version's included) finds it: by its registry symbol.
 */
function heldLockKeys(): string[] {
    const registry = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
    return [...(registry[processWideKey("locks", 1)]?.keys() ?? [])];
}

/** A promise the test settles by hand. */
function gate(): { opened: Promise<void>; open: () => void } {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
        open = resolve;
    });
    return { opened, open };
}

/** Lets every pending promise callback run. */
function settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

describe("locking: withLock", () => {
    afterEach(() => {
        expect(heldLockKeys()).to.deep.equal([]);
    });

    it("runs holders of one key one at a time, in arrival order", async () => {
        const events: string[] = [];
        const gates = [gate(), gate(), gate()];
        const runs = gates.map((g, i) =>
            withLock("cn-hangzhou/vco-1", async () => {
                events.push(`start ${i}`);
                await g.opened;
                events.push(`end ${i}`);
                return i;
            }),
        );
        await settle();
        expect(events).to.deep.equal(["start 0"]);

        gates[2].open();
        gates[1].open();
        await settle();
        expect(events).to.deep.equal(["start 0"]);

        gates[0].open();
        expect(await Promise.all(runs)).to.deep.equal([0, 1, 2]);
        expect(events).to.deep.equal(["start 0", "end 0", "start 1", "end 1", "start 2", "end 2"]);
    });

    it("makes a holder that arrives after the first left wait for the one queued behind it", async () => {
        const events: string[] = [];
        const [first, second, third] = [gate(), gate(), gate()];
        const hold = (name: string, g: { opened: Promise<void> }) =>
            withLock("cn-hangzhou/vco-1", async () => {
                events.push(`start ${name}`);
                await g.opened;
                events.push(`end ${name}`);
            });
        const runs = [hold("a", first), hold("b", second)];
        first.open();
        await settle();
        runs.push(hold("c", third));
        await settle();
        expect(events).to.deep.equal(["start a", "end a", "start b"]);
        second.open();
        third.open();
        await Promise.all(runs);
        expect(events).to.deep.equal(["start a", "end a", "start b", "end b", "start c", "end c"]);
    });

    it("runs different keys at the same time", async () => {
        const events: string[] = [];
        const a = gate();
        const b = gate();
        const runA = withLock("vco-a", async () => {
            events.push("a");
            await a.opened;
        });
        const runB = withLock("vco-b", async () => {
            events.push("b");
            await b.opened;
        });
        await settle();
        expect(events).to.deep.equal(["a", "b"]);
        expect(heldLockKeys().sort()).to.deep.equal(["vco-a", "vco-b"]);
        a.open();
        b.open();
        await Promise.all([runA, runB]);
    });

    it("releases the lock when the holder fails, and passes the error on", async () => {
        const failure = new Error("Modify failed");
        const first = withLock("vco-1", () => Promise.reject(failure));
        const second = withLock("vco-1", () => Promise.resolve("second ran"));
        let caught: unknown;
        try {
            await first;
        } catch (err) {
            caught = err;
        }
        expect(caught).to.equal(failure);
        expect(await second).to.equal("second ran");
    });

    it("forgets a key once nobody holds or waits for it", async () => {
        const g = gate();
        const run = withLock("vco-1", () => g.opened);
        expect(heldLockKeys()).to.deep.equal(["vco-1"]);
        g.open();
        await run;
        expect(heldLockKeys()).to.deep.equal([]);
    });
});
