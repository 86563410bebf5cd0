import { expect } from "chai";
import {
    desiredFromInputs,
    inputsFromOutputs,
    inStoredOrder,
    managedAttributes,
    observedToOutputs,
    outputsToObserved,
} from "../../provider/model/pulumiState";
import { UNKNOWN } from "../../provider/model/unknowns";
import { CheckedInputs, DesiredAttributes, ObservedConnection, ObservedTunnel } from "../../provider/model/types";
import { SETTINGS, undefinedPaths } from "./fixtures";

function single(): ObservedConnection {
    return {
        vpnConnectionId: "vco-1",
        mode: "single",
        state: "active",
        name: "office",
        localSubnet: "10.1.1.0/24,10.1.2.0/24",
        enableDpd: true,
        ikeConfig: { psk: "single-psk", ikeVersion: "ikev2", ikePfs: "group2", ikeLifetime: 86400 },
        bgpConfig: { enableBgp: true, localAsn: 45104, tunnelCidr: "169.254.11.0/30", peerAsn: 65000 },
    };
}

function tunnel(index: number): ObservedTunnel {
    return {
        tunnelId: `tun-${index}`,
        tunnelIndex: index,
        state: "active",
        enableDpd: index === 1,
        tunnelIkeConfig: { psk: `psk-${index}`, ikePfs: "group2" },
        tunnelBgpConfig: { localAsn: 65530, tunnelCidr: `169.254.1${index}.0/30` },
    };
}

function dual(): ObservedConnection {
    return {
        vpnConnectionId: "vco-1",
        mode: "dual",
        name: "office",
        tunnelOptionsSpecification: [tunnel(1), tunnel(2)],
    };
}

describe("pulumiState: observedToOutputs", () => {
    it("moves the single-tunnel PSK out of ikeConfig into psk", () => {
        const outputs = observedToOutputs(single(), SETTINGS, {});
        expect(outputs.psk).to.equal("single-psk");
        expect(outputs.ikeConfig).to.deep.equal({ ikeVersion: "ikev2", ikePfs: "group2", ikeLifetime: 86400 });
        expect(JSON.stringify({ ...outputs, psk: undefined })).to.not.include("single-psk");
    });

    it("moves every tunnel PSK into tunnelPsks, keyed to its tunnel", () => {
        const outputs = observedToOutputs(dual(), SETTINGS, {});
        expect(outputs.tunnelPsks).to.deep.equal([
            { tunnelId: "tun-1", tunnelIndex: 1, psk: "psk-1" },
            { tunnelId: "tun-2", tunnelIndex: 2, psk: "psk-2" },
        ]);
        expect(outputs.tunnelOptionsSpecification?.map((t) => t.tunnelIkeConfig)).to.deep.equal([
            { ikePfs: "group2" },
            { ikePfs: "group2" },
        ]);
        expect(JSON.stringify({ ...outputs, tunnelPsks: undefined })).to.not.match(/psk-\d/);
        expect(outputs.psk).to.equal(undefined);
    });

    it("drops an IKE object that held only the PSK", () => {
        const observed = { ...single(), ikeConfig: { psk: "only" } };
        const outputs = observedToOutputs(observed, SETTINGS, {});
        expect(outputs).to.not.have.property("ikeConfig");
        expect(outputs.psk).to.equal("only");
    });

    it("records settings, managed fields and the last task duration", () => {
        const desired: DesiredAttributes = { name: "office", ikeConfig: { ikePfs: "group2" } };
        const outputs = observedToOutputs(
            single(),
            { ...SETTINGS, endpoint: "http://127.0.0.1:9000", timeoutSeconds: 60 },
            desired,
            42,
        );
        expect(outputs.regionId).to.equal("cn-hangzhou");
        expect(outputs.vpnConnectionId).to.equal("vco-1");
        expect(outputs.endpoint).to.equal("http://127.0.0.1:9000");
        expect(outputs.timeoutSeconds).to.equal(60);
        expect(outputs.managedFields).to.deep.equal(["name", "ikeConfig.ikePfs"]);
        expect(outputs.lastTaskSeconds).to.equal(42);
        expect(outputs.connection.mode).to.equal("single");
        expect(outputs.state).to.equal("active");
    });

    it("gathers what describes the connection, and each tunnel's status, into one connection output", () => {
        const outputs = observedToOutputs(dual(), SETTINGS, {});
        expect(outputs.connection.mode).to.equal("dual");
        expect(outputs.connection.tunnels?.map((t) => [t.tunnelId, t.state])).to.deep.equal([
            ["tun-1", "active"],
            ["tun-2", "active"],
        ]);
        expect(Object.keys(outputs)).to.not.include("mode");
        expect(outputsToObserved(outputs).mode).to.equal("dual");
    });

    it("omits undefined keys at every depth", () => {
        const observed: ObservedConnection = {
            ...single(),
            description: undefined,
            bgpConfig: { enableBgp: true, localAsn: undefined },
            tunnelOptionsSpecification: undefined,
        };
        const outputs = observedToOutputs(observed, { ...SETTINGS, endpoint: undefined }, { name: undefined });
        expect(undefinedPaths(outputs)).to.deep.equal([]);
        expect(outputs).to.not.have.any.keys(
            "description",
            "endpoint",
            "timeoutSeconds",
            "lastTaskSeconds",
            "tunnelPsks",
        );
        expect(outputs.bgpConfig).to.deep.equal({ enableBgp: true });
    });
});

describe("pulumiState: outputsToObserved", () => {
    it("restores the single-tunnel connection exactly, PSK included", () => {
        expect(outputsToObserved(observedToOutputs(single(), SETTINGS, { name: "x" }, 5))).to.deep.equal(single());
    });

    it("restores each tunnel's PSK to its own tunnel", () => {
        expect(outputsToObserved(observedToOutputs(dual(), SETTINGS, {}))).to.deep.equal(dual());
    });

    it("derives the mode when old state lacks it", () => {
        const outputs = observedToOutputs(dual(), SETTINGS, {});
        delete (outputs as { mode?: string }).mode;
        expect(outputsToObserved(outputs).mode).to.equal("dual");
    });
});

describe("pulumiState: inputsFromOutputs", () => {
    it("returns the service's values for the managed fields only, a declared PSK moved to the top-level psk", () => {
        const observed = { ...single(), name: "renamed-by-hand" };
        const desired: DesiredAttributes = {
            name: "office",
            ikeConfig: { psk: "single-psk", ikePfs: "group5" },
            bgpConfig: { localAsn: 1 },
        };
        const inputs = inputsFromOutputs(observedToOutputs(observed, { ...SETTINGS, timeoutSeconds: 60 }, desired));
        expect(inputs).to.deep.equal({
            ...SETTINGS,
            timeoutSeconds: 60,
            name: "renamed-by-hand",
            ikeConfig: { ikePfs: "group2" },
            bgpConfig: { localAsn: 45104 },
            psk: "single-psk",
        });
    });

    it("keeps an ikeConfig that declared only the PSK, as the resource class passes it", () => {
        const inputs = inputsFromOutputs(observedToOutputs(single(), SETTINGS, { ikeConfig: { psk: "x" } }));
        expect(inputs).to.deep.equal({ ...SETTINGS, ikeConfig: {}, psk: "single-psk" });
    });

    it("leaves out PSKs the program does not declare", () => {
        const inputs = inputsFromOutputs(observedToOutputs(dual(), SETTINGS, { name: "x" }));
        expect(JSON.stringify(inputs)).to.not.match(/psk/i);
    });

    it("keeps the program's tunnel identities and order, tunnel PSKs moved to tunnelPsks", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [
                { tunnelIndex: 2, tunnelIkeConfig: { psk: "psk-2", ikePfs: "group14" } },
                { tunnelId: "tun-1", enableDpd: false },
            ],
        };
        const inputs = inputsFromOutputs(observedToOutputs(dual(), SETTINGS, desired));
        expect(inputs.tunnelOptionsSpecification).to.deep.equal([
            { tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group2" } },
            { tunnelId: "tun-1", enableDpd: true },
        ]);
        expect(inputs.tunnelPsks).to.deep.equal([{ tunnelIndex: 2, psk: "psk-2" }]);
    });

    it("leaves out tunnels the connection no longer has", () => {
        const desired: DesiredAttributes = { tunnelOptionsSpecification: [{ tunnelId: "tun-gone", enableDpd: true }] };
        const inputs = inputsFromOutputs(observedToOutputs(dual(), SETTINGS, desired));
        expect(inputs).to.deep.equal(SETTINGS);
    });
});

describe("pulumiState: managedAttributes", () => {
    it("rebuilds declared attributes from observed values, PSKs included, giving the same managed paths", () => {
        const desired: DesiredAttributes = {
            name: "x",
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { psk: "other" } }],
        };
        const outputs = observedToOutputs(dual(), SETTINGS, desired);
        const rebuilt = managedAttributes(outputsToObserved(outputs), outputs.managedFields);
        expect(rebuilt).to.deep.equal({
            name: "office",
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { psk: "psk-2" } }],
        });
        expect(observedToOutputs(dual(), SETTINGS, rebuilt).managedFields).to.deep.equal(outputs.managedFields);
    });

    it("gives read the managed paths in state's order, for a tunnel whose identity the program writes last", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [
                { enableDpd: true, tunnelIkeConfig: { ikePfs: "group2" }, tunnelIndex: 2 },
                { enableDpd: true, tunnelIndex: 1 },
            ],
        };
        const outputs = observedToOutputs(dual(), SETTINGS, desired);
        const rebuilt = observedToOutputs(dual(), SETTINGS, managedAttributes(dual(), outputs.managedFields));
        expect(rebuilt.managedFields).to.not.deep.equal(outputs.managedFields);
        expect(inStoredOrder(rebuilt.managedFields, outputs.managedFields)).to.deep.equal(outputs.managedFields);
        expect(inStoredOrder(["b", "c", "a"], ["a", "x", "b"])).to.deep.equal(["a", "b", "c"]);
    });

    it("reads back a positional tunnel path (an entry that was not an object) as configuring no tunnel", () => {
        const rendered = observedToOutputs(dual(), SETTINGS, {
            tunnelOptionsSpecification: ["not a tunnel" as never],
        }).managedFields;
        expect(rendered).to.deep.equal(["tunnelOptionsSpecification[0]"]);
        expect(
            managedAttributes(outputsToObserved(observedToOutputs(dual(), SETTINGS, {})), ["name", ...rendered]),
        ).to.deep.equal({
            name: "office",
        });
    });
});

describe("pulumiState: desiredFromInputs", () => {
    it("puts the top-level psk back into ikeConfig and leaves settings out", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            endpoint: "http://127.0.0.1:1",
            __provider: "serialized",
            ikeConfig: { ikePfs: "group14" },
            psk: "top-psk",
        } as CheckedInputs);
        expect(desired).to.deep.equal({ ikeConfig: { ikePfs: "group14", psk: "top-psk" } });
    });

    it("puts each tunnel PSK into the tunnel it names, adding the tunnel when the program declares nothing else for it", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group5" } }],
            tunnelPsks: [
                { tunnelIndex: 2, psk: "second" },
                { tunnelId: "tun-1", psk: "first" },
            ],
        });
        expect(desired.tunnelOptionsSpecification).to.deep.equal([
            { tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group5", psk: "second" } },
            { tunnelId: "tun-1", tunnelIkeConfig: { psk: "first" } },
        ]);
    });

    it("keeps an IKE config unknown at preview unknown when the PSK is known", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            ikeConfig: UNKNOWN as unknown as object,
            psk: "top-psk",
        });
        expect(desired.ikeConfig).to.equal(UNKNOWN);
    });

    it("keeps tunnel entries and tunnel IKE configs unknown at preview unknown when their PSKs are known", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            tunnelOptionsSpecification: [
                UNKNOWN as unknown as object,
                { tunnelIndex: 2, tunnelIkeConfig: UNKNOWN as unknown as object },
            ],
            tunnelPsks: [{ tunnelIndex: 2, psk: "second" }],
        });
        expect(desired.tunnelOptionsSpecification).to.deep.equal([
            UNKNOWN,
            { tunnelIndex: 2, tunnelIkeConfig: UNKNOWN },
        ]);
    });

    it("makes the tunnels unknown when the PSK list is unknown", () => {
        const desired = desiredFromInputs({
            ...SETTINGS,
            tunnelOptionsSpecification: [{ tunnelIndex: 1 }],
            tunnelPsks: UNKNOWN as unknown as [],
        });
        expect(desired.tunnelOptionsSpecification).to.equal(UNKNOWN);
    });
});
