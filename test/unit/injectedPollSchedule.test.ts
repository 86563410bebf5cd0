import { expect } from "chai";
import { injectedPollSchedule, injectPollSchedule } from "../../provider/service/pollSchedule";
import { processWideKey } from "../../provider/foundation/processWide";

describe("waiting: an injected poll schedule", () => {
    it("is none by default, and each injection hands back the one it replaces", () => {
        expect(injectedPollSchedule()).to.deep.equal({});
        const fast = { firstDelayMs: 10, steadyDelayMs: 40 };
        expect(injectPollSchedule(fast)).to.deep.equal({});
        expect(injectedPollSchedule()).to.equal(fast);
        const faster = { firstDelayMs: 1 };
        expect(injectPollSchedule(faster)).to.equal(fast);
        expect(injectPollSchedule({})).to.equal(faster);
        expect(injectedPollSchedule()).to.deep.equal({});
    });

    it("is one setting for the whole process, whichever copy of the module set it", () => {
        injectPollSchedule({ firstDelayMs: 5 });
        try {
            const holder = globalThis as unknown as Record<symbol, { options: unknown }>;
            const shared = holder[processWideKey("poll-schedule", 1)];
            expect(shared.options).to.deep.equal({ firstDelayMs: 5 });
        } finally {
            injectPollSchedule({});
        }
    });
});
