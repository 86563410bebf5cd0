import { expect } from "chai";
import * as fc from "fast-check";
import { collateralChanges, describeCollateral } from "../../provider/model/collateral";
import { ObservedConnection } from "../../provider/model/types";
import { dual, single } from "./fixtures";

describe("collateral: settings the program does not declare", () => {
    it("finds nothing when only declared values changed", () => {
        const after = { ...single(), name: "renamed", ikeConfig: { ...single().ikeConfig, ikePfs: "group14" } };
        expect(collateralChanges({ name: "renamed", ikeConfig: { ikePfs: "group14" } }, single(), after)).to.deep.equal(
            [],
        );
    });

    it("names an undeclared key of a declared config object, and an undeclared top-level setting", () => {
        const before = single();
        const after: ObservedConnection = {
            ...before,
            enableNatTraversal: false,
            ikeConfig: { ...before.ikeConfig, ikePfs: "group14", ikeLifetime: 3600 },
        };
        const changes = collateralChanges({ ikeConfig: { ikePfs: "group14" } }, before, after);
        expect(changes.map(describeCollateral)).to.deep.equal([
            "enableNatTraversal: true → false",
            "ikeConfig.ikeLifetime: 86400 → 3600",
        ]);
    });

    it("shows a changed PSK only as changed", () => {
        const before = single();
        const after = { ...before, ikeConfig: { ...before.ikeConfig, psk: "Regenerated1234x" } };
        const [change] = collateralChanges({ name: "office" }, before, after);
        const shown = describeCollateral(change);
        expect(shown).to.equal("ikeConfig.psk changed (a pre-shared key; values not shown)");
        expect(shown).to.not.include("Regenerated1234x").and.not.include("current-psk");
    });

    it("compares each tunnel's undeclared settings, declared tunnel or not", () => {
        const before = dual();
        const after = dual();
        after.tunnelOptionsSpecification![0].enableDpd = false;
        after.tunnelOptionsSpecification![0].tunnelIkeConfig!.ikeLifetime = 3600;
        after.tunnelOptionsSpecification![1].enableNatTraversal = false;
        const declared = { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { ikeLifetime: 3600 } }] };
        expect(collateralChanges(declared, before, after).map(describeCollateral)).to.deep.equal([
            "tunnelOptionsSpecification (tunnel tun-1, index 1).enableDpd: true → false",
            "tunnelOptionsSpecification (tunnel tun-2, index 2).enableNatTraversal: true → false",
        ]);
    });

    it("does not count a setting the connection did not report before, which had no value to keep", () => {
        const before = single();
        delete before.ikeConfig!.ikeMode;
        const after = { ...before, ikeConfig: { ...before.ikeConfig, ikeMode: "main" } };
        expect(collateralChanges({ name: "office" }, before, after)).to.deep.equal([]);
        expect(collateralChanges({ name: "office" }, after, before).map(describeCollateral)).to.deep.equal([
            'ikeConfig.ikeMode: "main" → absent',
        ]);
    });

    it("ignores statuses, peer values and the way subnets are listed", () => {
        const before = dual();
        const after = dual();
        after.state = "updating";
        after.localSubnet = "10.0.0.0/8";
        after.tunnelOptionsSpecification![0].status = "ike_sa_not_established";
        after.tunnelOptionsSpecification![0].tunnelBgpConfig!.bgpStatus = "down";
        after.tunnelOptionsSpecification![0].tunnelBgpConfig!.peerAsn = 1;
        const reordered = { ...single(), localSubnet: "10.1.2.0/24,10.1.1.0/24" };
        expect(collateralChanges({}, before, after)).to.deep.equal([]);
        expect(collateralChanges({}, single(), reordered)).to.deep.equal([]);
    });

    it("finds a change in any undeclared top-level leaf, and none once it is declared (property)", () => {
        const leaves = ["name", "effectImmediately", "customerGatewayId", "enableDpd", "enableNatTraversal"] as const;
        fc.assert(
            fc.property(fc.constantFrom(...leaves), fc.string({ minLength: 1 }), (leaf, value) => {
                const before = single();
                fc.pre(before[leaf] !== value);
                const after: ObservedConnection = { ...before, [leaf]: value };
                const undeclared = collateralChanges({}, before, after);
                expect(undeclared.map((c) => c.path)).to.deep.equal([leaf]);
                expect(collateralChanges({ [leaf]: value }, before, after)).to.deep.equal([]);
            }),
            // A fixed seed: the unit suite is deterministic.
            { seed: 19, numRuns: 100 },
        );
    });
});
