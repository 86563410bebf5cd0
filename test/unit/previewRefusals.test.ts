import { expect } from "chai";
import { ObservedConnection } from "../../provider/model/types";
import { dual, single, tunnel } from "./fixtures";
import { preview, stateOf } from "./previews";

/** A single-tunnel connection whose reported BGP addresses already break the rule (a stale LocalBgpIp). */
function staleBgp(): ObservedConnection {
    const connection = single();
    return { ...connection, bgpConfig: { ...connection.bgpConfig, localBgpIp: "169.254.99.1" } };
}

/** A dual-tunnel connection whose tunnel `index` reports a LocalBgpIp outside its TunnelCidr. */
function staleTunnelBgp(index: 1 | 2): ObservedConnection {
    const tunnels = [tunnel(1), tunnel(2)];
    const stale = tunnels[index - 1];
    stale.tunnelBgpConfig = { ...stale.tunnelBgpConfig, localBgpIp: "169.254.99.1" };
    return { ...dual(), tunnelOptionsSpecification: tunnels };
}

describe("preview: the LocalBgpIp-in-TunnelCidr refusal", () => {
    it("lets an update that leaves the BGP config alone through, whatever the connection reports there", () => {
        const olds = stateOf(staleBgp(), { bgpConfig: { enableBgp: true } });
        expect(preview(olds, { name: "renamed", bgpConfig: { enableBgp: true } })).to.equal(true);
        expect(preview(olds, { bgpConfig: { enableBgp: true } })).to.equal(false);
    });

    it("refuses a changed BGP config that would carry the stale address, naming what to declare", () => {
        const olds = stateOf(staleBgp(), { bgpConfig: { enableBgp: true } });
        expect(preview(olds, { bgpConfig: { enableBgp: true, localAsn: 65001 } })).to.match(
            /^bgpConfig\.tunnelCidr must be declared|^bgpConfig\.localBgpIp/,
        );
    });

    it("judges only the tunnels whose BGP config changes, each by its own addresses", () => {
        const olds = stateOf(staleTunnelBgp(1), { name: "office" });
        // Tunnel 2's BGP config changes; tunnel 1's, declared as it is, is not sent, so its stale address is no reason to refuse.
        expect(
            preview(olds, {
                tunnelOptionsSpecification: [
                    { tunnelIndex: 1, tunnelBgpConfig: { localAsn: 65530 } },
                    { tunnelIndex: 2, tunnelBgpConfig: { localAsn: 65001 } },
                ],
            }),
        ).to.equal(true);
        // Tunnel 1's changes: its stale address would be sent, so the preview stops, naming tunnel 1's entry.
        expect(
            preview(olds, {
                tunnelOptionsSpecification: [
                    { tunnelIndex: 2, enableDpd: false },
                    { tunnelIndex: 1, tunnelBgpConfig: { localAsn: 65001 } },
                ],
            }),
        ).to.match(/^tunnelOptionsSpecification\[1\]\.tunnelBgpConfig\./);
    });
});

describe("preview: the IKEv1-with-several-networks refusal on a dual-tunnel connection", () => {
    const declaringV1On = (index: 1 | 2) => ({
        remoteSubnet: "10.0.0.0/24,10.1.0.0/24",
        tunnelOptionsSpecification: [{ tunnelIndex: index, tunnelIkeConfig: { ikeVersion: "ikev1" } }],
    });

    it("refuses several networks when the tunnel declared ikev1 is the second", () => {
        expect(preview(stateOf(dual()), declaringV1On(2))).to.match(
            /remoteSubnet would list more than one network .*ModifyIkeV1WithMultiRoutes\.Invalid/,
        );
    });

    it("refuses them when the first tunnel, listed second, is the one declared ikev1", () => {
        const declared = {
            remoteSubnet: "10.0.0.0/24,10.1.0.0/24",
            tunnelOptionsSpecification: [
                { tunnelIndex: 2, enableDpd: false },
                { tunnelIndex: 1, tunnelIkeConfig: { ikeVersion: "ikev1" } },
            ],
        };
        expect(preview(stateOf(dual()), declared)).to.match(/ModifyIkeV1WithMultiRoutes\.Invalid/);
    });

    it("refuses ikev1 on one tunnel alone when the connection already lists several networks", () => {
        const olds = stateOf({ ...dual(), remoteSubnet: "192.168.0.0/16,192.169.0.0/16" });
        expect(
            preview(olds, {
                tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikeVersion: "ikev1" } }],
            }),
        ).to.match(/remoteSubnet would list more than one network/);
    });

    it("previews a change on a connection one of whose tunnels reports no IKE config", () => {
        const bare = { ...tunnel(2) };
        delete bare.tunnelIkeConfig;
        const olds = stateOf({ ...dual(), tunnelOptionsSpecification: [tunnel(1), bare] });
        expect(preview(olds, { localSubnet: "10.0.0.0/24,10.9.0.0/24" })).to.equal(true);
    });

    it("refuses a subnet change on a connection whose second tunnel already runs ikev1", () => {
        const tunnels = [tunnel(1), tunnel(2)];
        tunnels[1].tunnelIkeConfig = { ...tunnels[1].tunnelIkeConfig, ikeVersion: "ikev1" };
        const olds = stateOf({ ...dual(), tunnelOptionsSpecification: tunnels });
        expect(preview(olds, { localSubnet: "10.0.0.0/24,10.9.0.0/24" })).to.match(
            /localSubnet would list more than one network/,
        );
        expect(preview(olds, { localSubnet: "10.0.0.0/24" })).to.equal(true);
    });
});

describe("preview: subnet lists compared as sets of networks", () => {
    it("shows no change for a reordered remoteSubnet, and a change for a different one", () => {
        const observed = { ...single(), remoteSubnet: "192.168.1.0/24,192.168.2.0/24" };
        const olds = stateOf(observed, { remoteSubnet: "192.168.1.0/24,192.168.2.0/24" });
        expect(preview(olds, { remoteSubnet: ["192.168.2.0/24", "192.168.1.0/24"] })).to.equal(false);
        expect(preview(olds, { remoteSubnet: "192.168.2.7/24, 192.168.1.0/24" })).to.equal(false);
        expect(preview(olds, { remoteSubnet: "192.168.2.0/24,192.168.3.0/24" })).to.equal(true);
    });
});
