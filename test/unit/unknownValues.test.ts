/**
 * Preview's placeholder for values not known yet, at any depth: a declared
 * value that holds one must show as a change (it may change anything), and
 * a value without one, null included, must not be taken for unknown.
 */
import { expect } from "chai";
import { compareAttributes } from "../../provider/model/diffing";
import { DesiredAttributes } from "../../provider/model/types";
import { containsUnknown, isUnknown, UNKNOWN } from "../../provider/model/unknowns";
import { single } from "./fixtures";

describe("unknowns: values not known until the update runs", () => {
    it("finds the placeholder itself, in a list, and in an object at any depth", () => {
        expect(isUnknown(UNKNOWN)).to.equal(true);
        expect(containsUnknown(UNKNOWN)).to.equal(true);
        expect(containsUnknown(["10.0.0.0/8", UNKNOWN])).to.equal(true);
        expect(containsUnknown({ ikeConfig: { ikeLifetime: UNKNOWN } })).to.equal(true);
        expect(containsUnknown([{ tunnelIkeConfig: { psk: UNKNOWN } }])).to.equal(true);
    });

    it("finds none in known values, null, numbers, booleans or other text", () => {
        for (const value of [
            null,
            undefined,
            0,
            1,
            true,
            false,
            "",
            "ikev2",
            `${UNKNOWN}x`,
            [],
            {},
            [null],
            { a: null },
        ]) {
            expect(containsUnknown(value), JSON.stringify(value)).to.equal(false);
        }
        expect(containsUnknown({ ikeConfig: { ikeVersion: "ikev2", ikeLifetime: 86400 } })).to.equal(false);
        expect(isUnknown(`${UNKNOWN} `)).to.equal(false);
    });

    it("makes a subnet list with an unknown entry a change (check leaves it as written), and the known list no change", () => {
        const known: DesiredAttributes = { remoteSubnet: "192.168.0.0/16" };
        const unknown = { remoteSubnet: ["192.168.0.0/16", UNKNOWN] } as unknown as DesiredAttributes;
        expect(compareAttributes(known, single())).to.deep.equal([]);
        expect(compareAttributes(unknown, single()).map((d) => d.path)).to.deep.equal(["remoteSubnet"]);
    });
});
