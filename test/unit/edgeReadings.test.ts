/**
 * Edge cases of the address, tunnel and collateral rules, as a user meets
 * them: a tunnel that vanished after a Modify, a setting no longer reported,
 * a connection that reports no subnets, addresses that do not parse, and a
 * tunnel key named by id for a tunnel the program names by index.
 */
import { expect } from "chai";
import { declarationOf } from "../../provider/model/adoption";
import { collateralChanges, describeCollateral } from "../../provider/model/collateral";
import { ipInCidr, sameSubnets } from "../../provider/model/ipv4";
import { desiredFromInputs } from "../../provider/model/pulumiState";
import { buildModifyRequest } from "../../provider/model/requests";
import { ObservedConnection } from "../../provider/model/types";
import { dual, SETTINGS, single, tunnel } from "./fixtures";

describe("collateral: what a Modify took away", () => {
    it("reports a tunnel the connection no longer reports", () => {
        const after: ObservedConnection = { ...dual(), tunnelOptionsSpecification: undefined };
        expect(collateralChanges({ name: "office" }, dual(), after).map(describeCollateral)).to.deep.equal([
            'tunnelOptionsSpecification (tunnel tun-1, index 1): "reported" → "no longer reported"',
            'tunnelOptionsSpecification (tunnel tun-2, index 2): "reported" → "no longer reported"',
        ]);
        const oneLeft: ObservedConnection = { ...dual(), tunnelOptionsSpecification: [tunnel(2)] };
        expect(collateralChanges({}, dual(), oneLeft).map((c) => [c.path, c.secret])).to.deep.equal([
            ["tunnelOptionsSpecification (tunnel tun-1, index 1)", false],
        ]);
    });

    it("reports a setting or subnet list the connection no longer reports as absent", () => {
        const after: ObservedConnection = { ...single(), name: undefined, remoteSubnet: undefined };
        expect(collateralChanges({}, single(), after).map(describeCollateral)).to.deep.equal([
            'name: "office" → absent',
            'remoteSubnet: "192.168.0.0/16" → absent',
        ]);
    });
});

describe("addresses: values that do not parse", () => {
    it("puts no unparsable address in a block, nor any address in an unparsable block", () => {
        expect(ipInCidr("10.0.0.1", "10.0.0.0/8")).to.equal(true);
        expect(ipInCidr("10.0.0.256", "10.0.0.0/8")).to.equal(false);
        expect(ipInCidr("10.0.0.1", "10.0.0.0/33")).to.equal(false);
        expect(ipInCidr("10.0.0.1", "10.0.0.0")).to.equal(false);
    });

    it("finds no list the same as a value that is not a subnet list", () => {
        expect(sameSubnets(undefined, "10.0.0.0/8")).to.equal(false);
        expect(sameSubnets("10.0.0.0/8", undefined)).to.equal(false);
        expect(sameSubnets(" 10.0.0.1/8", ["10.0.0.0/8"])).to.equal(true);
    });

    it("sends an IKE version change to a connection that reports no subnets", () => {
        const bare: ObservedConnection = { ...single(), localSubnet: undefined, remoteSubnet: undefined };
        const request = buildModifyRequest(SETTINGS, { ikeConfig: { ikeVersion: "ikev1" } }, bare);
        expect(request).to.not.have.property("localSubnet");
        expect(JSON.parse(request?.ikeConfig ?? "{}")).to.include({ IkeVersion: "ikev1" });
    });
});

describe("tunnels: a key named by id for a tunnel the program names by index", () => {
    it("goes into that tunnel's entry rather than a second entry", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: false }],
            tunnelPsks: [{ tunnelId: "tun-1", tunnelIndex: 1, psk: "k1" }],
        });
        expect(desired.tunnelOptionsSpecification).to.deep.equal([
            { tunnelIndex: 1, enableDpd: false, tunnelIkeConfig: { psk: "k1" } },
        ]);
    });
});

describe("adoption: a dual-tunnel connection that also reports connection-level IKE settings", () => {
    it("declares only what a dual-tunnel connection takes", () => {
        const declared = declarationOf({ ...dual(), ikeConfig: { ikeVersion: "ikev2" }, enableDpd: true });
        expect(declared).to.not.have.property("ikeConfig");
        expect(declared).to.not.have.property("enableDpd");
        expect(declared.enableTunnelsBgp).to.equal(true);
    });
});
