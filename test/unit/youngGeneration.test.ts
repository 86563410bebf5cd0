import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

/**
 * The provider process keeps V8's young generation at its starting size
 * (provider/service/youngGeneration.ts). Measured in a child process of its
 * own, as the flag is process-wide: a working set that survives scavenges
 * grows the young generation (to 128 MB on Node 24, 32 MB on Node 22) unless
 * the provider has set its flag.
 */
const MODULE = path.resolve(__dirname, "..", "..", "provider", "service", "youngGeneration.js");

/** The young generation's size in MB after a churn of surviving records, with or without the provider's call first. */
function youngGenerationMb(limit: boolean): number {
    const script = `
        const v8 = require("node:v8");
        if (${limit}) require(${JSON.stringify(MODULE)}).keepYoungGenerationSmall();
        const ring = new Array(20000);
        for (let i = 0; i < 1e6; i++) ring[i % ring.length] = { i, s: "x".repeat(8) + i, a: [i, i + 1] };
        const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
        process.stdout.write(String(young.space_size / 2 ** 20));
    `;
    return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

describe("young generation of the provider process", function () {
    this.timeout(30_000);

    it("grows under surviving allocations by default, and stays small once the provider has made its first call", () => {
        const grown = youngGenerationMb(false);
        expect(grown).to.be.greaterThan(16);
        // Limited, it starts at 2 MB and mostly stays there; on Node 24 it was seen at 4.75 and 6.5 MB now and then
        // (scavenges under load), against 64 MB grown: the claim is a fraction of that, not an exact size.
        expect(youngGenerationMb(true)).to.be.at.most(grown / 4);
    });
});
