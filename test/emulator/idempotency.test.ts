import { expect } from "chai";
import { singleTunnelConnection, startEmulator, type EmulatorHandle } from "../../emulator";
import { IdempotencyCache } from "../../emulator/idempotency";
import { modify, sdkClient } from "./helpers";

const PSK = "Zq7<Kx&y'9-cached";

function answer(requestId: string): object {
    return {
        RequestId: requestId,
        IkeConfig: { Psk: PSK, IkeVersion: "ikev2" },
        TunnelOptionsSpecification: [{ TunnelId: "tun-1", TunnelIkeConfig: { psk: PSK } }],
    };
}

describe("emulator: the ClientToken cache", () => {
    it("holds no pre-shared key: a replayed answer shows *** where the first showed the key", () => {
        const cache = new IdempotencyCache();
        cache.remember("ak\ntoken", "fp", answer("REQ-1"));
        const replayed = cache.lookup("ak\ntoken", "fp");
        expect(JSON.stringify(replayed)).to.not.include(PSK);
        expect(replayed).to.deep.equal({
            RequestId: "REQ-1",
            IkeConfig: { Psk: "***", IkeVersion: "ikev2" },
            TunnelOptionsSpecification: [{ TunnelId: "tun-1", TunnelIkeConfig: { psk: "***" } }],
        });
    });

    it("forgets the oldest tokens beyond its count, and every token past its age", () => {
        let now = 0;
        const cache = new IdempotencyCache(() => now, { maxEntries: 2, maxAgeMs: 60_000 });
        for (const token of ["a", "b", "c"]) {
            cache.remember(token, "fp", answer(token));
            now += 1000;
        }
        expect(["a", "b", "c"].map((t) => cache.lookup(t, "fp") !== undefined)).to.deep.equal([false, true, true]);
        now += 58_500;
        expect(["b", "c"].map((t) => cache.lookup(t, "fp") !== undefined)).to.deep.equal([false, true]);
        now += 1000;
        expect(cache.lookup("c", "fp")).to.equal(undefined);
    });

    it("keeps a thousand tokens for a day by default", () => {
        let now = 0;
        const cache = new IdempotencyCache(() => now);
        for (let i = 0; i <= 1000; i++) {
            cache.remember(`t${i}`, "fp", answer(`R${i}`));
        }
        expect(cache.lookup("t0", "fp")).to.equal(undefined);
        expect(cache.lookup("t1", "fp")).to.not.equal(undefined);
        now = 24 * 60 * 60 * 1000 - 1;
        expect(cache.lookup("t1000", "fp")).to.not.equal(undefined);
        now += 1;
        expect(cache.lookup("t1000", "fp")).to.equal(undefined);
    });

    describe("over HTTP", () => {
        let emulator: EmulatorHandle;
        before(async () => {
            emulator = await startEmulator({ port: 0, taskDurationMs: 20 });
        });
        after(() => emulator.close());

        it("replays a Modify under the same token with its RequestId and without the PSK it carried", async () => {
            emulator.admin.seed(singleTunnelConnection("vco-replay"));
            const client = sdkClient(emulator);
            const fields = { ikeConfig: JSON.stringify({ Psk: PSK }), clientToken: "token-psk" };
            const first = await modify(client, "vco-replay", fields);
            const replayed = await modify(client, "vco-replay", fields);
            expect(first.body?.ikeConfig?.psk).to.equal(PSK);
            expect(replayed.body?.requestId).to.equal(first.body?.requestId);
            expect(replayed.body?.ikeConfig?.psk).to.equal("***");
        });
    });
});
