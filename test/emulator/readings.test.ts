import { expect } from "chai";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { dualTunnelConnection, EmulatorHandle, singleTunnelConnection } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import {
    adminCall,
    describeConnection,
    eventually,
    expectCode,
    failedStart,
    modify,
    sdkClient,
    settled,
    tunnelSpec,
} from "./helpers";

const json = (value: unknown) => JSON.stringify(value);

describe("emulator: readings of the service", function () {
    this.timeout(20_000);
    let emulator: EmulatorHandle;
    emulatorPerSuite(
        { port: 0, taskDurationMs: 20 },
        (started) => (emulator = started),
        (e) => e.admin.seed([singleTunnelConnection("vco-r1"), dualTunnelConnection("vco-r2")]),
    );

    it("are set and listed through the admin API, refused by unknown name, and off again after reset", async () => {
        expect((await adminCall(emulator, "GET", "readings")).json).to.deep.equal([]);
        const set = await adminCall(emulator, "PUT", "settings", { readings: ["canonical", "lateReads"] });
        expect(set.status).to.equal(200);
        expect((await adminCall(emulator, "GET", "readings")).json).to.deep.equal(["lateReads", "canonical"]);
        const wrong = await adminCall(emulator, "PUT", "settings", { readings: ["lenient"] });
        expect(wrong.status).to.equal(400);
        expect(wrong.json).to.deep.equal({
            error: "Unknown reading lenient: readings are subnetsWithConfig, resetOmitted, lateReads, canonical.",
        });
        await adminCall(emulator, "POST", "reset");
        expect(emulator.admin.readings()).to.deep.equal([]);
    });

    it("subnetsWithConfig: refuses a config or tunnel entry without both subnets, and takes a name alone", async () => {
        emulator.admin.setReadings(["subnetsWithConfig"]);
        const client = sdkClient(emulator);
        await expectCode(modify(client, "vco-r1", { ipsecConfig: json({ IpsecPfs: "group5" }) }), "MissingParameter");
        await expectCode(
            modify(client, "vco-r2", {
                localSubnet: "10.0.0.0/8",
                tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, enableDpd: false })],
            }),
            "MissingParameter",
        );
        await modify(client, "vco-r1", { name: "renamed" });
        await settled(client, "vco-r1");
        await modify(client, "vco-r1", {
            localSubnet: "0.0.0.0/0",
            remoteSubnet: "0.0.0.0/0",
            ipsecConfig: json({ IpsecPfs: "group5" }),
        });
        await settled(client, "vco-r1");
        expect(emulator.admin.get("vco-r1").IpsecConfig?.IpsecPfs).to.equal("group5");
    });

    it("resetOmitted: a tunnel entry turns off DPD and NAT traversal it omits, and a config resets its other keys", async () => {
        emulator.admin.setReadings(["resetOmitted"]);
        // With tunnel BGP on, the omitted TunnelBgpConfig would lose its TunnelCidr and be refused.
        emulator.admin.patch("vco-r2", { EnableTunnelsBgp: false });
        const client = sdkClient(emulator);
        await modify(client, "vco-r2", {
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ike: { ikeLifetime: 3600 } })],
        });
        await settled(client, "vco-r2");
        const [first, second] = emulator.admin.get("vco-r2").TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(first).to.include({ EnableDpd: "false", EnableNatTraversal: "false" });
        expect(first.TunnelIkeConfig).to.include({ IkeLifetime: "3600", IkeVersion: "ikev1", IkeAuthAlg: "md5" });
        expect(second).to.include({ EnableDpd: "true", EnableNatTraversal: "true" });
        await modify(client, "vco-r1", { ipsecConfig: json({ IpsecLifetime: 3600 }) });
        await settled(client, "vco-r1");
        expect(emulator.admin.get("vco-r1").IpsecConfig).to.deep.equal({
            IpsecEncAlg: "aes",
            IpsecAuthAlg: "md5",
            IpsecPfs: "group2",
            IpsecLifetime: 3600,
        });
    });

    it("lateReads: Describe shows the old values for two reads after the task ends, then the new", async () => {
        emulator.admin.setReadings(["lateReads"]);
        const client = sdkClient(emulator);
        await modify(client, "vco-r1", { name: "renamed" });
        // The store, not Describe: looking there uses none of the late reads.
        await eventually(() => expect(emulator.admin.get("vco-r1")).to.include({ State: "attached", Name: "renamed" }));
        const names = [];
        for (let read = 0; read < 3; read++) {
            const body = (await describeConnection(client, "vco-r1")).body;
            names.push([body?.state, body?.name]);
        }
        expect(names).to.deep.equal([
            ["attached", "emulator-r1"],
            ["attached", "emulator-r1"],
            ["attached", "renamed"],
        ]);
    });

    it("canonical: Describe reports lower-case algorithms, network addresses, and numbers and booleans as strings", async () => {
        emulator.admin.setReadings(["canonical"]);
        emulator.admin.patch("vco-r1", { LocalSubnet: "10.1.1.7/24,10.2.0.0/16", IkeConfig: { IkeEncAlg: "AES256" } });
        const response = await fetch(`${emulator.endpoint}/__admin/connections/vco-r1`);
        expect(((await response.json()) as { LocalSubnet: string }).LocalSubnet, "stored as given").to.equal(
            "10.1.1.7/24,10.2.0.0/16",
        );
        const body = (await describeConnection(sdkClient(emulator), "vco-r1")).body;
        expect(body?.localSubnet).to.equal("10.1.1.0/24,10.2.0.0/16");
        expect(body?.ikeConfig?.ikeEncAlg).to.equal("aes256");
        expect(body?.ikeConfig?.ikeLifetime).to.equal(86400);
        expect(body?.enableDpd).to.equal(true);
    });

    it("PSK by default: an IkeConfig without Psk makes a new 16-character key", async () => {
        const client = sdkClient(emulator);
        await modify(client, "vco-r1", { ikeConfig: json({ IkeLifetime: 3600 }) });
        await settled(client, "vco-r1");
        const psk = emulator.admin.get("vco-r1").IkeConfig?.Psk;
        expect(psk)
            .to.match(/^[A-Za-z0-9]{16}$/)
            .and.not.equal("emulatorPsk0001");
    });
});

describe("emulator: --readings", function () {
    this.timeout(20_000);

    it("starts with the readings named, and says so in its banner", async () => {
        const child = spawn(process.execPath, [
            resolve(__dirname, "../../emulator/main.js"),
            "--port",
            "0",
            "--readings",
            "canonical,subnetsWithConfig",
        ]);
        const line = await new Promise<string>((resolveLine) =>
            createInterface({ input: child.stdout }).once("line", resolveLine),
        );
        const exit = new Promise((resolveExit) => child.once("exit", resolveExit));
        child.kill("SIGTERM");
        await exit;
        expect((JSON.parse(line) as { readings: string[] }).readings).to.deep.equal(["subnetsWithConfig", "canonical"]);
    });

    it("refuses a reading it does not know", async () => {
        const { code, stderr } = await failedStart(["--readings", "canonical,strict"]);
        expect(code).to.equal(2);
        expect(stderr).to.include("Unknown reading strict");
    });
});
