import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection, type EmulatorHandle } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import {
    describeConnection,
    eventually,
    expectCode,
    modify,
    sdkClient,
    send,
    settled,
    signFor,
    tunnelSpec,
} from "./helpers";

describe("emulator: asynchronous Modify life cycle", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite(
        { taskDurationMs: 150 },
        (started) => (emulator = started),
        (e) => e.admin.setTaskDuration(150),
    );

    it("answers at once, shows old values while updating, then applies the change", async () => {
        emulator.admin.seed(dualTunnelConnection("vco-life"));
        const client = sdkClient(emulator);
        const answer = await modify(client, "vco-life", {
            name: "renamed",
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 2, enableDpd: false, ike: { ikeLifetime: 3600 } })],
        });
        expect(answer.body?.name).to.equal("renamed");

        const during = (await describeConnection(client, "vco-life")).body;
        expect(during?.state).to.equal("updating");
        expect(during?.name).to.equal("emulator-life");
        const [t1, t2] = during?.tunnelOptionsSpecification?.tunnelOptions ?? [];
        expect([t1.state, t2.state]).to.deep.equal(["active", "updating"]);
        expect(t2.enableDpd).to.equal("true");

        await settled(client, "vco-life");
        const after = (await describeConnection(client, "vco-life")).body;
        expect(after?.name).to.equal("renamed");
        const tunnels = after?.tunnelOptionsSpecification?.tunnelOptions ?? [];
        expect(tunnels.map((t) => t.state)).to.deep.equal(["active", "active"]);
        expect(tunnels[1].enableDpd).to.equal("false");
        expect(tunnels[1].tunnelIkeConfig?.ikeLifetime).to.equal("3600");
        expect(tunnels[0].enableDpd).to.equal("true");
    });

    it("returns a VPN-gateway connection to active", async () => {
        emulator.admin.seed(
            singleTunnelConnection("vco-gw", {
                AttachType: "VPNGW",
                State: "active",
                VpnGatewayId: "vpn-emulator0001",
            }),
        );
        const client = sdkClient(emulator);
        await modify(client, "vco-gw", { enableDpd: false });
        expect(emulator.admin.get("vco-gw").State).to.equal("updating");
        await settled(client, "vco-gw", "active");
        expect(emulator.admin.get("vco-gw").EnableDpd).to.equal(false);
    });

    it("answers Modify like the API sample: tunnels as a plain array, numbers and booleans, no State", async () => {
        emulator.admin.seed(dualTunnelConnection("vco-shape"));
        const req = signFor(emulator, {
            action: "ModifyVpnAttachmentAttribute",
            query: { RegionId: "cn-hangzhou", VpnConnectionId: "vco-shape" },
            form: {
                "TunnelOptionsSpecification.1.TunnelIndex": "1",
                "TunnelOptionsSpecification.1.TunnelBgpConfig.LocalAsn": "65001",
            },
        });
        const res = await send(emulator.port, req);
        expect(res.status, JSON.stringify(res.json)).to.equal(200);
        expect(res.json).to.not.have.property("State");
        expect(res.json.RequestId).to.equal(res.headers["x-acs-request-id"]);
        // The leaves stay unknown: their wire types are what is checked.
        const tunnels = res.json.TunnelOptionsSpecification as Array<{
            TunnelBgpConfig: object;
            TunnelIkeConfig: { IkeLifetime: unknown };
            TunnelIpsecConfig: { IpsecLifetime: unknown };
        }>;
        expect(tunnels).to.be.an("array").with.length(2);
        expect(tunnels[0]).to.include({ EnableDpd: true, TunnelIndex: 1 });
        expect(tunnels[0].TunnelBgpConfig).to.include({ LocalAsn: 65001, PeerAsn: 65530 });
        expect(tunnels[0].TunnelIkeConfig.IkeLifetime).to.equal(86400);
        expect(tunnels[0].TunnelIpsecConfig.IpsecLifetime).to.equal(86400);
    });

    it("rejects a second Modify while the task runs with VpnTask.CONFLICT", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-busy"));
        const client = sdkClient(emulator);
        await modify(client, "vco-busy", { name: "first" });
        await expectCode(modify(client, "vco-busy", { name: "second" }), "VpnTask.CONFLICT");
        await settled(client, "vco-busy");
        await modify(client, "vco-busy", { name: "second" });
        await settled(client, "vco-busy");
        expect(emulator.admin.get("vco-busy").Name).to.equal("second");
    });

    it("honours a per-connection task duration", async () => {
        emulator.admin.seed([singleTunnelConnection("vco-slow"), singleTunnelConnection("vco-fast")]);
        emulator.admin.setTaskDuration(5000, "vco-slow");
        emulator.admin.setTaskDuration(10);
        const client = sdkClient(emulator);
        await modify(client, "vco-slow", { name: "slow" });
        await modify(client, "vco-fast", { name: "fast" });
        await settled(client, "vco-fast");
        expect(emulator.admin.get("vco-slow").State).to.equal("updating");
    });

    it("replays the first answer for a repeated ClientToken without applying again", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-token"));
        const client = sdkClient(emulator);
        const first = await modify(client, "vco-token", { name: "once", clientToken: "token-1" });
        const duringTask = await modify(client, "vco-token", { name: "once", clientToken: "token-1" });
        expect(duringTask.body?.requestId).to.equal(first.body?.requestId);

        await settled(client, "vco-token");
        emulator.admin.patch("vco-token", { Name: "changed-since" });
        const later = await modify(client, "vco-token", { name: "once", clientToken: "token-1" });
        expect(later.body?.requestId).to.equal(first.body?.requestId);
        expect(later.body?.name).to.equal("once");
        const conn = emulator.admin.get("vco-token");
        expect(conn?.State).to.equal("attached");
        expect(conn?.Name).to.equal("changed-since");
        expect(emulator.admin.calls().filter((c) => c.clientToken === "token-1")).to.have.length(3);
    });

    it("rejects a reused ClientToken with other parameters with IdempotentParameterMismatch", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-mismatch"));
        const client = sdkClient(emulator);
        await modify(client, "vco-mismatch", { name: "one", clientToken: "token-2" });
        await expectCode(
            modify(client, "vco-mismatch", { name: "two", clientToken: "token-2" }),
            "IdempotentParameterMismatch",
        );
    });

    it("masks every pre-shared key in the call log", async () => {
        emulator.admin.seed([singleTunnelConnection("vco-log1"), dualTunnelConnection("vco-log2")]);
        const client = sdkClient(emulator);
        await modify(client, "vco-log1", {
            ikeConfig: JSON.stringify({ Psk: "secretPsk1", IkeMode: "main" }),
            clientToken: "log-1",
        });
        await modify(client, "vco-log2", {
            tunnelOptionsSpecification: [tunnelSpec({ tunnelIndex: 1, ike: { psk: "secretPsk2" } })],
        });
        const calls = emulator.admin.calls();
        expect(JSON.stringify(calls)).to.not.match(/secretPsk/);
        expect(JSON.parse(calls[0].params.IkeConfig)).to.deep.equal({ Psk: "***", IkeMode: "main" });
        expect(calls[0]).to.include({
            clientToken: "log-1",
            code: "OK",
            httpStatus: 200,
            action: "ModifyVpnAttachmentAttribute",
        });
        expect(calls[1].params["TunnelOptionsSpecification.1.TunnelIkeConfig.Psk"]).to.equal("***");
        await eventually(() =>
            expect(
                emulator.admin.get("vco-log2").TunnelOptionsSpecification?.TunnelOptions[0].TunnelIkeConfig?.Psk,
            ).to.equal("secretPsk2"),
        );
    });
});
