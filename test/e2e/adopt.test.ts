import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { EmulatorHandle, singleTunnelConnection, startEmulator } from "../../emulator";
import { declaredArgs } from "../support/adoptedDeclaration";
import { callsFor, connectionId, previewedProperties, PulumiProject } from "./harness";

/**
 * Adoption that shows before it writes: the package's `adopt` command prints
 * a declaration of the connection as it is; declared, its first `up` sends
 * nothing, and a change made after it is an update whose preview names it.
 */
describe("pulumi CLI: adopting an existing connection (emulator)", function () {
    this.timeout(300_000);
    this.slow(30_000);
    let emulator: EmulatorHandle;
    let project: PulumiProject;
    const id = connectionId("adopt");

    before(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 100 });
        emulator.admin.seed([
            singleTunnelConnection(id, {
                Name: "branch-office",
                LocalSubnet: "10.1.1.0/24,10.1.2.0/24",
                VcoHealthCheck: { Enable: "true", Dip: "10.0.0.1", Sip: "10.1.1.1", Interval: 3, Retry: 5 },
            }),
        ]);
        project = await PulumiProject.create(emulator, "adopt");
    });
    after(async () => {
        project?.dispose();
        await emulator?.close();
    });

    it("adopt, declare, up sends nothing; change one value, the preview shows exactly it and up sends it", async () => {
        // The command as the installed package ships it (npx runs this file).
        const command = path.join(
            project.dir,
            "node_modules",
            "pulumi-alicloud-vpn-attachment-attribute",
            "bin",
            "cli",
            "command.js",
        );
        const adopted = await promisify(execFile)(process.execPath, [command, "adopt", id, "--region", "cn-hangzhou"], {
            cwd: project.dir,
            env: project.environment,
        });
        const args = declaredArgs(adopted.stdout);
        expect(adopted.stdout).to.not.include(emulator.admin.get(id).IkeConfig?.Psk);

        project.setResources([{ name: "office", args: args as never }]);
        const before = emulator.admin.get(id);
        const mark = emulator.admin.calls().length;
        await project.up();
        expect(callsFor(emulator, id, "ModifyVpnAttachmentAttribute", mark)).to.deep.equal([]);
        expect(emulator.admin.get(id)).to.deep.equal(before);

        project.setResources([
            {
                name: "office",
                args: { ...args, ikeConfig: { ...(args.ikeConfig as object), ikePfs: "group14" } } as never,
            },
        ]);
        const preview = await project.preview();
        expect(previewedProperties(preview, "office").lines).to.deep.equal([
            "~ ikeConfig: {",
            '~ ikePfs: "group2" => "group14"',
        ]);
        const next = emulator.admin.calls().length;
        await project.up();
        expect(callsFor(emulator, id, "ModifyVpnAttachmentAttribute", next)).to.have.length(1);
        expect(emulator.admin.get(id).IkeConfig).to.deep.equal({ ...before.IkeConfig, IkePfs: "group14" });
    });

    it("with verifyOnPreview, the preview of a new resource says what its first up will change on the connection", async () => {
        const other = connectionId("adopt-verify");
        emulator.admin.seed([singleTunnelConnection(other, { Name: "before" })]);
        project.setResources([
            {
                name: "verified",
                args: { regionId: "cn-hangzhou", vpnConnectionId: other, name: "after", verifyOnPreview: true },
            },
        ]);
        const preview = await project.preview();
        expect(preview.output).to.include(
            `verifyOnPreview: the first up will change 1 value(s) of existing connection ${other} in cn-hangzhou: name: "before" => "after"`,
        );
    });

    it("the import option stops the program with what to run instead, not a stack trace", async () => {
        project.setResources([
            { name: "imported", args: { regionId: "cn-hangzhou", vpnConnectionId: id }, import: id },
        ]);
        const preview = await project.run(["preview"], { allowFailure: true });
        expect(preview.code).to.not.equal(0);
        expect(preview.output).to.include("the import option cannot adopt a connection");
        expect(preview.output).to.include(
            `npx pulumi-alicloud-vpn-attachment-attribute adopt ${id} --region cn-hangzhou`,
        );
        expect(preview.output).to.not.match(/^\s+at /m);
        expect(preview.output).to.not.include("code must be a string");
    });
});
