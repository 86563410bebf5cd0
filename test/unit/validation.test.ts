import { expect } from "chai";
import { CheckFailure } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { ipInCidr, parseCidr, parseIpv4 } from "../../provider/model/ipv4";
import { checkInputs, modeConflicts } from "../../provider/model/validation";

const BASE = { regionId: "cn-hangzhou", vpnConnectionId: "vco-123" };

function check(extra: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    return checkInputs({ ...BASE, ...extra });
}

function failureAt(extra: Record<string, unknown>, property: string): CheckFailure | undefined {
    return check(extra).failures.find((f) => f.property === property);
}

function expectValid(extra: Record<string, unknown>): Record<string, unknown> {
    const { inputs, failures } = check(extra);
    expect(failures, JSON.stringify(failures)).to.deep.equal([]);
    return inputs;
}

function expectFailure(extra: Record<string, unknown>, property: string, reason?: RegExp): CheckFailure {
    const failure = failureAt(extra, property);
    expect(failure, `expected a failure at ${property}, got ${JSON.stringify(check(extra).failures)}`).to.not.equal(
        undefined,
    );
    if (reason) {
        expect(failure!.reason).to.match(reason);
    }
    return failure!;
}

describe("validation: checkInputs", () => {
    describe("PSKs moved to the top level by the resource class", () => {
        it("checks psk and tunnelPsks with the PSK rule", () => {
            expect(expectValid({ psk: "Abc-123" }).psk).to.equal("Abc-123");
            expectValid({
                tunnelPsks: [
                    { tunnelIndex: 1, psk: "one" },
                    { tunnelId: "tun-2", psk: "two" },
                ],
            });
            const failure = expectFailure({ psk: "has space" }, "psk");
            expect(failure.reason).to.not.contain("has space");
            expectFailure({ tunnelPsks: [{ tunnelIndex: 3, psk: "x" }] }, "tunnelPsks[0].tunnelIndex");
            expectFailure({ tunnelPsks: [{ psk: "x" }] }, "tunnelPsks[0]", /tunnelId or tunnelIndex/);
            expectFailure({ tunnelPsks: [{ tunnelIndex: 1 }] }, "tunnelPsks[0].psk", /required/);
        });

        it("keeps psk to single-tunnel and tunnelPsks to dual-tunnel settings", () => {
            expectFailure(
                { tunnelPsks: [{ tunnelIndex: 1, psk: "x" }], ikeConfig: { ikePfs: "group2" } },
                "tunnelPsks",
            );
            expectFailure({ psk: "x", tunnelOptionsSpecification: [{ tunnelIndex: 1 }] }, "tunnelOptionsSpecification");
        });
    });

    describe("resource settings", () => {
        it("accepts the minimal inputs unchanged", () => {
            expect(expectValid({})).to.deep.equal(BASE);
        });

        it("requires regionId and vpnConnectionId as non-empty strings", () => {
            const { failures } = checkInputs({});
            expect(failures.map((f) => f.property).sort()).to.deep.equal(["regionId", "vpnConnectionId"]);
            expect(failures[0].reason).to.equal("is required");
            expectFailure({ regionId: "" }, "regionId", /must not be empty/);
            expectFailure({ vpnConnectionId: 42 }, "vpnConnectionId", /must be a string, got a number/);
        });

        it("accepts http and https endpoints and a bare host[:port], and refuses others", () => {
            expectValid({ endpoint: "http://127.0.0.1:9000" });
            expectValid({ endpoint: "https://vpc.cn-hangzhou.aliyuncs.com" });
            expectValid({ endpoint: "vpc.cn-hangzhou.aliyuncs.com:443" });
            expectFailure({ endpoint: "ftp://example.com" }, "endpoint");
            expectFailure({ endpoint: "not a url" }, "endpoint");
        });

        it("never quotes what sits before an @ in a refused endpoint: it may be a password", () => {
            for (const endpoint of ["ftp://u:secret@example.com", "u:secret@[::1", "ftp://u:se/cret@h"]) {
                const failures = checkInputs({ ...BASE, endpoint }).failures ?? [];
                expect(failures.map((f) => f.property)).to.include("endpoint");
                expect(JSON.stringify(failures)).to.not.match(/secret|se\/cret/);
            }
        });

        it("takes timeoutSeconds as a positive number or numeric string", () => {
            expect(expectValid({ timeoutSeconds: 600 }).timeoutSeconds).to.equal(600);
            expect(expectValid({ timeoutSeconds: "90.5" }).timeoutSeconds).to.equal(90.5);
            expectFailure({ timeoutSeconds: 0 }, "timeoutSeconds", /must be a positive number, got 0/);
            expectFailure({ timeoutSeconds: -5 }, "timeoutSeconds");
            expectFailure({ timeoutSeconds: "ten" }, "timeoutSeconds");
            expect(expectValid({ timeoutSeconds: 86400 }).timeoutSeconds).to.equal(86400);
            expectFailure(
                { timeoutSeconds: 86401 },
                "timeoutSeconds",
                /must be at most 86400 seconds \(24 hours\), got 86401/,
            );
            expectFailure({ timeoutSeconds: 1e12 }, "timeoutSeconds", /at most 86400/);
        });

        it("passes __-prefixed runtime keys through untouched", () => {
            const provider = { serialized: "function () {}", nested: { x: 1 } };
            const { inputs, failures } = check({ __provider: provider, __other: "anything" });
            expect(failures).to.deep.equal([]);
            expect(inputs.__provider).to.equal(provider);
            expect(inputs.__other).to.equal("anything");
        });

        it("treats null and undefined values as not declared", () => {
            const inputs = expectValid({ name: null, ikeConfig: undefined });
            expect(inputs).to.not.have.any.keys("name", "ikeConfig");
        });
    });

    describe("unknown property names", () => {
        it("names a misspelt top-level property and suggests the right one", () => {
            expectFailure({ nmae: "x" }, "nmae", /not a known property; did you mean name\?/);
        });

        it("names a misspelt nested property with its full path", () => {
            expectFailure({ ikeConfig: { ikePsf: "group2" } }, "ikeConfig.ikePsf", /did you mean ikePfs\?/);
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { IkePfs: "group2" } }] },
                "tunnelOptionsSpecification[0].tunnelIkeConfig.IkePfs",
                /did you mean ikePfs\?/,
            );
        });

        it("lists the known properties when nothing is close", () => {
            expectFailure(
                { ipsecConfig: { zzzzzzzz: 1 } },
                "ipsecConfig.zzzzzzzz",
                /known properties are ipsecEncAlg, ipsecAuthAlg/,
            );
        });
    });

    describe("name", () => {
        it("accepts 1 to 100 characters", () => {
            expectValid({ name: "a" });
            expectValid({ name: "n".repeat(100) });
        });

        it("refuses 101 characters, an empty name and a URL-like prefix", () => {
            expectFailure({ name: "n".repeat(101) }, "name", /1 to 100 characters long, got 101 characters/);
            expectFailure({ name: "" }, "name", /must not be empty/);
            expectFailure({ name: "https://example" }, "name", /must not start with http:\/\/ or https:\/\//);
            expectFailure({ name: "http://example" }, "name");
        });

        it("checks the prefix in the page's case: an upper-case scheme is a name the service takes", () => {
            expectValid({ name: "HTTPS://example" });
            expectValid({ name: "Http://example" });
        });

        it("counts characters, not UTF-16 code units, as the emulator does", () => {
            expectValid({ name: "\u{1F600}".repeat(100) });
            expectValid({ name: "网".repeat(100) });
            expectFailure({ name: "\u{1F600}".repeat(101) }, "name", /got 101 characters/);
        });
    });

    describe("localSubnet / remoteSubnet", () => {
        it("canonicalises a comma-separated string, trimming entries", () => {
            expect(expectValid({ localSubnet: " 10.1.1.0/24 , 10.1.2.0/24" }).localSubnet).to.equal(
                "10.1.1.0/24,10.1.2.0/24",
            );
        });

        it("canonicalises a list to the same string", () => {
            expect(expectValid({ remoteSubnet: ["10.1.3.0/24", " 10.1.4.0/24 "] }).remoteSubnet).to.equal(
                "10.1.3.0/24,10.1.4.0/24",
            );
        });

        it("accepts 0.0.0.0/0 (destination routing mode)", () => {
            expect(expectValid({ localSubnet: "0.0.0.0/0" }).localSubnet).to.equal("0.0.0.0/0");
        });

        it("accepts host bits and repeated entries, as the page and the service do, keeping them as written", () => {
            expect(expectValid({ localSubnet: "10.1.1.1/24" }).localSubnet).to.equal("10.1.1.1/24");
            expect(expectValid({ localSubnet: "10.1.1.0/24, 10.1.1.0/24" }).localSubnet).to.equal(
                "10.1.1.0/24,10.1.1.0/24",
            );
            expect(expectValid({ remoteSubnet: ["192.168.3.7/24", "192.168.3.0/24"] }).remoteSubnet).to.equal(
                "192.168.3.7/24,192.168.3.0/24",
            );
        });

        it("refuses malformed and empty entries", () => {
            expectFailure({ localSubnet: "10.1.1.0/33" }, "localSubnet", /entry 1 must be an IPv4 CIDR block/);
            expectFailure({ localSubnet: "10.1.1.0/24,300.1.1.0/24" }, "localSubnet", /entry 2/);
            expectFailure({ localSubnet: "10.1.1.0/24," }, "localSubnet", /entry 2/);
            expectFailure({ remoteSubnet: [] }, "remoteSubnet");
            expectFailure({ remoteSubnet: [42] }, "remoteSubnet");
            expectFailure({ remoteSubnet: "010.1.1.0/24" }, "remoteSubnet");
        });
    });

    describe("booleans", () => {
        for (const field of [
            "effectImmediately",
            "autoConfigRoute",
            "enableDpd",
            "enableNatTraversal",
            "enableTunnelsBgp",
        ]) {
            it(`${field}: accepts booleans and "true"/"false", refuses anything else`, () => {
                expect(expectValid({ [field]: true })[field]).to.equal(true);
                expect(expectValid({ [field]: "false" })[field]).to.equal(false);
                expect(expectValid({ [field]: "true" })[field]).to.equal(true);
                expectFailure({ [field]: "yes" }, field, /must be true or false, got "yes"/);
                expectFailure({ [field]: 1 }, field);
            });
        }
    });

    describe("enumerations: the documented lists, typos refused with the list and the source", () => {
        const PAGE = "as the ModifyVpnAttachmentAttribute API page lists them";
        const ENCRYPTION = ["aes", "aes192", "aes256", "des", "3des"];
        const AUTHENTICATION = ["md5", "sha1", "sha256", "sha384", "sha512"];
        const GROUPS = ["group1", "group2", "group5", "group14"];
        // Each list as the page gives it, with typos of its values and values no current source lists for this API.
        const cases: Array<{ parent: string; field: string; allowed: string[]; refused: string[] }> = [
            {
                parent: "",
                field: "networkType",
                allowed: ["public", "private"],
                refused: ["internet", "Public", "pubic"],
            },
            {
                parent: "ikeConfig",
                field: "ikeVersion",
                allowed: ["ikev1", "ikev2"],
                refused: ["ikev3", "IKEv2", "ike2"],
            },
            { parent: "ikeConfig", field: "ikeMode", allowed: ["main", "aggressive"], refused: ["quick", "agressive"] },
            {
                parent: "ikeConfig",
                field: "ikeEncAlg",
                allowed: ENCRYPTION,
                refused: ["aes512", "AES", "sm4", "aes-256"],
            },
            { parent: "ikeConfig", field: "ikeAuthAlg", allowed: AUTHENTICATION, refused: ["sha386", "sh256", "sm3"] },
            {
                parent: "ikeConfig",
                field: "ikePfs",
                allowed: GROUPS,
                refused: ["gruop14", "group3", "group24", "disabled"],
            },
            { parent: "ipsecConfig", field: "ipsecEncAlg", allowed: ENCRYPTION, refused: ["3dse", "sm4", "aes128gcm"] },
            {
                parent: "ipsecConfig",
                field: "ipsecAuthAlg",
                allowed: AUTHENTICATION,
                refused: ["sha386", "sm3", "SHA1"],
            },
            {
                parent: "ipsecConfig",
                field: "ipsecPfs",
                allowed: ["disabled", ...GROUPS],
                refused: ["group24", "group19", "disable", "enabled"],
            },
            {
                parent: "healthCheckConfig",
                field: "policy",
                allowed: ["revoke_route", "reserve_route"],
                refused: ["drop_route", "revoke-route"],
            },
        ];
        const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        for (const { parent, field, allowed, refused } of cases) {
            const path = parent ? `${parent}.${field}` : field;
            const wrap = (value: unknown) => (parent ? { [parent]: { [field]: value } } : { [field]: value });
            it(`${path}: accepts ${allowed.join(", ")}; refuses ${refused.join(", ")} naming the list and the page`, () => {
                for (const value of allowed) {
                    const inputs = expectValid(wrap(value));
                    expect(parent ? (inputs[parent] as Record<string, unknown>)[field] : inputs[field]).to.equal(value);
                }
                for (const value of [...refused, ""]) {
                    expectFailure(
                        wrap(value),
                        path,
                        new RegExp(`^must be one of ${escaped(allowed.join(", "))}, ${PAGE}; got "${escaped(value)}"`),
                    );
                }
                expectFailure(wrap(14), path, /; got 14$/);
            });
        }

        it("names the value a typo most likely meant, and none when nothing is close", () => {
            const reason = (extra: Record<string, unknown>, path: string) => expectFailure(extra, path).reason;
            expect(reason({ ikeConfig: { ikePfs: "gruop14" } }, "ikeConfig.ikePfs")).to.match(
                /did you mean "group14"\?\)$/,
            );
            expect(reason({ ikeConfig: { ikeEncAlg: "AES" } }, "ikeConfig.ikeEncAlg")).to.match(
                /did you mean "aes"\?\)$/,
            );
            expect(reason({ ipsecConfig: { ipsecAuthAlg: "sha386" } }, "ipsecConfig.ipsecAuthAlg")).to.match(
                /did you mean "sha384"\?\)$/,
            );
            expect(reason({ ikeConfig: { ikeMode: "agressive" } }, "ikeConfig.ikeMode")).to.match(
                /did you mean "aggressive"\?\)$/,
            );
            // group3 is one edit from group1, group2 and group5 alike: no single guess.
            expect(reason({ ikeConfig: { ikePfs: "group3" } }, "ikeConfig.ikePfs")).to.not.include("did you mean");
            expect(reason({ ikeConfig: { ikeEncAlg: "sm4" } }, "ikeConfig.ikeEncAlg")).to.not.include("did you mean");
        });

        it("refuses the bad values of the page's error table (IpsecPfs, IpsecAuthAlg, NetworkType not supported)", () => {
            expectFailure({ ipsecConfig: { ipsecPfs: "group24" } }, "ipsecConfig.ipsecPfs", /disabled, group1/);
            expectFailure({ ipsecConfig: { ipsecAuthAlg: "sm3" } }, "ipsecConfig.ipsecAuthAlg", /md5, sha1/);
            expectFailure({ networkType: "vpc" }, "networkType", /public, private/);
        });

        it("applies the same lists inside each tunnel", () => {
            const tunnel = (fields: Record<string, unknown>) => ({
                tunnelOptionsSpecification: [{ tunnelIndex: 2, ...fields }],
            });
            expectFailure(
                tunnel({ tunnelIkeConfig: { ikeMode: "quick" } }),
                "tunnelOptionsSpecification[0].tunnelIkeConfig.ikeMode",
            );
            expectFailure(
                tunnel({ tunnelIkeConfig: { ikePfs: "group24" } }),
                "tunnelOptionsSpecification[0].tunnelIkeConfig.ikePfs",
                /must be one of group1, group2, group5, group14/,
            );
            expectFailure(
                tunnel({ tunnelIpsecConfig: { ipsecEncAlg: "sm4" } }),
                "tunnelOptionsSpecification[0].tunnelIpsecConfig.ipsecEncAlg",
                /must be one of aes, aes192, aes256, des, 3des/,
            );
            expectValid(
                tunnel({
                    tunnelIkeConfig: { ikeEncAlg: "3des", ikeAuthAlg: "sha512", ikePfs: "group14" },
                    tunnelIpsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "md5", ipsecPfs: "disabled" },
                }),
            );
        });
    });

    describe("lifetimes", () => {
        for (const [parent, field] of [
            ["ikeConfig", "ikeLifetime"],
            ["ipsecConfig", "ipsecLifetime"],
        ]) {
            it(`${parent}.${field}: an integer from 0 to 86400, numeric strings converted`, () => {
                expect((expectValid({ [parent]: { [field]: 0 } })[parent] as Record<string, unknown>)[field]).to.equal(
                    0,
                );
                expect(
                    (expectValid({ [parent]: { [field]: 86400 } })[parent] as Record<string, unknown>)[field],
                ).to.equal(86400);
                expect(
                    (expectValid({ [parent]: { [field]: "86400" } })[parent] as Record<string, unknown>)[field],
                ).to.equal(86400);
                const failure = expectFailure({ [parent]: { [field]: 90000 } }, `${parent}.${field}`);
                expect(failure.reason).to.equal("must be an integer from 0 to 86400, got 90000");
                expectFailure({ [parent]: { [field]: 86401 } }, `${parent}.${field}`);
                expectFailure({ [parent]: { [field]: -1 } }, `${parent}.${field}`);
                expectFailure({ [parent]: { [field]: 1.5 } }, `${parent}.${field}`);
                expectFailure({ [parent]: { [field]: "1d" } }, `${parent}.${field}`);
            });
        }
    });

    describe("ikeConfig.localId / remoteId", () => {
        for (const field of ["localId", "remoteId"]) {
            it(`${field}: at most 100 characters, no whitespace`, () => {
                expectValid({ ikeConfig: { [field]: "47.1.1.1" } });
                expectValid({ ikeConfig: { [field]: "x".repeat(100) } });
                expectFailure(
                    { ikeConfig: { [field]: "x".repeat(101) } },
                    `ikeConfig.${field}`,
                    /at most 100 characters long, got 101/,
                );
                expectFailure({ ikeConfig: { [field]: "vpn peer" } }, `ikeConfig.${field}`, /whitespace/);
                expectFailure({ ikeConfig: { [field]: 7 } }, `ikeConfig.${field}`, /must be a string/);
            });

            // The page gives a maximum and no minimum; Terraform has had no validator since its March 2025 rewrite.
            it(`${field}: empty is accepted, as no current source refuses it`, () => {
                expect(
                    (expectValid({ ikeConfig: { [field]: "" } }).ikeConfig as Record<string, unknown>)[field],
                ).to.equal("");
            });
        }
    });

    describe("pre-shared key", () => {
        const SPECIALS = "~!`@#$%^&*()_-+={}[]|;:',.<>/?";

        it("accepts 1 and 100 characters, letters, digits and every allowed special character", () => {
            expectValid({ ikeConfig: { psk: "a" } });
            expectValid({ ikeConfig: { psk: "k".repeat(100) } });
            expectValid({ ikeConfig: { psk: `Abc123${SPECIALS}` } });
        });

        it("refuses 0 and 101 characters, saying only the length", () => {
            expectFailure({ ikeConfig: { psk: "" } }, "ikeConfig.psk", /1 to 100 characters long, got 0 characters/);
            expectFailure({ ikeConfig: { psk: "k".repeat(101) } }, "ikeConfig.psk", /got 101 characters/);
        });

        it("refuses a space, naming its position", () => {
            expectFailure({ ikeConfig: { psk: "abc def" } }, "ikeConfig.psk", /^character 4 is a space/);
        });

        it("refuses a tab, a double quote, a backslash and non-ASCII letters", () => {
            expectFailure({ ikeConfig: { psk: "ab\tcd" } }, "ikeConfig.psk", /^character 3 is whitespace/);
            expectFailure({ ikeConfig: { psk: 'ab"cd' } }, "ikeConfig.psk", /^character 3 is not allowed/);
            expectFailure({ ikeConfig: { psk: "ab\\cd" } }, "ikeConfig.psk", /^character 3 is not allowed/);
            expectFailure({ ikeConfig: { psk: "abécd" } }, "ikeConfig.psk", /^character 3 is not allowed/);
        });

        it("refuses a number rather than converting it", () => {
            expectFailure(
                { ikeConfig: { psk: 123456 } },
                "ikeConfig.psk",
                /must be a string \(quote it in YAML\), got a number/,
            );
        });

        it("never echoes the key in any failure", () => {
            const keys = [
                "Sup3rS3cret with space",
                'Sup3rS3cret"quoted',
                "Sup3rS3cret" + "x".repeat(100),
                "Sup3rS3cret\\",
            ];
            for (const psk of keys) {
                const { failures } = check({
                    ikeConfig: { psk },
                    tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { psk } }],
                });
                expect(failures.length).to.be.greaterThan(0);
                expect(JSON.stringify(failures)).to.not.include("Sup3rS3cret");
            }
        });

        it("checks each tunnel's key at its own path", () => {
            expectFailure(
                {
                    tunnelOptionsSpecification: [
                        { tunnelIndex: 1 },
                        { tunnelIndex: 2, tunnelIkeConfig: { psk: "a b" } },
                    ],
                },
                "tunnelOptionsSpecification[1].tunnelIkeConfig.psk",
                /character 2 is a space/,
            );
        });
    });

    describe("ASN", () => {
        const asn = (value: unknown) => ({ bgpConfig: { localAsn: value } });
        const accepted = (value: unknown) => (expectValid(asn(value)).bgpConfig as Record<string, unknown>).localAsn;

        it("accepts 1 to 4294967295 as a number or numeric string", () => {
            expect(accepted(1)).to.equal(1);
            expect(accepted(4294967295)).to.equal(4294967295);
            expect(accepted("45104")).to.equal(45104);
        });

        it("converts the two-segment form", () => {
            expect(accepted("123.456")).to.equal(8061384);
            expect(accepted("65535.65535")).to.equal(4294967295);
            expect(accepted("0.1")).to.equal(1);
        });

        it("refuses 0, 4294967296, oversized segments and non-integers", () => {
            expectFailure(asn(0), "bgpConfig.localAsn", /from 1 to 4294967295/);
            expectFailure(asn(4294967296), "bgpConfig.localAsn");
            expectFailure(asn("65536.1"), "bgpConfig.localAsn", /each segment is at most 65535/);
            expectFailure(asn("1.65536"), "bgpConfig.localAsn", /each segment is at most 65535/);
            expectFailure(asn("0.0"), "bgpConfig.localAsn");
            expectFailure(asn(123.456), "bgpConfig.localAsn");
            expectFailure(asn("as45104"), "bgpConfig.localAsn");
        });

        it("applies inside tunnels too", () => {
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelBgpConfig: { localAsn: 0 } }] },
                "tunnelOptionsSpecification[0].tunnelBgpConfig.localAsn",
            );
        });
    });

    describe("tunnelCidr", () => {
        const cidr = (value: unknown) => ({ bgpConfig: { tunnelCidr: value } });
        const path = "bgpConfig.tunnelCidr";

        it("accepts a /30 inside 169.254.0.0/16 on a /30 boundary", () => {
            expectValid(cidr("169.254.10.0/30"));
            expectValid(cidr("169.254.255.248/30"));
            expectValid(cidr("169.254.0.4/30"));
            expectValid(cidr("169.254.7.0/30"));
        });

        it("refuses every reserved block", () => {
            for (const reserved of [0, 1, 2, 3, 4, 5, 6].map((n) => `169.254.${n}.0/30`).concat("169.254.169.252/30")) {
                expectFailure(cidr(reserved), path, /reserved/);
            }
        });

        it("refuses other masks", () => {
            expectFailure(cidr("169.254.10.0/29"), path, /must have a \/30 mask, got \/29/);
            expectFailure(cidr("169.254.10.0/31"), path, /\/30 mask/);
            expectFailure(cidr("169.254.0.0/16"), path, /\/30 mask/);
        });

        it("refuses blocks outside 169.254.0.0/16", () => {
            expectFailure(cidr("169.255.10.0/30"), path, /within 169\.254\.0\.0\/16/);
            expectFailure(cidr("10.0.0.0/30"), path, /within 169\.254\.0\.0\/16/);
        });

        it("refuses a block not on its network address", () => {
            expectFailure(cidr("169.254.10.1/30"), path, /\/30 boundary \(169\.254\.10\.0\/30\)/);
        });

        it("refuses text that is not a CIDR block", () => {
            expectFailure(cidr("169.254.10.0"), path, /must be a CIDR block/);
            expectFailure(cidr(30), path, /must be a string/);
        });

        it("requires the two tunnels' blocks to differ", () => {
            expectFailure(
                {
                    tunnelOptionsSpecification: [
                        { tunnelIndex: 1, tunnelBgpConfig: { tunnelCidr: "169.254.10.0/30" } },
                        { tunnelIndex: 2, tunnelBgpConfig: { tunnelCidr: "169.254.10.0/30" } },
                    ],
                },
                "tunnelOptionsSpecification[1].tunnelBgpConfig.tunnelCidr",
                /different CIDR blocks/,
            );
            expectValid({
                tunnelOptionsSpecification: [
                    { tunnelIndex: 1, tunnelBgpConfig: { tunnelCidr: "169.254.10.0/30" } },
                    { tunnelIndex: 2, tunnelBgpConfig: { tunnelCidr: "169.254.11.0/30" } },
                ],
            });
        });
    });

    describe("localBgpIp", () => {
        const bgp = (localBgpIp: string, tunnelCidr = "169.254.10.0/30") => ({ bgpConfig: { tunnelCidr, localBgpIp } });

        it("accepts either usable host of the tunnel block", () => {
            expectValid(bgp("169.254.10.1"));
            expectValid(bgp("169.254.10.2"));
        });

        it("refuses an address outside the block", () => {
            expectFailure(
                bgp("169.254.11.1"),
                "bgpConfig.localBgpIp",
                /inside tunnelCidr 169\.254\.10\.0\/30 \(169\.254\.10\.1 or 169\.254\.10\.2\)/,
            );
        });

        it("refuses the network and broadcast addresses", () => {
            expectFailure(bgp("169.254.10.0"), "bgpConfig.localBgpIp", /network address/);
            expectFailure(bgp("169.254.10.3"), "bgpConfig.localBgpIp", /broadcast address/);
        });

        it("refuses text that is not an IPv4 address", () => {
            expectFailure(bgp("169.254.10.256"), "bgpConfig.localBgpIp", /IPv4 address/);
        });

        it("is checked against its own tunnel's block", () => {
            expectFailure(
                {
                    tunnelOptionsSpecification: [
                        {
                            tunnelIndex: 1,
                            tunnelBgpConfig: { tunnelCidr: "169.254.10.0/30", localBgpIp: "169.254.10.1" },
                        },
                        {
                            tunnelIndex: 2,
                            tunnelBgpConfig: { tunnelCidr: "169.254.11.0/30", localBgpIp: "169.254.10.1" },
                        },
                    ],
                },
                "tunnelOptionsSpecification[1].tunnelBgpConfig.localBgpIp",
            );
        });

        it("is not related to a block that is itself invalid (that block's failure is enough)", () => {
            const { failures } = check(bgp("169.254.10.1", "169.254.10.0/29"));
            expect(failures.map((f) => f.property)).to.deep.equal(["bgpConfig.tunnelCidr"]);
        });
    });

    describe("healthCheckConfig", () => {
        it("canonicalises a valid configuration", () => {
            const inputs = expectValid({
                healthCheckConfig: {
                    enable: "true",
                    dip: "192.168.1.1",
                    sip: "10.1.1.1",
                    interval: "3",
                    retry: 3,
                    policy: "revoke_route",
                },
            });
            expect(inputs.healthCheckConfig).to.deep.equal({
                enable: true,
                dip: "192.168.1.1",
                sip: "10.1.1.1",
                interval: 3,
                retry: 3,
                policy: "revoke_route",
            });
        });

        it("refuses bad addresses and non-positive or fractional counts", () => {
            expectFailure({ healthCheckConfig: { dip: "192.168.1" } }, "healthCheckConfig.dip", /IPv4 address/);
            expectFailure({ healthCheckConfig: { sip: "10.1.1.01" } }, "healthCheckConfig.sip");
            expectFailure(
                { healthCheckConfig: { interval: 0 } },
                "healthCheckConfig.interval",
                /positive integer, got 0/,
            );
            expectFailure({ healthCheckConfig: { retry: 1.5 } }, "healthCheckConfig.retry");
        });
    });

    describe("config objects", () => {
        it("must be objects", () => {
            expectFailure({ ikeConfig: "ikev2" }, "ikeConfig", /must be an object, got a string/);
            expectFailure({ bgpConfig: [] }, "bgpConfig", /must be an object, got a list/);
        });
    });

    describe("tunnelOptionsSpecification", () => {
        it("canonicalises one or two tunnels", () => {
            const inputs = expectValid({
                tunnelOptionsSpecification: [
                    { tunnelId: "tun-1", enableDpd: "true" },
                    { tunnelIndex: "2", tunnelBgpConfig: { localAsn: "65530" } },
                ],
            });
            expect(inputs.tunnelOptionsSpecification).to.deep.equal([
                { tunnelId: "tun-1", enableDpd: true },
                { tunnelIndex: 2, tunnelBgpConfig: { localAsn: 65530 } },
            ]);
        });

        it("must have 1 or 2 entries", () => {
            expectFailure({ tunnelOptionsSpecification: [] }, "tunnelOptionsSpecification", /1 to 2 entries, got 0/);
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelIndex: 1 }, { tunnelIndex: 2 }, { tunnelId: "tun-3" }] },
                "tunnelOptionsSpecification",
                /got 3/,
            );
            expectFailure(
                { tunnelOptionsSpecification: { tunnelIndex: 1 } },
                "tunnelOptionsSpecification",
                /must be a list/,
            );
        });

        it("needs tunnelId or tunnelIndex in each entry", () => {
            expectFailure(
                { tunnelOptionsSpecification: [{ enableDpd: true }] },
                "tunnelOptionsSpecification[0]",
                /tunnelId or tunnelIndex/,
            );
        });

        it("takes tunnelIndex 1 or 2 only", () => {
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelIndex: 3 }] },
                "tunnelOptionsSpecification[0].tunnelIndex",
                /must be 1 or 2, got 3/,
            );
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelIndex: 0 }] },
                "tunnelOptionsSpecification[0].tunnelIndex",
            );
        });

        it("refuses two entries for the same tunnel", () => {
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelId: "tun-1" }, { tunnelId: "tun-1" }] },
                "tunnelOptionsSpecification[1].tunnelId",
                /repeats tunnelOptionsSpecification\[0\]\.tunnelId/,
            );
            expectFailure(
                { tunnelOptionsSpecification: [{ tunnelIndex: 2 }, { tunnelIndex: "2" }] },
                "tunnelOptionsSpecification[1].tunnelIndex",
            );
        });
    });

    describe("tunnel mode exclusivity", () => {
        it("refuses single-tunnel fields together with dual-tunnel fields, naming them", () => {
            const failure = expectFailure(
                { ikeConfig: { ikePfs: "group2" }, enableDpd: true, tunnelOptionsSpecification: [{ tunnelIndex: 1 }] },
                "tunnelOptionsSpecification",
                /cannot be combined with ikeConfig, enableDpd/,
            );
            expect(failure.reason).to.include("dual-tunnel");
            expectFailure(
                { customerGatewayId: "cgw-1", enableTunnelsBgp: false },
                "enableTunnelsBgp",
                /customerGatewayId/,
            );
        });

        it("allows fields common to both modes with either", () => {
            expectValid({ name: "x", localSubnet: "10.0.0.0/8", tunnelOptionsSpecification: [{ tunnelIndex: 1 }] });
            expectValid({ name: "x", effectImmediately: true, ikeConfig: { ikeVersion: "ikev2" } });
        });
    });

    describe("IKEv1 with several networks", () => {
        it("is not check's to refuse: a connection may already hold both, as the page's own sample does", () => {
            expectValid({ ikeConfig: { ikeVersion: "ikev1" }, localSubnet: "10.1.1.0/24,10.1.2.0/24" });
            expectValid({
                localSubnet: "10.0.0.0/24,10.0.1.0/24",
                tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikeVersion: "ikev1" } }],
            });
        });
    });

    describe("rules shared with the emulator where the page is silent", () => {
        it("accepts remoteCaCert on a dual-tunnel connection as on a single-tunnel one", () => {
            expectValid({ remoteCaCert: "c20ycDI1NnYx", tunnelOptionsSpecification: [{ tunnelIndex: 1 }] });
            expectValid({ remoteCaCert: "c20ycDI1NnYx", ikeConfig: { ikeVersion: "ikev2" } });
        });

        it("accepts tunnel BGP settings without enableTunnelsBgp, and with it false", () => {
            const tunnels = [
                { tunnelIndex: 1, tunnelBgpConfig: { tunnelCidr: "169.254.10.0/30", localBgpIp: "169.254.10.1" } },
            ];
            expectValid({ tunnelOptionsSpecification: tunnels });
            expectValid({ tunnelOptionsSpecification: tunnels, enableTunnelsBgp: false });
            expectValid({ bgpConfig: { enableBgp: false, tunnelCidr: "169.254.11.0/30" } });
        });

        it("accepts an enabled health check without dip and sip: the connection may hold them", () => {
            expectValid({ healthCheckConfig: { enable: true } });
            expectValid({ healthCheckConfig: { enable: true, dip: "192.168.1.1" } });
        });
    });

    describe("unknown values", () => {
        it("leaves unknown values in place without validating them, at every depth", () => {
            const news = {
                ...BASE,
                name: UNKNOWN,
                timeoutSeconds: UNKNOWN,
                localSubnet: ["10.0.0.0/8", UNKNOWN],
                remoteSubnet: UNKNOWN,
                ikeConfig: { psk: UNKNOWN, ikeLifetime: UNKNOWN, ikePfs: "group2" },
                ipsecConfig: UNKNOWN,
                bgpConfig: { tunnelCidr: UNKNOWN, localBgpIp: "169.254.10.1", localAsn: UNKNOWN },
            };
            const { inputs, failures } = checkInputs(news);
            expect(failures).to.deep.equal([]);
            expect(inputs).to.deep.equal(news);
        });

        it("leaves unknown tunnels, tunnel lists and identities alone", () => {
            expect(check({ tunnelOptionsSpecification: UNKNOWN }).failures).to.deep.equal([]);
            const { inputs, failures } = check({
                tunnelOptionsSpecification: [UNKNOWN, { tunnelId: UNKNOWN, tunnelBgpConfig: UNKNOWN }],
            });
            expect(failures).to.deep.equal([]);
            expect(inputs.tunnelOptionsSpecification).to.deep.equal([
                UNKNOWN,
                { tunnelId: UNKNOWN, tunnelBgpConfig: UNKNOWN },
            ]);
        });

        it("counts an unknown id as present", () => {
            expect(checkInputs({ regionId: UNKNOWN, vpnConnectionId: UNKNOWN }).failures).to.deep.equal([]);
        });

        it("does not compare unknown tunnel identities as duplicates", () => {
            expect(
                check({ tunnelOptionsSpecification: [{ tunnelId: UNKNOWN }, { tunnelId: UNKNOWN }] }).failures,
            ).to.deep.equal([]);
        });

        it("still validates the known values beside them", () => {
            expectFailure({ ikeConfig: { psk: UNKNOWN, ikeLifetime: 90000 } }, "ikeConfig.ikeLifetime");
        });

        it("still applies mode exclusivity to declared-but-unknown fields", () => {
            expectFailure({ ikeConfig: UNKNOWN, tunnelOptionsSpecification: UNKNOWN }, "tunnelOptionsSpecification");
        });
    });
});

describe("validation: modeConflicts", () => {
    it("names the dual-tunnel fields a single-tunnel connection refuses", () => {
        expect(
            modeConflicts({ name: "x", tunnelOptionsSpecification: [], enableTunnelsBgp: true }, "single"),
        ).to.deep.equal(["tunnelOptionsSpecification", "enableTunnelsBgp"]);
    });

    it("names the single-tunnel fields a dual-tunnel connection refuses", () => {
        expect(modeConflicts({ ikeConfig: {}, enableDpd: false, localSubnet: "10.0.0.0/8" }, "dual")).to.deep.equal([
            "ikeConfig",
            "enableDpd",
        ]);
    });

    it("is empty when every declared field fits the mode", () => {
        expect(modeConflicts({ ikeConfig: {}, name: "x" }, "single")).to.deep.equal([]);
        expect(modeConflicts({ tunnelOptionsSpecification: [], name: "x" }, "dual")).to.deep.equal([]);
    });
});

describe("validation: IPv4 predicates", () => {
    it("parses strict dotted quads only", () => {
        expect(parseIpv4("255.255.255.255")).to.equal(4294967295);
        expect(parseIpv4("10.0.0.1")).to.equal(167772161);
        expect(parseIpv4("10.0.0.01")).to.equal(undefined);
        expect(parseIpv4("10.0.0")).to.equal(undefined);
        expect(parseIpv4("256.0.0.0")).to.equal(undefined);
    });

    it("parses CIDR blocks with their network and broadcast addresses", () => {
        expect(parseCidr("169.254.10.1/30")).to.deep.equal({
            address: parseIpv4("169.254.10.1"),
            prefix: 30,
            network: parseIpv4("169.254.10.0"),
            broadcast: parseIpv4("169.254.10.3"),
        });
        expect(parseCidr("0.0.0.0/0")?.broadcast).to.equal(4294967295);
        expect(parseCidr("10.0.0.0/33")).to.equal(undefined);
        expect(parseCidr("10.0.0.0")).to.equal(undefined);
    });

    it("tells whether an address is inside a block", () => {
        expect(ipInCidr("169.254.10.3", "169.254.10.0/30")).to.equal(true);
        expect(ipInCidr("169.254.10.4", "169.254.10.0/30")).to.equal(false);
        expect(ipInCidr("nonsense", "169.254.10.0/30")).to.equal(false);
    });
});
