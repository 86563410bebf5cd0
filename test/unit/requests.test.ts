import { expect } from "chai";
import { buildModifyRequest, clientToken, ModifyRequest, ModifyTunnelOptions } from "../../provider/model/requests";
import { DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { SETTINGS as BASE_SETTINGS, dual, IKE_SETTINGS, single } from "./fixtures";

const SETTINGS = { ...BASE_SETTINGS, endpoint: "http://127.0.0.1:9000", timeoutSeconds: 60 };

function build(desired: DesiredAttributes, actual: ObservedConnection): ModifyRequest {
    const request = buildModifyRequest(SETTINGS, desired, actual);
    expect(request, "expected a request").to.not.equal(undefined);
    return request!;
}

/** Both subnets of `single()`, which go with every Modify. */
const SINGLE_SUBNETS = { localSubnet: "10.1.1.0/24,10.1.2.0/24", remoteSubnet: "192.168.0.0/16" };
/** Both subnets of `dual()`. */
const DUAL_SUBNETS = { localSubnet: "10.0.0.0/8", remoteSubnet: "192.168.0.0/16" };

/** Tunnel `tun-<index>` of `dual()` as a Modify sends it: whole, settings only (no role, state or peer fields). */
function sentTunnel(index: number): ModifyTunnelOptions {
    return {
        tunnelId: `tun-${index}`,
        tunnelIndex: index,
        customerGatewayId: `cgw-${index}`,
        enableDpd: true,
        enableNatTraversal: true,
        tunnelBgpConfig: { localAsn: 65530, tunnelCidr: `169.254.1${index}.0/30`, localBgpIp: `169.254.1${index}.1` },
        tunnelIkeConfig: { psk: `psk-${index}`, ...IKE_SETTINGS },
        tunnelIpsecConfig: { ipsecEncAlg: "aes", ipsecAuthAlg: "sha1", ipsecPfs: "group2", ipsecLifetime: 86400 },
    };
}

function json(text: string | undefined): Record<string, unknown> {
    expect(text, "expected a JSON parameter").to.be.a("string");
    return JSON.parse(text!) as Record<string, unknown>;
}

describe("requests: buildModifyRequest, single-tunnel", () => {
    it("returns undefined when nothing declared differs", () => {
        const desired: DesiredAttributes = {
            name: "office",
            localSubnet: "10.1.2.0/24,10.1.1.0/24",
            ikeConfig: { ikePfs: "group2" },
            bgpConfig: { localAsn: 45104 },
        };
        expect(buildModifyRequest(SETTINGS, desired, single())).to.equal(undefined);
        expect(buildModifyRequest(SETTINGS, {}, single())).to.equal(undefined);
    });

    it("refuses, before building anything, a change the connection cannot take in place", () => {
        expect(() =>
            buildModifyRequest(SETTINGS, { networkType: "private" }, { ...single(), networkType: "public" }),
        ).to.throw(/networkType cannot change from public to private/);
        const ikeV1: ObservedConnection = {
            ...single(),
            ikeConfig: { ikeVersion: "ikev1" },
            localSubnet: "10.1.1.0/24",
        };
        expect(() => buildModifyRequest(SETTINGS, { localSubnet: "10.1.1.0/24,10.1.9.0/24" }, ikeV1)).to.throw(
            /ModifyIkeV1WithMultiRoutes\.Invalid/,
        );
        const both = { ...ikeV1, localSubnet: "10.1.1.0/24,10.1.9.0/24" };
        expect(build({ name: "renamed" }, both)).to.deep.equal({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-1",
            name: "renamed",
            localSubnet: "10.1.1.0/24,10.1.9.0/24",
            remoteSubnet: "192.168.0.0/16",
        });
    });

    it("sends RegionId, VpnConnectionId, Name and the current subnets for a name change", () => {
        expect(build({ name: "branch", enableDpd: true }, single())).to.deep.equal({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-1",
            name: "branch",
            ...SINGLE_SUBNETS,
        });
    });

    it("sends the declared subnets with every Modify, and the connection's when the program declares none", () => {
        const declared = build({ name: "branch", localSubnet: "10.1.1.0/24,10.1.2.0/24" }, single());
        expect(declared).to.include({ ...SINGLE_SUBNETS, name: "branch" });
        const none = single();
        delete none.localSubnet;
        delete none.remoteSubnet;
        expect(build({ name: "branch" }, none)).to.deep.equal({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-1",
            name: "branch",
        });
    });

    it("sends each changed plain parameter, both subnets, and nothing else", () => {
        const desired: DesiredAttributes = {
            localSubnet: "10.1.1.0/24",
            remoteSubnet: "192.168.0.0/16",
            effectImmediately: true,
            autoConfigRoute: true,
            networkType: "private",
            remoteCaCert: "cert",
            customerGatewayId: "cgw-2",
            enableDpd: false,
            enableNatTraversal: true,
        };
        expect(build(desired, single())).to.deep.equal({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-1",
            localSubnet: "10.1.1.0/24",
            remoteSubnet: "192.168.0.0/16",
            effectImmediately: true,
            autoConfigRoute: true,
            networkType: "private",
            remoteCaCert: "cert",
            customerGatewayId: "cgw-2",
            enableDpd: false,
        });
    });

    it("sends the whole IkeConfig, current PSK included, for an ikePfs change", () => {
        const request = build({ ikeConfig: { ikePfs: "group14" } }, single());
        expect(Object.keys(request).sort()).to.deep.equal([
            "ikeConfig",
            "localSubnet",
            "regionId",
            "remoteSubnet",
            "vpnConnectionId",
        ]);
        expect(json(request.ikeConfig)).to.deep.equal({
            Psk: "current-psk",
            IkeVersion: "ikev2",
            IkeMode: "main",
            IkeEncAlg: "aes",
            IkeAuthAlg: "sha1",
            IkePfs: "group14",
            IkeLifetime: 86400,
            LocalId: "47.0.0.1",
            RemoteId: "47.0.0.2",
        });
    });

    it("sends the declared PSK when the program sets one", () => {
        const request = build({ ikeConfig: { psk: "new-psk" } }, single());
        expect(json(request.ikeConfig).Psk).to.equal("new-psk");
        expect(json(request.ikeConfig).IkePfs).to.equal("group2");
    });

    it("sends the whole IpsecConfig with the lifetime as a number", () => {
        const request = build({ ipsecConfig: { ipsecLifetime: 3600 } }, single());
        expect(request.ipsecConfig).to.equal(
            '{"IpsecEncAlg":"aes","IpsecAuthAlg":"sha1","IpsecPfs":"group2","IpsecLifetime":3600}',
        );
        expect(request).to.not.have.property("ikeConfig");
    });

    it("sends BgpConfig as the reference's example does: string values, no peer or status fields", () => {
        const request = build({ bgpConfig: { localAsn: 8061384 } }, single());
        expect(request.bgpConfig).to.equal(
            '{"EnableBgp":"true","LocalAsn":"8061384","TunnelCidr":"169.254.11.0/30","LocalBgpIp":"169.254.11.1"}',
        );
    });

    it("takes TunnelCidr from the connection when BGP is enabled and the program does not declare it", () => {
        const actual = single();
        actual.bgpConfig = { enableBgp: false, tunnelCidr: "169.254.20.0/30" };
        expect(json(build({ bgpConfig: { enableBgp: true } }, actual).bgpConfig)).to.deep.equal({
            EnableBgp: "true",
            TunnelCidr: "169.254.20.0/30",
        });
    });

    it("refuses to enable BGP without any TunnelCidr", () => {
        const actual = single();
        actual.bgpConfig = { enableBgp: false };
        expect(() =>
            buildModifyRequest(SETTINGS, { bgpConfig: { enableBgp: true, localAsn: 65000 } }, actual),
        ).to.throw(/bgpConfig\.tunnelCidr is required when BGP is enabled/);
        expect(build({ bgpConfig: { enableBgp: false, localAsn: 65000 } }, actual).bgpConfig).to.equal(
            '{"EnableBgp":"false","LocalAsn":"65000"}',
        );
    });

    it("sends HealthCheckConfig with the reference's keys and string values, without status", () => {
        const request = build({ healthCheckConfig: { retry: 5 } }, single());
        expect(request.healthCheckConfig).to.equal(
            '{"enable":"true","dip":"192.168.1.1","sip":"10.1.1.1","interval":"3","retry":"5","Policy":"revoke_route"}',
        );
    });

    it("sends only the declared keys of a config object the connection lacks", () => {
        const actual = single();
        delete actual.ipsecConfig;
        expect(json(build({ ipsecConfig: { ipsecPfs: "disabled" } }, actual).ipsecConfig)).to.deep.equal({
            IpsecPfs: "disabled",
        });
    });

    it("does not set a client token (the caller scopes it)", () => {
        expect(build({ name: "branch" }, single())).to.not.have.property("clientToken");
    });
});

describe("requests: buildModifyRequest, dual-tunnel", () => {
    it("sends only tunnel 2, whole, for a change to tunnel 2's IKE", () => {
        const request = build(
            { tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group14" } }] },
            dual(),
        );
        const whole = sentTunnel(2);
        expect(request).to.deep.equal({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-1",
            ...DUAL_SUBNETS,
            tunnelOptionsSpecification: [
                { ...whole, tunnelIkeConfig: { ...whole.tunnelIkeConfig, ikePfs: "group14" } },
            ],
        });
    });

    it("takes the tunnel's index from the connection when the program names it by id", () => {
        const request = build({ tunnelOptionsSpecification: [{ tunnelId: "tun-1", enableDpd: false }] }, dual());
        expect(request.tunnelOptionsSpecification).to.deep.equal([{ ...sentTunnel(1), enableDpd: false }]);
    });

    it("leaves out tunnels that already match", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [
                { tunnelIndex: 2, enableNatTraversal: false, customerGatewayId: "cgw-2" },
                { tunnelIndex: 1, enableDpd: true, tunnelIpsecConfig: { ipsecPfs: "group2" } },
            ],
        };
        expect(build(desired, dual()).tunnelOptionsSpecification).to.deep.equal([
            { ...sentTunnel(2), enableNatTraversal: false },
        ]);
    });

    it("sends tunnels in index order, each whole with its declared values", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [
                { tunnelIndex: 2, customerGatewayId: "cgw-9" },
                { tunnelIndex: 1, tunnelIpsecConfig: { ipsecLifetime: 3600 } },
            ],
        };
        const first = sentTunnel(1);
        expect(build(desired, dual()).tunnelOptionsSpecification).to.deep.equal([
            { ...first, tunnelIpsecConfig: { ...first.tunnelIpsecConfig, ipsecLifetime: 3600 } },
            { ...sentTunnel(2), customerGatewayId: "cgw-9" },
        ]);
    });

    it("sends TunnelBgpConfig whole with the current TunnelCidr, without peer fields", () => {
        const request = build(
            { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelBgpConfig: { localAsn: 64512 } }] },
            dual(),
        );
        expect(request.tunnelOptionsSpecification).to.deep.equal([
            {
                ...sentTunnel(1),
                tunnelBgpConfig: { localAsn: 64512, localBgpIp: "169.254.11.1", tunnelCidr: "169.254.11.0/30" },
            },
        ]);
    });

    it("refuses a tunnel BGP change without TunnelCidr while tunnel BGP is on", () => {
        const actual = dual();
        delete actual.tunnelOptionsSpecification![0].tunnelBgpConfig;
        expect(() =>
            buildModifyRequest(
                SETTINGS,
                { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelBgpConfig: { localAsn: 64512 } }] },
                actual,
            ),
        ).to.throw(/tunnelOptionsSpecification\[0\]\.tunnelBgpConfig\.tunnelCidr is required/);
        expect(
            build(
                {
                    enableTunnelsBgp: false,
                    tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelBgpConfig: { localAsn: 64512 } }],
                },
                actual,
            ).tunnelOptionsSpecification,
        ).to.deep.equal([{ ...sentTunnel(1), tunnelBgpConfig: { localAsn: 64512 } }]);
    });

    it("sends only EnableTunnelsBgp and the subnets when only that changes", () => {
        expect(build({ enableTunnelsBgp: false }, dual())).to.deep.equal({
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-1",
            enableTunnelsBgp: false,
            ...DUAL_SUBNETS,
        });
    });

    it("refuses to send a tunnel whose IKE config would go without its key, whatever the change", () => {
        const actual = dual();
        delete actual.tunnelOptionsSpecification![0].tunnelIkeConfig!.psk;
        expect(() =>
            buildModifyRequest(
                SETTINGS,
                { tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: false }] },
                actual,
            ),
        ).to.throw(/reports no pre-shared key/);
        const request = build({ tunnelOptionsSpecification: [{ tunnelIndex: 2, enableDpd: false }] }, actual);
        expect(request.tunnelOptionsSpecification, "the other tunnel, whose key is known, goes").to.have.length(1);
    });

    it("refuses a tunnel the connection does not have", () => {
        expect(() =>
            buildModifyRequest(
                SETTINGS,
                { tunnelOptionsSpecification: [{ tunnelId: "tun-9", enableDpd: true }] },
                dual(),
            ),
        ).to.throw(/tunnelOptionsSpecification\[0\] names a tunnel that connection vco-1 does not have/);
    });

    it("refuses a tunnelIndex that contradicts the tunnel's id", () => {
        expect(() =>
            buildModifyRequest(
                SETTINGS,
                { tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 2 }] },
                dual(),
            ),
        ).to.throw(/has tunnelIndex 1/);
    });
});

describe("requests: clientToken", () => {
    const request: ModifyRequest = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "branch" };

    it("is 64 lowercase hex characters", () => {
        expect(clientToken(request, "a")).to.match(/^[0-9a-f]{64}$/);
    });

    it("is the same for the same content and attempt, whatever the key order or an existing token", () => {
        const reordered: ModifyRequest = { name: "branch", vpnConnectionId: "vco-1", regionId: "cn-hangzhou" };
        expect(clientToken(reordered, "s")).to.equal(clientToken(request, "s"));
        expect(clientToken({ ...request, clientToken: "old" }, "s")).to.equal(clientToken(request, "s"));
    });

    it("differs for any difference in content", () => {
        const base = clientToken(request, "a");
        expect(clientToken({ ...request, name: "branch2" }, "a")).to.not.equal(base);
        expect(clientToken({ ...request, vpnConnectionId: "vco-2" }, "a")).to.not.equal(base);
        expect(clientToken({ ...request, enableDpd: false }, "a")).to.not.equal(base);
        const withTunnel = (psk: string): ModifyRequest => ({
            ...request,
            tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 1, tunnelIkeConfig: { psk } }],
        });
        expect(clientToken(withTunnel("a"), "a")).to.not.equal(clientToken(withTunnel("b"), "a"));
    });

    it("differs between attempts, so the same change sent again later is not taken for a replay", () => {
        expect(clientToken(request, "first")).to.not.equal(clientToken(request, "second"));
        expect(clientToken(request, "first")).to.equal(clientToken(request, "first"));
    });
});

describe("requests: values the program must choose", () => {
    it("refuses a new tunnelCidr that would carry the connection's localBgpIp outside it, naming localBgpIp", () => {
        expect(() => buildModifyRequest(SETTINGS, { bgpConfig: { tunnelCidr: "169.254.30.0/30" } }, single())).to.throw(
            /bgpConfig\.localBgpIp must be declared.*169\.254\.11\.1.*169\.254\.30\.0\/30.*169\.254\.30\.1 to 169\.254\.30\.2/,
        );
    });

    it("sends a new tunnelCidr with the declared localBgpIp", () => {
        const request = build({ bgpConfig: { tunnelCidr: "169.254.30.0/30", localBgpIp: "169.254.30.1" } }, single());
        expect(json(request.bgpConfig)).to.include({ TunnelCidr: "169.254.30.0/30", LocalBgpIp: "169.254.30.1" });
    });

    it("refuses a new localBgpIp outside the connection's tunnelCidr, naming tunnelCidr", () => {
        expect(() => buildModifyRequest(SETTINGS, { bgpConfig: { localBgpIp: "169.254.30.1" } }, single())).to.throw(
            /bgpConfig\.tunnelCidr must be declared/,
        );
    });

    it("keeps the connection's localBgpIp when it lies in the new tunnelCidr, and sends none when it has none", () => {
        const actual = single();
        actual.bgpConfig = { ...actual.bgpConfig, localBgpIp: undefined };
        expect(json(build({ bgpConfig: { tunnelCidr: "169.254.30.0/30" } }, actual).bgpConfig)).to.not.have.property(
            "LocalBgpIp",
        );
    });

    it("refuses the same per tunnel, naming that tunnel's localBgpIp", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelBgpConfig: { tunnelCidr: "169.254.40.0/30" } }],
        };
        expect(() => buildModifyRequest(SETTINGS, desired, dual())).to.throw(
            /tunnelOptionsSpecification\[0\]\.tunnelBgpConfig\.localBgpIp must be declared.*169\.254\.12\.1/,
        );
    });

    it("refuses an IkeConfig change when the connection reports no PSK and the program declares none", () => {
        for (const ikeConfig of [undefined, {}, { ...single().ikeConfig, psk: "" }]) {
            const actual = { ...single(), ikeConfig };
            expect(() => buildModifyRequest(SETTINGS, { ikeConfig: { ikePfs: "group14" } }, actual)).to.throw(
                /ikeConfig changes, but connection vco-1 reports no pre-shared key.*Declare the current key in psk/,
            );
            expect(json(build({ ikeConfig: { ikePfs: "group14", psk: "declared" } }, actual).ikeConfig)).to.include({
                Psk: "declared",
            });
        }
    });

    it("refuses a tunnel IkeConfig change when the tunnel reports no PSK and the program declares none", () => {
        const actual = dual();
        actual.tunnelOptionsSpecification![1].tunnelIkeConfig = {};
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group14" } }],
        };
        expect(() => buildModifyRequest(SETTINGS, desired, actual)).to.throw(
            /tunnelOptionsSpecification\[0\]\.tunnelIkeConfig changes, but tunnel tun-2 reports no pre-shared key.*tunnelPsks/,
        );
    });
});
