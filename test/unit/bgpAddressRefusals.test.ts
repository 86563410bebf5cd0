/**
 * The whole text of each refusal under the API's rule that LocalBgpIp lies in
 * TunnelCidr, as a user reads it from a preview or an `up` that sent nothing,
 * and the values the rule leaves to check and to the service.
 */
import { expect } from "chai";
import { bgpAddressConflict } from "../../provider/model/bgpAddresses";
import { buildModifyRequest } from "../../provider/model/requests";
import { DesiredAttributes } from "../../provider/model/types";
import { SETTINGS, single } from "./fixtures";

function refusal(desired: DesiredAttributes): string {
    try {
        buildModifyRequest(SETTINGS, desired, single());
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected the request to be refused");
}

describe("BGP addresses: what each refusal says", () => {
    it("names localBgpIp when a declared tunnelCidr would leave the connection's address outside it", () => {
        expect(refusal({ bgpConfig: { tunnelCidr: "169.254.30.0/30" } })).to.equal(
            "bgpConfig.localBgpIp must be declared: the connection's localBgpIp 169.254.11.1 is not inside the " +
                "declared tunnelCidr 169.254.30.0/30, and the API requires LocalBgpIp to lie in TunnelCidr. " +
                "Declare bgpConfig.localBgpIp as an address of 169.254.30.0/30 (169.254.30.1 to 169.254.30.2)",
        );
    });

    it("says the block is the connection's own when neither address is declared", () => {
        const stale = { ...single().bgpConfig, localBgpIp: "169.254.99.1" };
        expect(bgpAddressConflict("bgpConfig", {}, stale)).to.equal(
            "bgpConfig.localBgpIp must be declared: the connection's localBgpIp 169.254.99.1 is not inside its " +
                "tunnelCidr 169.254.11.0/30, and the API requires LocalBgpIp to lie in TunnelCidr. " +
                "Declare bgpConfig.localBgpIp as an address of 169.254.11.0/30 (169.254.11.1 to 169.254.11.2)",
        );
    });

    it("names tunnelCidr when a declared localBgpIp lies outside the connection's block", () => {
        expect(refusal({ bgpConfig: { localBgpIp: "169.254.30.1" } })).to.equal(
            "bgpConfig.tunnelCidr must be declared: the declared localBgpIp 169.254.30.1 is not inside the " +
                "connection's tunnelCidr 169.254.11.0/30, and the API requires LocalBgpIp to lie in TunnelCidr. " +
                "Declare bgpConfig.tunnelCidr as the block that holds 169.254.30.1",
        );
    });

    it("names both when both are declared and disagree, with the block's usable hosts", () => {
        expect(
            bgpAddressConflict(
                "bgpConfig",
                { tunnelCidr: "169.254.30.0/30", localBgpIp: "169.254.31.1" },
                single().bgpConfig,
            ),
        ).to.equal(
            "bgpConfig.localBgpIp 169.254.31.1 must lie inside bgpConfig.tunnelCidr 169.254.30.0/30 (169.254.30.1 to 169.254.30.2)",
        );
    });

    it("leaves a tunnelCidr or localBgpIp that does not parse to check and to the service", () => {
        const current = { tunnelCidr: "169.254.11.0/30", localBgpIp: "169.254.11.1" };
        expect(bgpAddressConflict("bgpConfig", { tunnelCidr: "169.254.30.0" }, current)).to.equal(undefined);
        expect(bgpAddressConflict("bgpConfig", { tunnelCidr: "169.254.30.0/33" }, current)).to.equal(undefined);
        expect(bgpAddressConflict("bgpConfig", { localBgpIp: "169.254.30.1/32" }, current)).to.equal(undefined);
        expect(bgpAddressConflict("bgpConfig", { localBgpIp: "169.254.300.1" }, current)).to.equal(undefined);
    });

    it("passes an address inside its block, declared or kept", () => {
        const current = { tunnelCidr: "169.254.11.0/30", localBgpIp: "169.254.11.1" };
        expect(bgpAddressConflict("bgpConfig", { localBgpIp: "169.254.11.2" }, current)).to.equal(undefined);
        expect(bgpAddressConflict("bgpConfig", { tunnelCidr: "169.254.11.0/30" }, current)).to.equal(undefined);
        expect(bgpAddressConflict("bgpConfig", {}, undefined)).to.equal(undefined);
    });
});
