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

describe("check: the full text of refusals that relate several inputs", () => {
    it("says a timeout that is not a positive number is one, whatever it is", () => {
        for (const raw of ["soon", 0, -5, "0"]) {
            expect(outcome({ timeoutSeconds: raw }, "timeoutSeconds").reason).to.equal(
                `must be a positive number, got ${typeof raw === "string" ? JSON.stringify(raw) : raw}`,
            );
        }
    });

    it("says two entries configure the same tunnel, naming the first", () => {
        const { failures } = checkInputs({
            ...BASE,
            tunnelOptionsSpecification: [
                { tunnelId: "tun-1", enableDpd: true },
                { tunnelId: "tun-1", enableDpd: false },
                { tunnelIndex: 2, enableDpd: true },
                { tunnelIndex: 2, enableDpd: false },
            ],
        });
        expect(failures).to.deep.include({
            property: "tunnelOptionsSpecification[1].tunnelId",
            reason: "repeats tunnelOptionsSpecification[0].tunnelId (tun-1); each entry must configure a different tunnel",
        });
        expect(failures).to.deep.include({
            property: "tunnelOptionsSpecification[3].tunnelIndex",
            reason: "repeats tunnelOptionsSpecification[2].tunnelIndex (2); each entry must configure a different tunnel",
        });
    });

    it("says which fields belong to which tunnel mode", () => {
        const { failures } = checkInputs({
            ...BASE,
            enableDpd: true,
            psk: "k",
            tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: true }],
            tunnelPsks: [{ tunnelIndex: 1, psk: "k" }],
        });
        expect(failures).to.deep.equal([
            {
                property: "tunnelOptionsSpecification",
                reason:
                    "cannot be combined with enableDpd, psk: tunnelOptionsSpecification, tunnelPsks apply only to " +
                    "dual-tunnel connections and enableDpd, psk only to single-tunnel connections",
            },
        ]);
    });

    it("takes a RAM role ARN whole, and nothing around it", () => {
        expect(outcome({ assumeRoleArn: "acs:ram::1234567890:role/vpn-ops" }, "assumeRoleArn").value).to.equal(
            "acs:ram::1234567890:role/vpn-ops",
        );
        for (const raw of [
            "arn:acs:ram::1234567890:role/vpn-ops",
            "acs:ram::1234567890:role/vpn ops",
            "acs:ram::x:role/a",
        ]) {
            expect(outcome({ assumeRoleArn: raw }, "assumeRoleArn").reason, raw).to.equal(
                "must be a RAM role ARN: acs:ram::<account id>:role/<role name>",
            );
        }
    });

    it("suggests the known property a name differs from only in case, or by two edits", () => {
        expect(outcome({ IKECONFIG: {} }, "IKECONFIG").reason).to.equal(
            "is not a known property; did you mean ikeConfig?",
        );
        expect(outcome({ profile12: "ops" }, "profile12").reason).to.equal(
            "is not a known property; did you mean profile?",
        );
    });

    it("takes a name that mentions a URL after its start, and lists the reserved tunnel blocks when it refuses one", () => {
        expect(outcome({ name: "see https://example.com" }, "name").value).to.equal("see https://example.com");
        expect(outcome({ bgpConfig: { tunnelCidr: "169.254.169.252/30" } }, "bgpConfig.tunnelCidr").reason).to.equal(
            "must not be one of the reserved blocks 169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, " +
                "169.254.4.0/30, 169.254.5.0/30, 169.254.6.0/30, 169.254.169.252/30; got 169.254.169.252/30",
        );
        expect(outcome({ remoteSubnet: 5 }, "remoteSubnet").reason).to.equal(
            "must be a comma-separated string or a list of CIDR blocks, got 5",
        );
    });
});
