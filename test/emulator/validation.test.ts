import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection, type EmulatorHandle, type SeedConnection } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import {
    $Vpc,
    describeConnection,
    expectCode,
    modify,
    sdkClient,
    settled,
    tunnelSpec,
    type ModifyFields,
} from "./helpers";

interface Case {
    title: string;
    code: string;
    status?: number;
    /** The connection to modify; defaults to a fresh single-tunnel one. */
    conn?: (id: string) => SeedConnection;
    fields: ModifyFields;
}

const single = (id: string) => singleTunnelConnection(id);
const dual = (id: string) => dualTunnelConnection(id);
const json = (value: unknown) => JSON.stringify(value);
const long = (n: number) => "a".repeat(n);

const CASES: Case[] = [
    { title: "a name starting with http://", code: "InvalidName", fields: { name: "http://example" } },
    { title: "a name over 100 characters", code: "InvalidName", fields: { name: long(101) } },
    { title: "an empty name", code: "InvalidName", fields: { name: "" } },
    {
        title: "a bad LocalSubnet CIDR",
        code: "IllegalParam.LocalSubnet",
        fields: { localSubnet: "10.0.0.0/24,10.1.0.0/33" },
    },
    { title: "a bad RemoteSubnet", code: "IllegalParam.RemoteSubnet", fields: { remoteSubnet: "office" } },
    { title: "an unknown NetworkType", code: "IllegalParam.NetworkType", fields: { networkType: "internet" } },
    { title: "a NetworkType change", code: "IllegalParam.NetworkType", fields: { networkType: "private" } },
    {
        title: "IKEv1 with two local CIDRs",
        code: "ModifyIkeV1WithMultiRoutes.Invalid",
        fields: { ikeConfig: json({ IkeVersion: "ikev1" }), localSubnet: "10.0.0.0/24,10.0.1.0/24" },
    },
    {
        title: "two remote CIDRs on an IKEv1 connection",
        code: "ModifyIkeV1WithMultiRoutes.Invalid",
        conn: (id) => singleTunnelConnection(id, { IkeConfig: { IkeVersion: "ikev1" } }),
        fields: { remoteSubnet: "10.9.0.0/24,10.8.0.0/24" },
    },
    {
        title: "an IKEv1 tunnel with multiple CIDRs",
        code: "ModifyIkeV1WithMultiRoutes.Invalid",
        conn: dual,
        fields: {
            localSubnet: "10.0.0.0/24,10.0.1.0/24",
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ike: { ikeVersion: "ikev1" } })],
        },
    },
    {
        title: "an unsupported IPsec PFS",
        code: "NotSupportVpnConnectionParameter.IpsecPfs",
        fields: { ipsecConfig: json({ IpsecPfs: "group3" }) },
    },
    {
        title: "an unsupported IPsec auth algorithm",
        code: "NotSupportVpnConnectionParameter.IpsecAuthAlg",
        fields: { ipsecConfig: json({ IpsecAuthAlg: "sha3" }) },
    },
    {
        title: "an unsupported tunnel IPsec PFS",
        code: "NotSupportVpnConnectionParameter.IpsecPfs",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 2, ipsec: { ipsecPfs: "group19" } })] },
    },
    {
        title: "an unknown IKE version",
        code: "InvalidParameter.IkeVersion",
        fields: { ikeConfig: json({ IkeVersion: "ikev3" }) },
    },
    {
        title: "an unknown IKE mode",
        code: "InvalidParameter.IkeMode",
        fields: { ikeConfig: json({ IkeMode: "quick" }) },
    },
    {
        title: "an unknown IKE encryption",
        code: "InvalidParameter.IkeEncAlg",
        fields: { ikeConfig: json({ IkeEncAlg: "rc4" }) },
    },
    {
        title: "an unknown IKE auth algorithm",
        code: "InvalidParameter.IkeAuthAlg",
        fields: { ikeConfig: json({ IkeAuthAlg: "crc32" }) },
    },
    {
        title: "an unknown IKE DH group",
        code: "InvalidParameter.IkePfs",
        fields: { ikeConfig: json({ IkePfs: "disabled" }) },
    },
    {
        title: "an unknown IPsec encryption",
        code: "InvalidParameter.IpsecEncAlg",
        fields: { ipsecConfig: json({ IpsecEncAlg: "none" }) },
    },
    {
        title: "an IKE lifetime over 86400",
        code: "InvalidParameter.IkeLifetime",
        fields: { ikeConfig: json({ IkeLifetime: 86401 }) },
    },
    {
        title: "a negative IPsec lifetime",
        code: "InvalidParameter.IpsecLifetime",
        fields: { ipsecConfig: json({ IpsecLifetime: -1 }) },
    },
    {
        title: "a tunnel IKE lifetime over 86400",
        code: "InvalidParameter.IkeLifetime",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ike: { ikeLifetime: 90000 } })] },
    },
    { title: "a PSK with a space", code: "InvalidParameter.Psk", fields: { ikeConfig: json({ Psk: "two words" }) } },
    {
        title: "a PSK over 100 characters",
        code: "InvalidParameter.Psk",
        fields: { ikeConfig: json({ Psk: long(101) }) },
    },
    { title: "an empty PSK", code: "InvalidParameter.Psk", fields: { ikeConfig: json({ Psk: "" }) } },
    {
        title: "a PSK with a double quote",
        code: "InvalidParameter.Psk",
        fields: { ikeConfig: json({ Psk: 'say"hi' }) },
    },
    {
        title: "a tunnel PSK with a backslash",
        code: "InvalidParameter.Psk",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ike: { psk: "back\\slash" } })] },
    },
    {
        title: "a LocalId with a space",
        code: "InvalidParameter.LocalId",
        fields: { ikeConfig: json({ LocalId: "my gateway" }) },
    },
    {
        title: "a RemoteId over 100 characters",
        code: "InvalidParameter.RemoteId",
        fields: { ikeConfig: json({ RemoteId: long(101) }) },
    },
    // Values no source documents for this API (group24 and sha386 were Terraform's until 2025; sm3/sm4 are
    // documented for other APIs' ShangMi gateways), and typos: refused with the page's code where it gives one.
    {
        title: "group24 as IPsec PFS",
        code: "NotSupportVpnConnectionParameter.IpsecPfs",
        fields: { ipsecConfig: json({ IpsecPfs: "group24" }) },
    },
    {
        title: "sm3 as IPsec auth algorithm",
        code: "NotSupportVpnConnectionParameter.IpsecAuthAlg",
        fields: { ipsecConfig: json({ IpsecAuthAlg: "sm3" }) },
    },
    {
        title: "the typo sha386 as a tunnel's IPsec auth algorithm",
        code: "NotSupportVpnConnectionParameter.IpsecAuthAlg",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ipsec: { ipsecAuthAlg: "sha386" } })] },
    },
    {
        title: "group24 as IKE DH group",
        code: "InvalidParameter.IkePfs",
        fields: { ikeConfig: json({ IkePfs: "group24" }) },
    },
    {
        title: "the typo gruop14 as IKE DH group",
        code: "InvalidParameter.IkePfs",
        fields: { ikeConfig: json({ IkePfs: "gruop14" }) },
    },
    {
        title: "sm4 as IKE encryption",
        code: "InvalidParameter.IkeEncAlg",
        fields: { ikeConfig: json({ IkeEncAlg: "sm4" }) },
    },
    {
        title: "sm4 as a tunnel's IPsec encryption",
        code: "InvalidParameter.IpsecEncAlg",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 2, ipsec: { ipsecEncAlg: "sm4" } })] },
    },
    {
        title: "sm3 as IKE auth algorithm",
        code: "InvalidParameter.IkeAuthAlg",
        fields: { ikeConfig: json({ IkeAuthAlg: "sm3" }) },
    },
    {
        title: "AES in upper case",
        code: "InvalidParameter.IkeEncAlg",
        fields: { ikeConfig: json({ IkeEncAlg: "AES" }) },
    },
    {
        title: "a name of 101 characters outside the BMP",
        code: "InvalidName",
        fields: { name: "\u{1F600}".repeat(101) },
    },
    {
        title: "an IKEv1 switch on a connection with two remote networks",
        code: "ModifyIkeV1WithMultiRoutes.Invalid",
        conn: (id) => singleTunnelConnection(id, { RemoteSubnet: "10.9.0.0/24,10.8.0.0/24" }),
        fields: { ikeConfig: json({ IkeVersion: "ikev1" }) },
    },
    { title: "IkeConfig that is not JSON", code: "InvalidParameter.IkeConfig", fields: { ikeConfig: "Psk=abc" } },
    { title: "BgpConfig that is not JSON", code: "IllegalParam.BgpConfig", fields: { bgpConfig: "{EnableBgp" } },
    {
        title: "a non-boolean EnableBgp",
        code: "IllegalParam.BgpConfig",
        fields: { bgpConfig: json({ EnableBgp: "yes" }) },
    },
    { title: "ASN 0", code: "IllegalParam.LocalAsn", fields: { bgpConfig: json({ LocalAsn: 0 }) } },
    { title: "ASN 4294967296", code: "IllegalParam.LocalAsn", fields: { bgpConfig: json({ LocalAsn: 4294967296 }) } },
    {
        title: "a two-segment ASN with a 17-bit segment",
        code: "IllegalParam.LocalAsn",
        fields: { bgpConfig: json({ LocalAsn: "65536.1" }) },
    },
    {
        title: "a tunnel ASN that is not a number",
        code: "IllegalParam.LocalAsn",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, bgp: { localAsn: -5 } })] },
    },
    {
        title: "a malformed TunnelCidr",
        code: "InvalidTunnelCidr.Malformed",
        fields: { bgpConfig: json({ TunnelCidr: "169.254.11.0" }) },
    },
    {
        title: "a TunnelCidr outside 169.254.0.0/16",
        code: "IllegalParam.TunnelCidr",
        fields: { bgpConfig: json({ TunnelCidr: "10.0.0.0/30" }) },
    },
    {
        title: "a TunnelCidr that is not /30",
        code: "IllegalParam.TunnelCidr",
        fields: { bgpConfig: json({ TunnelCidr: "169.254.12.0/29" }) },
    },
    {
        title: "a reserved TunnelCidr",
        code: "IllegalParam.TunnelCidr",
        fields: { bgpConfig: json({ TunnelCidr: "169.254.6.0/30" }) },
    },
    {
        title: "the reserved 169.254.169.252/30",
        code: "IllegalParam.TunnelCidr",
        conn: dual,
        fields: {
            tunnelOptionsSpecification: [
                tunnelSpec({
                    tunnelIndex: 1,
                    bgp: { tunnelCidr: "169.254.169.252/30", localBgpIp: "169.254.169.253" },
                }),
            ],
        },
    },
    {
        title: "two tunnels on the same TunnelCidr",
        code: "IllegalParam.TunnelCidr",
        conn: dual,
        fields: {
            tunnelOptionsSpecification: [
                tunnelSpec({ tunnelIndex: 2, bgp: { tunnelCidr: "169.254.10.0/30", localBgpIp: "169.254.10.1" } }),
            ],
        },
    },
    {
        title: "enabling BGP without a TunnelCidr",
        code: "MissingParameter.TunnelCidr",
        conn: (id) => singleTunnelConnection(id, { VpnBgpConfig: { TunnelCidr: null, LocalBgpIp: null } }),
        fields: { bgpConfig: json({ EnableBgp: "true" }) },
    },
    {
        title: "tunnel BGP without a TunnelCidr",
        code: "MissingParameter.TunnelCidr",
        conn: (id) =>
            dualTunnelConnection(id, {
                EnableTunnelsBgp: false,
                TunnelOptionsSpecification: {
                    TunnelOptions: [{ TunnelIndex: 2, TunnelBgpConfig: { TunnelCidr: null, LocalBgpIp: null } }],
                },
            }),
        fields: { enableTunnelsBgp: true },
    },
    {
        title: "a malformed LocalBgpIp",
        code: "InvalidLocalBgpIp.Malformed",
        fields: { bgpConfig: json({ LocalBgpIp: "169.254.11.256" }) },
    },
    {
        title: "a LocalBgpIp outside its TunnelCidr",
        code: "IllegalParam.LocalBgpIp",
        fields: { bgpConfig: json({ LocalBgpIp: "169.254.12.1" }) },
    },
    {
        title: "a LocalBgpIp on the network address",
        code: "IllegalParam.LocalBgpIp",
        fields: { bgpConfig: json({ TunnelCidr: "169.254.30.0/30", LocalBgpIp: "169.254.30.0" }) },
    },
    {
        title: "a tunnel whose old LocalBgpIp leaves the new TunnelCidr",
        code: "IllegalParam.LocalBgpIp",
        conn: dual,
        fields: {
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, bgp: { tunnelCidr: "169.254.44.0/30" } })],
        },
    },
    {
        title: "TunnelIndex 3",
        code: "InvalidParameter.TunnelIndex",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 3, enableDpd: false })] },
    },
    {
        title: "a TunnelId and TunnelIndex that disagree",
        code: "InvalidParameter.TunnelIndex",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelId: "tun-c-1", tunnelIndex: 2 })] },
    },
    {
        title: "an unknown TunnelId",
        code: "InvalidTunnelId.NotFound",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelId: "tun-nowhere" })] },
    },
    {
        title: "a tunnel entry without TunnelId or TunnelIndex",
        code: "MissingParameter",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ enableDpd: false })] },
    },
    {
        title: "the same tunnel twice",
        code: "IllegalParam.TunnelOptionsSpecification",
        conn: dual,
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1 }), tunnelSpec({ tunnelId: "tun-c-1" })] },
    },
    {
        title: "three tunnel entries",
        code: "IllegalParam.TunnelOptionsSpecification",
        conn: dual,
        fields: {
            tunnelOptionsSpecification: [
                tunnelSpec({ tunnelIndex: 1 }),
                tunnelSpec({ tunnelIndex: 2 }),
                tunnelSpec({ tunnelIndex: 2 }),
            ],
        },
    },
    {
        title: "IkeConfig on a dual-tunnel connection",
        code: "OperationUnsupported.DualTunnel",
        conn: dual,
        fields: { ikeConfig: json({ IkeVersion: "ikev2" }) },
    },
    {
        title: "EnableDpd on a dual-tunnel connection",
        code: "OperationUnsupported.DualTunnel",
        conn: dual,
        fields: { enableDpd: false },
    },
    {
        title: "TunnelOptionsSpecification on a single-tunnel connection",
        code: "OperationUnsupported.SingleTunnel",
        fields: { tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1 })] },
    },
    {
        title: "EnableTunnelsBgp on a single-tunnel connection",
        code: "OperationUnsupported.SingleTunnel",
        fields: { enableTunnelsBgp: true },
    },
    {
        title: "a health check with a bad dip",
        code: "InvalidParameter.HealthCheckConfig",
        fields: { healthCheckConfig: json({ enable: "true", dip: "gateway", sip: "10.0.0.1" }) },
    },
    {
        title: "a health check with an unknown policy",
        code: "InvalidParameter.HealthCheckConfig",
        fields: { healthCheckConfig: json({ Policy: "drop_route" }) },
    },
    {
        title: "a malformed customer gateway id",
        code: "InvalidCustomerGatewayInstanceId.NotFound",
        fields: { customerGatewayId: "gateway-1" },
    },
    {
        title: "a financially locked connection",
        code: "VpnConnection.FinancialLocked",
        conn: (id) => singleTunnelConnection(id, { State: "financialLocked" }),
        fields: { name: "x" },
    },
    {
        title: "a connection still attaching",
        code: "VpnConnection.Configuring",
        conn: (id) => singleTunnelConnection(id, { State: "attaching" }),
        fields: { name: "x" },
    },
];

describe("emulator: ModifyVpnAttachmentAttribute validation", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite({ taskDurationMs: 20 }, (started) => (emulator = started));

    for (const c of CASES) {
        it(`rejects ${c.title} with ${c.code}`, async () => {
            const seed = (c.conn ?? single)("vco-c");
            emulator.admin.seed(seed);
            await expectCode(modify(sdkClient(emulator), "vco-c", c.fields), c.code, c.status ?? 400);
            expect(emulator.admin.get("vco-c"), "a rejected request changes nothing").to.deep.equal(seed);
        });
    }

    it("rejects an unknown connection with InvalidVpnConnectionInstanceId.NotFound", async () => {
        await expectCode(
            modify(sdkClient(emulator), "vco-ghost", { name: "x" }),
            "InvalidVpnConnectionInstanceId.NotFound",
            404,
        );
    });

    it("rejects a request without VpnConnectionId with MissingParameter", async () => {
        const request = sdkClient(emulator).modifyVpnAttachmentAttribute(
            new $Vpc.ModifyVpnAttachmentAttributeRequest({ regionId: "cn-hangzhou", name: "x" }),
        );
        await expectCode(request, "MissingParameter");
    });

    it("accepts every allowed PSK character, ASN forms and either health check key case", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-ok"));
        const client = sdkClient(emulator);
        const psk = "~!`@#$%^&*()_-+={}[]|;:',.<>/?aZ09";
        await modify(client, "vco-ok", {
            ikeConfig: json({ Psk: psk, IkeVersion: "ikev1", IkeLifetime: 0 }),
            bgpConfig: json({
                EnableBgp: true,
                LocalAsn: "123.456",
                TunnelCidr: "169.254.30.0/30",
                LocalBgpIp: "169.254.30.2",
            }),
            healthCheckConfig: json({
                enable: "true",
                dip: "192.168.1.1",
                sip: "10.1.1.1",
                interval: "3",
                retry: "5",
                Policy: "reserve_route",
            }),
        });
        await settled(client, "vco-ok");
        let conn = emulator.admin.get("vco-ok");
        expect(conn.IkeConfig).to.include({ Psk: psk, IkeVersion: "ikev1", IkeLifetime: 0 });
        expect(conn.VpnBgpConfig).to.include({
            EnableBgp: "true",
            LocalAsn: 8061384,
            TunnelCidr: "169.254.30.0/30",
            LocalBgpIp: "169.254.30.2",
            PeerBgpIp: "169.254.30.1",
        });
        expect(conn.VcoHealthCheck).to.include({
            Enable: "true",
            Dip: "192.168.1.1",
            Sip: "10.1.1.1",
            Interval: 3,
            Retry: 5,
            Policy: "reserve_route",
        });

        await modify(client, "vco-ok", {
            bgpConfig: json({ LocalAsn: 4294967295 }),
            healthCheckConfig: json({ Enable: "false", Dip: "192.168.1.2", Sip: "10.1.1.2", Interval: 4, Retry: 2 }),
        });
        await settled(client, "vco-ok");
        conn = emulator.admin.get("vco-ok");
        expect(conn.VpnBgpConfig?.LocalAsn).to.equal(4294967295);
        expect(conn.VcoHealthCheck).to.include({ Enable: "false", Dip: "192.168.1.2", Interval: 4, Retry: 2 });
    });

    describe("what the service takes beyond the page, or where the page is silent", () => {
        async function accepted(seed: SeedConnection, fields: ModifyFields): Promise<SeedConnection> {
            emulator.admin.seed(seed);
            const client = sdkClient(emulator);
            await modify(client, seed.VpnConnectionId, fields);
            await settled(client, seed.VpnConnectionId, seed.State);
            return emulator.admin.get(seed.VpnConnectionId);
        }

        it("takes an empty LocalId and RemoteId (the page gives only a maximum), storing them as sent", async () => {
            const conn = await accepted(single("vco-ids"), { ikeConfig: json({ LocalId: "", RemoteId: "" }) });
            expect(conn.IkeConfig).to.include({ LocalId: "", RemoteId: "" });
        });

        it("takes an empty identifier in a tunnel of a dual-tunnel connection", async () => {
            const conn = await accepted(dual("vco-ids2"), {
                tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 2, ike: { remoteId: "" } })],
            });
            const [, second] = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
            expect(second.TunnelIkeConfig?.RemoteId).to.equal("");
        });

        it("takes every value of the page's algorithm lists", async () => {
            const groups = ["group1", "group2", "group5", "group14"];
            const rows = [
                ["aes", "md5", "group1"],
                ["aes192", "sha1", "group2"],
                ["aes256", "sha256", "group5"],
                ["des", "sha384", "group14"],
                ["3des", "sha512", "group14"],
            ];
            for (const [index, [enc, auth, pfs]] of rows.entries()) {
                const id = `vco-list-${index}`;
                const ipsecPfs = index === 0 ? "disabled" : groups[index - 1];
                const conn = await accepted(single(id), {
                    ikeConfig: json({ IkeEncAlg: enc, IkeAuthAlg: auth, IkePfs: pfs }),
                    ipsecConfig: json({ IpsecEncAlg: enc, IpsecAuthAlg: auth, IpsecPfs: ipsecPfs }),
                });
                expect(conn.IkeConfig).to.include({ IkeEncAlg: enc, IkeAuthAlg: auth, IkePfs: pfs });
                expect(conn.IpsecConfig).to.include({ IpsecEncAlg: enc, IpsecAuthAlg: auth, IpsecPfs: ipsecPfs });
            }
        });

        it("takes subnets with host bits and repeated entries, storing them as sent", async () => {
            const conn = await accepted(single("vco-sub"), {
                localSubnet: "10.1.1.1/24,10.1.1.1/24",
                remoteSubnet: "192.168.3.7/24",
            });
            expect(conn).to.include({ LocalSubnet: "10.1.1.1/24,10.1.1.1/24", RemoteSubnet: "192.168.3.7/24" });
        });

        it("counts characters in a name and checks the http:// prefix in the page's case", async () => {
            expect((await accepted(single("vco-n1"), { name: "\u{1F600}".repeat(100) })).Name).to.equal(
                "\u{1F600}".repeat(100),
            );
            expect((await accepted(single("vco-n2"), { name: "HTTP://branch" })).Name).to.equal("HTTP://branch");
        });

        it("takes RemoteCaCert on a dual-tunnel connection as on a single-tunnel one, and Describe reports it", async () => {
            expect((await accepted(dual("vco-ca2"), { remoteCaCert: "c20ycDI1NnYx" })).RemoteCaCertificate).to.equal(
                "c20ycDI1NnYx",
            );
            expect((await accepted(single("vco-ca1"), { remoteCaCert: "c20ycDI1NnYx" })).RemoteCaCertificate).to.equal(
                "c20ycDI1NnYx",
            );
            const reported = await describeConnection(sdkClient(emulator), "vco-ca2");
            expect(reported.body?.remoteCaCertificate).to.equal("c20ycDI1NnYx");
        });

        it("takes tunnel BGP settings while EnableTunnelsBgp is false, as the page's sample connection holds them", async () => {
            const conn = await accepted(dualTunnelConnection("vco-bgp", { EnableTunnelsBgp: false }), {
                tunnelOptionsSpecification: [
                    tunnelSpec({ tunnelIndex: 1, bgp: { tunnelCidr: "169.254.40.0/30", localBgpIp: "169.254.40.1" } }),
                ],
            });
            expect(conn.EnableTunnelsBgp).to.equal(false);
            expect(conn.TunnelOptionsSpecification?.TunnelOptions[0].TunnelBgpConfig).to.include({
                TunnelCidr: "169.254.40.0/30",
            });
        });

        it("takes an enabled health check without dip and sip: the page requires neither", async () => {
            const conn = await accepted(
                singleTunnelConnection("vco-hc", { VcoHealthCheck: { Dip: null, Sip: null } }),
                {
                    healthCheckConfig: json({ enable: "true", interval: "3", retry: "3" }),
                },
            );
            expect(conn.VcoHealthCheck).to.include({ Enable: "true", Interval: 3 });
            expect(conn.VcoHealthCheck).to.not.have.any.keys("Dip", "Sip");
        });

        it("keeps NetworkType when the request repeats the current one", async () => {
            expect(
                (await accepted(single("vco-nt"), { networkType: "public", name: "same-type" })).NetworkType,
            ).to.equal("public");
        });
    });

    describe("IKEv1 with several networks is judged only when the request changes the version or the subnets", () => {
        const both = (id: string) =>
            singleTunnelConnection(id, { IkeConfig: { IkeVersion: "ikev1" }, LocalSubnet: "10.1.1.0/24,10.1.2.0/24" });

        it("takes a Name-only change to a connection that already has both", async () => {
            emulator.admin.seed(both("vco-v1"));
            const client = sdkClient(emulator);
            await modify(client, "vco-v1", { name: "renamed" });
            await settled(client, "vco-v1");
            expect(emulator.admin.get("vco-v1").Name).to.equal("renamed");
        });

        it("takes an IkeConfig that repeats ikev1 beside another change, and the same networks respelt", async () => {
            emulator.admin.seed(both("vco-v2"));
            const client = sdkClient(emulator);
            await modify(client, "vco-v2", {
                ikeConfig: json({ IkeVersion: "ikev1", IkeLifetime: 3600 }),
                localSubnet: "10.1.2.0/24,10.1.1.9/24",
            });
            await settled(client, "vco-v2");
            expect(emulator.admin.get("vco-v2").IkeConfig).to.include({ IkeVersion: "ikev1", IkeLifetime: 3600 });
        });

        it("takes ikev1 with one network written twice", async () => {
            emulator.admin.seed(singleTunnelConnection("vco-v3"));
            const client = sdkClient(emulator);
            await modify(client, "vco-v3", {
                ikeConfig: json({ IkeVersion: "ikev1" }),
                localSubnet: "10.1.1.0/24,10.1.1.0/24",
                remoteSubnet: "10.2.0.0/16",
            });
            await settled(client, "vco-v3");
            expect(emulator.admin.get("vco-v3").IkeConfig?.IkeVersion).to.equal("ikev1");
        });
    });

    it("generates a new PSK when IkeConfig omits it, as the page says, whether or not there was one", async () => {
        emulator.admin.seed([
            singleTunnelConnection("vco-keep"),
            singleTunnelConnection("vco-gen", { IkeConfig: { Psk: null } }),
        ]);
        const client = sdkClient(emulator);
        await modify(client, "vco-keep", { ikeConfig: json({ IkeMode: "aggressive" }) });
        await modify(client, "vco-gen", { ikeConfig: json({ IkeMode: "aggressive" }) });
        await settled(client, "vco-keep");
        await settled(client, "vco-gen");
        const renewed = emulator.admin.get("vco-keep").IkeConfig;
        expect(renewed).to.include({ IkeMode: "aggressive" });
        expect(renewed?.Psk)
            .to.match(/^[A-Za-z0-9]{16}$/)
            .and.not.equal("emulatorPsk0001");
        const generated = (await describeConnection(client, "vco-gen")).body?.ikeConfig?.psk;
        expect(generated).to.match(/^[A-Za-z0-9]{16}$/);
    });

    it("generates a tunnel PSK for each TunnelIkeConfig sent without one, and keeps the PSK of a tunnel not sent", async () => {
        emulator.admin.seed(
            dualTunnelConnection("vco-tpsk", {
                TunnelOptionsSpecification: { TunnelOptions: [{ TunnelIndex: 2, TunnelIkeConfig: { Psk: null } }] },
            }),
        );
        const client = sdkClient(emulator);
        await modify(client, "vco-tpsk", {
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 2, ike: { ikeMode: "aggressive" } })],
        });
        await settled(client, "vco-tpsk");
        const [first, second] = emulator.admin.get("vco-tpsk").TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(first.TunnelIkeConfig?.Psk).to.equal("emulatorPskTunnel1");
        expect(second.TunnelIkeConfig?.Psk).to.match(/^[A-Za-z0-9]{16}$/);
        await modify(client, "vco-tpsk", {
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ike: { ikeMode: "main" } })],
        });
        await settled(client, "vco-tpsk");
        const renewed = emulator.admin.get("vco-tpsk").TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(renewed[0].TunnelIkeConfig?.Psk)
            .to.match(/^[A-Za-z0-9]{16}$/)
            .and.not.equal("emulatorPskTunnel1");
        expect(renewed[1].TunnelIkeConfig?.Psk).to.equal(second.TunnelIkeConfig?.Psk);
    });
});
