/**
 * The `adopt` command's declaration (what a program declares to manage a
 * connection exactly as it is, PSKs left out) and the `verifyOnPreview`
 * report of what the first `up` of a new resource will change.
 */
import { expect } from "chai";
import { adoptionReport, declarationOf } from "../../provider/model/adoption";
import { compareAttributes } from "../../provider/model/diffing";
import { DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { dual, IKE_SETTINGS, SETTINGS, single } from "./fixtures";

describe("adoption: the declaration of a connection as it is", () => {
    it("declares every setting of a single-tunnel connection, the PSK and Describe's reports left out", () => {
        expect(declarationOf(single())).to.deep.equal({
            name: "office",
            localSubnet: "10.1.1.0/24,10.1.2.0/24",
            remoteSubnet: "192.168.0.0/16",
            effectImmediately: false,
            enableDpd: true,
            enableNatTraversal: true,
            customerGatewayId: "cgw-1",
            ikeConfig: IKE_SETTINGS,
            ipsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 },
            bgpConfig: { enableBgp: true, localAsn: 45104, tunnelCidr: "169.254.11.0/30", localBgpIp: "169.254.11.1" },
            healthCheckConfig: {
                enable: true,
                dip: "192.168.1.1",
                sip: "10.1.1.1",
                interval: 3,
                retry: 3,
                policy: "revoke_route",
            },
        });
    });

    it("declares a dual-tunnel connection's tunnels, each without its PSK, and no single-tunnel field", () => {
        const declared = declarationOf(dual());
        const tunnels = declared.tunnelOptionsSpecification ?? [];
        expect(tunnels.map((t) => [t.tunnelId, t.tunnelIndex, t.customerGatewayId])).to.deep.equal([
            ["tun-1", 1, "cgw-1"],
            ["tun-2", 2, "cgw-2"],
        ]);
        expect(tunnels[0].tunnelIkeConfig).to.deep.equal(IKE_SETTINGS);
        expect(tunnels[1]).to.deep.equal({
            tunnelId: "tun-2",
            tunnelIndex: 2,
            customerGatewayId: "cgw-2",
            enableDpd: true,
            enableNatTraversal: true,
            tunnelIkeConfig: IKE_SETTINGS,
            tunnelIpsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 },
            tunnelBgpConfig: { localAsn: 65530, tunnelCidr: "169.254.12.0/30", localBgpIp: "169.254.12.1" },
        });
        for (const field of ["ikeConfig", "ipsecConfig", "bgpConfig", "customerGatewayId", "enableDpd"]) {
            expect(declared, field).to.not.have.property(field);
        }
        expect(JSON.stringify(declared)).to.not.include("psk");
    });

    it("the first up of the declaration sends nothing but the PSKs it leaves as they are", () => {
        for (const observed of [single(), dual()]) {
            expect(compareAttributes(declarationOf(observed), observed)).to.deep.equal([]);
        }
    });

    it("leaves out a config that held only the PSK, settings the connection does not report, and an empty tunnel list", () => {
        const bare: ObservedConnection = {
            vpnConnectionId: "vco-1",
            mode: "single",
            ikeConfig: { psk: "only-key" },
            ipsecConfig: {},
        };
        expect(declarationOf(bare)).to.deep.equal({});
        expect(declarationOf({ vpnConnectionId: "vco-2", mode: "dual", tunnelOptionsSpecification: [] })).to.deep.equal(
            {},
        );
        const tunnelWithKeyOnly: ObservedConnection = {
            vpnConnectionId: "vco-3",
            mode: "dual",
            tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 1, tunnelIkeConfig: { psk: "k" } }],
        };
        expect(declarationOf(tunnelWithKeyOnly)).to.deep.equal({
            tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 1 }],
        });
    });
});

describe("adoption: verifyOnPreview's report of the first up", () => {
    const settings = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };

    it("says the first up sends nothing when the connection has every declared value", () => {
        expect(adoptionReport(settings, compareAttributes({ name: "office" }, single()))).to.equal(
            "verifyOnPreview: vco-1 in cn-hangzhou already has every declared value: the first up sends nothing",
        );
    });

    it("lists each value that changes, from what the connection has to what is declared, a PSK as [secret]", () => {
        const desired: DesiredAttributes = {
            name: "branch",
            customerGatewayId: UNKNOWN,
            ikeConfig: { psk: "new-key", ikePfs: "group14" },
            healthCheckConfig: { dip: "192.168.1.9" },
        };
        const actual = { ...single(), healthCheckConfig: undefined };
        expect(adoptionReport(SETTINGS, compareAttributes(desired, actual))).to.equal(
            "verifyOnPreview: the first up will change 5 value(s) of existing connection vco-1 in cn-hangzhou: " +
                'name: "office" => "branch"; customerGatewayId: "cgw-1" => (known at up); ikeConfig.psk: [secret] (changes); ' +
                'ikeConfig.ikePfs: "group2" => "group14"; healthCheckConfig.dip: (none) => "192.168.1.9"',
        );
    });
});
