/**
 * What state records of a program's declaration and what a refresh gives
 * back, in the cases the main state tests leave out: undefined values,
 * values unknown at preview, settings the connection stopped reporting, and
 * the write-only attributes Describe never reports.
 */
import { expect } from "chai";
import { diffResource } from "../../provider/model/diffing";
import {
    desiredFromInputs,
    inputsFromOutputs,
    managedFieldPaths,
    observedToOutputs,
    outputsToObserved,
    pickWriteOnly,
    withWriteOnly,
} from "../../provider/model/pulumiState";
import { CheckedInputs, DesiredAttributes } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { SETTINGS, single } from "./fixtures";

describe("state: the managed fields of a declaration", () => {
    it("records no attribute or key the program left undefined", () => {
        const desired = { name: undefined, ikeConfig: { ikeVersion: "ikev2", ikePfs: undefined } } as DesiredAttributes;
        expect(managedFieldPaths(desired)).to.deep.equal(["ikeConfig.ikeVersion"]);
    });

    it("records a subnet list still holding an unknown entry as the one attribute", () => {
        const desired = { remoteSubnet: ["192.168.0.0/16", UNKNOWN] } as unknown as DesiredAttributes;
        expect(managedFieldPaths(desired)).to.deep.equal(["remoteSubnet"]);
    });

    it("previews an update when the whole tunnel list is unknown", () => {
        const olds = observedToOutputs(single(), SETTINGS, { name: "office" });
        const news = { ...SETTINGS, tunnelOptionsSpecification: UNKNOWN } as unknown as CheckedInputs;
        expect(diffResource(olds, news).changes).to.equal(true);
    });
});

describe("state: the connection as last observed", () => {
    it("reads back what state keeps of the connection's description, status included", () => {
        const observed = { ...single(), vpnGatewayId: "vpn-1", createTime: 1658201810000 };
        const back = outputsToObserved(observedToOutputs(observed, SETTINGS, {}));
        expect(back).to.deep.include({
            status: "ipsec_sa_established",
            vpnGatewayId: "vpn-1",
            createTime: 1658201810000,
            mode: "single",
        });
    });
});

describe("state: refreshed inputs", () => {
    it("give no config the connection stopped reporting, not even an empty one", () => {
        const olds = observedToOutputs(single(), SETTINGS, { name: "office", ikeConfig: { ikePfs: "group2" } });
        const refreshed = observedToOutputs({ ...single(), ikeConfig: undefined }, SETTINGS, {
            name: "office",
            ikeConfig: { ikePfs: "group2" },
        });
        expect(inputsFromOutputs(olds)).to.have.property("ikeConfig");
        const inputs = inputsFromOutputs(refreshed);
        expect(inputs).to.not.have.property("ikeConfig");
        expect(inputs).to.not.have.property("psk");
        expect(inputs.name).to.equal("office");
    });
});

describe("state: tunnel keys declared beside a tunnel list", () => {
    it("keep a tunnel list unknown at preview unknown", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            tunnelOptionsSpecification: UNKNOWN,
            tunnelPsks: [{ tunnelIndex: 1, psk: "k1" }],
        } as unknown as CheckedInputs);
        expect(desired.tunnelOptionsSpecification).to.equal(UNKNOWN);
    });

    it("make the tunnels they name when the program declares no tunnel list", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            tunnelPsks: [
                { tunnelIndex: 1, psk: "k1" },
                { tunnelId: "tun-2", psk: "k2" },
            ],
        });
        expect(desired.tunnelOptionsSpecification).to.deep.equal([
            { tunnelIndex: 1, tunnelIkeConfig: { psk: "k1" } },
            { tunnelId: "tun-2", tunnelIkeConfig: { psk: "k2" } },
        ]);
    });
});

describe("state: write-only attributes", () => {
    it("keeps only the write-only attributes a declaration sets", () => {
        expect(pickWriteOnly({ name: "office", autoConfigRoute: true })).to.deep.equal({ autoConfigRoute: true });
        expect(pickWriteOnly({ name: "office" })).to.deep.equal({});
    });

    it("fills in what was applied where the service reports nothing, and never over what it reports", () => {
        const observed = single();
        expect(withWriteOnly(observed, { autoConfigRoute: true }).autoConfigRoute).to.equal(true);
        expect(
            withWriteOnly({ ...observed, autoConfigRoute: false }, { autoConfigRoute: true }).autoConfigRoute,
        ).to.equal(false);
        expect(withWriteOnly(observed, {})).to.deep.equal(observed);
        expect(withWriteOnly(observed, {})).to.not.have.property("autoConfigRoute");
    });
});
