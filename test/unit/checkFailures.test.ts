import { expect } from "chai";
import { check } from "../../provider/pulumi/handlers";

/**
 * The CLI prints a check failure as `property P value V has a problem: R`,
 * looking V up as a top-level input; a nested path finds none and printed
 * `value {<nil>}`. Nested failures go as the resource's problem instead.
 */
describe("handlers: check failures as the CLI prints them", () => {
    const BASE = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };

    it("leads a nested failure's reason with its full path and the type expected, for the resource", () => {
        const { failures } = check({}, { ...BASE, ipsecConfig: { ipsecLifetime: "1d" }, bgpConfig: { foo: 1 } });
        expect(failures).to.deep.equal([
            { property: "", reason: 'ipsecConfig.ipsecLifetime must be an integer from 0 to 86400, got "1d"' },
            {
                property: "",
                reason: "bgpConfig.foo is not a known property; known properties are enableBgp, localAsn, tunnelCidr, localBgpIp",
            },
        ]);
    });

    it("keeps a top-level failure on its property, whose value the CLI prints", () => {
        const { failures } = check({}, { ...BASE, name: "http://x" });
        expect(failures).to.deep.equal([
            { property: "name", reason: 'must not start with http:// or https://, got "http://x"' },
        ]);
    });
});
