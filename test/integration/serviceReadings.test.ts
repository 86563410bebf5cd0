import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle, READINGS } from "../../emulator";
import { describeBody } from "../../emulator/render";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { userMessage } from "../../provider/foundation/userMessage";
import { CheckedInputs } from "../../provider/model/types";
import { emulatorPerSuite, providerOnEmulator } from "../support/emulatorSuite";

/**
 * The provider against other readings of the service and against other
 * actors (docs/service-readings.md): each test here failed on the provider
 * as it was before issue 19.
 */
describe("provider under other readings of the service and other actors", function () {
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    const SINGLE = "vco-read-single";
    const DUAL = "vco-read-dual";
    const OTHER = "vco-read-other";
    const REGION = "cn-hangzhou";

    emulatorPerSuite(
        { port: 0, taskDurationMs: 200 },
        (started) => (emulator = started),
        (e) =>
            e.admin.seed([
                singleTunnelConnection(SINGLE),
                dualTunnelConnection(DUAL),
                singleTunnelConnection(OTHER, { IkeConfig: { Psk: "otherConnPsk99" } }),
            ]),
    );
    providerOnEmulator(() => emulator);

    async function checked(news: Record<string, unknown>): Promise<CheckedInputs> {
        const result = await new VpnAttachmentAttributeProvider().check({}, { regionId: REGION, ...news });
        expect(result.failures ?? []).to.deep.equal([]);
        return result.inputs as CheckedInputs;
    }

    function modifies() {
        return emulator.admin.calls().filter((c) => c.action === "ModifyVpnAttachmentAttribute");
    }

    /** Polls the emulator's call log, every 5 ms, until `seen` holds; fails after 10 s. */
    async function until(seen: () => boolean): Promise<void> {
        const deadline = Date.now() + 10_000;
        while (!seen()) {
            if (Date.now() > deadline) throw new Error("the expected call never came");
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
    }

    async function failure(promise: Promise<unknown>): Promise<Error> {
        return promise.then(
            () => expect.fail("expected the update to fail"),
            (err: Error) => err,
        );
    }

    it("item 1: an IKE-only change goes with both subnets, so a service that requires them takes it", async () => {
        emulator.admin.setReadings(["subnetsWithConfig"]);
        const inputs = await checked({ vpnConnectionId: SINGLE, ikeConfig: { ikeLifetime: 3600 } });
        await new VpnAttachmentAttributeProvider().create(inputs);
        expect(modifies().map((c) => c.code)).to.deep.equal(["OK"]);
        expect(emulator.admin.get(SINGLE).IkeConfig?.IkeLifetime).to.equal(3600);
    });

    it("item 1: a tunnel entry goes whole, so a service that resets what it omits keeps DPD and NAT traversal", async () => {
        emulator.admin.setReadings(["resetOmitted"]);
        const inputs = await checked({
            vpnConnectionId: DUAL,
            tunnelOptionsSpecification: [{ tunnelIndex: 1, tunnelIkeConfig: { ikeLifetime: 3600 } }],
        });
        await new VpnAttachmentAttributeProvider().create(inputs);
        const [first, second] = emulator.admin.get(DUAL).TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(first.TunnelIkeConfig).to.include({
            IkeLifetime: "3600",
            IkeAuthAlg: "sha1",
            Psk: "emulatorPskTunnel1",
        });
        expect(first).to.include({ EnableDpd: "true", EnableNatTraversal: "true" });
        expect(second.TunnelIkeConfig?.Psk, "the other tunnel is not sent").to.equal("emulatorPskTunnel2");
        expect(modifies()).to.have.length(1);
    });

    it("item 2: a retry after VpnTask.CONFLICT is planned from a fresh read, keeping a PSK rotated meanwhile", async () => {
        const action = "ModifyVpnAttachmentAttribute";
        emulator.admin.failNext({ code: "VpnTask.CONFLICT", httpStatus: 400, action });
        // The conflict's answer is held back while the console rotates the key.
        emulator.admin.latency({ ms: 500, count: 1, action });
        const inputs = await checked({ vpnConnectionId: SINGLE, ikeConfig: { ikeLifetime: 3600 } });
        const update = new VpnAttachmentAttributeProvider().create(inputs);
        await until(() => modifies().length === 1);
        emulator.admin.patch(SINGLE, { IkeConfig: { Psk: "rotatedByConsole1" } });
        await update;
        expect(modifies().map((c) => c.code)).to.deep.equal(["VpnTask.CONFLICT", "OK"]);
        expect(emulator.admin.get(SINGLE).IkeConfig).to.include({ Psk: "rotatedByConsole1", IkeLifetime: 3600 });
    });

    it("item 3: a Describe answer about another connection is an error that sends nothing", async () => {
        const proxy = await misroutingProxy(emulator, () => describeBody(emulator.admin.get(OTHER), "REQ-MISROUTED"));
        try {
            const inputs = await checked({
                vpnConnectionId: SINGLE,
                endpoint: proxy.endpoint,
                ikeConfig: { ikeLifetime: 3600 },
            });
            const err = await failure(new VpnAttachmentAttributeProvider().create(inputs));
            const message = userMessage(err, { regionId: REGION, vpnConnectionId: SINGLE });
            expect(message).to.include(`answered about connection ${OTHER}, not the one asked for`);
            expect(message).to.include("ModifyVpnAttachmentAttribute was not sent");
            expect(message).to.not.include("otherConnPsk99");
            expect(modifies()).to.deep.equal([]);
        } finally {
            await proxy.close();
        }
    });

    it("item 4: an undeclared setting changed during the Modify fails the update, naming it (a PSK only as changed)", async () => {
        emulator.admin.setTaskDuration(800);
        const inputs = await checked({ vpnConnectionId: SINGLE, name: "renamed" });
        const update = failure(new VpnAttachmentAttributeProvider().create(inputs));
        await until(() => modifies().some((c) => c.code === "OK"));
        emulator.admin.patch(SINGLE, { EnableNatTraversal: false, IkeConfig: { Psk: "sideEffectPsk77" } });
        const message = userMessage(await update, { regionId: REGION, vpnConnectionId: SINGLE });
        expect(message).to.include("ModifyVpnAttachmentAttribute was applied");
        expect(message).to.include("enableNatTraversal: true → false");
        expect(message).to.include("ikeConfig.psk changed (a pre-shared key; values not shown)");
        expect(message).to.include("To keep a value, declare it");
        expect(message).to.not.include("sideEffectPsk77").and.not.include("emulatorPsk0001");
        expect(emulator.admin.get(SINGLE).Name).to.equal("renamed");
    });

    for (const reading of READINGS) {
        it(`converges with exactly one applied Modify and no collateral change under ${reading}`, async () => {
            emulator.admin.setReadings([reading]);
            const inputs = await checked({
                vpnConnectionId: DUAL,
                name: "renamed",
                tunnelOptionsSpecification: [{ tunnelIndex: 2, tunnelIpsecConfig: { ipsecLifetime: 3600 } }],
            });
            const before = emulator.admin.get(DUAL);
            await new VpnAttachmentAttributeProvider().create(inputs);
            expect(modifies().map((c) => c.code)).to.deep.equal(["OK"]);
            const after = emulator.admin.get(DUAL);
            const [was1, was2] = before.TunnelOptionsSpecification?.TunnelOptions ?? [];
            const [now1, now2] = after.TunnelOptionsSpecification?.TunnelOptions ?? [];
            expect(now1).to.deep.equal(was1);
            expect(now2).to.deep.equal({
                ...was2,
                TunnelIpsecConfig: { ...was2.TunnelIpsecConfig, IpsecLifetime: "3600" },
            });
            expect({ ...after, TunnelOptionsSpecification: undefined }).to.deep.equal({
                ...before,
                Name: "renamed",
                TunnelOptionsSpecification: undefined,
            });
        });
    }
});

/**
 * A proxy on loopback that forwards every call to the emulator but answers
 * DescribeVpnConnection with `answer()`: a misrouting proxy, or a service
 * fault, as the provider would see it.
 */
async function misroutingProxy(
    emulator: EmulatorHandle,
    answer: () => Record<string, unknown>,
): Promise<{ endpoint: string; close(): Promise<void> }> {
    const target = new URL(emulator.endpoint);
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const forward = http.request(
                { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
                (upstream) => {
                    const body: Buffer[] = [];
                    upstream.on("data", (chunk: Buffer) => body.push(chunk));
                    upstream.on("end", () => {
                        const describe = req.headers["x-acs-action"] === "DescribeVpnConnection";
                        const text = describe ? JSON.stringify(answer()) : Buffer.concat(body).toString("utf8");
                        res.writeHead(upstream.statusCode ?? 502, { "content-type": "application/json" });
                        res.end(text);
                    });
                },
            );
            forward.end(Buffer.concat(chunks));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
