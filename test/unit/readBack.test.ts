/**
 * A connection holding values the API page does not list (host bits in
 * subnets, repeated subnets, a name in upper-case HTTP://, a two-segment ASN)
 * must read, refresh and be declared again as read without check failing,
 * diff showing a change or an update sending anything. Algorithm names no
 * source lists for this API (sm3/sm4, group24) read unchanged too, but
 * check refuses them when declared: a program leaves such a field undeclared.
 */
import { expect } from "chai";
import { diffResource } from "../../provider/model/diffing";
import { observeConnection } from "../../provider/model/normalize";
import { buildModifyRequest } from "../../provider/model/requests";
import {
    desiredFromInputs,
    inputsFromOutputs,
    managedAttributes,
    observedToOutputs,
    outputsToObserved,
} from "../../provider/model/pulumiState";
import { AttributeOutputs, CheckedInputs, DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { SETTINGS } from "./fixtures";

interface Algorithms {
    ike: Record<string, string>;
    ipsec: Record<string, string>;
    /** Tunnel 2's IKE DH group, unlike tunnel 1's. */
    otherPfs: string;
}

/** Names the page lists, the least common ones. */
const LISTED: Algorithms = {
    ike: { IkeEncAlg: "3des", IkeAuthAlg: "sha384", IkePfs: "group14" },
    ipsec: { IpsecEncAlg: "aes192", IpsecAuthAlg: "sha512", IpsecPfs: "disabled" },
    otherPfs: "group5",
};

/** What a ShangMi gateway's connection may report; no source lists these for this API. */
const UNLISTED: Algorithms = {
    ike: { IkeEncAlg: "sm4", IkeAuthAlg: "sm3", IkePfs: "group24" },
    ipsec: { IpsecEncAlg: "sm4", IpsecAuthAlg: "sm3", IpsecPfs: "group24" },
    otherPfs: "group19",
};

function ikeBody(algorithms: Algorithms): Record<string, unknown> {
    return { IkeVersion: "ikev2", IkeMode: "main", ...algorithms.ike, LocalId: "47.0.0.1", RemoteId: "peer.example" };
}

/** DescribeVpnConnection of a ShangMi single-tunnel connection, with the service's types. */
function singleBody(algorithms: Algorithms = LISTED): Record<string, unknown> {
    return {
        VpnConnectionId: "vco-1",
        State: "active",
        Name: "HTTP://sm-office",
        LocalSubnet: "10.1.1.1/24,10.1.2.0/24,10.1.2.0/24",
        RemoteSubnet: "192.168.7.9/16",
        NetworkType: "private",
        RemoteCaCertificate: "c20ycDI1NnYxIENB",
        IkeConfig: { ...ikeBody(algorithms), Psk: "sm-psk", IkeLifetime: 86400 },
        IpsecConfig: { ...algorithms.ipsec, IpsecLifetime: 3600 },
        VpnBgpConfig: {
            EnableBgp: "false",
            LocalAsn: "1.10",
            TunnelCidr: "169.254.11.0/30",
            LocalBgpIp: "169.254.11.1",
        },
        VcoHealthCheck: { Enable: "true", Interval: 3, Retry: 3, Policy: "revoke_route" },
        EnableDpd: true,
        EnableNatTraversal: false,
    };
}

/** The same for a dual-tunnel connection: per-tunnel strings, the CA certificate per tunnel. */
function dualBody(algorithms: Algorithms = LISTED): Record<string, unknown> {
    const tunnel = (index: number) => ({
        TunnelId: `tun-${index}`,
        TunnelIndex: index,
        State: "active",
        CustomerGatewayId: `cgw-${index}`,
        EnableDpd: "true",
        EnableNatTraversal: "false",
        RemoteCaCertificate: "c20ycDI1NnYxIENB",
        TunnelIkeConfig: {
            ...ikeBody(algorithms),
            IkePfs: index === 1 ? algorithms.ike.IkePfs : algorithms.otherPfs,
            Psk: `psk-${index}`,
            IkeLifetime: "86400",
        },
        TunnelIpsecConfig: { ...algorithms.ipsec, IpsecLifetime: "3600" },
        TunnelBgpConfig: { LocalAsn: "65530", TunnelCidr: `169.254.1${index}.0/30`, LocalBgpIp: `169.254.1${index}.1` },
    });
    return {
        VpnConnectionId: "vco-1",
        State: "attached",
        Name: "sm-dual",
        LocalSubnet: "10.0.0.5/8",
        RemoteSubnet: "192.168.0.0/16,192.168.0.0/16",
        EnableTunnelsBgp: false,
        TunnelOptionsSpecification: { TunnelOptions: [tunnel(1), tunnel(2)] },
    };
}

/** A program that manages every attribute the connection reports. */
function declareEverything(observed: ObservedConnection): DesiredAttributes {
    const {
        vpnConnectionId: _id,
        mode: _mode,
        state: _state,
        bgpConfig,
        healthCheckConfig,
        tunnelOptionsSpecification,
        ...rest
    } = observed;
    const declared: DesiredAttributes = { ...rest };
    if (bgpConfig) {
        const { peerAsn: _a, peerBgpIp: _b, status: _s, ...settable } = bgpConfig;
        declared.bgpConfig = settable;
    }
    if (healthCheckConfig) {
        const { status: _s, ...settable } = healthCheckConfig;
        declared.healthCheckConfig = settable;
    }
    declared.tunnelOptionsSpecification = tunnelOptionsSpecification?.map(
        ({ role: _r, state: _s, status: _t, internetIp: _i, zoneNo: _z, tunnelBgpConfig, ...settable }) => ({
            ...settable,
            tunnelBgpConfig: tunnelBgpConfig && {
                localAsn: tunnelBgpConfig.localAsn,
                tunnelCidr: tunnelBgpConfig.tunnelCidr,
                localBgpIp: tunnelBgpConfig.localBgpIp,
            },
        }),
    );
    return declared;
}

/** What `read` does with state: the managed fields carried over to the new observation. */
function refresh(
    outputs: AttributeOutputs,
    observed: ObservedConnection,
): { outs: AttributeOutputs; inputs: Record<string, unknown> } {
    const managed = managedAttributes(outputsToObserved(outputs), outputs.managedFields);
    const outs = observedToOutputs(observed, SETTINGS, managed);
    return { outs, inputs: inputsFromOutputs(outs) };
}

for (const [mode, body] of [
    ["single-tunnel", singleBody],
    ["dual-tunnel", dualBody],
] as const) {
    describe(`read back: a ${mode} connection holding values the page does not list`, () => {
        const observed = observeConnection(body());
        const outputs = observedToOutputs(observed, SETTINGS, declareEverything(observed));

        it("refreshes to inputs that check accepts as they are", () => {
            const { inputs } = refresh(outputs, observed);
            const checked = checkInputs(inputs);
            expect(checked.failures).to.deep.equal([]);
            expect(checked.inputs).to.deep.equal(inputs);
        });

        it("shows no change when the program declares what refresh read, and sends nothing", () => {
            const { outs, inputs } = refresh(outputs, observed);
            // The program declares the keys too, as the resource class passes them.
            const keys = outs.psk === undefined ? { tunnelPsks: outs.tunnelPsks } : { psk: outs.psk };
            const checked = checkInputs({ ...inputs, ...keys }).inputs as unknown as CheckedInputs;
            expect(diffResource(outs, checked).changes).to.equal(false);
            expect(buildModifyRequest(SETTINGS, desiredFromInputs(checked), observed)).to.equal(undefined);
        });
    });

    describe(`read back: a ${mode} connection reporting algorithm names no source lists (sm3, sm4, group24)`, () => {
        const observed = observeConnection(body(UNLISTED));

        it("reads every value unchanged", () => {
            const ike =
                mode === "single-tunnel"
                    ? observed.ikeConfig
                    : observed.tunnelOptionsSpecification?.[1].tunnelIkeConfig;
            const ipsec =
                mode === "single-tunnel"
                    ? observed.ipsecConfig
                    : observed.tunnelOptionsSpecification?.[0].tunnelIpsecConfig;
            expect(ike).to.include({ ikeEncAlg: "sm4", ikeAuthAlg: "sm3" });
            expect(ike?.ikePfs).to.match(/^group(24|19)$/);
            expect(ipsec).to.include({ ipsecEncAlg: "sm4", ipsecAuthAlg: "sm3", ipsecPfs: "group24" });
            expect(observed.remoteCaCert).to.equal("c20ycDI1NnYxIENB");
        });

        it("refreshes a program that leaves them undeclared to inputs check accepts", () => {
            const {
                ikeConfig: _ike,
                ipsecConfig: _ipsec,
                tunnelOptionsSpecification,
                ...rest
            } = declareEverything(observed);
            const declared: DesiredAttributes = {
                ...rest,
                tunnelOptionsSpecification: tunnelOptionsSpecification?.map(
                    ({ tunnelIkeConfig: _i, tunnelIpsecConfig: _p, ...tunnel }) => tunnel,
                ),
            };
            const { inputs } = refresh(observedToOutputs(observed, SETTINGS, declared), observed);
            expect(checkInputs(inputs).failures).to.deep.equal([]);
        });

        it("refuses them declared again, naming each property and its documented list", () => {
            const { inputs } = refresh(observedToOutputs(observed, SETTINGS, declareEverything(observed)), observed);
            const failures = checkInputs(inputs).failures;
            const properties = failures.map((f) => f.property.replace(/^tunnelOptionsSpecification\[\d\]\.tunnel/, ""));
            expect([...new Set(properties)].sort()).to.deep.equal(
                mode === "single-tunnel"
                    ? [
                          "ikeConfig.ikeAuthAlg",
                          "ikeConfig.ikeEncAlg",
                          "ikeConfig.ikePfs",
                          "ipsecConfig.ipsecAuthAlg",
                          "ipsecConfig.ipsecEncAlg",
                          "ipsecConfig.ipsecPfs",
                      ]
                    : [
                          "IkeConfig.ikeAuthAlg",
                          "IkeConfig.ikeEncAlg",
                          "IkeConfig.ikePfs",
                          "IpsecConfig.ipsecAuthAlg",
                          "IpsecConfig.ipsecEncAlg",
                          "IpsecConfig.ipsecPfs",
                      ],
            );
            expect(failures.find((f) => f.property.endsWith("ikePfs"))?.reason).to.include(
                "must be one of group1, group2, group5, group14, as the ModifyVpnAttachmentAttribute API page lists them",
            );
        });
    });
}

describe("read back: values read leniently", () => {
    it("reads a two-segment ASN as the number it stands for, which check accepts back", () => {
        const observed = observeConnection(singleBody());
        expect(observed.bgpConfig?.localAsn).to.equal(65546);
        expect(
            checkInputs({ ...SETTINGS, bgpConfig: { localAsn: observed.bgpConfig?.localAsn } }).failures,
        ).to.deep.equal([]);
    });

    it("never throws on values of unexpected types, and what it keeps checks back", () => {
        const body = {
            ...singleBody(),
            IkeConfig: {
                IkeEncAlg: 14,
                IkeAuthAlg: null,
                IkePfs: { Group: 24 },
                IkeLifetime: "forever",
                IkeVersion: "",
            },
            IpsecConfig: "sm4",
            VpnBgpConfig: { LocalAsn: "65536.65536.1", EnableBgp: 1 },
        };
        const observed = observeConnection(body);
        expect(observed.ikeConfig).to.deep.equal({ ikeEncAlg: "14" });
        const outputs = observedToOutputs(observed, SETTINGS, declareEverything(observed));
        // Kept as read, and refused declared again only for being off its list.
        const failures = checkInputs(refresh(outputs, observed).inputs).failures;
        expect(failures.map((f) => f.property)).to.deep.equal(["ikeConfig.ikeEncAlg"]);
        const tunnels = observeConnection({
            ...dualBody(),
            TunnelOptionsSpecification: { TunnelOptions: { TunnelId: 7, TunnelIkeConfig: [] } },
        });
        expect(tunnels.tunnelOptionsSpecification).to.deep.equal([{ tunnelId: "7", tunnelIndex: 1 }]);
    });

    it("takes a CA certificate reported only on the tunnels, when both agree", () => {
        const body = dualBody();
        const tunnels = (body.TunnelOptionsSpecification as { TunnelOptions: Array<Record<string, unknown>> })
            .TunnelOptions;
        expect(observeConnection(body).remoteCaCert).to.equal("c20ycDI1NnYxIENB");
        tunnels[1].RemoteCaCertificate = "other";
        expect(observeConnection(body).remoteCaCert).to.equal(undefined);
    });
});

describe("read back: declared PSKs", () => {
    // Found by the round-trip property (seed 20261128): a program that declares only one tunnel's key.
    it("refreshes a dual-tunnel connection whose program declares only tunnel 2's PSK to inputs that diff finds unchanged", () => {
        const observed = observeConnection(dualBody());
        const tunnelId = observed.tunnelOptionsSpecification?.[1].tunnelId as string;
        const psk = observed.tunnelOptionsSpecification?.[1].tunnelIkeConfig?.psk as string;
        const declared = { ...SETTINGS, tunnelOptionsSpecification: [{ tunnelId }], tunnelPsks: [{ tunnelId, psk }] };
        const outputs = observedToOutputs(
            observed,
            SETTINGS,
            desiredFromInputs(checkInputs(declared).inputs as unknown as CheckedInputs),
        );
        const { outs, inputs } = refresh(outputs, observed);
        expect(outs.managedFields).to.include(`tunnelOptionsSpecification[tunnelId=${tunnelId}].tunnelIkeConfig.psk`);
        expect(inputs.tunnelPsks, "in the shape the program declared it").to.deep.equal([{ tunnelId, psk }]);
        const checked = checkInputs(inputs);
        expect(checked.failures).to.deep.equal([]);
        expect(diffResource(outs, checked.inputs as unknown as CheckedInputs)).to.deep.equal({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });
});
