import { expect } from "chai";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { connectionId, PulumiProject } from "./harness";

/**
 * The provider's https rule as a user meets it through the CLI. The endpoint
 * is 0.0.0.0, which the rule counts as another host; a connection attempt to
 * it would still stay on this machine, should the rule ever let one through.
 */
describe("pulumi CLI end to end: plain http only to this machine", function () {
    this.timeout(300_000);
    this.slow(20_000);
    const id = connectionId("transport");
    const REMOTE_HTTP = "http://0.0.0.0:9";
    let emulator: EmulatorHandle;
    let project: PulumiProject;

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 100 });
        emulator.admin.seed(singleTunnelConnection(id));
        project = await PulumiProject.create(emulator, "transport");
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    it("preview refuses an http endpoint input to another host, naming the property and the opt-out", async () => {
        project.setResources([
            { name: "conn", args: { regionId: "cn-hangzhou", vpnConnectionId: id, endpoint: REMOTE_HTTP, name: "x" } },
        ]);
        const preview = await project.run(["preview"], { allowFailure: true });
        // The code README's troubleshooting gives for a failed operation.
        expect(preview.code, preview.output).to.equal(1);
        expect(preview.output)
            .to.match(/endpoint/)
            .and.match(/uses plain http:\/\/ to 0\.0\.0\.0/);
        expect(preview.output).to.include("ALICLOUD_VPC_ALLOW_INSECURE_HTTP=true");
    });

    it("with the opt-out, preview passes and prints the warning", async () => {
        const preview = await project.run(["preview"], { env: { ALICLOUD_VPC_ALLOW_INSECURE_HTTP: "true" } });
        expect(preview.output).to.match(
            /warning: ALICLOUD_VPC_ALLOW_INSECURE_HTTP=true: the endpoint input sends requests to 0\.0\.0\.0:9 over plain http/,
        );
    });

    it("up refuses ALICLOUD_VPC_ENDPOINT over http to another host, naming the variable, before any call", async () => {
        project.setResources([{ name: "conn", args: { regionId: "cn-hangzhou", vpnConnectionId: id, name: "x" } }]);
        const up = await project.run(["up", "--yes", "--skip-preview"], {
            allowFailure: true,
            env: { ALICLOUD_VPC_ENDPOINT: REMOTE_HTTP },
        });
        expect(up.code, up.output).to.equal(1);
        expect(up.output).to.include(`ALICLOUD_VPC_ENDPOINT "${REMOTE_HTTP}" uses plain http://`);
        expect(emulator.admin.calls()).to.deep.equal([]);
    });
});
