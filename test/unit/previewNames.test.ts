/**
 * The property paths a preview names (`[diff: ...]`, `--diff`) in the cases
 * the main preview-path tests leave out: a setting removed, a tunnel key with
 * no entry of its own, a tunnel list unknown at preview, a tunnel IKE change
 * that is not its key.
 */
import { expect } from "chai";
import { changedKeys, previewChanges } from "../../provider/model/previewPaths";
import { observedToOutputs } from "../../provider/model/pulumiState";
import { CheckedInputs } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { dual, SETTINGS, single } from "./fixtures";

describe("preview names: settings and top-level values", () => {
    it("names a setting removed as a deletion, and a changed one as an update from state", () => {
        const olds = observedToOutputs(single(), { ...SETTINGS, timeoutSeconds: 60, profile: "ops" }, {});
        expect(previewChanges(olds, { ...SETTINGS, profile: "dev" })).to.deep.equal([
            { path: "timeoutSeconds", kind: "delete", fromInputs: false },
            { path: "profile", kind: "update", fromInputs: false },
        ]);
    });

    it("names a connection value by its own path, not the key's", () => {
        const olds = observedToOutputs(single(), SETTINGS, {});
        expect(previewChanges(olds, { ...SETTINGS, name: "branch", enableDpd: false })).to.deep.equal([
            { path: "name", kind: "update", fromInputs: false },
            { path: "enableDpd", kind: "update", fromInputs: false },
        ]);
    });
});

describe("preview names: tunnels", () => {
    it("names the first tunnelPsks entry by its index", () => {
        const olds = observedToOutputs(dual(), SETTINGS, {});
        const news = {
            ...SETTINGS,
            tunnelOptionsSpecification: [{ tunnelIndex: 1 }],
            tunnelPsks: [{ tunnelIndex: 1, psk: "rotated" }],
        } as CheckedInputs;
        expect(previewChanges(olds, news)).to.deep.equal([{ path: "tunnelPsks[0]", kind: "update", fromInputs: true }]);
    });

    it("names tunnelPsks once when keys change for tunnels the program lists nowhere else", () => {
        const olds = observedToOutputs(dual(), SETTINGS, {});
        const news = {
            ...SETTINGS,
            tunnelPsks: [
                { tunnelIndex: 1, psk: "rotated-1" },
                { tunnelIndex: 2, psk: "rotated-2" },
            ],
        } as CheckedInputs;
        expect(previewChanges(olds, news)).to.deep.equal([{ path: "tunnelPsks", kind: "update", fromInputs: true }]);
    });

    it("names a tunnel IKE setting by its path, and a tunnel list unknown at preview as the list", () => {
        const olds = observedToOutputs(dual(), SETTINGS, {});
        const news = {
            ...SETTINGS,
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group14" } }],
        } as CheckedInputs;
        expect(previewChanges(olds, news)).to.deep.equal([
            { path: "tunnelOptionsSpecification[0].tunnelIkeConfig.ikePfs", kind: "update", fromInputs: true },
        ]);
        const unknown = { ...SETTINGS, tunnelOptionsSpecification: UNKNOWN } as unknown as CheckedInputs;
        expect(previewChanges(olds, unknown)).to.deep.equal([
            { path: "tunnelOptionsSpecification", kind: "update", fromInputs: true },
        ]);
    });

    it("lists each top-level input once, whatever follows its name", () => {
        const paths = [
            "ikeConfig.ikePfs",
            "tunnelOptionsSpecification[0].enableDpd",
            "tunnelPsks[1]",
            "name",
            "tunnelPsks",
        ];
        expect(changedKeys(paths.map((path) => ({ path, kind: "update", fromInputs: true })))).to.deep.equal([
            "ikeConfig",
            "tunnelOptionsSpecification",
            "tunnelPsks",
            "name",
        ]);
    });
});
