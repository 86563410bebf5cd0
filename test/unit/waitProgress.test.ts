import { expect } from "chai";
import { ObservedConnection } from "../../provider/model/types";
import { connectionSettled, describeConnection, waitFor } from "../../provider/service/waiting";
import { VirtualClock } from "./virtualClock";

/** A dual-tunnel connection whose second tunnel stays busy until `doneAt`. */
function tunnelBusyUntil(clock: VirtualClock, doneAt: number): () => Promise<ObservedConnection> {
    const start = clock.now();
    return () =>
        Promise.resolve({
            vpnConnectionId: "vco-slow",
            mode: "dual",
            state: "attached",
            tunnelOptionsSpecification: [
                { tunnelId: "tun-1", tunnelIndex: 1, state: "active" },
                { tunnelId: "tun-2", tunnelIndex: 2, state: clock.now() - start < doneAt ? "updating" : "active" },
            ],
        });
}

describe("waiting: progress lines during long waits (virtual clock)", () => {
    async function linesFor(taskMs: number, delayMs: number): Promise<string[]> {
        const clock = new VirtualClock();
        const lines: string[] = [];
        await waitFor({
            poll: tunnelBusyUntil(clock, taskMs),
            acceptor: connectionSettled,
            deadline: clock.now() + 3_600_000,
            clock,
            delays: () => delayMs,
            describe: describeConnection,
            progress: (line) => lines.push(line),
            waitingFor: "vco-slow: the task ModifyVpnAttachmentAttribute started",
        });
        return lines;
    }

    it("says every 30 s which connection and which tunnel it waits for, and for how long", async () => {
        const lines = await linesFor(100_000, 5_000);
        expect(lines).to.have.length(3);
        expect(lines[0]).to.equal(
            "vco-slow: the task ModifyVpnAttachmentAttribute started: still waiting after 30 s; " +
                "connection vco-slow attached (tunnel tun-1 active, tunnel tun-2 updating); a task is running on tunnel tun-2",
        );
        expect(lines.map((l) => /after (\d+) s/.exec(l)?.[1])).to.deep.equal(["30", "60", "90"]);
    });

    it("does not flood the log when polls are frequent", async () => {
        const lines = await linesFor(95_000, 200);
        expect(lines.map((l) => /after (\d+) s/.exec(l)?.[1])).to.deep.equal(["30", "60", "90"]);
    });

    it("stays silent for waits shorter than 30 s", async () => {
        expect(await linesFor(29_000, 1_000)).to.deep.equal([]);
    });

    it("with sparse polls, writes at the first poll after each 30 s", async () => {
        const lines = await linesFor(100_000, 20_000);
        expect(lines.map((l) => /after (\d+) s/.exec(l)?.[1])).to.deep.equal(["40", "80"]);
    });
});
