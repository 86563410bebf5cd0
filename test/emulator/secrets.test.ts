import { expect } from "chai";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { singleTunnelConnection, startEmulator, type EmulatorHandle } from "../../emulator";
import { adminCall, eventually, failedStart, send, signFor } from "./helpers";

/** A Modify as a client could write it: the IkeConfig JSON text is sent exactly as given. */
async function modifyRaw(emulator: EmulatorHandle, id: string, ikeConfig: string): Promise<number> {
    const query = { RegionId: "cn-hangzhou", VpnConnectionId: id };
    const res = await send(
        emulator.port,
        signFor(emulator, { action: "ModifyVpnAttachmentAttribute", query, form: { IkeConfig: ikeConfig } }),
    );
    return res.status;
}

async function loggedCalls(emulator: EmulatorHandle): Promise<string> {
    const res = await adminCall(emulator, "GET", "calls");
    expect(res.status).to.equal(200);
    return JSON.stringify(res.json);
}

describe("emulator: pre-shared keys in what it logs and stores", () => {
    let emulator: EmulatorHandle;
    let dir: string;

    beforeEach(async () => {
        dir = mkdtempSync(join(tmpdir(), "vpc-emulator-secrets-"));
        emulator = await startEmulator({ taskDurationMs: 20, stateFile: join(dir, "state.json") });
    });
    afterEach(async () => {
        await emulator.close();
        rmSync(dir, { recursive: true, force: true });
    });

    it("masks a PSK whose key is spelled with JSON escapes, after applying it", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-esc"));
        expect(await modifyRaw(emulator, "vco-esc", '{"\\u0050sk":"escapedKey1","IkeMode":"main"}')).to.equal(200);
        await eventually(() => expect(emulator.admin.get("vco-esc").IkeConfig?.Psk).to.equal("escapedKey1"));
        const calls = await loggedCalls(emulator);
        expect(calls).to.not.include("escapedKey1");
        const [call] = JSON.parse(calls) as Array<{ params: Record<string, string> }>;
        expect(JSON.parse(call.params.IkeConfig)).to.deep.equal({ Psk: "***", IkeMode: "main" });
    });

    it("masks every key the service could read as Psk, and duplicates of it", async () => {
        emulator.admin.seed([singleTunnelConnection("vco-dup1"), singleTunnelConnection("vco-dup2")]);
        expect(await modifyRaw(emulator, "vco-dup1", '{"Psk":"firstKey1","\\u0070SK":"secondKey2"}')).to.equal(200);
        expect(await modifyRaw(emulator, "vco-dup2", '{"Psk":"shadowedKey3","P\\u0073k":"***"}')).to.equal(200);
        const calls = await loggedCalls(emulator);
        for (const secret of ["firstKey1", "secondKey2", "shadowedKey3"]) expect(calls).to.not.include(secret);
    });

    it("masks a whole IkeConfig that is not valid JSON", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-bad"));
        expect(await modifyRaw(emulator, "vco-bad", '{"\\u0050sk":"brokenKey4",}')).to.equal(400);
        const calls = await loggedCalls(emulator);
        expect(calls).to.not.include("brokenKey4");
        expect(calls).to.include("InvalidParameter.IkeConfig");
    });

    it("keeps the state file, which holds PSKs in clear, readable by its owner only", async function () {
        if (process.platform === "win32") this.skip();
        expect((await adminCall(emulator, "POST", "connections", singleTunnelConnection("vco-file"))).status).to.equal(
            201,
        );
        expect(statSync(join(dir, "state.json")).mode & 0o777).to.equal(0o600);
    });
});

describe("emulator: command line errors", () => {
    let dir: string;

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "vpc-emulator-secrets-cli-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("do not quote a malformed seed or state file, which may hold PSKs", async () => {
        // Short enough that JSON.parse's own message would quote all of it.
        const broken = '[{"Psk":"fKey5"},x]';
        writeFileSync(join(dir, "seed.json"), broken);
        writeFileSync(join(dir, "state.json"), broken);
        for (const args of [
            ["--seed", join(dir, "seed.json")],
            ["--state-file", join(dir, "state.json")],
        ]) {
            const run = await failedStart(args);
            expect(run.code, args[0]).to.equal(1);
            expect(run.stderr, args[0]).to.include("is not valid JSON");
            expect(run.stderr, args[0]).to.not.include("fKey5");
        }
    });
});
