import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle } from "../../emulator";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { emulatorPerSuite, providerOnEmulator } from "../support/emulatorSuite";

/**
 * The provider's create/update/read path through the real Alibaba SDK, over
 * real HTTP, against the emulator.
 */
describe("provider against the emulator", function () {
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    const SINGLE = "vco-int-single";
    const DUAL = "vco-int-dual";

    emulatorPerSuite(
        { port: 0, taskDurationMs: 300 },
        (started) => (emulator = started),
        (e) => {
            e.admin.setTaskDuration(300);
            e.admin.seed([singleTunnelConnection(SINGLE), dualTunnelConnection(DUAL)]);
        },
    );
    providerOnEmulator(() => emulator);

    async function checked(news: Record<string, unknown>): Promise<CheckedInputs> {
        const provider = new VpnAttachmentAttributeProvider();
        const result = await provider.check({}, news);
        expect(result.failures ?? []).to.deep.equal([]);
        return result.inputs as CheckedInputs;
    }

    function modifyCalls() {
        return emulator.admin.calls().filter((c) => c.action === "ModifyVpnAttachmentAttribute");
    }

    it("sends only the changed field and both subnets, waits for the task, and reports the new value", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const inputs = await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name: "renamed" });
        const started = Date.now();
        const result = await provider.create(inputs);
        const elapsed = Date.now() - started;

        const outs = result.outs as AttributeOutputs;
        expect(result.id).to.equal(SINGLE);
        expect(outs.name).to.equal("renamed");
        expect(outs.state).to.not.equal("updating");
        expect(elapsed).to.be.at.least(300);
        const modifies = modifyCalls();
        expect(modifies).to.have.length(1);
        const sent = Object.keys(modifies[0].params)
            .filter((k) => k !== "ClientToken")
            .sort();
        expect(sent).to.deep.equal(["LocalSubnet", "Name", "RegionId", "RemoteSubnet", "VpnConnectionId"]);
        expect(emulator.admin.get(SINGLE).Name).to.equal("renamed");
    });

    it("sends, of several declared attributes, only the one that changed, with the declared subnets", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const declared = {
            regionId: "cn-hangzhou",
            vpnConnectionId: SINGLE,
            name: "office",
            localSubnet: "10.1.0.0/16",
            remoteSubnet: "192.168.0.0/16",
            effectImmediately: true,
            enableDpd: false,
            ikeConfig: { psk: "declared-Psk1", ikeVersion: "ikev2", ikePfs: "group5" },
            ipsecConfig: { ipsecPfs: "group5", ipsecLifetime: 3600 },
        };
        const created = await provider.create(await checked(declared));
        let olds = created.outs as AttributeOutputs;

        /** Updates to `news` and returns the parameters of the one Modify it sent. */
        async function update(news: Record<string, unknown>): Promise<Record<string, string>> {
            emulator.admin.clearCalls();
            const inputs = await checked(news);
            expect((await provider.diff(SINGLE, olds, inputs)).changes).to.equal(true);
            olds = (await provider.update(SINGLE, olds, inputs)).outs as AttributeOutputs;
            const modifies = modifyCalls();
            expect(modifies).to.have.length(1);
            const { ClientToken, ...params } = modifies[0].params;
            expect(ClientToken).to.be.a("string");
            return params;
        }

        expect(await update({ ...declared, name: "office-2" })).to.deep.equal({
            RegionId: "cn-hangzhou",
            VpnConnectionId: SINGLE,
            Name: "office-2",
            LocalSubnet: "10.1.0.0/16",
            RemoteSubnet: "192.168.0.0/16",
        });

        const ipsec = await update({
            ...declared,
            name: "office-2",
            ipsecConfig: { ...declared.ipsecConfig, ipsecPfs: "group14" },
        });
        expect(Object.keys(ipsec).sort()).to.deep.equal([
            "IpsecConfig",
            "LocalSubnet",
            "RegionId",
            "RemoteSubnet",
            "VpnConnectionId",
        ]);
        expect(JSON.parse(ipsec.IpsecConfig)).to.include({ IpsecPfs: "group14", IpsecLifetime: 3600 });
        expect(olds.ipsecConfig?.ipsecPfs).to.equal("group14");
        expect(olds.name).to.equal("office-2");
    });

    it("makes no Modify call when the connection already has the declared values", async () => {
        const current = emulator.admin.get(SINGLE);
        const provider = new VpnAttachmentAttributeProvider();
        const inputs = await checked({
            regionId: "cn-hangzhou",
            vpnConnectionId: SINGLE,
            name: current.Name,
            localSubnet: current.LocalSubnet,
        });
        const result = await provider.create(inputs);
        expect((result.outs as AttributeOutputs).name).to.equal(current.Name);
        expect(modifyCalls()).to.have.length(0);
    });

    it("changes one tunnel of a dual-tunnel connection and sends only that tunnel, whole", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const created = await provider.create(await checked({ regionId: "cn-hangzhou", vpnConnectionId: DUAL }));
        const olds = created.outs as AttributeOutputs;
        emulator.admin.clearCalls();

        const news = await checked({
            regionId: "cn-hangzhou",
            vpnConnectionId: DUAL,
            tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIkeConfig: { ikePfs: "group14" } }],
        });
        expect((await provider.diff(DUAL, olds, news)).changes).to.equal(true);
        const updated = await provider.update(DUAL, olds, news);

        const modifies = modifyCalls();
        expect(modifies).to.have.length(1);
        const tunnelKeys = Object.keys(modifies[0].params).filter((k) => k.startsWith("TunnelOptionsSpecification."));
        expect(tunnelKeys.every((k) => k.startsWith("TunnelOptionsSpecification.1."))).to.equal(true);
        expect(modifies[0].params["TunnelOptionsSpecification.1.TunnelIndex"]).to.equal("2");
        for (const key of ["CustomerGatewayId", "EnableDpd", "EnableNatTraversal", "TunnelIpsecConfig.IpsecPfs"]) {
            expect(tunnelKeys, "the entry goes whole").to.include(`TunnelOptionsSpecification.1.${key}`);
        }
        const tunnel2 = (updated.outs as AttributeOutputs).tunnelOptionsSpecification?.find((t) => t.tunnelIndex === 2);
        expect(tunnel2?.tunnelIkeConfig?.ikePfs).to.equal("group14");
        const tunnel1 = (updated.outs as AttributeOutputs).tunnelOptionsSpecification?.find((t) => t.tunnelIndex === 1);
        expect(tunnel1?.tunnelIkeConfig?.ikePfs).to.not.equal(undefined);
    });

    it("retries a VpnTask.CONFLICT and applies the change once", async () => {
        emulator.admin.failNext({
            count: 2,
            code: "VpnTask.CONFLICT",
            httpStatus: 400,
            action: "ModifyVpnAttachmentAttribute",
        });
        const provider = new VpnAttachmentAttributeProvider();
        const result = await provider.create(
            await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, ipsecConfig: { ipsecPfs: "group5" } }),
        );
        expect((result.outs as AttributeOutputs).ipsecConfig?.ipsecPfs).to.equal("group5");
        const modifies = modifyCalls();
        expect(modifies.map((c) => c.code)).to.deep.equal(["VpnTask.CONFLICT", "VpnTask.CONFLICT", "OK"]);
        expect(new Set(modifies.map((c) => c.params.ClientToken)).size).to.equal(1);
    });

    it("does not apply a change twice when the answer to a Modify is lost: the next read finds it applied", async function () {
        // The first answer comes after the client's 10 s read timeout, though the change was applied.
        this.timeout(90_000);
        emulator.admin.latency({ ms: 11_000, count: 1, action: "ModifyVpnAttachmentAttribute" });
        const provider = new VpnAttachmentAttributeProvider();
        const inputs = await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name: "once" });
        const logged: string[] = [];
        const log = console.log;
        console.log = (line: unknown) => logged.push(String(line));
        const result = await provider.create(inputs).finally(() => (console.log = log));
        expect((result.outs as AttributeOutputs).name).to.equal("once");
        const retried = logged.filter((line) => line.includes("ModifyVpnAttachmentAttribute got"));
        expect(retried.join("\n"), "the slow answer is named a read timeout").to.match(/got ReadTimeout/);
        expect(retried.join("\n")).to.not.match(/ConnectTimeout/);
        // The retry reads the connection again first, and finds the change there: nothing is sent again.
        expect(modifyCalls()).to.have.length(1);
        expect(emulator.admin.get(SINGLE).Name).to.equal("once");
    });

    it("applies a value set again after it was changed back (A, B, A, B), each attempt with its own ClientToken", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const original = String(emulator.admin.get(SINGLE).Name);
        let olds = (await provider.create(await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE })))
            .outs as AttributeOutputs;
        for (const name of ["b", original, "b"]) {
            const news = await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name, timeoutSeconds: 30 });
            olds = (await provider.update(SINGLE, olds, news)).outs as AttributeOutputs;
            expect(olds.name).to.equal(name);
            expect(emulator.admin.get(SINGLE).Name).to.equal(name);
        }
        const modifies = modifyCalls();
        expect(modifies.map((c) => c.params.Name)).to.deep.equal(["b", original, "b"]);
        expect(new Set(modifies.map((c) => c.params.ClientToken)).size).to.equal(3);
        expect(new Set(modifies.map((c) => c.requestId)).size, "no answer replayed").to.equal(3);
    });

    it("applies a value again after someone reverted it by hand", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const original = String(emulator.admin.get(SINGLE).Name);
        const inputs = await checked({
            regionId: "cn-hangzhou",
            vpnConnectionId: SINGLE,
            name: "declared",
            timeoutSeconds: 30,
        });
        const created = await provider.create(inputs);
        emulator.admin.patch(SINGLE, { Name: original });
        const read = await provider.read(SINGLE, created.outs as AttributeOutputs);
        const updated = await provider.update(SINGLE, read.props as AttributeOutputs, inputs);
        expect((updated.outs as AttributeOutputs).name).to.equal("declared");
        expect(emulator.admin.get(SINGLE).Name).to.equal("declared");
        const modifies = modifyCalls();
        expect(modifies).to.have.length(2);
        expect(modifies[0].params.ClientToken).to.not.equal(modifies[1].params.ClientToken);
    });

    it("refuses an IkeConfig change, before any Modify, when the connection reports no PSK and the program declares none", async () => {
        emulator.admin.patch(SINGLE, { IkeConfig: { Psk: "" } });
        const provider = new VpnAttachmentAttributeProvider();
        const failure = await provider
            .create(
                await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, ikeConfig: { ikePfs: "group14" } }),
            )
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.match(/reports no pre-shared key.*Declare the current key in psk/);
        expect(modifyCalls()).to.have.length(0);
    });

    it("refuses a tunnelCidr change that would carry the old localBgpIp, before any Modify", async () => {
        const bgp = emulator.admin.get(SINGLE).VpnBgpConfig as Record<string, unknown>;
        expect(bgp.LocalBgpIp, "the fixture has a LocalBgpIp").to.be.a("string");
        const provider = new VpnAttachmentAttributeProvider();
        const failure = await provider
            .create(
                await checked({
                    regionId: "cn-hangzhou",
                    vpnConnectionId: SINGLE,
                    bgpConfig: { tunnelCidr: "169.254.30.0/30" },
                }),
            )
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.match(/bgpConfig\.localBgpIp must be declared/);
        expect(modifyCalls()).to.have.length(0);
    });

    it("waits for a task already running before it sends, then waits for its own", async () => {
        emulator.admin.setTaskDuration(800);
        const first = new VpnAttachmentAttributeProvider().create(
            await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name: "first" }),
        );
        const second = new VpnAttachmentAttributeProvider().create(
            await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, effectImmediately: true }),
        );
        const [a, b] = await Promise.all([first, second]);
        expect((a.outs as AttributeOutputs).name).to.equal("first");
        expect((b.outs as AttributeOutputs).effectImmediately).to.equal(true);
        const modifies = modifyCalls();
        expect(modifies.map((c) => c.code)).to.deep.equal(["OK", "OK"]);
    });

    it("coalesces the reads of connections updated together into DescribeVpnConnections listings", async () => {
        const ids = ["vco-fleet-1", "vco-fleet-2", "vco-fleet-3", "vco-fleet-4"];
        emulator.admin.seed(ids.map((id) => singleTunnelConnection(id)));
        emulator.admin.clearCalls();
        const results = await Promise.all(
            ids.map(async (id) =>
                new VpnAttachmentAttributeProvider().create(
                    await checked({ regionId: "cn-hangzhou", vpnConnectionId: id, name: `fleet-${id}` }),
                ),
            ),
        );
        expect(results.map((r) => (r.outs as AttributeOutputs).name)).to.deep.equal(ids.map((id) => `fleet-${id}`));
        const calls = emulator.admin.calls();
        const count = (action: string) => calls.filter((c) => c.action === action).length;
        expect(count("ModifyVpnAttachmentAttribute")).to.equal(4);
        expect(count("DescribeVpnConnections")).to.be.at.least(1);
        // One read per connection per poll would be at least 4 before and 4 after.
        expect(count("DescribeVpnConnection") + count("DescribeVpnConnections")).to.be.below(8);
    });

    it("updates a throttled fleet at the service's rate, with few refusals and under two calls per update", async () => {
        const ids = Array.from({ length: 30 }, (_, i) => `vco-paced-${i}`);
        emulator.admin.seed(ids.map((id, i) => (i % 2 ? dualTunnelConnection(id) : singleTunnelConnection(id))));
        emulator.admin.throttle({ perSecond: 10 });
        emulator.admin.clearCalls();
        const results = await Promise.all(
            ids.map(async (id) =>
                new VpnAttachmentAttributeProvider().create(
                    await checked({ regionId: "cn-hangzhou", vpnConnectionId: id, name: `paced-${id}` }),
                ),
            ),
        );
        expect(results.map((r) => (r.outs as AttributeOutputs).name)).to.deep.equal(ids.map((id) => `paced-${id}`));
        const calls = emulator.admin.calls();
        const refused = calls.filter((c) => c.code.includes("Throttling")).length;
        expect(calls.filter((c) => c.action === "ModifyVpnAttachmentAttribute" && c.code === "OK")).to.have.length(30);
        // Unpaced: about 40 refusals; polled one by one: 3 calls per update. Paced: the first in-flight calls, then
        // about one a second while the rate probes upwards.
        expect(refused).to.be.at.most(20);
        expect(calls.length).to.be.below(2 * ids.length);
    });

    it("remembers autoConfigRoute, which Describe does not report, instead of sending it again", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const inputs = await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, autoConfigRoute: true });
        const created = await provider.create(inputs);
        const outs = created.outs as AttributeOutputs;
        expect(outs.autoConfigRoute).to.equal(true);
        const read = await provider.read(SINGLE, outs);
        expect((read.props as AttributeOutputs).autoConfigRoute).to.equal(true);
        expect((await provider.diff(SINGLE, read.props as AttributeOutputs, inputs)).changes).to.equal(false);
        await provider.update(SINGLE, read.props as AttributeOutputs, inputs);
        expect(modifyCalls()).to.have.length(1);
    });

    it("keeps PSKs out of outputs' config objects and out of error messages", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const psk = "s3cret-Key!";
        const result = await provider.create(
            await checked({
                regionId: "cn-hangzhou",
                vpnConnectionId: SINGLE,
                ikeConfig: { psk, ikeVersion: "ikev2" },
            }),
        );
        const outs = result.outs as AttributeOutputs;
        expect(outs.psk).to.equal(psk);
        expect(outs.ikeConfig?.psk).to.equal(undefined);
        const logged = JSON.stringify(emulator.admin.calls());
        expect(logged).to.not.contain(psk);

        emulator.admin.failNext({ count: 1, code: "IllegalParam.BgpConfig", httpStatus: 400 });
        const failure = await provider
            .create(
                await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, ikeConfig: { psk: "an0ther-Key" } }),
            )
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.contain("IllegalParam.BgpConfig");
        expect(failure?.message).to.contain("RequestId");
        expect(failure?.message).to.not.contain("an0ther-Key");
        expect(failure?.message).to.not.contain(emulator.accessKeySecret);
    });

    it("keeps the connection's current PSK, sent along with a changed IkeConfig, out of error messages", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const current = String((emulator.admin.get(SINGLE).IkeConfig as Record<string, unknown>).Psk);
        emulator.admin.failNext({
            count: 1,
            action: "ModifyVpnAttachmentAttribute",
            code: "InvalidParameter.Psk",
            httpStatus: 400,
            message: `The specified value ${current} is not valid.`,
        });
        const failure = await provider
            .create(
                await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, ikeConfig: { ikePfs: "group14" } }),
            )
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.contain("InvalidParameter.Psk");
        expect(failure?.message).to.not.contain(current);
    });

    it("reports a connection that does not exist with its id and region", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const failure = await provider
            .create(await checked({ regionId: "cn-hangzhou", vpnConnectionId: "vco-missing", name: "x" }))
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.contain("vco-missing");
        expect(failure?.message).to.contain("cn-hangzhou");
    });

    it("rejects single-tunnel settings on a dual-tunnel connection before sending anything", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const failure = await provider
            .create(await checked({ regionId: "cn-hangzhou", vpnConnectionId: DUAL, ikeConfig: { ikePfs: "group5" } }))
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.contain("ikeConfig");
        expect(failure?.message).to.contain("dual");
        expect(modifyCalls()).to.have.length(0);
    });

    describe("rules shared with the service", () => {
        const ID = "vco-int-rules";
        const REGION = "cn-hangzhou";

        it("adopts a connection holding names no source lists, managing what the program declares, without a call", async () => {
            emulator.admin.seed(
                singleTunnelConnection(ID, {
                    LocalSubnet: "10.1.1.1/24,10.1.2.0/24,10.1.2.0/24",
                    IkeConfig: { IkeEncAlg: "sm4", IkeAuthAlg: "sm3", IkePfs: "group24" },
                    IpsecConfig: { IpsecEncAlg: "sm4", IpsecAuthAlg: "sm3", IpsecPfs: "group24" },
                }),
            );
            const provider = new VpnAttachmentAttributeProvider();
            const declared = { regionId: REGION, vpnConnectionId: ID, localSubnet: "10.1.2.0/24,10.1.1.0/24" };
            const created = await provider.create(await checked(declared));
            expect((created.outs as AttributeOutputs).ikeConfig).to.include({ ikeEncAlg: "sm4", ikePfs: "group24" });
            const read = await provider.read(ID, created.outs as AttributeOutputs);
            const again = await checked(read.inputs as Record<string, unknown>);
            expect((await provider.diff(ID, read.props as AttributeOutputs, again)).changes).to.equal(false);
            expect(modifyCalls()).to.have.length(0);
        });

        it("refuses at check, before any call, a declared name off the page's list, naming the list", async () => {
            const provider = new VpnAttachmentAttributeProvider();
            const result = await provider.check(
                {},
                { regionId: REGION, vpnConnectionId: ID, ipsecConfig: { ipsecEncAlg: "sm4", ipsecPfs: "gruop14" } },
            );
            expect(result.failures).to.deep.equal([
                {
                    // A nested failure goes as the resource's problem, its path leading (handlers.asPulumiPrints).
                    property: "",
                    reason: 'ipsecConfig.ipsecEncAlg must be one of aes, aes192, aes256, des, 3des, as the ModifyVpnAttachmentAttribute API page lists them; got "sm4"',
                },
                {
                    property: "",
                    reason: 'ipsecConfig.ipsecPfs must be one of disabled, group1, group2, group5, group14, as the ModifyVpnAttachmentAttribute API page lists them; got "gruop14" (did you mean "group14"?)',
                },
            ]);
            expect(emulator.admin.calls()).to.deep.equal([]);
        });

        it("renames a connection that holds IKEv1 with two networks, sending the name and its subnets only", async () => {
            emulator.admin.seed(
                singleTunnelConnection(ID, {
                    IkeConfig: { IkeVersion: "ikev1" },
                    LocalSubnet: "10.1.1.0/24,10.1.2.0/24",
                }),
            );
            const provider = new VpnAttachmentAttributeProvider();
            const inputs = await checked({
                regionId: REGION,
                vpnConnectionId: ID,
                name: "renamed",
                ikeConfig: { ikeVersion: "ikev1" },
                localSubnet: "10.1.1.0/24,10.1.2.0/24",
            });
            expect(((await provider.create(inputs)).outs as AttributeOutputs).name).to.equal("renamed");
            const modifies = modifyCalls();
            expect(modifies).to.have.length(1);
            expect(Object.keys(modifies[0].params).sort()).to.deep.equal([
                "ClientToken",
                "LocalSubnet",
                "Name",
                "RegionId",
                "RemoteSubnet",
                "VpnConnectionId",
            ]);
        });

        for (const [title, seed, declared, reason] of [
            ["another networkType", {}, { networkType: "private" }, /networkType cannot change from public to private/],
            [
                "IKEv1 on a connection with two networks",
                { LocalSubnet: "10.1.1.0/24,10.1.2.0/24" },
                { ikeConfig: { ikeVersion: "ikev1" } },
                /ModifyIkeV1WithMultiRoutes\.Invalid/,
            ],
        ] as const) {
            it(`refuses ${title} at preview once state knows the connection, and at create before any call`, async () => {
                emulator.admin.seed(singleTunnelConnection(ID, seed));
                const provider = new VpnAttachmentAttributeProvider();
                const failure = await provider
                    .create(await checked({ regionId: REGION, vpnConnectionId: ID, ...declared }))
                    .then(
                        () => undefined,
                        (e: Error) => e,
                    );
                expect(failure?.message).to.match(reason);
                expect(modifyCalls()).to.have.length(0);

                const adopted = await provider.create(
                    await checked({ regionId: REGION, vpnConnectionId: ID, name: "x" }),
                );
                const news = await checked({ regionId: REGION, vpnConnectionId: ID, name: "x", ...declared });
                let previewError: Error | undefined;
                try {
                    await provider.diff(ID, adopted.outs as AttributeOutputs, news);
                } catch (error) {
                    previewError = error as Error;
                }
                expect(previewError?.message).to.match(reason);
            });
        }
    });

    it("read reports drift and a deleted connection as gone", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const created = await provider.create(
            await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name: "declared" }),
        );
        emulator.admin.patch(SINGLE, { Name: "changed-by-hand" });
        const read = await provider.read(SINGLE, created.outs as AttributeOutputs);
        expect((read.props as AttributeOutputs).name).to.equal("changed-by-hand");
        expect((read.inputs as Record<string, unknown>).name).to.equal("changed-by-hand");
        const news = await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name: "declared" });
        expect((await provider.diff(SINGLE, read.props as AttributeOutputs, news)).changes).to.equal(true);

        emulator.admin.remove(SINGLE);
        const gone = await provider.read(SINGLE, created.outs as AttributeOutputs);
        expect(gone.id).to.equal("");
    });

    it("fails with the ways to provide credentials when none is found", async () => {
        delete process.env.ALICLOUD_ACCESS_KEY;
        delete process.env.ALICLOUD_SECRET_KEY;
        delete process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
        delete process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
        process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
        // No profile file either: a home folder with nothing in it.
        process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-no-credentials-"));
        const provider = new VpnAttachmentAttributeProvider();
        const failure = await provider
            .create(await checked({ regionId: "cn-hangzhou", vpnConnectionId: SINGLE, name: "x" }))
            .then(
                () => undefined,
                (e: Error) => e,
            );
        expect(failure?.message).to.contain("ALICLOUD_ACCESS_KEY");
        expect(failure?.message).to.contain("alicloud:accessKey");
        expect(emulator.admin.calls()).to.have.length(0);
    });
});
