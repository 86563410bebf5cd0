import { expect } from "chai";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { changedKeys, previewChanges } from "../../provider/model/previewPaths";
import { observedToOutputs } from "../../provider/model/pulumiState";
import { AttributeOutputs, CheckedInputs, DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { wrapDiffResponse, withDetailedDiff } from "../../provider/pulumi/detailedDiff";
import { dual, SETTINGS, single } from "./fixtures";

function state(desired: DesiredAttributes, observed: ObservedConnection = single()): AttributeOutputs {
    return observedToOutputs(observed, SETTINGS, desired);
}

function news(inputs: object): CheckedInputs {
    return { ...SETTINGS, ...inputs };
}

describe("previewPaths: what the preview names", () => {
    it("names each declared value up sends, where the program declares it, and nothing it already has", () => {
        const declared = { name: "branch", enableDpd: true, ikeConfig: { ikePfs: "group5", ikeVersion: "ikev2" } };
        expect(previewChanges(state({ name: "office" }), news(declared))).to.deep.equal([
            { path: "name", kind: "update", fromInputs: false },
            { path: "ikeConfig.ikePfs", kind: "update", fromInputs: false },
        ]);
    });

    it("names a PSK by its secret input, psk or the tunnel's tunnelPsks entry", () => {
        expect(previewChanges(state({}), news({ psk: "rotated" }))).to.deep.equal([
            { path: "psk", kind: "update", fromInputs: false },
        ]);
        const tunnels = {
            tunnelOptionsSpecification: [{ tunnelIndex: 2, enableDpd: false }, { tunnelIndex: 1 }],
            tunnelPsks: [
                { tunnelIndex: 1, psk: "psk-1" },
                { tunnelIndex: 2, psk: "rotated" },
            ],
        };
        expect(previewChanges(state({}, dual()), news(tunnels))).to.deep.equal([
            { path: "tunnelOptionsSpecification[0].enableDpd", kind: "update", fromInputs: true },
            { path: "tunnelPsks[1]", kind: "update", fromInputs: true },
        ]);
    });

    it("names settings that change, and a value unknown at preview", () => {
        const changes = previewChanges(state({}), news({ timeoutSeconds: 60, name: UNKNOWN }));
        expect(changes.map((c) => `${c.kind} ${c.path}`)).to.deep.equal(["add timeoutSeconds", "update name"]);
        expect(
            changedKeys([...changes, { path: "ikeConfig.ikePfs", kind: "update", fromInputs: false }]),
        ).to.deep.equal(["timeoutSeconds", "name", "ikeConfig"]);
    });
});

describe("detailedDiff: the host's DiffResponse carries the detailed diff", () => {
    it("fills the response the host fills after reading changes, and only that one", () => {
        wrapDiffResponse(proto);
        const result = withDetailedDiff({ replaces: [], deleteBeforeReplace: false }, [
            { path: "psk", kind: "update", fromInputs: false },
            { path: "tunnelOptionsSpecification[1].enableDpd", kind: "update", fromInputs: true },
        ]);
        // What the host does with a DiffResult, in order.
        const response = new proto.DiffResponse();
        expect(result.changes).to.equal(true);
        response.setChanges(proto.DiffResponse.DiffChanges.DIFF_SOME);
        expect(response.getDiffsList()).to.deep.equal(["psk", "tunnelOptionsSpecification"]);
        expect(response.getHasdetaileddiff()).to.equal(true);
        const detailed = response.getDetaileddiffMap();
        expect(detailed.get("psk")?.getKind()).to.equal(proto.PropertyDiff.Kind.UPDATE);
        expect(detailed.get("tunnelOptionsSpecification[1].enableDpd")?.getInputdiff()).to.equal(true);

        const next = new proto.DiffResponse();
        next.setChanges(proto.DiffResponse.DiffChanges.DIFF_SOME);
        expect(next.getHasdetaileddiff()).to.equal(false);
        expect(next.getDiffsList()).to.deep.equal([]);
    });
});
