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
 * Each task's duration is drawn log-uniformly between 0.5x and 2x its
 * nominal length, from a seeded generator: repetition r of nominal length n
 * gets the same draw in every strategy (and in every run with the same
 * seed), so the strategies are timed on the same tasks, and a fixed poll
 * cannot happen to land just after a task of a round length. The provider's
 * second update runs the same task again: `lastTaskSeconds` is learned for
 * connections whose tasks take about as long each time.
 * All go through the real SDK over HTTP. Every job (one strategy, duration and
 * repetition) has an in-process emulator of its own, with the task duration
 * under test: a duration's jobs run at the same time to save wall time (the
 * durations one after another), and separate
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
import { Goal, judge } from "./goals";
import { BenchOptions } from "./options";
import { referenceClient } from "./sdk";
import { log, median, now, num, pct, secs, sleep } from "./util";

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
    /** The drawn duration of this sample's task. */
    actualSeconds: number;
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
    /** Median over samples of overhead / actual task duration. */
    overheadShare: number;
    medianActualSeconds: number;
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
/** Start-up of one job (an emulator, a provider, a check) takes a few ms of the event loop. */
const JOB_STAGGER_MS = 25;

/** Median overhead allowed, as a share of each task's actual duration. */
const FIRST_UPDATE_SHARE = 0.15;
const LEARNED_SHARE = 0.05;
/**
 * A first update knows nothing of the task, and no schedule can then beat a
 * 1 s poll on both axes (provider/service/pollSchedule.ts says why): from 4 s
 * on it polls like one, so its median detection lag is the 1 s poll's, up to
 * the noise of comparing two medians of lags spread over a second (with the
 * full run's 81 draws a cell, a standard error of about 0.08 s: this is two);
 * and it may make this many calls more than the 1 s
 * poll (its early polls, which see short tasks 4x sooner, and its read before
 * the Modify), plus the share its jitter adds (each delay up to 2% shorter).
 */
const FIRST_UPDATE_LAG_NOISE_MS = 150;
const FIRST_UPDATE_EXTRA_CALLS = 7;
const JITTER_SHARE = 0.02;
/** Call goals apply from this nominal length: below it a 1 s poll makes one or two calls and sees the task late. */
const CALLS_FROM_SECONDS = 4;

/** mulberry32: a small seeded generator, so that every run draws the same task durations. */
function seeded(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Repetition `rep` of nominal length `taskSeconds`: log-uniform in [0.5, 2] x nominal, the same for every strategy. */
export function drawnSeconds(seed: number, taskSeconds: number, rep: number): number {
    const random = seeded(seed ^ Math.imul(taskSeconds * 1000 + 1, 2654435761) ^ Math.imul(rep + 1, 40503));
    random();
    return Math.round(taskSeconds * 0.5 * 4 ** random() * 1000) / 1000;
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
        // One duration after another: a cell's strategies run at the same time, on the same draws, and the
        // 64 s cell's hundreds of waiting jobs do not share the event loop with the 1 s cell's timings.
        for (const taskSeconds of opts.durations) {
            const rounds = Math.ceil(opts.waitReps / opts.waitConcurrency);
            for (let round = 0; round < rounds; round++) {
                const reps = Array.from(
                    { length: Math.min(opts.waitConcurrency, opts.waitReps - round * opts.waitConcurrency) },
                    (_, i) => round * opts.waitConcurrency + i,
                );
                log(
                    `wait: ${taskSeconds} s tasks, round ${round + 1}/${rounds}: ${reps.length} reps x 3 strategies, concurrently`,
                );
                samples.push(...(await waitRound(opts.waitSeed, taskSeconds, reps)));
            }
        }
    } finally {
        loop.disable();
        console.log = consoleLog;
    }
    const rows = summarize(samples, opts.durations);
    return {
        rows,
        samples,
        goals: goals(rows, samples, opts.durations),
        wallMs: now() - started,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
        providerRetries,
    };
}

/** Every strategy on each of `reps`' draws of `taskSeconds`, all at once, each job on an emulator of its own. */
async function waitRound(seed: number, taskSeconds: number, reps: number[]): Promise<WaitSample[]> {
    const jobs: Promise<WaitSample[]>[] = [];
    // Jobs start apart, so that no timed call competes with the others' start-up for the event loop.
    const staggered = (job: () => Promise<WaitSample[]>) => {
        const startIn = jobs.length * JOB_STAGGER_MS;
        jobs.push(sleep(startIn).then(job));
    };
    for (const rep of reps) {
        const task = { taskSeconds, actualSeconds: drawnSeconds(seed, taskSeconds, rep) };
        staggered(() => onOwnEmulator(task.actualSeconds, (emulator) => providerChain(emulator, task, rep)));
        staggered(() => onOwnEmulator(task.actualSeconds, (emulator) => reference(emulator, "terraform", task, rep)));
        staggered(() => onOwnEmulator(task.actualSeconds, (emulator) => reference(emulator, "fixed-1s", task, rep)));
    }
    return (await Promise.all(jobs)).flat();
}

/** Runs one job against an emulator of its own, then counts the job's Describe calls in its call log. */
async function onOwnEmulator(
    actualSeconds: number,
    job: (emulator: EmulatorHandle) => Promise<WaitSample[]>,
): Promise<WaitSample[]> {
    const emulator = await startEmulator({ taskDurationMs: Math.round(actualSeconds * 1000) });
    try {
        const samples = await job(emulator);
        countDescribes(samples, emulator.admin.calls());
        return samples;
    } finally {
        await emulator.close();
    }
}

interface Task {
    taskSeconds: number;
    actualSeconds: number;
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

async function checked(
    provider: VpnAttachmentAttributeProvider,
    emulator: EmulatorHandle,
    id: string,
    name: string,
): Promise<CheckedInputs> {
    const result = await provider.check(
        {},
        { regionId: REGION, vpnConnectionId: id, endpoint: emulator.endpoint, name },
    );
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

async function providerChain(emulator: EmulatorHandle, task: Task, rep: number): Promise<WaitSample[]> {
    const { taskSeconds } = task;
    const id = connection(emulator, "provider", taskSeconds, rep);
    const provider = new VpnAttachmentAttributeProvider();
    const first = await checked(provider, emulator, id, `bench-${rep}-a`);
    const second = await checked(provider, emulator, id, `bench-${rep}-b`);
    let outs: AttributeOutputs | undefined;
    const a = await timed({ strategy: "provider", ...task, rep, vpnConnectionId: id }, async () => {
        outs = (await provider.create(first)).outs as AttributeOutputs;
    });
    if (!outs) {
        return [a];
    }
    const olds = outs;
    // Keeps the two calls apart in the call log's millisecond timestamps.
    await sleep(10);
    const b = await timed(
        { strategy: "provider-learned", ...task, rep, vpnConnectionId: id, learnedSeconds: olds.lastTaskSeconds },
        async () => {
            await provider.update(id, olds, second);
        },
    );
    return [a, b];
}

async function reference(
    emulator: EmulatorHandle,
    strategy: "terraform" | "fixed-1s",
    task: Task,
    rep: number,
): Promise<WaitSample[]> {
    const id = connection(emulator, strategy, task.taskSeconds, rep);
    const client = referenceClient(emulator, REGION);
    const [first, every] =
        strategy === "terraform" ? [TERRAFORM_FIRST_MS, TERRAFORM_EVERY_MS] : [FIXED_EVERY_MS, FIXED_EVERY_MS];
    const limitMs = Math.max(120_000, 4 * task.actualSeconds * 1000);
    const deadline = Date.now() + limitMs;
    return [
        await timed({ strategy, ...task, rep, vpnConnectionId: id }, async () => {
            await client.rename(id, `bench-${rep}-a`);
            await sleep(first);
            while (!(await client.settled(id))) {
                if (Date.now() > deadline) {
                    throw new Error(`${id} still busy after ${limitMs / 1000} s`);
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
            s.detectLagMs = lastAt - (modifyAt + s.actualSeconds * 1000);
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
            const overheadOf = (s: WaitSample) => s.ms - s.actualSeconds * 1000;
            const medianOverheadMs = median(ok.map(overheadOf));
            const learned = ok.map((s) => s.learnedSeconds).filter((v): v is number => v !== undefined);
            rows.push({
                strategy,
                taskSeconds,
                n: all.length,
                errors: all.length - ok.length,
                medianMs,
                medianOverheadMs,
                overheadShare: median(ok.map((s) => overheadOf(s) / (s.actualSeconds * 1000))),
                medianActualSeconds: median(ok.map((s) => s.actualSeconds)),
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

/** Each run's overhead as a share of its actual task. */
function overheadShareOf(s: WaitSample): number {
    return (s.ms - s.actualSeconds * 1000) / (s.actualSeconds * 1000);
}

function goals(rows: WaitRow[], samples: WaitSample[], durations: number[]): Goal[] {
    const result: Goal[] = [];
    const runs = (strategy: Strategy, taskSeconds: number) =>
        samples.filter((s) => s.strategy === strategy && s.taskSeconds === taskSeconds && s.error === undefined);
    const rowOf = (strategy: Strategy, taskSeconds: number) =>
        rows.find((r) => r.strategy === strategy && r.taskSeconds === taskSeconds);
    const overheadMs = (s: WaitSample) => s.ms - s.actualSeconds * 1000;
    for (const taskSeconds of durations) {
        const fixed = rowOf("fixed-1s", taskSeconds);
        for (const [strategy, share] of [
            ["provider", FIRST_UPDATE_SHARE],
            ["provider-learned", LEARNED_SHARE],
        ] as const) {
            const row = rowOf(strategy, taskSeconds);
            if (!row) {
                continue;
            }
            const label = `${STRATEGY_LABEL[strategy]}, ${taskSeconds} s nominal`;
            const failed = row.errors === 0 ? "" : `, ${row.errors} failed`;
            const overheadParts = `overhead (ms, medians): ${num(row.medianPreModifyMs, 0)} before the Modify + ${num(row.medianDetectLagMs, 0)} detection lag + ${num(row.medianAfterLastPollMs, 0)} after the last poll`;
            const push = (goal: string, measured: string, verdict: ReturnType<typeof judge>, why?: string) =>
                result.push({
                    part: "wait",
                    goal: `${label}: ${goal}`,
                    measured: measured + failed,
                    pass: row.errors === 0 && verdict.pass === true,
                    judged: verdict.judged,
                    ...(verdict.pass === false && why !== undefined && { why }),
                });
            push(
                `median overhead <= ${pct(share)} of the actual task`,
                `${pct(row.overheadShare, 1)} (median ${secs(row.medianOverheadMs)} s on tasks of median ${num(row.medianActualSeconds, 2)} s)`,
                judge(runs(strategy, taskSeconds).map(overheadShareOf), share, "share"),
                overheadParts,
            );
            if (strategy === "provider-learned" && fixed) {
                push(
                    `median overhead < the fixed 1 s poll's (${secs(fixed.medianOverheadMs)} s)`,
                    `${secs(row.medianOverheadMs)} s`,
                    judge(runs(strategy, taskSeconds).map(overheadMs), fixed.medianOverheadMs, "ms", true),
                    overheadParts,
                );
            }
            if (strategy === "provider" && fixed && taskSeconds >= CALLS_FROM_SECONDS) {
                const limitMs = fixed.medianDetectLagMs + FIRST_UPDATE_LAG_NOISE_MS;
                push(
                    `median detection lag <= the fixed 1 s poll's (${secs(fixed.medianDetectLagMs)} s) + ${secs(FIRST_UPDATE_LAG_NOISE_MS)} s`,
                    `${secs(row.medianDetectLagMs)} s`,
                    judge(
                        runs(strategy, taskSeconds)
                            .map((s) => s.detectLagMs ?? NaN)
                            .filter(Number.isFinite),
                        limitMs,
                        "ms",
                    ),
                );
            }
            if (fixed && taskSeconds >= CALLS_FROM_SECONDS) {
                const first = strategy === "provider";
                const limit = first
                    ? fixed.medianCalls * (1 + JITTER_SHARE) + FIRST_UPDATE_EXTRA_CALLS
                    : fixed.medianCalls;
                push(
                    `median Describe calls <= the fixed 1 s poll's (${fixed.medianCalls})${first ? ` + 2% + ${FIRST_UPDATE_EXTRA_CALLS}` : ""}`,
                    `${row.medianCalls} (max ${row.maxCalls})`,
                    judge(
                        runs(strategy, taskSeconds).map((s) => s.describeCalls),
                        limit,
                        "calls",
                    ),
                );
            }
        }
    }
    return result;
}
