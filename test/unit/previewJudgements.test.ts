/**
 * What preview decides from state, in the cases the other preview tests
 * leave out: when the BGP address rule is judged for a tunnel, the full text
 * of the refusals, a setting added or removed, and which differences are
 * secret (never printed) in verifyOnPreview's report.
 */
import { expect } from "chai";
import { adoptionReport } from "../../provider/model/adoption";
import { compareAttributes, diffResource } from "../../provider/model/diffing";
import { AttributeOutputs, CheckedInputs, DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { dual, SETTINGS, single, tunnel } from "./fixtures";
import { preview, stateOf } from "./previews";

/** Tunnel 2 reports a LocalBgpIp outside its TunnelCidr. */
function staleTunnel2(): ObservedConnection {
    const stale = tunnel(2);
    stale.tunnelBgpConfig = { ...stale.tunnelBgpConfig, localBgpIp: "169.254.99.1" };
    return { ...dual(), tunnelOptionsSpecification: [tunnel(1), stale] };
}

describe("preview: the BGP address rule is judged only for a tunnel BGP config that changes", () => {
    it("lets another change to the same tunnel through, its BGP config declared as it is or not at all", () => {
        const olds = stateOf(staleTunnel2(), { name: "office" });
        expect(preview(olds, { tunnelOptionsSpecification: [{ tunnelIndex: 2, enableDpd: false }] })).to.equal(true);
        expect(
            preview(olds, {
                tunnelOptionsSpecification: [
                    { tunnelIndex: 2, enableDpd: false, tunnelBgpConfig: { localAsn: 65530 } },
                ],
            }),
        ).to.equal(true);
    });

    it("leaves a tunnel BGP config unknown at preview to the update", () => {
        const olds = stateOf(staleTunnel2(), { name: "office" });
        const news = { ...SETTINGS, tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelBgpConfig: UNKNOWN }] };
        expect(diffResource(olds, news as CheckedInputs).changes).to.equal(true);
    });

    it("refuses a changed tunnel BGP config that would keep the stale address", () => {
        const olds = stateOf(staleTunnel2(), { name: "office" });
        expect(
            preview(olds, { tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelBgpConfig: { localAsn: 65001 } }] }),
        ).to.equal(
            "tunnelOptionsSpecification[0].tunnelBgpConfig.localBgpIp must be declared: the connection's localBgpIp " +
                "169.254.99.1 is not inside its tunnelCidr 169.254.12.0/30, and the API requires LocalBgpIp to " +
                "lie in TunnelCidr. Declare tunnelOptionsSpecification[0].tunnelBgpConfig.localBgpIp as an address of " +
                "169.254.12.0/30 (169.254.12.1 to 169.254.12.2). (Judged from the values state holds; if the connection " +
                "was changed outside Pulumi, run pulumi refresh first.)",
        );
    });
});

describe("preview: the full text of refusals the service would give", () => {
    it("says networkType is fixed, and the ways out", () => {
        const olds = stateOf({ ...single(), networkType: "public" });
        expect(preview(olds, { networkType: "private" })).to.equal(
            "networkType cannot change from public to private on existing connection vco-1: the service fixes it when " +
                'the connection is created (IllegalParam.NetworkType). Declare networkType "public" or remove it, or ' +
                "create a private connection and set vpnConnectionId to it. (Judged from the values state holds; if the " +
                "connection was changed outside Pulumi, run pulumi refresh first.)",
        );
    });

    it("says IKEv1 negotiates one network per side, naming the lists", () => {
        const olds = stateOf(single());
        expect(
            preview(olds, { ikeConfig: { ikeVersion: "ikev1" }, remoteSubnet: "192.168.0.0/16,172.16.0.0/12" }),
        ).to.equal(
            "localSubnet and remoteSubnet would list more than one network on connection vco-1 while IKE is ikev1; the " +
                'service refuses this (ModifyIkeV1WithMultiRoutes.Invalid). Declare ikeVersion "ikev2", or one CIDR ' +
                "block in each of localSubnet and remoteSubnet. (Judged from the values state holds; if the connection " +
                "was changed outside Pulumi, run pulumi refresh first.)",
        );
    });
});

describe("preview: several refusals", () => {
    it("gives every reason at once, separated by semicolons", () => {
        const olds = stateOf({ ...single(), networkType: "public" });
        expect(preview(olds, { networkType: "private", bgpConfig: { tunnelCidr: "169.254.30.0/30" } })).to.match(
            /^networkType cannot change from public to private .*vpnConnectionId to it; bgpConfig\.localBgpIp must be declared/,
        );
    });
});

describe("preview: settings", () => {
    it("shows an update when a setting object is added or removed", () => {
        const olds = stateOf(single());
        const rollout = { tunnels: "together", waitForNegotiation: true };
        expect(diffResource(olds, { ...SETTINGS, rollout } as CheckedInputs).changes).to.equal(true);
        expect(diffResource({ ...olds, rollout } as AttributeOutputs, { ...SETTINGS }).changes).to.equal(true);
        expect(
            diffResource(
                { ...olds, rollout } as AttributeOutputs,
                { ...SETTINGS, rollout: { ...rollout } } as CheckedInputs,
            ).changes,
        ).to.equal(false);
    });
});

describe("verifyOnPreview: which differences are secret", () => {
    it("prints no tunnel list that holds a key, even when only one of its tunnels reports one", () => {
        const second = tunnel(2);
        second.tunnelIkeConfig = { ikeVersion: "ikev2" };
        const actual = { ...dual(), tunnelOptionsSpecification: [tunnel(1), second] };
        const desired = { tunnelOptionsSpecification: UNKNOWN } as unknown as DesiredAttributes;
        const report = adoptionReport(SETTINGS, compareAttributes(desired, actual));
        expect(report).to.match(/tunnelOptionsSpecification: \[secret\] \(changes\)$/);
        expect(report).to.not.include("psk-1");
    });

    it("prints a config without a key, and a declared tunnel the connection lacks by its identity only", () => {
        const desired = {
            healthCheckConfig: UNKNOWN,
            tunnelOptionsSpecification: [{ tunnelId: "tun-9", tunnelIkeConfig: { psk: "declared-key" } }],
        } as unknown as DesiredAttributes;
        const actual = { ...dual(), healthCheckConfig: { enable: true } };
        const report = adoptionReport(SETTINGS, compareAttributes(desired, actual));
        expect(report).to.include('healthCheckConfig: {"enable":true} => (known at up)');
        expect(report).to.include('tunnelOptionsSpecification[0]: (none) => {"tunnelId":"tun-9"}');
        expect(report).to.not.include("declared-key");
    });

    it("compares only the config keys a program declares", () => {
        const desired = { ikeConfig: { ikeVersion: "ikev2", ikePfs: undefined } } as DesiredAttributes;
        expect(compareAttributes(desired, single())).to.deep.equal([]);
    });
});
