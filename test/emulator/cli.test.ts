import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { EmulatorHandle } from "../../emulator";
import { dualTunnelConnection } from "../../emulator";
import { describeConnection, sdkClient } from "./helpers";

const MAIN = resolve(__dirname, "../../emulator/main.js");
const COMMAND = resolve(__dirname, "../../cli/command.js");

interface Banner {
    endpoint: string;
    port: number;
    accessKeyId: string;
    accessKeySecret: string;
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
    return new Promise((resolveLine, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.once("line", (line) => {
            lines.close();
            resolveLine(line);
        });
        child.once("exit", (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
    return new Promise((resolveExit) => child.once("exit", (code) => resolveExit(code)));
}

describe("emulator: command line", () => {
    let dir: string;
    // A failed assertion must not leave an emulator process running, or mocha never exits.
    const running = new Set<ChildProcessWithoutNullStreams>();

    function emulatorProcess(args: string[], env?: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
        const child = spawn(process.execPath, [MAIN, ...args], { env });
        running.add(child);
        child.once("exit", () => running.delete(child));
        return child;
    }

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "vpc-emulator-cli-"));
    });
    afterEach(async () => {
        await Promise.all(
            [...running].map((child) => {
                const exit = exited(child);
                child.kill("SIGKILL");
                return exit;
            }),
        );
        rmSync(dir, { recursive: true, force: true });
    });

    it("starts on a free port, prints its endpoint as JSON, serves, and stops on SIGTERM", async () => {
        const seedFile = join(dir, "seed.json");
        writeFileSync(seedFile, JSON.stringify([dualTunnelConnection("vco-cli")]));
        const child = emulatorProcess(["--port", "0", "--task-duration-ms=50", "--seed", seedFile], {
            ...process.env,
            EMULATOR_ACCESS_KEY_ID: "LTAI-from-env",
        });
        const banner = JSON.parse(await firstLine(child)) as Banner;
        expect(banner.endpoint).to.equal(`http://127.0.0.1:${banner.port}`);
        expect(banner.accessKeyId).to.equal("LTAI-from-env");
        expect(banner.accessKeySecret).to.equal("emulator-secret");

        const handle = {
            port: banner.port,
            accessKeyId: banner.accessKeyId,
            accessKeySecret: banner.accessKeySecret,
        } as EmulatorHandle;
        const res = await describeConnection(sdkClient(handle), "vco-cli");
        expect(res.body?.tunnelOptionsSpecification?.tunnelOptions).to.have.length(2);

        const exit = exited(child);
        child.kill("SIGTERM");
        expect(await exit).to.equal(0);
    });

    it("refuses unknown flags", async () => {
        const child = emulatorProcess(["--bind", "0.0.0.0"]);
        expect(await exited(child)).to.equal(2);
    });

    it("is the package command `emulator`, with the same flags", async () => {
        const child = spawn(process.execPath, [COMMAND, "emulator", "--port", "0", "--access-key-id=LTAI-command"]);
        const banner = JSON.parse(await firstLine(child)) as Banner;
        expect(banner.accessKeyId).to.equal("LTAI-command");
        const exit = exited(child);
        child.kill("SIGTERM");
        expect(await exit).to.equal(0);
    });

    it("prints the package command's usage, and refuses commands it does not have", async () => {
        const help = spawn(process.execPath, [COMMAND]);
        let usage = "";
        help.stdout.setEncoding("utf8").on("data", (chunk: string) => (usage += chunk));
        const code = await new Promise((resolveClose) => help.once("close", resolveClose));
        expect(code).to.equal(0);
        expect(usage).to.match(/^usage: pulumi-alicloud-vpn-attachment-attribute emulator /);
        const unknown = spawn(process.execPath, [COMMAND, "serve"]);
        expect(await exited(unknown)).to.equal(2);
    });
});
