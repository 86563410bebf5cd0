/**
 * What check accepts as a number (YAML delivers numbers as text) and how its
 * refusals show the value the program passed: the text a user reads in
 * `pulumi preview` before anything is sent.
 */
import { expect } from "chai";
import { checkInputs } from "../../provider/model/validation";

const BASE = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };

/** The reason check gives at `property`, or the canonical value it keeps. */
function outcome(inputs: Record<string, unknown>, property: string): { reason?: string; value?: unknown } {
    const { inputs: canonical, failures } = checkInputs({ ...BASE, ...inputs });
    const failure = failures.find((f) => f.property === property);
    if (failure) {
        return { reason: failure.reason };
    }
    const value = property.split(".").reduce<unknown>((v, key) => (v as Record<string, unknown>)?.[key], canonical);
    return { value };
}

describe("check: numbers written as text", () => {
    it("takes plain decimal notation, signed, with or without a fraction, spaces around it ignored", () => {
        const timeout = (raw: unknown): unknown => outcome({ timeoutSeconds: raw }, "timeoutSeconds").value;
        expect(timeout("90")).to.equal(90);
        expect(timeout("+90")).to.equal(90);
        expect(timeout(" 90 ")).to.equal(90);
        expect(timeout("1.25")).to.equal(1.25);
        expect(timeout("90.")).to.equal(90);
        expect(timeout(".25")).to.equal(0.25);
        expect(timeout(".125")).to.equal(0.125);
        expect(timeout(90)).to.equal(90);
    });

    it("refuses other notations that JavaScript would read as a number", () => {
        for (const raw of ["1e3", "0x10", "0b11", "Infinity", "1_000", "9 0", "90s", "s90", ".", "+", "", "1.2.3"]) {
            expect(outcome({ ikeConfig: { ikeLifetime: raw } }, "ikeConfig.ikeLifetime").reason, raw).to.equal(
                `must be an integer from 0 to 86400, got ${JSON.stringify(raw)}`,
            );
        }
    });

    it("refuses a value that is not text or a number, saying what it got", () => {
        expect(outcome({ timeoutSeconds: true }, "timeoutSeconds").reason).to.equal(
            "must be a positive number, got true",
        );
        expect(outcome({ ikeConfig: { ikeLifetime: false } }, "ikeConfig.ikeLifetime").reason).to.equal(
            "must be an integer from 0 to 86400, got false",
        );
        expect(outcome({ ikeConfig: { ikeLifetime: NaN } }, "ikeConfig.ikeLifetime").reason).to.equal(
            "must be an integer from 0 to 86400, got NaN",
        );
    });
});

describe("check: how a refusal shows the value", () => {
    it("quotes text, and cuts text past 60 characters", () => {
        const sixty = "n".repeat(60);
        expect(outcome({ name: `http://${sixty}` }, "name").reason).to.equal(
            `must not start with http:// or https://, got "http://${"n".repeat(53)}..."`,
        );
        expect(outcome({ networkType: sixty }, "networkType").reason).to.match(new RegExp(`; got "${sixty}"$`));
        expect(outcome({ networkType: `${sixty}x` }, "networkType").reason).to.match(
            new RegExp(`; got "${sixty}\\.\\.\\."$`),
        );
    });

    it("names a list, an object, null and other values by what they are", () => {
        expect(outcome({ effectImmediately: ["true"] }, "effectImmediately").reason).to.equal(
            "must be true or false, got a list",
        );
        expect(outcome({ effectImmediately: { value: true } }, "effectImmediately").reason).to.equal(
            "must be true or false, got an object",
        );
        expect(outcome({ effectImmediately: 1 }, "effectImmediately").reason).to.equal("must be true or false, got 1");
        expect(outcome({ name: ["office"] }, "name").reason).to.equal("must be a string, got a list");
        expect(outcome({ name: 7 }, "name").reason).to.equal("must be a string, got a number");
        expect(outcome({ psk: ["key"] }, "psk").reason).to.equal("must be a string (quote it in YAML), got a list");
        expect(outcome({ ikeConfig: "ikev2" }, "ikeConfig").reason).to.equal("must be an object, got a string");
        expect(outcome({ ikeConfig: ["ikev2"] }, "ikeConfig").reason).to.equal("must be an object, got a list");
        expect(outcome({ tunnelPsks: [null] }, "tunnelPsks[0]").reason).to.equal("must be an object, got null");
        expect(outcome({ remoteSubnet: [null] }, "remoteSubnet").reason).to.equal(
            "entry 1 must be an IPv4 CIDR block such as 10.1.1.0/24, got null",
        );
    });
});

describe("check: localAsn", () => {
    const RANGE = 'must be an ASN from 1 to 4294967295 or two 16-bit segments such as "123.456"';
    const asn = (raw: unknown): { reason?: string; value?: unknown } =>
        outcome({ bgpConfig: { localAsn: raw } }, "bgpConfig.localAsn");

    it("reads two 16-bit segments, spaces around them ignored", () => {
        expect(asn("123.456").value).to.equal(123 * 65536 + 456);
        expect(asn(" 1.2 ").value).to.equal(65538);
        expect(asn("0.1").value).to.equal(1);
        expect(asn("65535.65535").value).to.equal(4294967295);
    });

    it("refuses three segments, a segment past 65535, and 0.0, saying which rule", () => {
        expect(asn("1.2.3").reason).to.equal(`${RANGE}, got "1.2.3"`);
        expect(asn("x1.2").reason).to.equal(`${RANGE}, got "x1.2"`);
        expect(asn("0.0").reason).to.equal(`${RANGE}, got "0.0"`);
        expect(asn("65536.1").reason).to.equal(`${RANGE}; each segment is at most 65535, got "65536.1"`);
        expect(asn("1.65536").reason).to.equal(`${RANGE}; each segment is at most 65535, got "1.65536"`);
        expect(asn(0).reason).to.equal(`${RANGE}, got 0`);
        expect(asn(4294967296).reason).to.equal(`${RANGE}, got 4294967296`);
    });
});
