/**
 * `npm run bench:rollout`: what the gated rollout (`rollout.tunnels:
 * "oneAtATime"`, docs/rollout.md) adds to an update, against the emulated
 * peer's negotiation time.
 *
 * For each negotiation time N, a PSK rotation of both tunnels of a
 * dual-tunnel connection whose peers already have the new keys, through the
 * provider (real SDK, real HTTP, an in-process emulator of its own):
 * - ungated: one Modify, done when the task is;
 * - gated: tunnel 1, wait until it negotiates, tunnel 2, wait again.
 * The gated update's time beyond the ungated update's is the added wait. Each
 * tunnel negotiates T + N after its Modify reaches the emulator (the call
 * log's times); the time from there to the next Modify, and from the second
 * tunnel's to the update's return, is the gate's lag: how late it sees a
 * tunnel negotiated, plus the settle read before the second Modify.
 * Prints one line per N and the medians; the provider's own progress lines
 * are kept out of the output.
 */
import { dualTunnelConnection, startEmulator, type EmulatorHandle, type PeerSide } from "../emulator";
import { CheckedInputs, RolloutSettings, VpnAttachmentAttributeProvider } from "../provider";
import { log, median, now, secs } from "./util";

const TASK_MS = 500;
const NEGOTIATION_MS = [500, 1_000, 2_000, 4_000];
const REPETITIONS = 3;

function peerWith(conn: ReturnType<typeof dualTunnelConnection>, index: 0 | 1, psk: string): PeerSide {
    const tunnel = conn.TunnelOptionsSpecification?.TunnelOptions[index];
    return {
        Psk: psk,
        IkeConfig: { LocalId: tunnel?.TunnelIkeConfig?.RemoteId, RemoteId: tunnel?.TunnelIkeConfig?.LocalId },
        Bgp: { PeerBgpIp: tunnel?.TunnelBgpConfig?.LocalBgpIp },
    };
}

/** One rotation on a fresh connection of `emulator`: its wall time, and when it returned (epoch ms). */
async function rotate(
    emulator: EmulatorHandle,
    id: string,
    rollout: RolloutSettings | undefined,
): Promise<{ ms: number; endedAt: number }> {
    const conn = dualTunnelConnection(id);
    const newPsks = ["benchRotated1", "benchRotated2"];
    conn.TunnelOptionsSpecification?.TunnelOptions.forEach((t, i) => (t.Peer = peerWith(conn, i as 0 | 1, newPsks[i])));
    emulator.admin.seed(conn);
    const inputs = {
        regionId: "cn-hangzhou",
        vpnConnectionId: id,
        rollout,
        tunnelOptionsSpecification: [
            { tunnelIndex: 1, tunnelIkeConfig: { psk: newPsks[0] } },
            { tunnelIndex: 2, tunnelIkeConfig: { psk: newPsks[1] } },
        ],
    } as CheckedInputs;
    const print = console.log;
    console.log = () => undefined;
    try {
        const started = now();
        await new VpnAttachmentAttributeProvider().create(inputs);
        return { ms: now() - started, endedAt: Date.now() };
    } finally {
        console.log = print;
    }
}

/** When each Modify of connection `id` reached the emulator, epoch ms. */
function modifyTimes(emulator: EmulatorHandle, id: string): number[] {
    return emulator.admin
        .calls()
        .filter((c) => c.action === "ModifyVpnAttachmentAttribute" && c.params.VpnConnectionId === id)
        .map((c) => Date.parse(c.time));
}

async function main(): Promise<void> {
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    const rows: string[] = [];
    const lags: number[] = [];
    for (const negotiationMs of NEGOTIATION_MS) {
        const emulator = await startEmulator({ taskDurationMs: TASK_MS, negotiationMs });
        Object.assign(process.env, {
            ALICLOUD_ACCESS_KEY: emulator.accessKeyId,
            ALICLOUD_SECRET_KEY: emulator.accessKeySecret,
            ALICLOUD_VPC_ENDPOINT: emulator.endpoint,
        });
        const ungated: number[] = [];
        const gated: number[] = [];
        const gateLags: number[] = [];
        for (let rep = 0; rep < REPETITIONS; rep++) {
            ungated.push((await rotate(emulator, `vco-bench-free-${negotiationMs}-${rep}`, undefined)).ms);
            const id = `vco-bench-gate-${negotiationMs}-${rep}`;
            const run = await rotate(emulator, id, { tunnels: "oneAtATime" });
            gated.push(run.ms);
            const [first, second] = modifyTimes(emulator, id);
            const negotiated = (sentAt: number) => sentAt + TASK_MS + negotiationMs;
            gateLags.push(second - negotiated(first) + (run.endedAt - negotiated(second)));
        }
        await emulator.close();
        const lag = median(gateLags);
        lags.push(lag / (2 * negotiationMs));
        const line =
            `task T ${secs(TASK_MS, 1)} s, negotiation N ${secs(negotiationMs, 1)} s: ungated ${secs(median(ungated))} s, ` +
            `gated ${secs(median(gated))} s: added ${secs(median(gated) - median(ungated))} s ` +
            `(2N = ${secs(2 * negotiationMs)} s); the gate saw the tunnels negotiated ${secs(lag)} s late in all`;
        rows.push(line);
        log(line);
    }
    process.stdout.write(
        `\ngated rollout, medians of ${REPETITIONS}:\n${rows.map((r) => `  ${r}`).join("\n")}\n` +
            `  the gate's lag, median over N: ${(median(lags) * 100).toFixed(0)}% of 2N\n`,
    );
}

main().then(
    () => process.exit(0),
    (err: unknown) => {
        console.error(err);
        process.exit(1);
    },
);
