import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { CI_FILES, PIPELINE_DIR, policyPackInstall } from "../support/pipelineExamples";
import { callsSince, connectionId, PulumiProject } from "./harness";

/**
 * examples/pipeline/policy-pack through `pulumi preview --policy-pack`, the way
 * the CI files run it: a weak configuration is refused before any API call.
 * It installs the pack's dependencies (`@pulumi/policy`) with the command the
 * CI files run (without it the pack fails with "Cannot find module
 * '@pulumi/policy'"). The pack's rules are tested without the CLI in
 * test/unit/policyPack.test.ts.
 */
describe("pulumi CLI: the policy pack (emulator)", function () {
    this.timeout(600_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    let packDir: string;
    const id = connectionId("policy");

    before(async () => {
        emulator = await startEmulator({ port: 0 });
        emulator.admin.seed(singleTunnelConnection(id));
        project = await PulumiProject.create(emulator, "policy-pack");
        packDir = path.join(project.dir, "policy-pack");
        fs.cpSync(path.join(PIPELINE_DIR, "policy-pack"), packDir, { recursive: true });
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    it("installs the pack's dependencies with the step both CI files run before --policy-pack", async () => {
        const steps = CI_FILES.flatMap((file) => [policyPackInstall(file, "preview"), policyPackInstall(file, "up")]);
        for (const step of new Set(steps)) {
            // npm's cache first, as everywhere in the suites; the command is the CI files' own.
            await project.shell(step, {
                env: { npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" },
            });
        }
        expect(fs.existsSync(path.join(packDir, "node_modules", "@pulumi", "policy", "package.json"))).to.equal(true);
    });

    it("refuses DES and a weak PFS group at preview, naming the policy and the property, before any API call", async () => {
        project.setResources([
            {
                name: "weak",
                args: {
                    regionId: "cn-hangzhou",
                    vpnConnectionId: id,
                    ikeConfig: { ikeEncAlg: "des", ikePfs: "group2" },
                },
            },
        ]);
        const mark = emulator.admin.calls().length;
        const weak = await project.run(["preview", "--policy-pack", packDir], { allowFailure: true });
        expect(weak.code, weak.output).to.equal(1);
        expect(weak.output).to.include("vpn-strong-crypto");
        expect(weak.output).to.include("ikeConfig.ikeEncAlg is des");
        expect(weak.output).to.include("ikeConfig.ikePfs is group2");

        project.setResources([
            {
                name: "strong",
                args: {
                    regionId: "cn-hangzhou",
                    vpnConnectionId: id,
                    ikeConfig: { ikeEncAlg: "aes256", ikePfs: "group14" },
                },
            },
        ]);
        const strong = await project.run(["preview", "--policy-pack", packDir], { allowFailure: true });
        expect(strong.code, strong.output).to.equal(0);
        expect(callsSince(emulator, mark)).to.deep.equal([]);
    });
});
