import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import type { EmulatorHandle } from "../../emulator";
import { documentedBlock, REPO_ROOT } from "../support/documentedCommands";
import { emulatorPerSuite } from "../support/emulatorSuite";

const PACKAGE = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string }).name;

/**
 * docs/emulator.md's admin HTTP API commands, run as the page writes them
 * with the running emulator's endpoint for the example one. Each `curl` fails
 * the script on an HTTP error (`--fail-with-body`), as a user would notice.
 */
describe("emulator: the commands docs/emulator.md writes", () => {
    let emulator: EmulatorHandle;
    let dir: string;

    emulatorPerSuite({ taskDurationMs: 30 }, (started) => (emulator = started));
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-docs-"));
        // The package as a project has it installed, for the page's fixtures command.
        fs.mkdirSync(path.join(dir, "node_modules"));
        fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", PACKAGE), "dir");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const bash = (script: string) => promisify(execFile)("bash", ["-e", "-c", script], { cwd: dir, encoding: "utf8" });

    it("the admin HTTP API commands, on the seed the fixtures command writes", async () => {
        await bash(documentedBlock("docs/emulator.md", "node -e "));
        const commands = documentedBlock("docs/emulator.md", "EP=").replace(
            "http://127.0.0.1:41234",
            emulator.endpoint,
        );
        const failing = 'curl() { command curl --fail-with-body --show-error "$@"; echo; }\n';
        const { stdout } = await bash(failing + commands);

        expect(stdout).to.include('"VpnConnectionId":"vco-demo"');
        expect(stdout).to.include('"State":"financialLocked"');
        // The last command resets the emulator.
        expect(emulator.admin.list()).to.deep.equal([]);
        expect(emulator.admin.calls()).to.deep.equal([]);
    });
});
