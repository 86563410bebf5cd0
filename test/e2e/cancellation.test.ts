import { expect } from "chai";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { callsFor, connectionId, PulumiProject } from "./harness";

const MODIFY = "ModifyVpnAttachmentAttribute";

/**
 * What the first Ctrl-C does to an update in flight, through the real CLI
 * (docs/reliability.md, "Ctrl-C"): the engine sends the provider plugin a
 * Cancel that Pulumi's dynamic provider server keeps to itself, so the update
 * goes on to its deadline, and its message then says the Modify was accepted.
 */
describe("pulumi CLI: the first Ctrl-C during an update (emulator)", function () {
    this.timeout(300_000);
    this.slow(30_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    const id = connectionId("cancel");

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 120_000 });
        emulator.admin.seed([singleTunnelConnection(id, { Name: "old" })]);
        project = await PulumiProject.create(emulator, "cancellation");
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    it("does not stop the provider: the update ends at its deadline, saying the Modify was accepted", async () => {
        project.setResources([
            { name: "conn", args: { regionId: "cn-hangzhou", vpnConnectionId: id, name: "new", timeoutSeconds: 12 } },
        ]);
        let interrupted = false;
        let poll: NodeJS.Timeout | undefined;
        const up = await project
            .run(["up", "--yes", "--skip-preview"], {
                allowFailure: true,
                onStart: (pid) => {
                    // SIGINT to the CLI alone, as a terminal's Ctrl-C reaches it (plugins run in their own process group).
                    poll = setInterval(() => {
                        if (callsFor(emulator, id, MODIFY).length > 0) {
                            clearInterval(poll);
                            interrupted = true;
                            process.kill(pid, "SIGINT");
                        }
                    }, 50);
                },
            })
            .finally(() => clearInterval(poll));
        expect(interrupted, `SIGINT sent after the Modify; output:\n${up.output}`).to.equal(true);
        expect(up.code).to.not.equal(0);
        expect(up.output).to.match(/\^C received; cancelling/i);
        expect(up.output).to.match(/timed out after \d+ s/);
        expect(up.output).to.match(/ModifyVpnAttachmentAttribute was sent and accepted \(RequestId [^)]+\)/);
        expect(up.output).to.include("pulumi refresh");
        expect(callsFor(emulator, id, MODIFY)).to.have.length(1);
    });
});
