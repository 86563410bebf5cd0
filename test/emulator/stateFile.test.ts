import { expect } from "chai";
import {
    lstatSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    rmSync,
    statSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { singleTunnelConnection, startEmulator } from "../../emulator";

/** What the emulator leaves on disk: its state file holds every PSK. */
describe("emulator: the state file on disk", () => {
    const PSK = "Zq7<Kx&y'9-on-disk";
    let dir: string;

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "vpc-emulator-disk-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    async function seedAndStop(stateFile: string): Promise<void> {
        const emulator = await startEmulator({ port: 0, stateFile });
        try {
            emulator.admin.seed([singleTunnelConnection("vco-disk", { IkeConfig: { Psk: PSK } })]);
        } finally {
            await emulator.close();
        }
    }

    it("writes through no link planted at the old temporary name, and keeps the state file a plain file", async () => {
        const stateFile = join(dir, "state.json");
        const elsewhere = join(dir, "world-readable.txt");
        writeFileSync(elsewhere, "", { mode: 0o644 });
        // The name the emulator used to write to first: predictable from its process id.
        symlinkSync(elsewhere, `${stateFile}.${process.pid}.tmp`);

        await seedAndStop(stateFile);

        expect(readFileSync(elsewhere, "utf8"), "the link's target").to.equal("");
        expect(lstatSync(stateFile).isSymbolicLink(), "state.json is a link").to.equal(false);
        expect(readFileSync(stateFile, "utf8")).to.include("vco-disk");
        expect(readdirSync(dir).sort()).to.deep.equal([
            "state.json",
            `state.json.${process.pid}.tmp`,
            "world-readable.txt",
        ]);
        if (process.platform !== "win32") {
            expect(statSync(stateFile).mode & 0o777).to.equal(0o600);
        }
    });
});
