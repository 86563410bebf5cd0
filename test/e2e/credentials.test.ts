import { expect } from "chai";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { callsFor, callsSince, connectionId, PulumiProject } from "./harness";

const REGION = "cn-hangzhou";
const ROLE = "acs:ram::1234567890123456:role/pipeline";
const OTHER_ACCOUNT_ROLE = "acs:ram::6543210987654321:role/pipeline";
const MODIFY = "ModifyVpnAttachmentAttribute";

/**
 * `@pulumi/alicloud`'s settings through the real CLI: stack config reaches the
 * dynamic provider's `configure` before `check`, so the default region is in
 * the preview; `alicloud:assumeRole` (an object in stack config) and a
 * resource's `assumeRoleArn` sign with keys the emulator's STS issued.
 */
describe("pulumi CLI: alicloud credentials and region settings (emulator)", function () {
    this.timeout(300_000);
    this.slow(20_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    const home = connectionId("cred-home");
    const other = connectionId("cred-other");

    before(async () => {
        emulator = await startEmulator({
            port: 0,
            taskDurationMs: 300,
            accessKeyId: "LTAIe2eCredentialsKey",
            accessKeySecret: "e2eCredentialsSecretQx9",
        });
        emulator.admin.seed([
            singleTunnelConnection(home, { Name: "old" }),
            singleTunnelConnection(other, { Name: "old" }),
        ]);
        project = await PulumiProject.create(emulator, "credentials", { credentials: "config" });
        project.setConfig("alicloud:region", REGION);
        project.setConfig("alicloud:assumeRole", {
            roleArn: ROLE,
            sessionName: "e2e-pipeline",
            sessionExpiration: 900,
        });
        project.setResources([
            { name: "home", args: { vpnConnectionId: home, name: "home" } },
            { name: "other", args: { vpnConnectionId: other, name: "other", assumeRoleArn: OTHER_ACCOUNT_ROLE } },
        ]);
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    it("preview shows the region from alicloud:region and calls nothing (steps in order, one stack)", async () => {
        const mark = emulator.admin.calls().length;
        const preview = await project.preview();
        expect(preview.output.match(/regionId\s*:\s*"cn-hangzhou"/g) ?? []).to.have.length(2);
        expect(callsSince(emulator, mark)).to.deep.equal([]);
    });

    it("up signs each resource's calls with its role's temporary keys, and keeps no secret in state", async () => {
        const mark = emulator.admin.calls().length;
        await project.up();
        const assumed = callsSince(emulator, mark).filter((c) => c.action === "AssumeRole");
        expect(assumed.map((c) => c.params.RoleArn).sort()).to.deep.equal([OTHER_ACCOUNT_ROLE, ROLE].sort());
        expect(
            assumed.every((c) => c.accessKeyId === emulator.accessKeyId && c.params.RoleSessionName === "e2e-pipeline"),
        ).to.equal(true);
        expect(callsFor(emulator, home, MODIFY, mark).map((c) => c.role)).to.deep.equal([ROLE]);
        expect(callsFor(emulator, other, MODIFY, mark).map((c) => c.role)).to.deep.equal([OTHER_ACCOUNT_ROLE]);
        expect(callsFor(emulator, home, MODIFY, mark)[0].params.RegionId).to.equal(REGION);
        expect(emulator.admin.get(home).Name).to.equal("home");
        expect(emulator.admin.get(other).Name).to.equal("other");

        const state = await project.resourceState("other");
        expect(state.inputs?.regionId).to.equal(REGION);
        expect(state.outputs?.assumeRoleArn).to.equal(OTHER_ACCOUNT_ROLE);
        const { text } = await project.exportStack();
        expect(text).to.not.include(emulator.accessKeySecret);
        expect(text).to.not.match(/STS\.[A-Za-z0-9_-]{8}/);
    });

    it("a changed alicloud:region does not move resources that already have theirs", async () => {
        project.setConfig("alicloud:region", "cn-shanghai");
        const mark = emulator.admin.calls().length;
        const preview = await project.preview("--expect-no-changes");
        expect(preview.code).to.equal(0);
        expect(callsSince(emulator, mark)).to.deep.equal([]);
        project.setConfig("alicloud:region", REGION);
    });

    it("a malformed alicloud:assumeRole fails the update naming the setting, before any VPC call", async () => {
        project.setConfig("alicloud:assumeRole", { roleArn: ROLE, sessionExpiration: 60 });
        project.setResources([{ name: "home", args: { vpnConnectionId: home, name: "home-2" } }]);
        const mark = emulator.admin.calls().length;
        const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
        expect(up.code).to.not.equal(0);
        expect(up.output).to.include(
            "alicloud:assumeRole.sessionExpiration must be a whole number of seconds from 900 to 43200",
        );
        expect(callsSince(emulator, mark)).to.deep.equal([]);
    });

    it("a misspelt alicloud:assumeRole field fails the preview, not just the up, before any call", async () => {
        project.setConfig("alicloud:assumeRole", { rolearn: ROLE });
        project.setResources([{ name: "home", args: { vpnConnectionId: home, name: "home-3" } }]);
        const mark = emulator.admin.calls().length;
        const preview = await project.run(["preview"], { allowFailure: true });
        expect(preview.code).to.not.equal(0);
        expect(preview.output).to.include("alicloud:assumeRole.rolearn is not supported");
        expect(callsSince(emulator, mark)).to.deep.equal([]);
    });
});
