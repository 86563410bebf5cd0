/**
 * The stages of a gated rollout (docs/rollout.md) in the cases the preview
 * tests leave out: what the first stage carries, whom an update that changes
 * no tunnel waits for, and the plans converge leaves to its own refusals.
 */
import { expect } from "chai";
import { describeRollout, planRollout, ROLLOUT_DEFAULTS, Stage } from "../../provider/model/rolloutPlan";
import { DesiredAttributes } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { dual } from "./fixtures";

const ONE_AT_A_TIME = { ...ROLLOUT_DEFAULTS, tunnels: "oneAtATime" as const };
const WAIT = { ...ROLLOUT_DEFAULTS, waitForNegotiation: true };

describe("rollout: the stages of an update", () => {
    it("sends the changes outside the tunnels and tunnel 1's first, then tunnel 2's", () => {
        const desired: DesiredAttributes = {
            name: "renamed",
            tunnelOptionsSpecification: [
                { tunnelIndex: 2, enableDpd: false },
                { tunnelIndex: 1, enableDpd: false },
            ],
        };
        const stages = planRollout(ONE_AT_A_TIME, desired, dual());
        expect(stages?.map((s) => s.negotiators)).to.deep.equal([
            [{ tunnelId: "tun-1", tunnelIndex: 1 }],
            [{ tunnelId: "tun-2", tunnelIndex: 2 }],
        ]);
        expect(stages?.[0].desired).to.deep.equal({
            name: "renamed",
            tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: false }],
        });
        expect(stages?.[1].desired).to.deep.equal(desired);
    });

    it("with waitForNegotiation alone, makes one Modify that waits for every tunnel it changes", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [
                { tunnelIndex: 1, enableDpd: false },
                { tunnelIndex: 2, enableDpd: false },
            ],
        };
        expect(planRollout(WAIT, desired, dual())).to.deep.equal([
            {
                desired,
                negotiators: [
                    { tunnelId: "tun-1", tunnelIndex: 1 },
                    { tunnelId: "tun-2", tunnelIndex: 2 },
                ],
            },
        ]);
    });

    it("with waitForNegotiation alone, waits only for the tunnel it changes", () => {
        const desired: DesiredAttributes = { tunnelOptionsSpecification: [{ tunnelIndex: 2, enableDpd: false }] };
        expect(planRollout(WAIT, desired, dual())?.map((s) => s.negotiators)).to.deep.equal([
            [{ tunnelId: "tun-2", tunnelIndex: 2 }],
        ]);
    });

    it("waits for every tunnel after a change outside the tunnels, and for none when only one at a time is asked", () => {
        expect(planRollout(WAIT, { name: "renamed" }, dual())).to.deep.equal([
            {
                desired: { name: "renamed" },
                negotiators: [
                    { tunnelId: "tun-1", tunnelIndex: 1 },
                    { tunnelId: "tun-2", tunnelIndex: 2 },
                ],
            },
        ]);
        expect(planRollout(ONE_AT_A_TIME, { name: "renamed" }, dual())).to.deep.equal([
            { desired: { name: "renamed" }, negotiators: [] },
        ]);
    });

    it("leaves a declared tunnel the connection lacks, and a tunnel list unknown at preview, to converge", () => {
        const missing: DesiredAttributes = { tunnelOptionsSpecification: [{ tunnelIndex: 3, enableDpd: false }] };
        expect(planRollout(WAIT, missing, dual())).to.equal(undefined);
        expect(planRollout(ONE_AT_A_TIME, missing, dual())).to.equal(undefined);
        const unknown = { tunnelOptionsSpecification: UNKNOWN } as unknown as DesiredAttributes;
        expect(planRollout(WAIT, unknown, dual())).to.equal(undefined);
    });
});

describe("rollout: what preview says of the stages", () => {
    const stage = (...indexes: number[]): Stage => ({
        desired: {},
        negotiators: indexes.map((i) => ({ tunnelId: `tun-${i}`, tunnelIndex: i })),
    });

    it("names each stage's tunnels, and which one each waits after", () => {
        expect(describeRollout([stage(1, 2), stage(3), stage(4)])).to.equal(
            "rollout: tunnel 1 and tunnel 2, then tunnel 3 after it negotiates, then tunnel 4 after tunnel 3 negotiates",
        );
        expect(describeRollout([stage(), stage(2)])).to.equal(
            "rollout: one Modify, then the update waits until tunnel 2 negotiates again",
        );
        expect(describeRollout([stage()])).to.equal(undefined);
    });
});
