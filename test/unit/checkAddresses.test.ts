import { expect } from "chai";
import { check } from "../../provider/pulumi/handlers";

const CONNECTION = { regionId: "cn-hangzhou", vpnConnectionId: "vco-123" };

/**
 * The reasons `pulumi preview` prints for these inputs, by property. A nested
 * property's failure goes as the resource's, its path leading the reason
 * (handlers.asPulumiPrints): it is filed here under that path.
 */
function refusals(inputs: Record<string, unknown>): Record<string, string> {
    const { failures } = check({}, { ...CONNECTION, ...inputs });
    return Object.fromEntries(
        (failures ?? []).map((f) => {
            const led = f.property === "" ? /^(\S+) ([\s\S]*)$/.exec(f.reason) : null;
            return led ? [led[1], led[2]] : [f.property, f.reason];
        }),
    );
}

describe("check: IPv4 addresses and CIDR blocks are read whole", () => {
    it("accepts a single host as a /32 block, and nothing past /32", () => {
        expect(refusals({ localSubnet: "10.0.0.1/32", remoteSubnet: ["192.168.1.7/32", "0.0.0.0/0"] })).to.deep.equal(
            {},
        );
        expect(refusals({ localSubnet: "10.0.0.0/33" })).to.have.key("localSubnet");
    });

    for (const block of ["10.0.0.0/245", "10.0.0.0/24x", "x/10.0.0.0/24", "10.0.0.0/2/4", "1.10.0.0.0/24"]) {
        it(`refuses the subnet ${JSON.stringify(block)}, which only contains a CIDR block`, () => {
            expect(refusals({ remoteSubnet: block }).remoteSubnet).to.match(/must be an IPv4 CIDR block/);
        });
    }

    for (const address of ["10.0.0.1x", "x10.0.0.1", "1.10.0.0.1", "10.0.0.1 "]) {
        it(`refuses the address ${JSON.stringify(address)}, which only contains an IPv4 address`, () => {
            const reasons = refusals({ healthCheckConfig: { enable: true, dip: address, sip: "10.1.1.1" } });
            expect(reasons["healthCheckConfig.dip"]).to.match(/must be an IPv4 address/);
        });
    }
});

describe("check: a pre-shared key's characters", () => {
    for (const [psk, what] of [
        [" leading", "a space"],
        ["\tleading", "whitespace"],
        ["éclair", "not allowed"],
    ]) {
        it(`refuses a key whose first character is ${what}, naming position 1`, () => {
            const reasons = refusals({ psk, ikeConfig: { psk } });
            expect(reasons.psk).to.match(new RegExp(`^character 1 is ${what};`));
            expect(reasons["ikeConfig.psk"]).to.match(new RegExp(`^character 1 is ${what};`));
            expect(JSON.stringify(reasons)).to.not.include(psk.trim());
        });
    }
});
