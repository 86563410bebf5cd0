import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { commandsOf, documentedBlock, REPO_ROOT } from "../support/documentedCommands";

const PACKAGE = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { name: string }).name;

/**
 * README's install from git, with this repository for the GitHub URL: npm
 * clones it, installs its dependencies, builds it with the `prepare` script
 * and installs what `npm pack` of the clone holds. It installs the committed
 * HEAD, as a clone of the repository would (uncommitted changes are not in it).
 * npm takes packages from its cache when it can (`--prefer-offline`).
 */
describe("install from git (README)", function () {
    this.timeout(600_000);
    this.slow(120_000);
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-git-install-"));
        fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "git-install", private: true })}\n`);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("installs from git: npm builds the package with its prepare script", async () => {
        const [command] = commandsOf(documentedBlock("README.md", "npm install git+"));
        expect(command).to.match(/^npm install git\+https:\/\/github\.com\/\S+\.git$/);
        const local = command.replace(/git\+https:\/\/\S+/, `git+file://${REPO_ROOT}`);
        await promisify(execFile)("bash", ["-c", `${local} --prefer-offline --no-audit --no-fund`], {
            cwd: dir,
            encoding: "utf8",
            maxBuffer: 16 * 1024 * 1024,
        });

        const installed = path.join(dir, "node_modules", PACKAGE);
        expect(fs.readdirSync(path.join(installed, "bin")).sort()).to.deep.equal(["cli", "emulator", "provider"]);
        const { stdout } = await promisify(execFile)(
            "node",
            ["-e", `process.stdout.write(typeof require(${JSON.stringify(PACKAGE)}).VpnAttachmentAttribute)`],
            { cwd: dir, encoding: "utf8" },
        );
        expect(stdout).to.equal("function");
    });
});
