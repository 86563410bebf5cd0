import { expect } from "chai";
import { singleTunnelConnection, type EmulatorHandle } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { describeConnection, eventually, expectCode, modify, sdkClient, settled } from "./helpers";

describe("emulator: fault injection", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite(
        { taskDurationMs: 30 },
        (started) => (emulator = started),
        (e) => e.admin.seed(singleTunnelConnection("vco-f")),
    );

    it("fails the next N matching calls with the given code and status", async () => {
        const client = sdkClient(emulator);
        emulator.admin.failNext({
            count: 2,
            code: "ServiceUnavailable",
            httpStatus: 503,
            action: "ModifyVpnAttachmentAttribute",
        });
        expect((await describeConnection(client, "vco-f")).statusCode, "other actions pass").to.equal(200);
        const error = await expectCode(modify(client, "vco-f", { name: "a" }), "ServiceUnavailable", 503);
        expect(error.name).to.equal("ServerError");
        await expectCode(modify(client, "vco-f", { name: "a" }), "ServiceUnavailable", 503);
        expect((await modify(client, "vco-f", { name: "a" })).statusCode).to.equal(200);
        expect(emulator.admin.calls().map((c) => c.code)).to.deep.equal([
            "OK",
            "ServiceUnavailable",
            "ServiceUnavailable",
            "OK",
        ]);
    });

    it("can inject a service code such as VpnTask.CONFLICT with its own message", async () => {
        emulator.admin.failNext({ code: "VpnTask.CONFLICT", httpStatus: 400, message: "Vpn task has conflict." });
        const error = await expectCode(describeConnection(sdkClient(emulator), "vco-f"), "VpnTask.CONFLICT");
        expect(error.data?.Message).to.equal("Vpn task has conflict.");
    });

    it("delays answers", async () => {
        const client = sdkClient(emulator);
        emulator.admin.latency({ ms: 200, count: 1 });
        const started = Date.now();
        await describeConnection(client, "vco-f");
        expect(Date.now() - started).to.be.at.least(190);
        const again = Date.now();
        await describeConnection(client, "vco-f");
        expect(Date.now() - again).to.be.below(190);
    });

    it("lets a slow answer time the client out after the change was accepted", async () => {
        emulator.admin.latency({ ms: 300, action: "ModifyVpnAttachmentAttribute" });
        let failure: unknown;
        await modify(sdkClient(emulator, { readTimeout: 50 }), "vco-f", { name: "late" }).catch(
            (error: unknown) => (failure = error),
        );
        expect(failure).to.be.instanceOf(Error);
        await settled(sdkClient(emulator), "vco-f");
        expect(emulator.admin.get("vco-f").Name).to.equal("late");
    });

    it("drops connections without an answer", async () => {
        const client = sdkClient(emulator);
        emulator.admin.dropNext({ count: 1, action: "DescribeVpnConnection" });
        let failure: unknown;
        await describeConnection(client, "vco-f").catch((error: unknown) => (failure = error));
        expect(String(failure)).to.match(/socket hang up|ECONNRESET/);
        expect((await describeConnection(client, "vco-f")).statusCode).to.equal(200);
        expect(emulator.admin.calls()[0]).to.include({ httpStatus: 0, code: "ConnectionDropped" });
    });

    it("throttles per access key with Throttling.User and x-acs-retry-after", async () => {
        const client = sdkClient(emulator);
        emulator.admin.throttle({ perSecond: 2 });
        await describeConnection(client, "vco-f");
        await describeConnection(client, "vco-f");
        const error = await expectCode(describeConnection(client, "vco-f"), "Throttling.User");
        expect(error.name).to.equal("ThrottlingError");
        expect(error.retryAfter).to.be.within(1, 500);

        emulator.admin.throttle({ perSecond: 1, retryAfterMs: 1234 });
        await describeConnection(client, "vco-f");
        const fixed = await expectCode(describeConnection(client, "vco-f"), "Throttling.User");
        expect(fixed.retryAfter).to.equal(1234);

        emulator.admin.clearFaults();
        expect((await describeConnection(client, "vco-f")).statusCode).to.equal(200);
    });

    it("keeps a stuck connection updating until released", async () => {
        const client = sdkClient(emulator);
        emulator.admin.stuck("vco-f", true);
        await modify(client, "vco-f", { name: "stuck" });
        const watchUntil = Date.now() + 150;
        while (Date.now() < watchUntil) {
            expect((await describeConnection(client, "vco-f")).body?.state).to.equal("updating");
            await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await expectCode(modify(client, "vco-f", { name: "again" }), "VpnTask.CONFLICT");
        emulator.admin.stuck("vco-f", false);
        await settled(client, "vco-f");
        expect(emulator.admin.get("vco-f").Name).to.equal("stuck");
    });

    it("releases stuck connections on clearFaults", async () => {
        const client = sdkClient(emulator);
        emulator.admin.stuck("vco-f");
        await modify(client, "vco-f", { name: "freed" });
        emulator.admin.clearFaults();
        await eventually(() => expect(emulator.admin.get("vco-f").Name).to.equal("freed"));
    });

    it("refuses malformed rules", () => {
        expect(() => emulator.admin.failNext({ code: "X", httpStatus: 200 })).to.throw(/httpStatus/);
        expect(() => emulator.admin.latency({ ms: -1 })).to.throw(/ms/);
        expect(() => emulator.admin.dropNext({ count: 0 })).to.throw(/count/);
        expect(() => emulator.admin.throttle({ perSecond: 0 })).to.throw(/perSecond/);
    });
});
