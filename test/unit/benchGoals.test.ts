import { expect } from "chai";
import fc from "fast-check";
import { formatMiss, formatSpread, judge } from "../../bench/goals";

/** How the benchmark judges a goal over repeats: the median against the limit, with the spread and the miss. */
describe("benchmark goals over repeats", () => {
    it("judges the median, so one slow repeat does not fail a goal and one fast repeat does not pass it", () => {
        expect(judge([1.1, 1.12, 1.6], 1.15, "x").pass).to.be.true;
        expect(judge([1.2, 1.22, 0.9], 1.15, "x").pass).to.be.false;
    });

    it("prints the spread as min–max over the repeats", () => {
        expect(formatSpread(judge([1.1, 1.6, 1.12], 1.15, "x").judged)).to.equal("1.10x–1.60x over 3 repeats");
        expect(formatSpread(judge([0.085, 0.12, 0.1], 0.15, "share").judged)).to.equal("8.5%–12.0% over 3 repeats");
    });

    it("says by how much a median misses, absolutely and relative to the limit", () => {
        expect(formatMiss(judge([1.3, 1.29, 1.31], 1.15, "x").judged)).to.equal("0.15x over 1.15x (+13%)");
        expect(formatMiss(judge([323, 320, 330], 300, "MB", true).judged)).to.equal("23 MB over 300 MB (+8%)");
        expect(formatMiss(judge([0.2, 0.18, 0.19], 0.15, "share").judged)).to.equal("4.0 points over 15.0% (+27%)");
        expect(formatMiss(judge([1.0, 1.1, 1.15], 1.15, "x").judged)).to.equal("");
    });

    it("holds a strict limit to below, and an upper one to at most", () => {
        expect(judge([300, 300, 300], 300, "MB", true).pass).to.be.false;
        expect(judge([300, 300, 300], 300, "MB").pass).to.be.true;
    });

    it("has no verdict without a value", () => {
        expect(judge([], 1.15, "x").pass).to.be.undefined;
        expect(judge([NaN], 1.15, "x").pass).to.be.undefined;
    });

    it("passes exactly when at least half the repeats are within the limit (odd counts)", () => {
        fc.assert(
            fc.property(
                fc
                    .array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 15 })
                    .filter((a) => a.length % 2 === 1),
                fc.double({ min: 0, max: 10, noNaN: true }),
                (values, limit) => {
                    const within = values.filter((v) => v <= limit).length;
                    const { judged, pass } = judge(values, limit, "x");
                    expect(pass).to.equal(within > values.length / 2);
                    expect(judged.values).to.have.length(values.length);
                    expect(formatMiss(judged) === "").to.equal(pass);
                },
            ),
        );
    });
});
