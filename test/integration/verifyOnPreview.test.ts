import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle } from "../../emulator";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { emulatorPerSuite, providerOnEmulator } from "../support/emulatorSuite";

/** The opt-in check at preview: read-only calls, through the real SDK, against the emulator. */
describe("verifyOnPreview against the emulator", function () {
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    emulatorPerSuite(
        { port: 0 },
        (started) => (emulator = started),
        (e) => e.admin.seed([singleTunnelConnection("vco-single"), dualTunnelConnection("vco-dual")]),
    );
    providerOnEmulator(() => emulator);

    async function check(news: Record<string, unknown>) {
        const result = await new VpnAttachmentAttributeProvider().check({}, { regionId: "cn-hangzhou", ...news });
        return result.failures ?? [];
    }

    it("is off by default: check makes no API call", async () => {
        expect(
            await check({
                vpnConnectionId: "vco-missing",
                tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: true }],
            }),
        ).to.deep.equal([]);
        expect(emulator.admin.calls()).to.deep.equal([]);
    });

    it("passes a connection that exists and accepts the declared settings, with read-only calls only", async () => {
        expect(
            await check({
                vpnConnectionId: "vco-dual",
                verifyOnPreview: true,
                tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: true }],
            }),
        ).to.deep.equal([]);
        expect(emulator.admin.calls().map((c) => c.action)).to.deep.equal(["DescribeVpnConnection"]);
    });

    it("fails a connection that is not in the region", async () => {
        const failures = await check({
            vpnConnectionId: "vco-single",
            regionId: "cn-shanghai",
            verifyOnPreview: true,
            name: "x",
        });
        expect(failures).to.have.length(1);
        expect(failures[0].property).to.equal("vpnConnectionId");
        expect(failures[0].reason).to.include("no IPsec-VPN connection vco-single in region cn-shanghai");
    });

    it("fails settings the connection's tunnel mode does not accept, naming each", async () => {
        const failures = await check({ vpnConnectionId: "vco-single", verifyOnPreview: true, enableTunnelsBgp: true });
        expect(failures.map((f) => f.property)).to.deep.equal(["enableTunnelsBgp"]);
        expect(failures[0].reason).to.include("single-tunnel connection");
    });

    it("reports a refused call as a failure of verifyOnPreview, naming the credentials, without their values", async () => {
        process.env.ALICLOUD_SECRET_KEY = "wrong-secret-value";
        const failures = await check({ vpnConnectionId: "vco-single", verifyOnPreview: true, name: "x" });
        expect(failures.map((f) => f.property)).to.deep.equal(["verifyOnPreview"]);
        expect(failures[0].reason)
            .to.include("SignatureDoesNotMatch")
            .and.include("ALICLOUD_ACCESS_KEY")
            .and.not.include("wrong-secret-value");
    });

    it("skips the read while the connection id is unknown in a preview", async () => {
        expect(await check({ vpnConnectionId: UNKNOWN, verifyOnPreview: true, name: "x" })).to.deep.equal([]);
        expect(emulator.admin.calls()).to.deep.equal([]);
    });
});

/** A new resource's verifyOnPreview read also prints what its first up will change on the connection it adopts. */
describe("verifyOnPreview: what the first up will change on an adopted connection", function () {
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    emulatorPerSuite(
        { port: 0 },
        (started) => (emulator = started),
        (e) => e.admin.seed([singleTunnelConnection("vco-adopted", { Name: "before" })]),
    );
    providerOnEmulator(() => emulator);

    async function printedByCheck(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<string[]> {
        const lines: string[] = [];
        const log = console.log;
        console.log = (...args: unknown[]) => lines.push(args.join(" "));
        try {
            const result = await new VpnAttachmentAttributeProvider().check(olds, news);
            expect(result.failures ?? []).to.deep.equal([]);
        } finally {
            console.log = log;
        }
        return lines;
    }

    const NEWS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-adopted", verifyOnPreview: true };

    it("names each value, a PSK as [secret], for a new resource only", async () => {
        const lines = await printedByCheck({}, { ...NEWS, name: "after", enableDpd: true, psk: "new-psk-Z9" });
        expect(lines).to.deep.equal([
            'verifyOnPreview: the first up will change 2 value(s) of existing connection vco-adopted in cn-hangzhou: name: "before" => "after"; ikeConfig.psk: [secret] (changes)',
        ]);
        expect(await printedByCheck(NEWS, { ...NEWS, name: "after" })).to.deep.equal([]);
        expect(await printedByCheck({}, { ...NEWS, name: "before" })).to.deep.equal([
            "verifyOnPreview: vco-adopted in cn-hangzhou already has every declared value: the first up sends nothing",
        ]);
    });
});
