import { execFile } from "node:child_process";
import * as path from "node:path";
import { expect } from "chai";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { callsFor, connectionId, PulumiProject, REPO_ROOT, STACK } from "./harness";

const DEPLOY = path.join(REPO_ROOT, "bin", "examples", "pipeline", "automation", "deploy.js");

/** examples/pipeline/automation/deploy.ts (Automation API) against the emulator: preview, changes, apply on approval. */
describe("Automation API: preview, show the changes, apply on approval (emulator)", function () {
    this.timeout(300_000);
    this.slow(30_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    const id = connectionId("automation");

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 200 });
        emulator.admin.seed(singleTunnelConnection(id, { Name: "a" }));
        project = await PulumiProject.create(emulator, "automation");
        project.setResources([{ name: "conn", args: { regionId: "cn-hangzhou", vpnConnectionId: id, name: "a" } }]);
        await project.up();
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    function deploy(...args: string[]): Promise<{ code: number; output: string }> {
        return new Promise((resolve) => {
            execFile(
                process.execPath,
                [DEPLOY, "--cwd", project.dir, "--stack", STACK, ...args],
                { env: project.environment, timeout: 240_000 },
                (err, stdout, stderr) =>
                    resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, output: stdout + stderr }),
            );
        });
    }

    it("shows the changed attributes and, unapproved, changes nothing (steps in order, one stack)", async () => {
        project.setResources([
            {
                name: "conn",
                args: { regionId: "cn-hangzhou", vpnConnectionId: id, name: "b", ipsecConfig: { ipsecPfs: "group14" } },
            },
        ]);
        const result = await deploy();
        expect(result.code, result.output).to.equal(2);
        expect(result.output).to.include("conn (update)");
        expect(result.output).to.include('name: "a" => "b"');
        // The connection has group2: the change is that key, as up will send it.
        expect(result.output).to.include('ipsecConfig.ipsecPfs: "group2" => "group14"');
        expect(result.output).to.include("not applied");
        expect(callsFor(emulator, id, "ModifyVpnAttachmentAttribute")).to.deep.equal([]);
    });

    it("applies with --yes", async () => {
        const result = await deploy("--yes");
        expect(result.code, result.output).to.equal(0);
        expect(result.output).to.include("update succeeded");
        expect(callsFor(emulator, id, "ModifyVpnAttachmentAttribute")).to.have.length(1);
        expect(emulator.admin.get(id).Name).to.equal("b");
    });

    it("reports no changes once applied, and asks nothing", async () => {
        const result = await deploy();
        expect(result.code, result.output).to.equal(0);
        expect(result.output).to.include("no changes");
        expect(callsFor(emulator, id, "ModifyVpnAttachmentAttribute")).to.have.length(1);
    });
});
