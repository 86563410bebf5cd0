/**
 * Part 1: waiting for the asynchronous Modify task.
 *
 * For each task duration, on connections of their own and at the same time:
 * - provider: `VpnAttachmentAttributeProvider.create` (a first update: no
 *   learned duration), then `update` of the same connection with the first
 *   call's outputs as olds (`lastTaskSeconds` learned);
 * - terraform: Modify, then Describe after 10 s and every 5 s (how the
 *   Terraform alicloud provider's vpn_connection resource waits);
 * - fixed-1s: Modify, then Describe every 1 s.
 * All go through the real SDK over HTTP. Every job (one strategy, duration and
 * repetition) has an in-process emulator of its own, with the task duration
 * under test: the jobs run at the same time to save wall time, and separate
 * emulators keep the provider's coalescing of concurrent Describes (which is
 * keyed by endpoint) from merging one job's polls into another's, and make
 * each job's call log its own. Time is measured from the call to its return;
 * Describe calls (DescribeVpnConnection or a DescribeVpnConnections listing)
 * are counted in the job's call log. The reference strategies make no Describe before
 * their Modify; the provider makes one (it must know whether a task runs and
 * what differs), and that call counts against it.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { CallRecord, EmulatorHandle } from "../emulator";
import { singleTunnelConnection, startEmulator } from "../emulator";
import { AttributeOutputs, CheckedInputs, VpnAttachmentAttributeProvider } from "../provider";
import { Goal } from "./goals";
import { BenchOptions } from "./options";
import { referenceClient } from "./sdk";
import { log, median, now, pct, secs, sleep } from "./util";

export type Strategy = "provider" | "provider-learned" | "terraform" | "fixed-1s";
export const STRATEGIES: Strategy[] = ["provider", "provider-learned", "terraform", "fixed-1s"];
export const STRATEGY_LABEL: Record<Strategy, string> = {
    provider: "provider, first update",
    "provider-learned": "provider, learned lastTaskSeconds",
    terraform: "ref. Terraform: 10 s, then every 5 s",
    "fixed-1s": "ref. fixed 1 s poll",
};

export interface WaitSample {
    strategy: Strategy;
    taskSeconds: number;
    rep: number;
    vpnConnectionId: string;
    ms: number;
    startEpoch: number;
    endEpoch: number;
    describeCalls: number;
    /** From the call to the Modify reaching the emulator (the provider reads first). */
    preModifyMs?: number;
    /** From the task's end (Modify + duration) to the Describe that saw it settled (the last one). */
    detectLagMs?: number;
    /** From that Describe reaching the emulator to the call's return. */
    afterLastPollMs?: number;
    /** provider-learned: the lastTaskSeconds it was given. */
    learnedSeconds?: number;
    error?: string;
}

export interface WaitRow {
    strategy: Strategy;
    taskSeconds: number;
    n: number;
    errors: number;
    medianMs: number;
    medianOverheadMs: number;
    overheadShare: number;
    medianCalls: number;
    maxCalls: number;
    medianPreModifyMs: number;
    medianDetectLagMs: number;
    medianAfterLastPollMs: number;
    medianLearnedSeconds?: number;
}

export interface WaitResult {
    rows: WaitRow[];
    samples: WaitSample[];
    goals: Goal[];
    wallMs: number;
    loopDelayP99Ms: number;
    loopDelayMaxMs: number;
    /** Retry lines the provider logged (transient errors it retried). */
    providerRetries: string[];
}

const REGION = "cn-hangzhou";
const TERRAFORM_FIRST_MS = 10_000;
const TERRAFORM_EVERY_MS = 5_000;
const FIXED_EVERY_MS = 1_000;

/** Overhead allowed for a task of `taskSeconds`: 15% of it, but never less than 0.3 s (the 1 s task's allowance). */
export function overheadAllowanceMs(taskSeconds: number): number {
    return Math.max(0.15 * taskSeconds * 1000, 300);
}

export async function runWait(opts: BenchOptions): Promise<WaitResult> {
    const started = now();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    const providerRetries: string[] = [];
    const consoleLog = console.log;
    // The provider reports retries with console.log (the CLI shows them to the user): count them.
    console.log = (...args: unknown[]) => {
        const line = args.map(String).join(" ");
        if (/retrying/.test(line)) {
            providerRetries.push(line);
        } else {
            consoleLog(...args);
        }
    };
    const samples: WaitSample[] = [];
    try {
        await warmUp();
        loop.enable();
        const rounds = Math.ceil(opts.waitReps / opts.waitConcurrency);
        for (let round = 0; round < rounds; round++) {
            const reps = Array.from(
                { length: Math.min(opts.waitConcurrency, opts.waitReps - round * opts.waitConcurrency) },
                (_, i) => round * opts.waitConcurrency + i,
            );
            log(`wait: round ${round + 1}/${rounds}: tasks ${opts.durations.join("/")} s x ${reps.length} reps x 3 strategies, concurrently`);
            const jobs: Promise<WaitSample[]>[] = [];
            for (const taskSeconds of opts.durations) {
                for (const rep of reps) {
                    jobs.push(onOwnEmulator(taskSeconds, (emulator) => providerChain(emulator, taskSeconds, rep)));
                    jobs.push(onOwnEmulator(taskSeconds, (emulator) => reference(emulator, "terraform", taskSeconds, rep)));
                    jobs.push(onOwnEmulator(taskSeconds, (emulator) => reference(emulator, "fixed-1s", taskSeconds, rep)));
                }
            }
            samples.push(...(await Promise.all(jobs)).flat());
        }
    } finally {
        loop.disable();
        console.log = consoleLog;
    }
    const rows = summarize(samples, opts.durations);
    return {
        rows,
        samples,
        goals: goals(rows, opts.durations),
        wallMs: now() - started,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        providerRetries,
    };
}

/** Runs one job against an emulator of its own, then counts the job's Describe calls in its call log. */
async function onOwnEmulator(taskSeconds: number, job: (emulator: EmulatorHandle) => Promise<WaitSample[]>): Promise<WaitSample[]> {
    const emulator = await startEmulator({ taskDurationMs: taskSeconds * 1000 });
    try {
        const samples = await job(emulator);
        countDescribes(samples, emulator.admin.calls());
        return samples;
    } finally {
        await emulator.close();
    }
}

function connection(emulator: EmulatorHandle, strategy: Strategy, taskSeconds: number, rep: number): string {
    const id = `vco-wait-${strategy.replace(/[^a-z0-9]/g, "")}-${taskSeconds}s-${rep}`;
    emulator.admin.seed(singleTunnelConnection(id));
    return id;
}

/** Loads the SDK and resolves credentials once, so that no timed call pays for it. */
async function warmUp(): Promise<void> {
    const emulator = await startEmulator({ taskDurationMs: 50 });
    try {
        const id = "vco-wait-warmup";
        emulator.admin.seed(singleTunnelConnection(id));
        const provider = new VpnAttachmentAttributeProvider();
        await provider.create(await checked(provider, emulator, id, "warm-up"));
        await referenceClient(emulator).settled(id);
    } finally {
        await emulator.close();
    }
}

async function checked(provider: VpnAttachmentAttributeProvider, emulator: EmulatorHandle, id: string, name: string): Promise<CheckedInputs> {
    const result = await provider.check({}, { regionId: REGION, vpnConnectionId: id, endpoint: emulator.endpoint, name });
    if (result.failures && result.failures.length > 0) {
        throw new Error(`check refused the benchmark's inputs: ${JSON.stringify(result.failures)}`);
    }
    return result.inputs as CheckedInputs;
}

async function timed(
    base: Omit<WaitSample, "ms" | "startEpoch" | "endEpoch" | "describeCalls">,
    fn: () => Promise<void>,
): Promise<WaitSample> {
    const startEpoch = Date.now();
    const t0 = now();
    let error: string | undefined;
    try {
        await fn();
    } catch (err) {
        error = err instanceof Error ? err.message : String(err);
    }
    const ms = now() - t0;
    return { ...base, ms, startEpoch, endEpoch: Date.now(), describeCalls: 0, ...(error !== undefined && { error }) };
}

async function providerChain(emulator: EmulatorHandle, taskSeconds: number, rep: number): Promise<WaitSample[]> {
    const id = connection(emulator, "provider", taskSeconds, rep);
    const provider = new VpnAttachmentAttributeProvider();
    const first = await checked(provider, emulator, id, `bench-${rep}-a`);
    const second = await checked(provider, emulator, id, `bench-${rep}-b`);
    let outs: AttributeOutputs | undefined;
    const a = await timed({ strategy: "provider", taskSeconds, rep, vpnConnectionId: id }, async () => {
        outs = (await provider.create(first)).outs as AttributeOutputs;
    });
    if (!outs) {
        return [a];
    }
    const olds = outs;
    // Keeps the two calls apart in the call log's millisecond timestamps.
    await sleep(10);
    const b = await timed(
        { strategy: "provider-learned", taskSeconds, rep, vpnConnectionId: id, learnedSeconds: olds.lastTaskSeconds },
        async () => {
            await provider.update(id, olds, second);
        },
    );
    return [a, b];
}

async function reference(emulator: EmulatorHandle, strategy: "terraform" | "fixed-1s", taskSeconds: number, rep: number): Promise<WaitSample[]> {
    const id = connection(emulator, strategy, taskSeconds, rep);
    const client = referenceClient(emulator, REGION);
    const [first, every] = strategy === "terraform" ? [TERRAFORM_FIRST_MS, TERRAFORM_EVERY_MS] : [FIXED_EVERY_MS, FIXED_EVERY_MS];
    const deadline = Date.now() + 120_000;
    return [
        await timed({ strategy, taskSeconds, rep, vpnConnectionId: id }, async () => {
            await client.rename(id, `bench-${rep}-a`);
            await sleep(first);
            while (!(await client.settled(id))) {
                if (Date.now() > deadline) {
                    throw new Error(`${id} still busy after 120 s`);
                }
                await sleep(every);
            }
        }),
    ];
}

/**
 * From the job's call log: the Describe calls (DescribeVpnConnection, or a
 * DescribeVpnConnections listing) inside each sample's time window, and where
 * the overhead went: before the Modify, between the task's end and the poll
 * that saw it, and after that poll. (The log's times have millisecond
 * resolution; the task's timer starts as the Modify is handled.)
 */
function countDescribes(samples: WaitSample[], calls: CallRecord[]): void {
    for (const s of samples) {
        const mine = calls.filter((c) => {
            const t = Date.parse(c.time);
            return t >= s.startEpoch && t <= s.endEpoch;
        });
        const describes = mine.filter((c) => c.action.startsWith("DescribeVpnConnection"));
        s.describeCalls = describes.length;
        const modify = mine.find((c) => c.action === "ModifyVpnAttachmentAttribute" && c.code === "OK");
        const last = describes[describes.length - 1];
        if (modify && last) {
            const modifyAt = Date.parse(modify.time);
            const lastAt = Date.parse(last.time);
            s.preModifyMs = modifyAt - s.startEpoch;
            s.detectLagMs = lastAt - (modifyAt + s.taskSeconds * 1000);
            s.afterLastPollMs = s.endEpoch - lastAt;
        }
    }
}

function summarize(samples: WaitSample[], durations: number[]): WaitRow[] {
    const rows: WaitRow[] = [];
    for (const taskSeconds of durations) {
        for (const strategy of STRATEGIES) {
            const all = samples.filter((s) => s.strategy === strategy && s.taskSeconds === taskSeconds);
            const ok = all.filter((s) => s.error === undefined);
            const medianMs = median(ok.map((s) => s.ms));
            const medianOverheadMs = median(ok.map((s) => s.ms - taskSeconds * 1000));
            const learned = ok.map((s) => s.learnedSeconds).filter((v): v is number => v !== undefined);
            rows.push({
                strategy,
                taskSeconds,
                n: all.length,
                errors: all.length - ok.length,
                medianMs,
                medianOverheadMs,
                overheadShare: medianOverheadMs / (taskSeconds * 1000),
                medianCalls: median(ok.map((s) => s.describeCalls)),
                maxCalls: ok.length === 0 ? NaN : Math.max(...ok.map((s) => s.describeCalls)),
                medianPreModifyMs: median(ok.map((s) => s.preModifyMs ?? NaN).filter(Number.isFinite)),
                medianDetectLagMs: median(ok.map((s) => s.detectLagMs ?? NaN).filter(Number.isFinite)),
                medianAfterLastPollMs: median(ok.map((s) => s.afterLastPollMs ?? NaN).filter(Number.isFinite)),
                ...(learned.length > 0 && { medianLearnedSeconds: median(learned) }),
            });
        }
    }
    return rows;
}

function goals(rows: WaitRow[], durations: number[]): Goal[] {
    const result: Goal[] = [];
    for (const strategy of ["provider", "provider-learned"] as const) {
        for (const taskSeconds of durations) {
            const row = rows.find((r) => r.strategy === strategy && r.taskSeconds === taskSeconds);
            if (!row) {
                continue;
            }
            const allowance = overheadAllowanceMs(taskSeconds);
            result.push({
                part: "wait",
                goal: `${STRATEGY_LABEL[strategy]}, ${taskSeconds} s task: median overhead <= ${secs(allowance, 2)} s (${taskSeconds === 1 ? "0.3 s for the 1 s task" : "15%"})`,
                measured: `${secs(row.medianOverheadMs)} s (${pct(row.overheadShare)})${row.errors ? `, ${row.errors} failed` : ""}`,
                pass: row.errors === 0 && row.medianOverheadMs <= allowance,
            });
        }
        const longest = Math.max(...durations);
        const row = rows.find((r) => r.strategy === strategy && r.taskSeconds === longest);
        if (row && longest === 16) {
            result.push({
                part: "wait",
                goal: `${STRATEGY_LABEL[strategy]}, 16 s task: median Describe calls <= 25`,
                measured: `${row.medianCalls} (max ${row.maxCalls})`,
                pass: row.errors === 0 && row.medianCalls <= 25,
            });
        }
    }
    return result;
}
