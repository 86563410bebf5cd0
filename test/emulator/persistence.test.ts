import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    dualTunnelConnection,
    singleTunnelConnection,
    startEmulator,
    type EmulatorHandle,
    type EmulatorOptions,
} from "../../emulator";
import { describeConnection, modify, sdkClient, settled, tunnelSpec } from "./helpers";

describe("emulator: state file", () => {
    let dir: string;
    let stateFile: string;
    // Every test stops and restarts emulators; a failed assertion must not leave one serving, or mocha never exits.
    const running = new Set<EmulatorHandle>();

    async function start(options: EmulatorOptions): Promise<EmulatorHandle> {
        const emulator = await startEmulator(options);
        running.add(emulator);
        return emulator;
    }

    async function stop(emulator: EmulatorHandle): Promise<void> {
        running.delete(emulator);
        await emulator.close();
    }

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "vpc-emulator-"));
        stateFile = join(dir, "nested", "state.json");
    });
    afterEach(async () => {
        await Promise.all([...running].map(stop));
        rmSync(dir, { recursive: true, force: true });
    });

    it("keeps seeded and modified connections across a restart", async () => {
        const first = await start({ stateFile, taskDurationMs: 20 });
        first.admin.seed([singleTunnelConnection("vco-p1"), dualTunnelConnection("vco-p2")]);
        const client = sdkClient(first);
        await modify(client, "vco-p1", { name: "persisted" });
        await settled(client, "vco-p1");
        await stop(first);

        const state = JSON.parse(readFileSync(stateFile, "utf8")) as { connections?: unknown };
        expect(state.connections).to.have.length(2);
        expect(readdirSync(join(dir, "nested"))).to.deep.equal(["state.json"]);

        const second = await start({ stateFile });
        const body = (await describeConnection(sdkClient(second), "vco-p1")).body;
        expect(body?.name).to.equal("persisted");
        expect(body?.state).to.equal("attached");
        expect(second.admin.get("vco-p2")).to.deep.equal(dualTunnelConnection("vco-p2"));
    });

    it("finishes a task that was running when the emulator stopped", async () => {
        const first = await start({ stateFile, taskDurationMs: 60_000 });
        first.admin.seed(dualTunnelConnection("vco-mid"));
        await modify(sdkClient(first), "vco-mid", {
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, enableDpd: false })],
        });
        expect(first.admin.get("vco-mid").State).to.equal("updating");
        await stop(first);

        const second = await start({ stateFile });
        const conn = second.admin.get("vco-mid");
        expect(conn?.State).to.equal("attached");
        expect(conn?.TunnelOptionsSpecification?.TunnelOptions.map((t) => [t.State, t.EnableDpd])).to.deep.equal([
            ["active", "false"],
            ["active", "true"],
        ]);
    });

    it("seeds only connections the state file does not already hold", async () => {
        const first = await start({ stateFile, seed: [singleTunnelConnection("vco-s", { Name: "from-seed" })] });
        first.admin.patch("vco-s", { Name: "edited" });
        await stop(first);

        const second = await start({
            stateFile,
            seed: [singleTunnelConnection("vco-s", { Name: "from-seed" }), singleTunnelConnection("vco-new")],
        });
        expect(second.admin.get("vco-s").Name).to.equal("edited");
        expect(second.admin.get("vco-new").Name).to.equal("emulator-new");
    });
});
