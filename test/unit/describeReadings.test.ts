/**
 * How a Describe body's odd values read into state: what a refresh stores,
 * and so what the next preview compares the program with. A value read
 * wrongly shows as a change on every preview, or hides one.
 */
import { expect } from "chai";
import { observeConnection } from "../../provider/model/normalize";

const ID = { VpnConnectionId: "vco-1" };

function ikeLifetime(reported: unknown): unknown {
    return observeConnection({ ...ID, IkeConfig: { IkePfs: "group2", IkeLifetime: reported } }).ikeConfig?.ikeLifetime;
}

describe("Describe readings: numbers, ASNs, flags and subnet lists as state keeps them", () => {
    it("reads a number sent as plain decimal text, signed or with a fraction, and nothing else", () => {
        expect(ikeLifetime("28800")).to.equal(28800);
        expect(ikeLifetime("+28800")).to.equal(28800);
        expect(ikeLifetime("-5")).to.equal(-5);
        expect(ikeLifetime("28800.25")).to.equal(28800.25);
        expect(ikeLifetime("\t28800\n")).to.equal(28800);
        for (const unreadable of ["a28800", "28800a", "28800.", ".5", "28800.x", "2880 0", "", "1e5", "0x10"]) {
            expect(ikeLifetime(unreadable), JSON.stringify(unreadable)).to.equal(undefined);
        }
        expect(ikeLifetime(Infinity)).to.equal(undefined);
        expect(ikeLifetime(NaN)).to.equal(undefined);
    });

    it("reads a peer ASN in the two-segment form as one number, spaces around it ignored", () => {
        const bgp = (peerAsn: unknown): unknown =>
            observeConnection({ ...ID, VpnBgpConfig: { EnableBgp: "true", PeerAsn: peerAsn } }).bgpConfig?.peerAsn;
        expect(bgp("123.456")).to.equal(123 * 65536 + 456);
        expect(bgp(" 1.2 ")).to.equal(65538);
        expect(bgp("65000")).to.equal(65000);
        expect(bgp(65000)).to.equal(65000);
        expect(bgp("1.2.3")).to.equal(undefined);
    });

    it("reads true and false in any case, with spaces around them, and nothing else as a flag", () => {
        const dpd = (value: unknown): unknown => observeConnection({ ...ID, EnableDpd: value }).enableDpd;
        expect(dpd(" true ")).to.equal(true);
        expect(dpd("False\n")).to.equal(false);
        expect(dpd(true)).to.equal(true);
        for (const unreadable of ["yes", "1", 1, "", "t rue"]) {
            expect(dpd(unreadable), JSON.stringify(unreadable)).to.equal(undefined);
        }
    });

    it("omits a subnet list that holds only commas and spaces, rather than store an empty one", () => {
        const observed = observeConnection({ ...ID, LocalSubnet: " , ,", RemoteSubnet: "" });
        expect(observed).to.not.have.property("localSubnet");
        expect(observed).to.not.have.property("remoteSubnet");
    });

    it("reads a number or a boolean where text is expected as its text", () => {
        expect(observeConnection({ ...ID, Name: true }).name).to.equal("true");
        expect(observeConnection({ ...ID, Name: false }).name).to.equal("false");
        expect(observeConnection({ ...ID, Name: 42 }).name).to.equal("42");
        expect(observeConnection({ ...ID, Name: { text: "x" } })).to.not.have.property("name");
    });

    it("reads the CA certificate from the second key when the first is absent", () => {
        expect(observeConnection({ ...ID, RemoteCaCert: "c2Vjb25k" }).remoteCaCert).to.equal("c2Vjb25k");
    });

    it("reads the CA certificate from its first reported key, skipping one reported as null", () => {
        expect(observeConnection({ ...ID, RemoteCaCertificate: null, RemoteCaCert: "c2Vjb25k" }).remoteCaCert).to.equal(
            "c2Vjb25k",
        );
        expect(
            observeConnection({ ...ID, RemoteCaCertificate: "Zmlyc3Q=", RemoteCaCert: "c2Vjb25k" }).remoteCaCert,
        ).to.equal("Zmlyc3Q=");
    });

    it("reads the CA certificate every tunnel reports alike, and none when the tunnels disagree", () => {
        const tunnels = (a: string, b: string): Record<string, unknown> => ({
            ...ID,
            TunnelOptionsSpecification: {
                TunnelOptions: [
                    { TunnelId: "tun-1", TunnelIndex: 1, RemoteCaCertificate: a },
                    { TunnelId: "tun-2", TunnelIndex: 2, RemoteCaCertificate: b },
                ],
            },
        });
        expect(observeConnection(tunnels("c2FtZQ==", "c2FtZQ==")).remoteCaCert).to.equal("c2FtZQ==");
        expect(observeConnection(tunnels("b25l", "dHdv"))).to.not.have.property("remoteCaCert");
        expect(observeConnection(ID)).to.not.have.property("remoteCaCert");
    });

    it("gives a tunnel without TunnelId an empty id, and a body without VpnConnectionId an empty one", () => {
        const observed = observeConnection({ TunnelOptionsSpecification: [{ TunnelIndex: 2, State: "active" }] });
        expect(observed.vpnConnectionId).to.equal("");
        expect(observed.tunnelOptionsSpecification).to.deep.equal([{ tunnelId: "", tunnelIndex: 2, state: "active" }]);
    });

    it("skips tunnel entries that are not objects", () => {
        const observed = observeConnection({
            ...ID,
            TunnelOptionsSpecification: { TunnelOptions: [null, "tun-0", { TunnelId: "tun-1", TunnelIndex: 1 }, 7] },
        });
        expect(observed.tunnelOptionsSpecification).to.deep.equal([{ tunnelId: "tun-1", tunnelIndex: 1 }]);
        expect(observed.mode).to.equal("dual");
    });
});
