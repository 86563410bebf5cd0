import { expect } from "chai";
import { RESOURCE_TYPE, weakCryptoViolations } from "../../examples/pipeline/policy-pack/rules";
import { VpnAttachmentAttribute } from "../../provider";

describe("examples/pipeline policy pack rules", () => {
    it("targets the type the resource registers", () => {
        expect(RESOURCE_TYPE).to.equal("pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute");
        expect(RESOURCE_TYPE).to.equal((VpnAttachmentAttribute as unknown as { __pulumiType: string }).__pulumiType);
    });

    it("refuses DES, MD5, IKEv1 and weak PFS, naming each property", () => {
        const violations = weakCryptoViolations({
            ikeConfig: { ikeVersion: "ikev1", ikeEncAlg: "des", ikeAuthAlg: "md5", ikePfs: "group2" },
            ipsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "MD5", ipsecPfs: "disabled" },
        });
        expect(violations.map((v) => v.split(" ")[0]).sort()).to.deep.equal(
            [
                "ikeConfig.ikeAuthAlg",
                "ikeConfig.ikeEncAlg",
                "ikeConfig.ikePfs",
                "ikeConfig.ikeVersion",
                "ipsecConfig.ipsecAuthAlg",
                "ipsecConfig.ipsecPfs",
            ].sort(),
        );
        expect(violations.find((v) => v.startsWith("ikeConfig.ikePfs"))).to.include("must use group14");
    });

    it("judges each tunnel of a dual-tunnel connection", () => {
        const violations = weakCryptoViolations({
            tunnelOptionsSpecification: [
                { tunnelIndex: 1, tunnelIkeConfig: { ikePfs: "group14", ikeEncAlg: "aes256" } },
                { tunnelIndex: 2, tunnelIpsecConfig: { ipsecPfs: "group5" }, tunnelIkeConfig: { ikeVersion: "ikev2" } },
            ],
        });
        expect(violations).to.have.length(1);
        expect(violations[0]).to.match(/^tunnelOptionsSpecification\[1\]\.tunnelIpsecConfig\.ipsecPfs is group5/);
    });

    it("accepts strong settings, 3DES-free AES, and leaves undeclared settings alone", () => {
        expect(
            weakCryptoViolations({
                ikeConfig: { ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeAuthAlg: "sha256", ikePfs: "group14" },
                ipsecConfig: { ipsecPfs: "group14" },
            }),
        ).to.deep.equal([]);
        expect(weakCryptoViolations({ name: "x" })).to.deep.equal([]);
    });
});
