import { expect } from "chai";
import { keyedTable, processWide, processWideKey } from "../../provider/foundation/processWide";

/** The module loaded again, as a second copy of the package in the same process would load it. */
function secondCopy(): typeof import("../../provider/foundation/processWide") {
    const path = require.resolve("../../provider/foundation/processWide");
    const cached = require.cache[path];
    delete require.cache[path];
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module is the point
        return require(path) as typeof import("../../provider/foundation/processWide");
    } finally {
        require.cache[path] = cached;
    }
}

describe("processWide: tables shared by every copy of the package in a process", () => {
    const registry = globalThis as unknown as Record<symbol, unknown>;
    const used: symbol[] = [];
    function key(name: string, shape: number): symbol {
        const k = processWideKey(name, shape);
        used.push(k);
        return k;
    }
    afterEach(() => {
        for (const k of used.splice(0)) {
            delete registry[k];
        }
    });

    it("keeps the first shape under the bare name 0.1.0 and 0.2.0 used, so their locks are still shared", () => {
        expect(processWideKey("locks", 1)).to.equal(Symbol.for("pulumi-alicloud-vpn-attachment-attribute/locks"));
    });

    it("gives another copy of the module the same table of the same name and shape", () => {
        key("test-shared", 1);
        const mine = processWide("test-shared", 1, () => ({ made: "by the first copy" }));
        const theirs = secondCopy().processWide("test-shared", 1, () => ({ made: "by the second copy" }));
        expect(theirs).to.equal(mine);
    });

    it("keeps a table of another shape apart, whichever copy asks first", () => {
        key("test-shaped", 1);
        key("test-shaped", 2);
        const old = secondCopy().processWide("test-shaped", 1, () => ["a list"]);
        const current = processWide("test-shaped", 2, () => new Map([["a", "map"]]));
        expect(current).to.be.instanceOf(Map);
        expect(old).to.deep.equal(["a list"]);
        expect(processWideKey("test-shaped", 2)).to.not.equal(processWideKey("test-shaped", 1));
    });

    it("makes each keyed entry once, and peeks without making one", () => {
        key("test-keyed", 3);
        let made = 0;
        const table = keyedTable("test-keyed", 3, () => ({ n: ++made }));
        expect(table.peek("k")).to.equal(undefined);
        const first = table.of("k");
        expect(
            secondCopy()
                .keyedTable("test-keyed", 3, () => ({ n: -1 }))
                .of("k"),
        ).to.equal(first);
        expect(made).to.equal(1);
        expect(table.peek("k")).to.equal(first);
    });
});
