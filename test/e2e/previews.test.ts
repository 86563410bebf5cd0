import { expect } from "chai";
import { dualTunnelConnection, EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { CI_FILES, driftCheckScript } from "../support/pipelineExamples";
import { callsSince, connectionId, isSecretEnvelope, pskInClear, PulumiProject, ResourceSpec, STACK } from "./harness";

/**
 * A refresh that finds drift rewrites the resource's inputs from what the
 * service reports (so the next preview compares the program with the
 * service). Declared PSKs must come back in the shape the resource class
 * passes them, or the next preview shows `+ psk` for a key that did not change.
 */
describe("pulumi CLI: previews after a refresh (emulator)", function () {
    this.timeout(300_000);
    this.slow(30_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    const single = connectionId("refresh-single");
    const dual = connectionId("refresh-dual");
    const PSK = "single-psk-Kq2";
    const TUNNEL_PSK = "tunnel-psk-Wz7";
    const program: ResourceSpec[] = [
        {
            name: "single",
            args: { regionId: "cn-hangzhou", vpnConnectionId: single, name: "a", ikeConfig: { psk: "$psk:single" } },
        },
        {
            name: "dual",
            args: {
                regionId: "cn-hangzhou",
                vpnConnectionId: dual,
                tunnelOptionsSpecification: [
                    { tunnelIndex: 2, enableDpd: true, tunnelIkeConfig: { psk: "$psk:tunnel" } },
                ],
            },
        },
    ];

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 200 });
        emulator.admin.seed([singleTunnelConnection(single, { Name: "a" }), dualTunnelConnection(dual)]);
        project = await PulumiProject.create(emulator, "previews");
        project.setResources(program);
        await project.setPsks({ single: PSK, tunnel: TUNNEL_PSK });
        await project.up();
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    it("the drift check of both CI files exits 0 without drift, and 7 with drift, reported as drift (steps in order, one stack)", async () => {
        for (const file of CI_FILES) {
            const check = () =>
                project.shell(driftCheckScript(file), { allowFailure: true, env: { PULUMI_STACK: STACK } });
            emulator.admin.patch(single, { Name: "a" });
            const clean = await check();
            expect(clean.code, `${file}: ${clean.output}`).to.equal(0);
            emulator.admin.patch(single, { Name: "drifted" });
            const drifted = await check();
            expect(drifted.code, `${file}: ${drifted.output}`).to.equal(7);
            expect(drifted.output).to.match(/name\s*:\s*"drifted" => "a"/);
            expect(drifted.output).to.include("drift: a connection no longer has the declared attributes");
        }
    });

    it("after drift of other fields, the next preview shows that drift and no +psk", async () => {
        emulator.admin.patch(single, { Name: "drifted" });
        const tunnel2 = emulator.admin
            .get(dual)
            .TunnelOptionsSpecification?.TunnelOptions?.find((t) => t.TunnelIndex === 2);
        emulator.admin.patch(dual, {
            TunnelOptionsSpecification: { TunnelOptions: [{ TunnelId: tunnel2?.TunnelId, EnableDpd: "false" }] },
        } as never);
        await project.refresh();

        const mark = emulator.admin.calls().length;
        const preview = await project.preview();
        expect(preview.output).to.match(/~ name\s*:\s*"drifted" => "a"/);
        expect(preview.output).to.match(/enableDpd\s*:\s*false => true/);
        expect(preview.output).to.not.match(/[+-] psk\b/);
        expect(preview.output).to.not.match(/[+-] tunnelPsks\b/);
        expect(preview.output).to.not.match(/\+ ikeConfig/);
        expect(preview.output).to.match(/~ 2 to update/);
        // The update's preview keeps what the resources already report: no output turns unknown or disappears.
        expect(preview.output).to.not.match(/output<\w+>/);
        expect(preview.output).to.not.match(/- (state|connection|states)\b/);
        expect(preview.output).to.not.match(/states\s*:.*=>/);
        expect(callsSince(emulator, mark)).to.deep.equal([]);
    });

    it("the PSKs the refresh put back into the inputs are stored encrypted", async () => {
        for (const name of ["single", "dual"]) {
            const state = await project.resourceState(name);
            expect(pskInClear(state.inputs), `${name} inputs`).to.deep.equal([]);
            expect(pskInClear(state.outputs), `${name} outputs`).to.deep.equal([]);
        }
        expect(isSecretEnvelope((await project.resourceState("single")).inputs?.psk)).to.equal(true);
        expect(isSecretEnvelope((await project.resourceState("dual")).inputs?.tunnelPsks)).to.equal(true);
        const { text } = await project.exportStack();
        expect(text).to.not.include(PSK).and.not.include(TUNNEL_PSK);
    });

    it("a PSK changed outside Pulumi makes an update (the CLI masks both values), not an added key", async () => {
        await project.up();
        emulator.admin.patch(single, { IkeConfig: { Psk: "changed-by-hand" } });
        await project.refresh();
        const preview = await project.preview();
        expect(preview.output).to.match(/~ pulumi-nodejs:dynamic\S*: \(update\)\s+\[id=vco-refresh-single-\w+\]/);
        expect(preview.output).to.match(/~ 1 to update/);
        expect(preview.output).to.not.match(/[+-] psk\b/);
        const { text } = await project.exportStack();
        expect(text).to.not.include("changed-by-hand");
    });
});
