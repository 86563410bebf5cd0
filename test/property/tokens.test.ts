import { expect } from "chai";
import * as fc from "fast-check";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { REGION } from "./arbitraries/declarations";
import { SINGLE_ID } from "./arbitraries/observed";
import { capturingLog, emulatorForSuite, Session } from "./support/emulatorSession";
import { check } from "./support/fcSettings";

/** Few values, so that sequences flip back to earlier ones. */
const NAMES = ["alpha", "bravo", "charlie"];
const FAULTS = ["none", "ServiceUnavailable", "VpnTask.CONFLICT", "drop"] as const;
type Fault = (typeof FAULTS)[number];

interface Step {
    /** What the program declares in this `up`. */
    declared: { name: string; enableDpd: boolean };
    /** A change made by hand before the `up` (the `up` refreshes first). */
    drift?: { name: string };
    /** What happens to the first Modify attempt of this `up`. */
    fault: Fault;
}

const step: fc.Arbitrary<Step> = fc.record(
    {
        declared: fc.record({ name: fc.constantFrom(...NAMES), enableDpd: fc.boolean() }),
        drift: fc.record({ name: fc.constantFrom(...NAMES) }),
        fault: fc.constantFrom(...FAULTS),
    },
    { requiredKeys: ["declared", "fault"] },
);

async function armFault(session: Session, fault: Fault): Promise<void> {
    const action = "ModifyVpnAttachmentAttribute";
    if (fault === "drop") {
        await session.admin.fault({ kind: "drop", count: 1, action });
    } else if (fault !== "none") {
        await session.admin.fault({
            kind: "fail",
            code: fault,
            httpStatus: fault === "ServiceUnavailable" ? 503 : 400,
            count: 1,
            action,
        });
    }
}

/**
 * Property 3: two distinct attempts to converge never share a ClientToken,
 * and the retries of one attempt always share one.
 */
describe("property: ClientTokens", function () {
    this.timeout(180_000);
    const current = emulatorForSuite({ taskDurationMs: 20, fastRetries: true });

    it("every `up` that sends a Modify uses one token for all its retries and a token no earlier `up` used", async () => {
        const session = current();
        const initial = singleTunnelConnection(SINGLE_ID, { Name: NAMES[0], EnableDpd: true });
        await check(
            fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 4 }), async (steps) => {
                await session.admin.reset();
                await session.admin.seed(initial);
                const provider = new VpnAttachmentAttributeProvider();
                const earlier = new Set<string>();
                let olds: AttributeOutputs | undefined;
                for (const { declared, drift, fault } of steps) {
                    if (drift) {
                        await session.admin.patch(SINGLE_ID, { Name: drift.name });
                    }
                    if (olds) {
                        olds = (await provider.read(SINGLE_ID, olds)).props as AttributeOutputs;
                    }
                    await armFault(session, fault);
                    const logged = (await session.admin.calls()).length;
                    // A short deadline: an `up` the service ignores fails in seconds, which keeps shrinking fast.
                    const { inputs } = checkInputs({
                        regionId: REGION,
                        vpnConnectionId: SINGLE_ID,
                        timeoutSeconds: 2,
                        ...declared,
                    });
                    const checked = inputs as unknown as CheckedInputs;
                    const previous = olds;
                    // The provider reports each retry on the console; keep the test output to the results.
                    const run = await capturingLog(async () =>
                        previous
                            ? ((await provider.update(SINGLE_ID, previous, checked)).outs as AttributeOutputs)
                            : ((await provider.create(checked)).outs as AttributeOutputs),
                    );
                    if (run.failed) throw run.error;
                    const outs = run.result as AttributeOutputs;
                    olds = outs;
                    await session.admin.clearFaults();

                    const modifies = (await session.admin.calls())
                        .slice(logged)
                        .filter((c) => c.action === "ModifyVpnAttachmentAttribute");
                    const tokens = new Set(modifies.map((c) => c.clientToken ?? c.params.ClientToken));
                    expect(tokens.size, "tokens within one up").to.be.at.most(1);
                    for (const token of tokens) {
                        expect(earlier.has(token), "a token an earlier up used").to.equal(false);
                        earlier.add(token);
                    }
                    expect(outs.name).to.equal(declared.name);
                }
            }),
            20,
        );
    });
});
