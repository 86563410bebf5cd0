import { expect } from "chai";
import { check, diff } from "../../provider/pulumi/handlers";
import {
    inputsFromOutputs,
    managedAttributes,
    observedToOutputs,
    outputsToObserved,
} from "../../provider/model/pulumiState";
import { AttributeOutputs, CheckedInputs, ObservedConnection } from "../../provider/model/types";
import { dual, SETTINGS, single, tunnel } from "./fixtures";

/** What `pulumi preview` shows for the program's inputs against the state: whether anything changes. */
function previewChanges(olds: AttributeOutputs, inputs: Record<string, unknown>): boolean | undefined {
    const checked = check({}, { ...SETTINGS, ...inputs });
    expect(checked.failures ?? []).to.deep.equal([]);
    return diff(SETTINGS.vpnConnectionId, olds, checked.inputs as CheckedInputs).changes;
}

/** State after a refresh that found `observed`, as `read` writes it: the managed fields carried over. */
function refreshed(olds: AttributeOutputs, observed: ObservedConnection): AttributeOutputs {
    const managed = managedAttributes(outputsToObserved(olds), olds.managedFields ?? []);
    return observedToOutputs(observed, SETTINGS, managed, olds.lastTaskSeconds);
}

describe("state: each stored tunnel PSK belongs to one tunnel", () => {
    const PROGRAM = {
        tunnelOptionsSpecification: [
            { tunnelIndex: 1, tunnelIkeConfig: { psk: "psk-1" } },
            { tunnelIndex: 2, tunnelIkeConfig: { psk: "psk-2" } },
        ],
    };

    it("shows no change while both tunnels hold the keys state stored for them", () => {
        const olds = observedToOutputs(dual(), SETTINGS, PROGRAM);
        expect(previewChanges(olds, PROGRAM)).to.equal(false);
    });

    it("does not take the stored key of a tunnel the service replaced for its successor at the same index", () => {
        // Tunnel 1 was recreated as tun-9: its key, unknown to state, must be sent again.
        const replaced = { ...tunnel(1), tunnelId: "tun-9", tunnelIkeConfig: { ...tunnel(1).tunnelIkeConfig } };
        delete replaced.tunnelIkeConfig.psk;
        const stored = observedToOutputs(dual(), SETTINGS, PROGRAM);
        const olds: AttributeOutputs = {
            ...observedToOutputs({ ...dual(), tunnelOptionsSpecification: [replaced, tunnel(2)] }, SETTINGS, PROGRAM),
            tunnelPsks: stored.tunnelPsks,
        };
        expect(outputsToObserved(olds).tunnelOptionsSpecification?.map((t) => t.tunnelIkeConfig?.psk)).to.deep.equal([
            undefined,
            "psk-2",
        ]);
        expect(previewChanges(olds, PROGRAM)).to.equal(true);
    });
});

describe("state: a dual-tunnel connection whose tunnels report no PSK", () => {
    it("previews a change from a state that stored no tunnel keys", () => {
        const bare = [tunnel(1), tunnel(2)].map((t) => ({ ...t, tunnelIkeConfig: { ikeVersion: "ikev2" } }));
        const olds = observedToOutputs({ ...dual(), tunnelOptionsSpecification: bare }, SETTINGS, {});
        expect(olds).to.not.have.property("tunnelPsks");
        expect(previewChanges(olds, { name: "renamed" })).to.equal(true);
    });
});

describe("state: written before it recorded the tunnel mode", () => {
    it("reads a connection without tunnels as single-tunnel, and one with tunnels as dual", () => {
        for (const [observed, mode] of [
            [single(), "single"],
            [dual(), "dual"],
        ] as const) {
            const olds = observedToOutputs(observed, SETTINGS, {});
            delete (olds.connection as { mode?: string }).mode;
            expect(outputsToObserved(olds).mode).to.equal(mode);
        }
    });
});

describe("state: refresh keeps naming the tunnels the program configures", () => {
    it("names a tunnel in refreshed inputs by its selector, even when the state lists only its settings", () => {
        // A state whose managed fields name tunnel 2 only in their selector (hand-edited, or older).
        const olds: AttributeOutputs = {
            ...observedToOutputs(dual(), SETTINGS, {}),
            managedFields: ["tunnelOptionsSpecification[tunnelIndex=2].enableDpd"],
        };
        const inputs = inputsFromOutputs(refreshed(olds, dual()));
        expect(inputs.tunnelOptionsSpecification).to.deep.equal([{ tunnelIndex: 2, enableDpd: true }]);
        const byId: AttributeOutputs = {
            ...olds,
            managedFields: ["tunnelOptionsSpecification[tunnelId=tun-1].enableDpd"],
        };
        expect(inputsFromOutputs(refreshed(byId, dual())).tunnelOptionsSpecification).to.deep.equal([
            { tunnelId: "tun-1", enableDpd: true },
        ]);
    });
});
