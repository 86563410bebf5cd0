import { expect } from "chai";
import { compareAttributes, diffResource, unappliableChanges } from "../../provider/model/diffing";
import { sameSubnets } from "../../provider/model/ipv4";
import { managedFieldPaths, observedToOutputs } from "../../provider/model/pulumiState";
import { matchTunnel } from "../../provider/model/tunnels";
import { AttributeOutputs, CheckedInputs, DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { UNKNOWN } from "../../provider/model/unknowns";
import { dual, SETTINGS, single, tunnel } from "./fixtures";

function paths(desired: DesiredAttributes, actual: ObservedConnection): string[] {
    return compareAttributes(desired, actual).map((d) => d.path);
}

describe("diffing: compareAttributes", () => {
    it("finds nothing when the declared values match", () => {
        const desired: DesiredAttributes = {
            name: "office",
            localSubnet: "10.1.1.0/24,10.1.2.0/24",
            enableDpd: true,
            ikeConfig: { ikePfs: "group2", psk: "current-psk" },
            bgpConfig: { localAsn: 45104 },
        };
        expect(compareAttributes(desired, single())).to.deep.equal([]);
    });

    it("finds nothing when nothing is declared", () => {
        expect(compareAttributes({}, single())).to.deep.equal([]);
    });

    // Describe's "" reads as none, and the page lets a program declare "" (a maximum length only).
    it("takes a declared empty IKE identifier as met by one the connection does not report, and not by another", () => {
        const none = single();
        delete none.ikeConfig?.localId;
        expect(paths({ ikeConfig: { localId: "" } }, none)).to.deep.equal([]);
        expect(single().ikeConfig?.localId).to.equal("47.0.0.1");
        expect(paths({ ikeConfig: { localId: "" } }, single())).to.deep.equal(["ikeConfig.localId"]);
        expect(paths({ ikeConfig: { localId: "47.0.0.1" } }, none)).to.deep.equal(["ikeConfig.localId"]);
    });

    const scalarChanges: Array<[keyof DesiredAttributes, unknown]> = [
        ["name", "branch"],
        ["effectImmediately", true],
        ["autoConfigRoute", false],
        ["networkType", "private"],
        ["remoteCaCert", "other"],
        ["customerGatewayId", "cgw-2"],
        ["enableDpd", false],
        ["enableNatTraversal", false],
        ["localSubnet", "10.1.1.0/24"],
        ["remoteSubnet", "192.168.0.0/24"],
    ];
    // Every scalar set, autoConfigRoute as state remembers it (Describe does not report it).
    const everyScalar = (): ObservedConnection => ({
        ...single(),
        autoConfigRoute: true,
        networkType: "public",
        remoteCaCert: "cert",
    });
    for (const [field, value] of scalarChanges) {
        it(`reports a change of ${field} with desired and actual values`, () => {
            const differences = compareAttributes({ [field]: value }, everyScalar());
            expect(differences).to.deep.equal([
                { attribute: field, path: field, secret: false, desired: value, actual: everyScalar()[field] },
            ]);
        });
    }

    it("reports a value the connection lacks", () => {
        const actual = single();
        delete actual.name;
        expect(paths({ name: "office" }, actual)).to.deep.equal(["name"]);
    });

    it("compares subnets as sets: order and spacing do not matter", () => {
        expect(paths({ localSubnet: "10.1.2.0/24,10.1.1.0/24" }, single())).to.deep.equal([]);
        const actual = { ...single(), localSubnet: "10.1.2.0/24, 10.1.1.0/24" };
        expect(paths({ localSubnet: "10.1.1.0/24,10.1.2.0/24" }, actual)).to.deep.equal([]);
        expect(paths({ localSubnet: "10.1.1.0/24,10.1.3.0/24" }, single())).to.deep.equal(["localSubnet"]);
    });

    it("compares subnets as networks: host bits and repeated entries do not matter", () => {
        expect(paths({ localSubnet: "10.1.1.1/24,10.1.2.0/24,10.1.2.0/24" }, single())).to.deep.equal([]);
        const actual = { ...single(), localSubnet: "10.1.1.7/24,10.1.2.0/24" };
        expect(paths({ localSubnet: "10.1.2.0/24,10.1.1.0/24" }, actual)).to.deep.equal([]);
        expect(paths({ localSubnet: "10.1.1.1/25,10.1.2.0/24" }, single())).to.deep.equal(["localSubnet"]);
    });

    it("compares only the declared keys of a config object", () => {
        expect(paths({ ikeConfig: { ikePfs: "group2" } }, single())).to.deep.equal([]);
        expect(paths({ ikeConfig: { ikePfs: "group14", ikeVersion: "ikev2" } }, single())).to.deep.equal([
            "ikeConfig.ikePfs",
        ]);
        expect(paths({ ipsecConfig: { ipsecLifetime: 3600 } }, single())).to.deep.equal(["ipsecConfig.ipsecLifetime"]);
        expect(paths({ bgpConfig: { enableBgp: false } }, single())).to.deep.equal(["bgpConfig.enableBgp"]);
        expect(paths({ healthCheckConfig: { retry: 5 } }, single())).to.deep.equal(["healthCheckConfig.retry"]);
    });

    it("reports each key of a config object the connection does not have", () => {
        const actual = single();
        delete actual.ipsecConfig;
        expect(paths({ ipsecConfig: { ipsecPfs: "group2", ipsecLifetime: 86400 } }, actual)).to.deep.equal([
            "ipsecConfig.ipsecPfs",
            "ipsecConfig.ipsecLifetime",
        ]);
    });

    it("flags PSK differences as secret, and only those", () => {
        const differences = compareAttributes({ ikeConfig: { psk: "new-psk", ikePfs: "group5" } }, single());
        expect(differences.map((d) => [d.path, d.secret])).to.deep.equal([
            ["ikeConfig.psk", true],
            ["ikeConfig.ikePfs", false],
        ]);
    });

    describe("tunnels", () => {
        it("matches tunnels by tunnelId", () => {
            expect(
                paths({ tunnelOptionsSpecification: [{ tunnelId: "tun-2", enableDpd: true }] }, dual()),
            ).to.deep.equal([]);
            expect(
                paths({ tunnelOptionsSpecification: [{ tunnelId: "tun-2", enableDpd: false }] }, dual()),
            ).to.deep.equal(["tunnelOptionsSpecification[0].enableDpd"]);
        });

        it("matches tunnels by tunnelIndex when no id is declared", () => {
            const differences = compareAttributes(
                { tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group14" } }] },
                dual(),
            );
            expect(differences).to.deep.equal([
                {
                    attribute: "tunnelOptionsSpecification",
                    tunnel: 0,
                    field: "tunnelIkeConfig",
                    key: "ikePfs",
                    path: "tunnelOptionsSpecification[0].tunnelIkeConfig.ikePfs",
                    secret: false,
                    desired: "group14",
                    actual: "group2",
                },
            ]);
        });

        it("uses the position in the program's list in paths", () => {
            const desired: DesiredAttributes = {
                tunnelOptionsSpecification: [
                    { tunnelIndex: 2, tunnelIkeConfig: { psk: "new-2" } },
                    { tunnelIndex: 1, tunnelBgpConfig: { localAsn: 65000 } },
                ],
            };
            const differences = compareAttributes(desired, dual());
            expect(differences.map((d) => [d.path, d.secret])).to.deep.equal([
                ["tunnelOptionsSpecification[0].tunnelIkeConfig.psk", true],
                ["tunnelOptionsSpecification[1].tunnelBgpConfig.localAsn", false],
            ]);
        });

        it("reports a declared tunnel the connection does not have, without its settings", () => {
            const differences = compareAttributes(
                { tunnelOptionsSpecification: [{ tunnelId: "tun-9", tunnelIkeConfig: { psk: "secret-psk" } }] },
                dual(),
            );
            expect(differences).to.have.length(1);
            expect(differences[0].path).to.equal("tunnelOptionsSpecification[0]");
            expect(differences[0].actual).to.equal(undefined);
            expect(JSON.stringify(differences[0].desired)).to.not.include("secret-psk");
            expect(paths({ tunnelOptionsSpecification: [{ tunnelIndex: 1 }] }, single())).to.deep.equal([
                "tunnelOptionsSpecification[0]",
            ]);
        });

        it("reports a declared tunnelIndex that contradicts the tunnel's id", () => {
            expect(
                paths({ tunnelOptionsSpecification: [{ tunnelId: "tun-1", tunnelIndex: 2 }] }, dual()),
            ).to.deep.equal(["tunnelOptionsSpecification[0].tunnelIndex"]);
        });

        it("compares enableTunnelsBgp", () => {
            const bgpOff = { ...dual(), enableTunnelsBgp: false };
            expect(paths({ enableTunnelsBgp: true }, bgpOff)).to.deep.equal(["enableTunnelsBgp"]);
            expect(paths({ enableTunnelsBgp: false }, bgpOff)).to.deep.equal([]);
        });
    });

    describe("unknown values", () => {
        it("counts an unknown value as a difference at any depth", () => {
            expect(paths({ name: UNKNOWN }, single())).to.deep.equal(["name"]);
            expect(paths({ ikeConfig: { ikeLifetime: UNKNOWN as unknown as number } }, single())).to.deep.equal([
                "ikeConfig.ikeLifetime",
            ]);
            expect(paths({ localSubnet: ["10.1.1.0/24", UNKNOWN] as unknown as string }, single())).to.deep.equal([
                "localSubnet",
            ]);
            expect(paths({ tunnelOptionsSpecification: [UNKNOWN as never] }, dual())).to.deep.equal([
                "tunnelOptionsSpecification[0]",
            ]);
            expect(paths({ tunnelOptionsSpecification: [{ tunnelId: UNKNOWN }] }, dual())).to.deep.equal([
                "tunnelOptionsSpecification[0]",
            ]);
        });

        it("marks an unknown config object secret when the value it replaces holds a PSK", () => {
            const [difference] = compareAttributes({ ikeConfig: UNKNOWN as never }, single());
            expect(difference.path).to.equal("ikeConfig");
            expect(difference.secret).to.equal(true);
            const [tunnels] = compareAttributes({ tunnelOptionsSpecification: UNKNOWN as never }, dual());
            expect(tunnels.secret).to.equal(true);
        });
    });
});

describe("diffing: helpers", () => {
    it("sameSubnets compares sets of blocks", () => {
        expect(sameSubnets("a/1,b/2", " b/2 , a/1")).to.equal(true);
        expect(sameSubnets(["a/1", "b/2"], "b/2,a/1")).to.equal(true);
        expect(sameSubnets("a/1", "a/1,b/2")).to.equal(false);
        expect(sameSubnets("a/1", undefined)).to.equal(false);
    });

    it("matchTunnel prefers the id over the index", () => {
        const tunnels = [tunnel(1), tunnel(2)];
        expect(matchTunnel({ tunnelId: "tun-2", tunnelIndex: 1 }, tunnels)?.tunnelIndex).to.equal(2);
        expect(matchTunnel({ tunnelIndex: 1 }, tunnels)?.tunnelId).to.equal("tun-1");
        expect(matchTunnel({ tunnelId: "tun-3" }, tunnels)).to.equal(undefined);
    });
});

describe("diffing: unappliableChanges", () => {
    const ikeV1 = (): ObservedConnection => ({
        ...single(),
        ikeConfig: { ...single().ikeConfig, ikeVersion: "ikev1" },
        localSubnet: "10.1.1.0/24",
        remoteSubnet: "192.168.0.0/16",
    });

    it("refuses a networkType change, naming both values and the way out", () => {
        const [reason] = unappliableChanges({ networkType: "private" }, { ...single(), networkType: "public" });
        expect(reason).to.match(/networkType cannot change from public to private on existing connection vco-1/);
        expect(reason).to.include("IllegalParam.NetworkType");
        expect(reason).to.include('Declare networkType "public"');
    });

    it("accepts the current networkType, an unknown one, and any when the connection reports none", () => {
        expect(unappliableChanges({ networkType: "public" }, { ...single(), networkType: "public" })).to.deep.equal([]);
        expect(unappliableChanges({ networkType: UNKNOWN }, { ...single(), networkType: "public" })).to.deep.equal([]);
        expect(unappliableChanges({ networkType: "private" }, single())).to.deep.equal([]);
    });

    it("refuses a change that leaves IKEv1 with several networks (ModifyIkeV1WithMultiRoutes.Invalid)", () => {
        const [reason] = unappliableChanges({ localSubnet: "10.1.1.0/24,10.1.2.0/24" }, ikeV1());
        expect(reason).to.match(
            /localSubnet would list more than one network.*ikev1.*ModifyIkeV1WithMultiRoutes\.Invalid/,
        );
        expect(unappliableChanges({ ikeConfig: { ikeVersion: "ikev1" } }, single())).to.have.length(1);
        expect(
            unappliableChanges(
                { ikeConfig: { ikeVersion: "ikev1" }, remoteSubnet: "10.9.0.0/24,10.8.0.0/24" },
                ikeV1(),
            ),
        ).to.have.length(1);
    });

    it("lets a change that touches neither version nor subnets through on a connection that has both", () => {
        const both = { ...ikeV1(), localSubnet: "10.1.1.0/24,10.1.2.0/24" };
        expect(unappliableChanges({ name: "renamed" }, both)).to.deep.equal([]);
        expect(unappliableChanges({ ikeConfig: { ikeVersion: "ikev1", ikeLifetime: 3600 } }, both)).to.deep.equal([]);
        expect(unappliableChanges({ localSubnet: "10.1.2.0/24,10.1.1.1/24" }, both)).to.deep.equal([]);
    });

    it("accepts several networks under IKEv2 and one network under IKEv1", () => {
        expect(unappliableChanges({ localSubnet: "10.1.1.0/24,10.1.2.0/24" }, single())).to.deep.equal([]);
        expect(unappliableChanges({ localSubnet: "10.1.1.0/24,10.1.1.9/24" }, ikeV1())).to.deep.equal([]);
    });

    it("judges each tunnel of a dual-tunnel connection by its own version", () => {
        const declared = { tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikeVersion: "ikev1" } }] };
        expect(unappliableChanges(declared, dual())).to.deep.equal([]);
        const [reason] = unappliableChanges({ ...declared, remoteSubnet: "10.0.0.0/24,10.1.0.0/24" }, dual());
        expect(reason).to.match(/remoteSubnet would list more than one network/);
    });

    it("does not judge values unknown at preview", () => {
        expect(
            unappliableChanges({ localSubnet: ["10.1.1.0/24", UNKNOWN] as unknown as string }, ikeV1()),
        ).to.deep.equal([]);
        expect(
            unappliableChanges(
                { ikeConfig: { ikeVersion: UNKNOWN }, localSubnet: "10.1.1.0/24,10.1.2.0/24" },
                single(),
            ),
        ).to.deep.equal([]);
    });
});

describe("diffing: managedFieldPaths", () => {
    it("lists every declared leaf, skipping settings and runtime keys", () => {
        const desired = {
            ...SETTINGS,
            endpoint: "http://localhost",
            __provider: "serialized",
            name: "x",
            ikeConfig: { ikePfs: "group2", psk: "k" },
        } as DesiredAttributes;
        expect(managedFieldPaths(desired)).to.deep.equal(["name", "ikeConfig.ikePfs", "ikeConfig.psk"]);
    });

    it("names tunnels by the identity the program matches them with", () => {
        const desired: DesiredAttributes = {
            tunnelOptionsSpecification: [
                { tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group2" } },
                { tunnelId: "tun-1", tunnelIndex: 1, enableDpd: true },
            ],
        };
        expect(managedFieldPaths(desired)).to.deep.equal([
            "tunnelOptionsSpecification[tunnelIndex=2].tunnelIndex",
            "tunnelOptionsSpecification[tunnelIndex=2].tunnelIkeConfig.ikePfs",
            "tunnelOptionsSpecification[tunnelId=tun-1].tunnelId",
            "tunnelOptionsSpecification[tunnelId=tun-1].tunnelIndex",
            "tunnelOptionsSpecification[tunnelId=tun-1].enableDpd",
        ]);
    });
});

describe("diffing: diffResource", () => {
    function state(
        desired: DesiredAttributes,
        observed = single(),
        extra: Partial<AttributeOutputs> = {},
    ): AttributeOutputs {
        return { ...observedToOutputs(observed, SETTINGS, desired), ...extra };
    }

    function news(desired: object): CheckedInputs {
        return { ...SETTINGS, ...desired };
    }

    const DECLARED: DesiredAttributes = { name: "office", ikeConfig: { psk: "current-psk", ikePfs: "group2" } };

    it("reports no change when the declared values match state", () => {
        expect(diffResource(state(DECLARED), news({ ...DECLARED }))).to.deep.equal({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("compares the top-level psk input, where the resource class puts it, with the state's PSK", () => {
        const split = { name: "office", ikeConfig: { ikePfs: "group2" }, psk: "current-psk" };
        expect(diffResource(state(DECLARED), news(split)).changes).to.equal(false);
        expect(diffResource(state(DECLARED), news({ ...split, psk: "rotated-psk" })).changes).to.equal(true);
    });

    it("compares each tunnelPsks entry with the PSK state keeps for that tunnel", () => {
        const observed: ObservedConnection = {
            vpnConnectionId: "vco-1",
            mode: "dual",
            tunnelOptionsSpecification: [
                { tunnelId: "tun-1", tunnelIndex: 1, tunnelIkeConfig: { psk: "p1", ikePfs: "group5" } },
                { tunnelId: "tun-2", tunnelIndex: 2, tunnelIkeConfig: { psk: "p2", ikePfs: "group2" } },
            ],
        };
        const tunnels = [{ tunnelIndex: 1, tunnelIkeConfig: { ikePfs: "group5" } }];
        const olds = observedToOutputs(observed, SETTINGS, {
            tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { psk: "p1", ikePfs: "group5" } }],
        });
        const split = { tunnelOptionsSpecification: tunnels, tunnelPsks: [{ tunnelIndex: 1, psk: "p1" }] };
        expect(diffResource(olds, news(split)).changes).to.equal(false);
        expect(
            diffResource(olds, news({ ...split, tunnelPsks: [{ tunnelIndex: 1, psk: "rotated" }] })).changes,
        ).to.equal(true);
        expect(diffResource(olds, news({ ...split, tunnelPsks: [{ tunnelId: "tun-2", psk: "p2" }] })).changes).to.equal(
            true,
        );
    });

    it("ignores runtime keys in the new inputs", () => {
        expect(diffResource(state(DECLARED), news({ ...DECLARED, __provider: "x" })).changes).to.equal(false);
    });

    it("reports an update when a declared field differs", () => {
        expect(diffResource(state(DECLARED), news({ ...DECLARED, name: "branch" }))).to.deep.equal({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        expect(
            diffResource(state(DECLARED), news({ ...DECLARED, ikeConfig: { psk: "new", ikePfs: "group2" } })).changes,
        ).to.equal(true);
        expect(
            diffResource(state(DECLARED), news({ ...DECLARED, ikeConfig: { psk: "current-psk", ikePfs: "group5" } }))
                .changes,
        ).to.equal(true);
    });

    it("reports an update when a newly declared field differs from state, and none when it matches", () => {
        expect(diffResource(state(DECLARED), news({ ...DECLARED, enableDpd: false })).changes).to.equal(true);
        const withDpd = { ...DECLARED, enableDpd: true };
        expect(diffResource(state(withDpd), news(withDpd)).changes).to.equal(false);
    });

    it("ignores subnet order", () => {
        const declared = { localSubnet: "10.1.2.0/24,10.1.1.0/24" };
        expect(diffResource(state(declared), news(declared)).changes).to.equal(false);
    });

    it("reports an update for an unknown value", () => {
        expect(diffResource(state(DECLARED), news({ ...DECLARED, name: UNKNOWN })).changes).to.equal(true);
        expect(
            diffResource(state(DECLARED), news({ ...DECLARED, ikeConfig: { psk: UNKNOWN, ikePfs: "group2" } })).changes,
        ).to.equal(true);
    });

    it("replaces on another region or connection id, or an unknown one", () => {
        expect(diffResource(state(DECLARED), news({ ...DECLARED, regionId: "cn-shanghai" }))).to.deep.equal({
            changes: true,
            replaces: ["regionId"],
            deleteBeforeReplace: false,
        });
        expect(diffResource(state(DECLARED), news({ ...DECLARED, vpnConnectionId: "vco-2" })).replaces).to.deep.equal([
            "vpnConnectionId",
        ]);
        expect(diffResource(state(DECLARED), news({ ...DECLARED, vpnConnectionId: UNKNOWN })).replaces).to.deep.equal([
            "vpnConnectionId",
        ]);
    });

    it("reports an update, not a replacement, for a new endpoint or timeout", () => {
        const withEndpoint = { ...DECLARED, endpoint: "http://127.0.0.1:9000" };
        expect(diffResource(state(DECLARED), news(withEndpoint))).to.deep.equal({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
        expect(diffResource(state(DECLARED), news({ ...DECLARED, timeoutSeconds: 60 })).changes).to.equal(true);
        expect(
            diffResource(state(DECLARED, single(), { timeoutSeconds: 60 }), news({ ...DECLARED, timeoutSeconds: 60 }))
                .changes,
        ).to.equal(false);
    });

    it("reports a change when a field stops being declared, so managedFields follows", () => {
        expect(diffResource(state(DECLARED), news({ name: "office" })).changes).to.equal(true);
    });

    it("compares tunnel PSKs kept outside the tunnel objects in state", () => {
        const declared: DesiredAttributes = {
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { psk: "psk-2" } }],
        };
        expect(diffResource(state(declared, dual()), news(declared)).changes).to.equal(false);
        const changed = { tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { psk: "psk-new" } }] };
        expect(diffResource(state(declared, dual()), news(changed)).changes).to.equal(true);
    });

    it("fails the preview for a networkType the connection cannot change to", () => {
        const olds = state({ networkType: "public" }, { ...single(), networkType: "public" });
        expect(() => diffResource(olds, news({ networkType: "private" }))).to.throw(
            /networkType cannot change from public to private/,
        );
        expect(diffResource(olds, news({ networkType: "public" })).changes).to.equal(false);
    });

    it("fails the preview for IKEv1 declared with several networks on a connection that would then hold both", () => {
        const olds = state({ name: "office" });
        const declared = { ikeConfig: { ikeVersion: "ikev1" }, localSubnet: "10.1.1.0/24,10.1.2.0/24" };
        expect(() => diffResource(olds, news(declared))).to.throw(/ModifyIkeV1WithMultiRoutes\.Invalid/);
    });

    it("shows no change for subnets declared with host bits or repeats once the service reports their networks", () => {
        const declared = { localSubnet: "10.1.1.1/24,10.1.2.0/24,10.1.2.0/24" };
        expect(diffResource(state(declared), news(declared)).changes).to.equal(false);
    });

    it("fails the preview when a new tunnelCidr would carry the state's localBgpIp outside it", () => {
        expect(() => diffResource(state({}), news({ bgpConfig: { tunnelCidr: "169.254.30.0/30" } }))).to.throw(
            /bgpConfig\.localBgpIp must be declared.*pulumi refresh/,
        );
        const declared = { bgpConfig: { tunnelCidr: "169.254.30.0/30", localBgpIp: "169.254.30.1" } };
        expect(diffResource(state({}), news(declared)).changes).to.equal(true);
        const tunnels = {
            tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelBgpConfig: { tunnelCidr: "169.254.40.0/30" } }],
        };
        expect(() => diffResource(state({}, dual()), news(tunnels))).to.throw(
            /tunnelOptionsSpecification\[0\]\.tunnelBgpConfig\.localBgpIp must be declared/,
        );
    });

    it("does not judge BGP addresses it cannot know yet at preview", () => {
        expect(diffResource(state({}), news({ bgpConfig: { tunnelCidr: UNKNOWN } })).changes).to.equal(true);
        expect(diffResource(state({}), news({ bgpConfig: UNKNOWN })).changes).to.equal(true);
    });

    it("treats state without managedFields as managing nothing", () => {
        const old = state({});
        delete (old as Partial<AttributeOutputs>).managedFields;
        expect(diffResource(old, news({})).changes).to.equal(false);
        expect(diffResource(old, news({ name: "office" })).changes).to.equal(true);
    });
});
