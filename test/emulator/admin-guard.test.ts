import { expect } from "chai";
import { singleTunnelConnection, type EmulatorHandle } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { send, signFor, type RawResponse } from "./helpers";

/** What a web page could send: any Host (DNS rebinding) and any content type a form or `fetch` sends without asking first. */
function adminRequest(
    emulator: EmulatorHandle,
    method: string,
    path: string,
    headers: Record<string, string>,
    body = "",
): Promise<RawResponse> {
    return send(emulator.port, {
        method,
        path: `/__admin/${path}`,
        headers: { host: `127.0.0.1:${emulator.port}`, ...headers },
        body,
    });
}

describe("emulator: admin API guards", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite({ taskDurationMs: 30 }, (started) => (emulator = started));

    describe("Host header (DNS rebinding)", () => {
        it("refuses host names other than loopback ones, for reads and writes", async () => {
            emulator.admin.seed(singleTunnelConnection("vco-guard"));
            for (const host of [
                "attacker.example",
                `attacker.example:${emulator.port}`,
                "127.0.0.1.attacker.example",
                "localhost.attacker.example:80",
            ]) {
                const read = await adminRequest(emulator, "GET", "connections", { host });
                expect(read.status, host).to.equal(403);
                expect(JSON.stringify(read.json), host).to.not.include("Psk");
                const write = await adminRequest(emulator, "POST", "reset", {
                    host,
                    "content-type": "application/json",
                });
                expect(write.status, host).to.equal(403);
            }
            expect(emulator.admin.list()).to.have.length(1);
        });

        it("answers loopback names with any port", async () => {
            for (const host of [
                "127.0.0.1",
                `127.0.0.1:${emulator.port}`,
                `localhost:${emulator.port}`,
                "LocalHost",
                `[::1]:${emulator.port}`,
            ]) {
                expect((await adminRequest(emulator, "GET", "connections", { host })).status, host).to.equal(200);
            }
        });

        it("guards the signed API the same way, since its default key pair is public", async () => {
            const signed = signFor(emulator);
            const res = await send(emulator.port, {
                ...signed,
                headers: { ...signed.headers, host: "attacker.example" },
            });
            expect(res.status).to.equal(403);
            expect(res.json).to.include({ Code: "Forbidden.Host" });
            expect(emulator.admin.calls()).to.deep.equal([]);
            expect((await send(emulator.port, signFor(emulator))).status).to.equal(200);
        });
    });

    describe("content type of writes (cross-site requests)", () => {
        const seed = JSON.stringify(singleTunnelConnection("vco-csrf"));

        it("refuses writes sent as text/plain, form or multipart data, or without a type", async () => {
            const types = [
                "text/plain",
                "text/plain;charset=UTF-8",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                undefined,
            ];
            for (const type of types) {
                const headers: Record<string, string> = type === undefined ? {} : { "content-type": type };
                const created = await adminRequest(emulator, "POST", "connections", headers, seed);
                expect(created.status, String(type)).to.equal(415);
                expect(created.json.error).to.match(/Content-Type: application\/json/);
                expect(
                    (await adminRequest(emulator, "POST", "faults", headers, '{"kind":"drop"}')).status,
                    String(type),
                ).to.equal(415);
                expect(
                    (await adminRequest(emulator, "PUT", "settings", headers, '{"taskDurationMs":0}')).status,
                    String(type),
                ).to.equal(415);
            }
            emulator.admin.seed(singleTunnelConnection("vco-kept"));
            expect((await adminRequest(emulator, "POST", "reset", { "content-type": "text/plain" })).status).to.equal(
                415,
            );
            expect((await adminRequest(emulator, "DELETE", "connections/vco-kept", {})).status).to.equal(415);
            expect(emulator.admin.list().map((c) => c.VpnConnectionId)).to.deep.equal(["vco-kept"]);
            expect((await send(emulator.port, signFor(emulator))).status).to.equal(200);
        });

        it("accepts JSON with parameters, and reads without a type", async () => {
            const created = await adminRequest(
                emulator,
                "POST",
                "connections",
                { "content-type": "Application/JSON; charset=utf-8" },
                seed,
            );
            expect(created.status).to.equal(201);
            expect((await adminRequest(emulator, "GET", "connections/vco-csrf", {})).status).to.equal(200);
            expect(
                (await adminRequest(emulator, "DELETE", "connections/vco-csrf", { "content-type": "application/json" }))
                    .status,
            ).to.equal(200);
        });
    });
});
