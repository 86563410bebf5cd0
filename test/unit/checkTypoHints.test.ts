/**
 * The "did you mean" hint of a closed list's refusal: a value one edit away
 * (an insertion, deletion, substitution or swap of neighbours) names the
 * listed value; two edits only for names longer than five characters;
 * nothing when two listed values are as close.
 */
import { expect } from "chai";
import { checkInputs } from "../../provider/model/validation";

function hint(config: "ikeConfig" | "ipsecConfig", key: string, typed: string): string | undefined {
    const failures = checkInputs({
        regionId: "cn-hangzhou",
        vpnConnectionId: "vco-1",
        [config]: { [key]: typed },
    }).failures;
    const reason = failures.find((f) => f.property === `${config}.${key}`)?.reason;
    expect(reason, `${typed} must be refused`).to.be.a("string");
    return / \(did you mean "([^"]+)"\?\)$/.exec(reason!)?.[1];
}

describe("check: the typo hint of a closed list", () => {
    it("names the value one edit away, wherever the edit is", () => {
        const cases: Array<[string, string, string]> = [
            ["ikeMode", "mian", "main"],
            ["ikeMode", "amin", "main"],
            ["ikeMode", "xmain", "main"],
            ["ikeMode", "ain", "main"],
            ["ikeMode", "mainx", "main"],
            ["ikeEncAlg", "ase", "aes"],
            ["ikeEncAlg", "3dse", "3des"],
            ["ikeAuthAlg", "md", "md5"],
            ["ikeAuthAlg", "dm5", "md5"],
            ["ikeVersion", "ikve2", "ikev2"],
            ["ikePfs", "Group14", "group14"],
            ["ikePfs", "roup1", "group1"],
            ["ikeEncAlg", "3ds", "3des"],
            ["ikeEncAlg", "dbes", "des"],
        ];
        for (const [key, typed, meant] of cases) {
            expect(hint("ikeConfig", key, typed), typed).to.equal(meant);
        }
    });

    it("names the value two edits away only for a name longer than five characters", () => {
        expect(hint("ipsecConfig", "ipsecPfs", "dsabld")).to.equal("disabled");
        expect(hint("ikeConfig", "ikeEncAlg", "aes2566")).to.equal("aes256");
        expect(hint("ikeConfig", "ikeEncAlg", "sae256")).to.equal("aes256");
        expect(hint("ikeConfig", "ikeEncAlg", "aes912")).to.equal("aes192");
        expect(hint("ikeConfig", "ikePfs", "gruop14")).to.equal("group14");
        expect(hint("ikeConfig", "ikePfs", "grp14")).to.equal(undefined);
        expect(hint("ikeConfig", "ikeAuthAlg", "5md")).to.equal(undefined);
        expect(hint("ikeConfig", "ikeMode", "mn")).to.equal(undefined);
        expect(hint("ikeConfig", "ikeMode", "ames")).to.equal(undefined);
        expect(hint("ikeConfig", "ikeAuthAlg", "sha516")).to.equal("sha512");
        expect(hint("ikeConfig", "ikePfs", "grupo1")).to.equal("group1");
    });

    it("names nothing when two listed values are as close, or none is close", () => {
        expect(hint("ikeConfig", "ikeVersion", "ikev3")).to.equal(undefined);
        expect(hint("ikeConfig", "ikeMode", "passive")).to.equal(undefined);
    });
});
