import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection, type EmulatorHandle, type SeedConnection } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { adminCall, describeConnection, expectCode, modify, sdkClient, settled } from "./helpers";

describe("emulator: admin HTTP API", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite({ taskDurationMs: 30 }, (started) => (emulator = started));

    it("seeds, reads, patches and removes connections", async () => {
        const created = await adminCall(emulator, "POST", "connections", [
            singleTunnelConnection("vco-a1"),
            dualTunnelConnection("vco-a2"),
        ]);
        expect(created.status).to.equal(201);
        expect((created.json as SeedConnection[]).map((c) => c.VpnConnectionId)).to.deep.equal(["vco-a1", "vco-a2"]);
        expect((await adminCall(emulator, "POST", "connections", singleTunnelConnection("vco-a3"))).status).to.equal(
            201,
        );

        const listed = await adminCall(emulator, "GET", "connections");
        expect((listed.json as SeedConnection[]).length).to.equal(3);
        const one = await adminCall(emulator, "GET", "connections/vco-a2");
        expect(one.json).to.deep.equal(dualTunnelConnection("vco-a2"));

        const patched = await adminCall(emulator, "PATCH", "connections/vco-a2", {
            Status: "ike_sa_not_established",
            TunnelOptionsSpecification: {
                TunnelOptions: [
                    { TunnelId: "tun-a2-2", Status: "ike_sa_not_established", TunnelBgpConfig: { BgpStatus: null } },
                ],
            },
        });
        expect(patched.status).to.equal(200);
        const tunnels = (patched.json as SeedConnection).TunnelOptionsSpecification?.TunnelOptions ?? [];
        expect(tunnels).to.have.length(2);
        expect(tunnels[0].Status).to.equal("ipsec_sa_established");
        expect(tunnels[1].Status).to.equal("ike_sa_not_established");
        expect(tunnels[1].TunnelBgpConfig).to.not.have.property("BgpStatus");
        expect(tunnels[1].TunnelBgpConfig?.TunnelCidr).to.equal("169.254.20.0/30");
        const seen = await describeConnection(sdkClient(emulator), "vco-a2");
        expect(seen.body?.status).to.equal("ike_sa_not_established");

        expect((await adminCall(emulator, "DELETE", "connections/vco-a1")).json).to.deep.equal({ removed: "vco-a1" });
        expect((await adminCall(emulator, "GET", "connections/vco-a1")).status).to.equal(404);
        expect(() => emulator.admin.get("vco-a1")).to.throw(/does not exist/);
        expect((await adminCall(emulator, "DELETE", "connections/vco-a1")).status).to.equal(404);
        expect((await adminCall(emulator, "PATCH", "connections/vco-a1", { Name: "x" })).status).to.equal(404);
    });

    it("reports and clears the call log; admin calls are not logged", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-log"));
        await describeConnection(sdkClient(emulator), "vco-log");
        const calls = await adminCall(emulator, "GET", "calls");
        expect(calls.json).to.have.length(1);
        expect((calls.json as Array<Record<string, unknown>>)[0]).to.include({
            action: "DescribeVpnConnection",
            code: "OK",
            httpStatus: 200,
        });
        expect((await adminCall(emulator, "DELETE", "calls")).status).to.equal(200);
        expect((await adminCall(emulator, "GET", "calls")).json).to.deep.equal([]);
    });

    it("injects every fault kind and clears them", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-fault"));
        const client = sdkClient(emulator);
        expect(
            (await adminCall(emulator, "POST", "faults", { kind: "fail", code: "InternalError", httpStatus: 500 }))
                .status,
        ).to.equal(201);
        await expectCode(describeConnection(client, "vco-fault"), "InternalError", 500);

        await adminCall(emulator, "POST", "faults", { kind: "drop" });
        expect(
            await describeConnection(client, "vco-fault").then(
                () => "answered",
                () => "dropped",
            ),
        ).to.equal("dropped");

        await adminCall(emulator, "POST", "faults", { kind: "latency", ms: 120, count: 1 });
        const started = Date.now();
        await describeConnection(client, "vco-fault");
        expect(Date.now() - started).to.be.at.least(110);

        await adminCall(emulator, "POST", "faults", { kind: "throttle", perSecond: 1, retryAfterMs: 700 });
        await describeConnection(client, "vco-fault");
        expect((await expectCode(describeConnection(client, "vco-fault"), "Throttling.User")).retryAfter).to.equal(700);
        expect((await adminCall(emulator, "DELETE", "faults")).status).to.equal(200);

        // With a zero-length task only the stuck flag can keep the connection updating across round trips.
        emulator.admin.setTaskDuration(0, "vco-fault");
        await adminCall(emulator, "POST", "faults", { kind: "stuck", connectionId: "vco-fault" });
        await modify(client, "vco-fault", { name: "held" });
        await describeConnection(client, "vco-fault");
        expect((await describeConnection(client, "vco-fault")).body?.state).to.equal("updating");
        await adminCall(emulator, "POST", "faults", { kind: "stuck", connectionId: "vco-fault", stuck: false });
        await settled(client, "vco-fault");
    });

    it("changes task durations through settings", async () => {
        emulator.admin.seed([singleTunnelConnection("vco-s1"), singleTunnelConnection("vco-s2")]);
        expect(
            (await adminCall(emulator, "PUT", "settings", { taskDurationMs: 5000, connectionId: "vco-s1" })).status,
        ).to.equal(200);
        const client = sdkClient(emulator);
        await modify(client, "vco-s1", { name: "slow" });
        await modify(client, "vco-s2", { name: "fast" });
        await settled(client, "vco-s2");
        expect(emulator.admin.get("vco-s1").State).to.equal("updating");
    });

    it("resets everything", async () => {
        emulator.admin.seed(singleTunnelConnection("vco-r"));
        await describeConnection(sdkClient(emulator), "vco-r");
        emulator.admin.failNext({ code: "InternalError", httpStatus: 500 });
        expect((await adminCall(emulator, "POST", "reset")).status).to.equal(200);
        expect(emulator.admin.list()).to.deep.equal([]);
        expect(emulator.admin.calls()).to.deep.equal([]);
        await expectCode(
            describeConnection(sdkClient(emulator), "vco-r"),
            "InvalidVpnConnectionInstanceId.NotFound",
            404,
        );
    });

    it("answers bad input with JSON errors", async () => {
        const badJson = await adminCall(emulator, "POST", "connections", "{nope");
        expect(badJson.status).to.equal(400);
        expect(badJson.json).to.have.property("error");
        expect((await adminCall(emulator, "POST", "connections", [{ Name: "no id" }])).status).to.equal(400);
        expect((await adminCall(emulator, "POST", "faults", { kind: "meteor" })).status).to.equal(400);
        expect(
            (await adminCall(emulator, "POST", "faults", { kind: "fail", code: "X", httpStatus: "500" })).status,
        ).to.equal(400);
        expect((await adminCall(emulator, "PUT", "settings", { taskDurationMs: "soon" })).status).to.equal(400);
        expect((await adminCall(emulator, "GET", "nothing-here")).status).to.equal(404);
    });
});
