/**
 * A connection whose tunnels the service reports without TunnelId (normalize
 * gives each an empty id so it still shows): state must still give each
 * tunnel its own stored key, by index, or the next preview would show a key
 * change and the next `up` re-send a key the peer does not hold.
 */
import { expect } from "chai";
import { check, diff } from "../../provider/pulumi/handlers";
import { observedToOutputs, outputsToObserved } from "../../provider/model/pulumiState";
import { CheckedInputs, ObservedConnection } from "../../provider/model/types";
import { dual, SETTINGS, tunnel } from "./fixtures";

function withoutIds(): ObservedConnection {
    return { ...dual(), tunnelOptionsSpecification: [tunnel(1), tunnel(2)].map((t) => ({ ...t, tunnelId: "" })) };
}

const PROGRAM = {
    tunnelOptionsSpecification: [
        { tunnelIndex: 1, tunnelIkeConfig: { psk: "psk-1" } },
        { tunnelIndex: 2, tunnelIkeConfig: { psk: "psk-2" } },
    ],
};

describe("state: tunnels reported without TunnelId", () => {
    it("gives each tunnel back the key state stored for its index", () => {
        const olds = observedToOutputs(withoutIds(), SETTINGS, PROGRAM);
        expect(olds.tunnelPsks).to.deep.equal([
            { tunnelId: "", tunnelIndex: 1, psk: "psk-1" },
            { tunnelId: "", tunnelIndex: 2, psk: "psk-2" },
        ]);
        expect(outputsToObserved(olds).tunnelOptionsSpecification?.map((t) => t.tunnelIkeConfig?.psk)).to.deep.equal([
            "psk-1",
            "psk-2",
        ]);
    });

    it("previews no change while each tunnel holds its own declared key", () => {
        const olds = observedToOutputs(withoutIds(), SETTINGS, PROGRAM);
        const checked = check({}, { ...SETTINGS, ...PROGRAM });
        expect(checked.failures ?? []).to.deep.equal([]);
        expect(diff(SETTINGS.vpnConnectionId, olds, checked.inputs as CheckedInputs).changes).to.equal(false);
    });
});
