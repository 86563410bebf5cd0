import { expect } from "chai";
import * as fc from "fast-check";
import { diffResource } from "../../provider/model/diffing";
import { observedToOutputs } from "../../provider/model/pulumiState";
import { rolloutPreview } from "../../provider/model/rolloutPlan";
import { checkInputs } from "../../provider/model/validation";
import { DesiredAttributes, RolloutSettings } from "../../provider/model/types";
import { dual, single, SETTINGS } from "./fixtures";

const BOTH_PSKS: DesiredAttributes = {
    tunnelOptionsSpecification: [
        { tunnelIndex: 1, tunnelIkeConfig: { psk: "rotated-1" } },
        { tunnelIndex: 2, tunnelIkeConfig: { psk: "rotated-2" } },
    ],
};

describe("rollout input: check, diff and preview", () => {
    it("check accepts the rollout input as the issue gives it, and every field alone", () => {
        const full = {
            tunnels: "oneAtATime",
            waitForNegotiation: true,
            negotiationTimeoutSeconds: 120,
            onNegotiationFailure: "revert",
        };
        for (const rollout of [full, {}, { tunnels: "together" }, { waitForNegotiation: "true" }]) {
            const { failures } = checkInputs({ ...SETTINGS, rollout });
            expect(failures, JSON.stringify(rollout)).to.deep.equal([]);
        }
        expect(checkInputs({ ...SETTINGS, rollout: { waitForNegotiation: "true" } }).inputs.rollout).to.deep.equal({
            waitForNegotiation: true,
        });
    });

    it("check refuses what the rollout input does not take, naming the property", () => {
        const { failures } = checkInputs({
            ...SETTINGS,
            rollout: {
                tunnels: "allAtOnce",
                waitForNegotiation: 1,
                negotiationTimeoutSeconds: 0,
                onNegotiationFailure: "retry",
                tunnel: "oneAtATime",
            },
        });
        expect(failures.map((f) => f.property).sort()).to.deep.equal([
            "rollout.negotiationTimeoutSeconds",
            "rollout.onNegotiationFailure",
            "rollout.tunnel",
            "rollout.tunnels",
            "rollout.waitForNegotiation",
        ]);
        expect(failures.find((f) => f.property === "rollout.tunnels")?.reason).to.include("oneAtATime, together");
        expect(failures.find((f) => f.property === "rollout.tunnel")?.reason).to.include("did you mean tunnels?");
        expect(checkInputs({ ...SETTINGS, rollout: "oneAtATime" }).failures[0].property).to.equal("rollout");
    });

    it("diff compares rollout by value: the same settings in another key order are no change", () => {
        fc.assert(
            fc.property(
                fc.record(
                    {
                        tunnels: fc.constantFrom<"oneAtATime" | "together">("oneAtATime", "together"),
                        waitForNegotiation: fc.boolean(),
                        negotiationTimeoutSeconds: fc.integer({ min: 1, max: 86400 }),
                        onNegotiationFailure: fc.constantFrom<"stop" | "revert">("stop", "revert"),
                    },
                    { requiredKeys: [] },
                ),
                (rollout: RolloutSettings) => {
                    const reordered = Object.fromEntries(Object.entries(rollout).reverse()) as RolloutSettings;
                    const olds = observedToOutputs(single(), { ...SETTINGS, rollout }, {});
                    expect(diffResource(olds, { ...SETTINGS, rollout: reordered }).changes).to.equal(false);
                    const other = { ...rollout, waitForNegotiation: !rollout.waitForNegotiation };
                    expect(diffResource(olds, { ...SETTINGS, rollout: other }).changes).to.equal(true);
                },
            ),
        );
    });

    function preview(rollout: RolloutSettings | undefined, desired: DesiredAttributes, observed = dual()) {
        const olds = observedToOutputs(observed, { ...SETTINGS, rollout }, {});
        return rolloutPreview(olds, { ...SETTINGS, rollout, ...desired });
    }

    it("preview says, when the gate applies, that tunnel 2 follows tunnel 1 once it negotiates", () => {
        expect(preview({ tunnels: "oneAtATime" }, BOTH_PSKS)).to.equal(
            "rollout: tunnel 1, then tunnel 2 after it negotiates",
        );
        const reversed = { tunnelOptionsSpecification: [...(BOTH_PSKS.tunnelOptionsSpecification ?? [])].reverse() };
        expect(preview({ tunnels: "oneAtATime" }, reversed), "by tunnelIndex, not the program's order").to.equal(
            "rollout: tunnel 1, then tunnel 2 after it negotiates",
        );
        const secondOnly = { tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { psk: "r" } }] };
        expect(preview({ tunnels: "oneAtATime" }, secondOnly)).to.equal(
            "rollout: one Modify, then the update waits until tunnel 2 negotiates again",
        );
        expect(preview({ waitForNegotiation: true }, BOTH_PSKS)).to.equal(
            "rollout: one Modify, then the update waits until tunnel 1 and tunnel 2 negotiate again",
        );
        expect(preview({ waitForNegotiation: true }, { ikeConfig: { psk: "r" } }, single())).to.equal(
            "rollout: one Modify, then the update waits until the connection negotiates again",
        );
    });

    it("preview says nothing with the defaults, or when the gate has nothing to gate", () => {
        expect(preview(undefined, BOTH_PSKS)).to.equal(undefined);
        expect(preview({ tunnels: "together", onNegotiationFailure: "revert" }, BOTH_PSKS)).to.equal(undefined);
        expect(preview({ tunnels: "oneAtATime" }, { name: "renamed" })).to.equal(undefined);
        expect(preview({ tunnels: "oneAtATime" }, { ikeConfig: { psk: "r" } }, single())).to.equal(undefined);
    });
});
