import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { commandsOf, documentedBlock, REPO_ROOT } from "../support/documentedCommands";

/**
 * The demo as docs/testing.md tells a newcomer to run it, from the
 * repository: examples/demo against the emulator with the real CLI. Its
 * install steps are skipped (the suite has built, and `npm ci` would replace
 * the node_modules the suite runs from).
 */
describe("the demo (scripts/demo.sh)", function () {
    this.timeout(300_000);
    this.slow(60_000);

    it("scripts/demo.sh previews and applies examples/demo against the emulator", async () => {
        const [command] = commandsOf(documentedBlock("docs/testing.md", "bash scripts/demo.sh"));
        expect(command).to.equal("bash scripts/demo.sh");
        const { stdout } = await promisify(execFile)("bash", ["-c", command], {
            cwd: REPO_ROOT,
            env: { ...process.env, DEMO_SKIP_INSTALL: "1" },
            encoding: "utf8",
            maxBuffer: 16 * 1024 * 1024,
        });
        expect(stdout).to.match(/ModifyVpnAttachmentAttribute vco-demo-single -> HTTP 200 OK/);
        expect(stdout).to.match(/ModifyVpnAttachmentAttribute vco-demo-dual -> HTTP 200 OK/);
        expect(stdout).to.include("Done. The emulator stops now");
    });
});
