import { expect } from "chai";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { policyActions } from "../support/pipelineExamples";
import { fastPollsForSuite } from "../support/fastPolls";

/** The RAM policies in examples/pipeline/ grant what the provider really calls: no more, no less. */
describe("examples/pipeline RAM policies against the provider's calls", function () {
    fastPollsForSuite();
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    const savedEnv = { ...process.env };

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 100 });
        process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
        process.env.ALICLOUD_VPC_ENDPOINT = emulator.endpoint;
        process.env.ALICLOUD_ACCESS_KEY = emulator.accessKeyId;
        process.env.ALICLOUD_SECRET_KEY = emulator.accessKeySecret;
        emulator.admin.seed(["vco-p1", "vco-p2", "vco-p3"].map((id) => singleTunnelConnection(id)));
    });
    after(async () => {
        process.env = { ...savedEnv };
        await emulator.close();
    });

    const vpcActions = (since: number) =>
        [
            ...new Set(
                emulator.admin
                    .calls()
                    .slice(since)
                    .map((c) => `vpc:${c.action}`),
            ),
        ].sort();

    it("create, update, refresh and the preview check use exactly the actions of ram-policy.json", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const created: AttributeOutputs[] = [];
        // Three connections updated together: their reads are coalesced into DescribeVpnConnections.
        await Promise.all(
            ["vco-p1", "vco-p2", "vco-p3"].map(async (id) => {
                const checked = await provider.check(
                    {},
                    { regionId: "cn-hangzhou", vpnConnectionId: id, name: `n-${id}`, verifyOnPreview: true },
                );
                expect(checked.failures ?? []).to.deep.equal([]);
                created.push((await provider.create(checked.inputs as CheckedInputs)).outs as AttributeOutputs);
            }),
        );
        await provider.read(created[0].vpnConnectionId, created[0]);
        expect(vpcActions(0)).to.deep.equal([...policyActions("ram-policy.json")].sort());
    });

    it("refresh and the preview check need only the actions of ram-policy-readonly.json", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const mark = emulator.admin.calls().length;
        await provider.check(
            {},
            { regionId: "cn-hangzhou", vpnConnectionId: "vco-p1", name: "x", verifyOnPreview: true },
        );
        const state = {
            regionId: "cn-hangzhou",
            vpnConnectionId: "vco-p2",
            managedFields: ["name"],
            connection: {},
        } as unknown as AttributeOutputs;
        await Promise.all([
            provider.read("vco-p2", state),
            provider.read("vco-p3", { ...state, vpnConnectionId: "vco-p3" }),
        ]);
        const readOnly = policyActions("ram-policy-readonly.json");
        for (const action of vpcActions(mark)) {
            expect(readOnly).to.include(action);
        }
    });
});
