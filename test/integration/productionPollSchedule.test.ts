import { expect } from "chai";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle } from "../../emulator";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { injectedPollSchedule } from "../../provider/service/pollSchedule";
import { emulatorPerSuite } from "../support/emulatorSuite";

/**
 * The one test of these suites that waits on the production poll schedule
 * (the others inject test/support/fastPolls.ts): a first update, then one
 * with the learned task length, through the real SDK and HTTP, timed by the
 * emulator's call log.
 */
describe("the production poll schedule, end to end", function () {
    this.timeout(60_000);
    const ID = "vco-production-polls";
    const TASK_MS = 2700;
    let emulator: EmulatorHandle;
    const saved = { ...process.env };

    emulatorPerSuite(
        { port: 0, taskDurationMs: TASK_MS },
        (started) => (emulator = started),
        (e) => e.admin.seed(singleTunnelConnection(ID)),
    );
    before(() => {
        Object.assign(process.env, {
            ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
            ALICLOUD_VPC_ENDPOINT: emulator.endpoint,
            ALICLOUD_ACCESS_KEY: emulator.accessKeyId,
            ALICLOUD_SECRET_KEY: emulator.accessKeySecret,
        });
    });
    after(() => {
        process.env = { ...saved };
    });

    /** Times (ms) of the Describes after the accepted Modify, from it, and how many there were before it. */
    function describesAround(since: number): { before: number; after: number[] } {
        const calls = emulator.admin.calls().filter((c) => Date.parse(c.time) >= since);
        const modifyAt = Date.parse(calls.find((c) => c.action === "ModifyVpnAttachmentAttribute")!.time);
        const describes = calls
            .filter((c) => c.action.startsWith("DescribeVpnConnection"))
            .map((c) => Date.parse(c.time));
        return {
            before: describes.filter((t) => t < modifyAt).length,
            after: describes.filter((t) => t > modifyAt).map((t) => t - modifyAt),
        };
    }

    it("polls 0.6, 0.75, 0.94 s and on, 1.25x apart, after the Modify, then 0.9 of the learned length and finely", async () => {
        expect(injectedPollSchedule(), "no schedule injected").to.deep.equal({});
        const provider = new VpnAttachmentAttributeProvider();
        const check = async (name: string) =>
            (await provider.check({}, { regionId: "cn-hangzhou", vpnConnectionId: ID, name })).inputs as CheckedInputs;

        const firstAt = Date.now();
        const outs = (await provider.create(await check("first"))).outs as AttributeOutputs;
        const first = describesAround(firstAt);
        expect(first.before).to.equal(1);
        // 600, 750, 938, 1172, 1465, 1831, 2289 and 2861 ms, each later by the requests before it (a few ms each on loopback).
        // The emulator stamps each call when it arrives, to the millisecond, and each gap runs from the moment the client
        // started the poll before it: on a loaded machine a call can arrive up to a few tens of ms before the nominal
        // time less its 2% jitter (seen: 1148 ms for 1172 ms).
        const EARLY_MS = 50;
        expect(first.after).to.have.length(8);
        [600, 750, 938, 1172, 1465, 1831, 2289, 2861].forEach((at, i) =>
            expect(first.after[i], `poll ${i + 1}`).to.be.within(at * 0.98 - EARLY_MS, at + 400),
        );
        expect(outs.lastTaskSeconds).to.be.within(TASK_MS / 1000, TASK_MS / 1000 + 1);

        const secondAt = Date.now();
        await provider.update(ID, outs, await check("second"));
        const second = describesAround(secondAt);
        // The first poll at 0.9 of the learned length, then gaps of 5% of it (40 to 500 ms) to 1.1 of it.
        expect(second.after[0]).to.be.within(
            0.9 * 0.98 * outs.lastTaskSeconds! * 1000 - EARLY_MS,
            0.9 * outs.lastTaskSeconds! * 1000 + 400,
        );
        expect(second.after.length).to.be.within(2, 6);
        expect(second.after[second.after.length - 1] - TASK_MS).to.be.below(1000);
    });
});
