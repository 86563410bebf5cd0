import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { adopt, parseAdoptArgs, type AdoptArgs } from "../../cli/adopt";
import { dualTunnelConnection, EmulatorHandle, singleTunnelConnection } from "../../emulator";
import { desiredFromInputs, settingsOf } from "../../provider/model/pulumiState";
import { buildModifyRequest } from "../../provider/model/requests";
import { CheckedInputs } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { observe } from "../../provider/pulumi/operations";
import { declaredArgs } from "../support/adoptedDeclaration";
import { emulatorPerSuite, providerOnEmulator } from "../support/emulatorSuite";

/**
 * `adopt` reads a connection with the provider's credentials and endpoint
 * settings and prints a declaration that check accepts and that, applied to
 * the same connection, needs no Modify; it never prints a PSK.
 */
describe("adopt: a declaration matching the connection (emulator)", function () {
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    const SINGLE = "vco-adopt-single";
    const DUAL = "vco-adopt-dual";
    emulatorPerSuite(
        { port: 0, taskDurationMs: 50 },
        (started) => (emulator = started),
        (e) =>
            e.admin.seed([
                singleTunnelConnection(SINGLE, {
                    Name: "office",
                    LocalSubnet: "10.1.1.0/24,10.1.2.0/24",
                    VcoHealthCheck: { Enable: "true", Dip: "10.0.0.1", Sip: "10.1.1.1", Interval: 3, Retry: 5 },
                }),
                dualTunnelConnection(DUAL, { Name: "dual" }),
            ]),
    );
    providerOnEmulator(() => emulator);

    function args(argv: string[]): AdoptArgs {
        const parsed = parseAdoptArgs(argv);
        if ("problem" in parsed) throw new Error(parsed.problem);
        return parsed;
    }

    for (const id of [SINGLE, DUAL]) {
        it(`declares ${id} so that check passes and nothing would be sent, with no PSK`, async () => {
            const text = await adopt(args([id, "--region", "cn-hangzhou", "--name", "office"]), process.env);
            expect(text).to.include('new VpnAttachmentAttribute("office", {');
            const psks = [
                emulator.admin.get(id).IkeConfig?.Psk,
                ...(emulator.admin.get(id).TunnelOptionsSpecification?.TunnelOptions ?? []).map(
                    (t) => t.TunnelIkeConfig?.Psk,
                ),
            ];
            for (const psk of psks.filter((p) => p !== undefined)) expect(text).to.not.include(psk);
            expect(text).to.not.match(/psk/i);

            const checked = checkInputs(declaredArgs(text));
            expect(checked.failures).to.deep.equal([]);
            const inputs = checked.inputs as unknown as CheckedInputs;
            const observed = await observe({}, settingsOf(inputs));
            expect(buildModifyRequest(settingsOf(inputs), desiredFromInputs(inputs), observed!)).to.equal(undefined);
        });
    }

    it("declares every attribute the connection reports, for its tunnel mode", async () => {
        const single = declaredArgs(await adopt(args([SINGLE, "--region=cn-hangzhou"]), process.env));
        expect(Object.keys(single)).to.include.members([
            "name",
            "localSubnet",
            "enableDpd",
            "ikeConfig",
            "ipsecConfig",
            "bgpConfig",
            "healthCheckConfig",
        ]);
        expect(single).to.not.have.property("tunnelOptionsSpecification");
        const dual = declaredArgs(await adopt(args([DUAL, "--region", "cn-hangzhou"]), process.env));
        expect(dual).to.not.have.property("ikeConfig");
        expect((dual.tunnelOptionsSpecification as unknown[]).length).to.equal(2);
    });

    it("says why it declares nothing: no such connection, no region, a bad argument", async () => {
        const failure = (work: Promise<string>): Promise<string> =>
            work.then(
                () => "no error",
                (e: Error) => e.message,
            );
        expect(await failure(adopt(args(["vco-missing", "--region", "cn-hangzhou"]), process.env))).to.equal(
            "no IPsec-VPN connection vco-missing in region cn-hangzhou",
        );
        expect(await failure(adopt(args([SINGLE]), {}))).to.match(/give --region/);
        expect(parseAdoptArgs([SINGLE, "--regoin", "x"])).to.deep.equal({ problem: "unknown argument --regoin" });
        expect(parseAdoptArgs(["--region", "x"])).to.deep.equal({ problem: "give exactly one vpnConnectionId" });
    });

    it("runs as the package's command", async () => {
        const command = path.resolve(__dirname, "../../cli/command.js");
        const { stdout } = await promisify(execFile)(
            process.execPath,
            [command, "adopt", SINGLE, "--region", "cn-hangzhou"],
            { env: process.env },
        );
        expect(declaredArgs(stdout).vpnConnectionId).to.equal(SINGLE);
    });
});
