import { expect } from "chai";
import { request } from "node:http";
import { singleTunnelConnection, type EmulatorHandle } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { adminCall, describeConnection, failedStart, modify, sdkClient, send, settled } from "./helpers";

const CAP = 1024 * 1024;

interface EarlyAnswer {
    status: number;
    body: Record<string, unknown>;
    /** Whether the emulator sent `100 Continue` first. */
    continued: boolean;
}

/**
 * Starts a request, writes `chunk` and never ends the body: only a server that
 * answers before reading the rest can produce a response.
 */
function answerBeforeBodyEnds(
    port: number,
    path: string,
    headers: Record<string, string | number>,
    chunk: Buffer,
): Promise<EarlyAnswer> {
    return new Promise((resolve, reject) => {
        let continued = false;
        const timer = setTimeout(() => {
            outgoing.destroy();
            reject(new Error("no answer while the body was still open"));
        }, 5000);
        const outgoing = request(
            {
                host: "127.0.0.1",
                port,
                method: "POST",
                path,
                headers: { "content-type": "application/json", ...headers },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    clearTimeout(timer);
                    outgoing.destroy();
                    resolve({
                        status: res.statusCode ?? 0,
                        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
                        continued,
                    });
                });
            },
        );
        outgoing.on("continue", () => (continued = true));
        // The emulator closes the connection after its answer; a reset while writing is expected.
        outgoing.on("error", () => undefined);
        outgoing.write(chunk);
    });
}

describe("emulator: request limits", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite({ taskDurationMs: 30 }, (started) => (emulator = started));

    async function stillServes(): Promise<void> {
        emulator.admin.seed(singleTunnelConnection("vco-after"));
        expect((await describeConnection(sdkClient(emulator), "vco-after")).body?.vpnConnectionId).to.equal(
            "vco-after",
        );
        expect((await adminCall(emulator, "GET", "connections")).status).to.equal(200);
    }

    it("answers 413 to a declared oversized body before it is sent, and keeps serving", async () => {
        const answer = await answerBeforeBodyEnds(
            emulator.port,
            "/__admin/connections",
            { "content-length": 300 * CAP },
            Buffer.from("["),
        );
        expect(answer.status).to.equal(413);
        expect(answer.body.error).to.match(/exceeds 1048576 bytes/);
        await stillServes();
    });

    it("answers 413 as soon as a chunked API body passes the cap, without waiting for its end", async () => {
        const answer = await answerBeforeBodyEnds(
            emulator.port,
            "/",
            { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
            Buffer.alloc(CAP + 1, "a"),
        );
        expect(answer.status).to.equal(413);
        expect(answer.body).to.include({ Code: "RequestEntityTooLarge", HostId: "vpc.aliyuncs.com" });
        expect(answer.body.RequestId).to.be.a("string");
        await stillServes();
    });

    it("answers 413 instead of 100 Continue to a client that asks before sending too much", async () => {
        const headers = { "content-length": 2 * CAP, expect: "100-continue" };
        const answer = await answerBeforeBodyEnds(emulator.port, "/__admin/connections", headers, Buffer.alloc(0));
        expect(answer).to.include({ status: 413, continued: false });
        const small = JSON.stringify([singleTunnelConnection("vco-asked")]);
        const res = await send(emulator.port, {
            method: "POST",
            path: "/__admin/connections",
            headers: {
                "content-type": "application/json",
                expect: "100-continue",
                "content-length": String(Buffer.byteLength(small)),
            },
            body: small,
        });
        expect(res.status).to.equal(201);
        await stillServes();
    });

    it("reads a body up to the cap", async () => {
        const padded = `${" ".repeat(CAP - 2)}[]`;
        expect(Buffer.byteLength(padded)).to.equal(CAP);
        const res = await adminCall(emulator, "POST", "connections", padded);
        expect(res.status).to.equal(201);
        expect(res.json).to.deep.equal([]);
    });
});

describe("emulator: task durations", () => {
    const MAX = 2 ** 31 - 1;
    let emulator: EmulatorHandle;

    emulatorPerSuite({ taskDurationMs: 20 }, (started) => (emulator = started));

    it("refuses durations a timer cannot hold, and keeps the previous one", async () => {
        for (const body of [
            { taskDurationMs: MAX + 1 },
            { taskDurationMs: 1e12, connectionId: "vco-long" },
            { taskDurationMs: -1 },
        ]) {
            const res = await adminCall(emulator, "PUT", "settings", body);
            expect(res.status, JSON.stringify(body)).to.equal(400);
            expect((res.json as { error: string }).error).to.match(
                /taskDurationMs must be a number of milliseconds from 0 to 2147483647/,
            );
        }
        expect((await adminCall(emulator, "POST", "faults", { kind: "latency", ms: MAX + 1 })).status).to.equal(400);
        emulator.admin.seed(singleTunnelConnection("vco-long"));
        const client = sdkClient(emulator);
        await modify(client, "vco-long", { name: "quick" });
        await settled(client, "vco-long");
    });

    it("holds a task for the longest duration accepted", async () => {
        emulator.admin.seed([singleTunnelConnection("vco-max"), singleTunnelConnection("vco-short")]);
        expect(
            (await adminCall(emulator, "PUT", "settings", { taskDurationMs: MAX, connectionId: "vco-max" })).status,
        ).to.equal(200);
        const client = sdkClient(emulator);
        await modify(client, "vco-max", { name: "held" });
        await modify(client, "vco-short", { name: "done" });
        await settled(client, "vco-short");
        expect((await describeConnection(client, "vco-max")).body?.state).to.equal("updating");
    });

    it("refuses them on the command line too", async () => {
        const run = await failedStart(["--task-duration-ms", String(MAX + 1)]);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.match(/taskDurationMs must be a number of milliseconds from 0 to 2147483647/);
    });
});
