/**
 * What a Modify carries in the cases the main request tests leave out: a
 * tunnel that reports only some of its settings, refusals as the user reads
 * them, and the ClientToken's derivation (the same request content and
 * attempt always give the same token, so the service applies a retry once).
 */
import { createHash } from "node:crypto";
import { expect } from "chai";
import { buildModifyRequest, clientToken, ModifyRequest } from "../../provider/model/requests";
import { DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { dual, SETTINGS, single, tunnel } from "./fixtures";

function refusal(desired: DesiredAttributes, actual: ObservedConnection): string {
    try {
        buildModifyRequest(SETTINGS, desired, actual);
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected the request to be refused");
}

describe("Modify request: a tunnel that reports only some settings", () => {
    it("sends the tunnel with what it has, and no empty or absent config or setting", () => {
        const bare: ObservedConnection = {
            ...dual(),
            tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 1, enableDpd: true }, tunnel(2)],
        };
        const request = buildModifyRequest(
            SETTINGS,
            { name: "renamed", tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: false }] },
            bare,
        );
        expect(request?.tunnelOptionsSpecification).to.deep.equal([
            { tunnelId: "tun-1", tunnelIndex: 1, enableDpd: false },
        ]);
        expect(request?.name).to.equal("renamed");
    });
});

describe("Modify request: refusals as the user reads them", () => {
    it("says how to keep the key when the connection reports none", () => {
        expect(
            refusal({ ikeConfig: { ikePfs: "group14" } }, { ...single(), ikeConfig: { ikePfs: "group2" } }),
        ).to.equal(
            "ikeConfig changes, but connection vco-1 reports no pre-shared key, and an IKE config sent without one makes " +
                "the service generate a new key, which cuts the tunnel. Declare the current key in psk " +
                "(or ikeConfig.psk), then run the update again",
        );
        const keyless = { ...dual(), tunnelOptionsSpecification: [{ ...tunnel(1), tunnelIkeConfig: {} }, tunnel(2)] };
        expect(
            refusal(
                { tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { ikePfs: "group14" } }] },
                keyless,
            ),
        ).to.equal(
            "tunnelOptionsSpecification[0].tunnelIkeConfig changes, but tunnel tun-1 reports no pre-shared key, and an " +
                "IKE config sent without one makes the service generate a new key, which cuts the tunnel. Declare the " +
                "current key in tunnelPsks (or tunnelOptionsSpecification[0].tunnelIkeConfig.psk), then run the update again",
        );
    });

    it("says which tunnel a declared id and index disagree on", () => {
        expect(
            refusal({ tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 2, enableDpd: false }] }, dual()),
        ).to.equal(
            "tunnelOptionsSpecification[0] declares tunnelId tun-1 with tunnelIndex 2, but that tunnel has tunnelIndex 1",
        );
    });

    it("gives every reason at once, separated by semicolons", () => {
        const message = refusal(
            { networkType: "private", bgpConfig: { tunnelCidr: "169.254.30.0/30" } },
            { ...single(), networkType: "public" },
        );
        expect(message).to.match(
            /^networkType cannot change from public to private .*; bgpConfig\.localBgpIp must be declared/,
        );
    });
});

describe("Modify request: the ClientToken", () => {
    function sha256(text: string): string {
        return createHash("sha256").update(text, "utf8").digest("hex");
    }

    it("is the SHA-256 of the connection id, the content with keys sorted at every depth, and the attempt", () => {
        const request: ModifyRequest = {
            vpnConnectionId: "vco-1",
            regionId: "cn-hangzhou",
            name: "分支",
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelId: "tun-2", enableDpd: false }],
        };
        const canonical =
            '["vco-1",{"name":"分支","regionId":"cn-hangzhou","tunnelOptionsSpecification":' +
            '[{"enableDpd":false,"tunnelId":"tun-2","tunnelIndex":2}],"vpnConnectionId":"vco-1"},"attempt-1"]';
        expect(clientToken(request, "attempt-1")).to.equal(sha256(canonical));
    });

    it("ignores keys left undefined, as the SDK does when it sends the request", () => {
        const request: ModifyRequest = { vpnConnectionId: "vco-1", regionId: "cn-hangzhou", name: "a" };
        expect(clientToken({ ...request, description: undefined } as ModifyRequest, "x")).to.equal(
            clientToken(request, "x"),
        );
    });
});
