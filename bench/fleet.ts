/**
 * Part 3: a fleet update. N connections (every other one dual-tunnel) are
 * brought up unchanged (not timed), then every resource is changed (name and
 * IKE lifetime) and applied in one `pulumi up --parallel P --skip-preview`
 * while the emulator throttles the access key to R requests/s (token bucket,
 * burst R) and every task takes T seconds.
 *
 * The provider is the installed package at every size; with `repo` among the
 * sources, the by-path variant (provider serialized by value) is measured at
 * the largest size too.
 *
 * The emulator is reset for each run, so the region holds exactly the N
 * connections of the fleet.
 *
 * Lower bound: the larger of two floors.
 * - Engine floor: ceil(N / P) x T plus the `up` of the same change on a stack
 *   of N do-nothing dynamic resources, measured in the same run: each update
 *   holds one of the P slots for at least its task, and Pulumi's own time is
 *   what the do-nothing stack takes.
 * - Rate floor: N / R + T: N Modify calls at R a second, then one task.
 * Neither counts a read: the provider's reads and polls are measured against
 * the goal of at most 1.5 calls per update.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CallRecord, EmulatorHandle } from "../emulator";
import { seedStack } from "./fixtures";
import { Goal, judge } from "./goals";
import { BenchOptions } from "./options";
import { MemorySampler, ProcessPeak, ProcessRole } from "./procmem";
import { connectionId, isDual } from "./program/specs";
import { ProviderSource } from "./package";
import { BenchProject, CliResult, SETUP_ENV, WORK_ROOT } from "./pulumi";
import { extraConfig, Variant } from "./variants";
import { log, mb, median, now, num, secs } from "./util";

/** One timed `up` of a fleet. */
export interface FleetRow {
    size: number;
    variant: Variant;
    /** Which repeat at this size (0-based); repeat r applies generation r + 1. */
    rep: number;
    dual: number;
    parallel: number;
    ratePerSecond: number;
    taskSeconds: number;
    wallMs: number;
    exitCode: number | null;
    /** The larger of the two floors. */
    lowerBoundMs: number;
    /** ceil(N / P) x T + the do-nothing stack's up (NaN without it). */
    engineFloorMs: number;
    /** N / R + T. */
    rateFloorMs: number;
    /** ceil(N / P) x T: each update holds one of P slots for at least its task. */
    parallelismBoundMs: number;
    /** Lines of the `up` output that mention throttling: what the user saw of it. */
    throttleLinesShown: string[];
    /** `pulumi up` of the same change on the do-nothing stack. */
    noopUpMs?: number;
    callsByAction: Record<string, number>;
    /** Answers per code other than OK (Throttling.User, ...). */
    errorsByCode: Record<string, number>;
    throttled: number;
    totalCalls: number;
    updatedOk: number;
    failures: string[];
    providerPeakBytes: number;
    providerProcesses: number;
    programPeakBytes: number;
    cliPeakBytes: number;
    /** CPU seconds during the timed `up`, by process role. */
    cpuSeconds: Record<ProcessRole, number>;
    processes: ProcessPeak[];
    setupUpMs: number;
}

export interface FleetResult {
    rows: FleetRow[];
    goals: Goal[];
    wallMs: number;
}

const SETUP_TIMEOUT_MS = 5 * 60_000;
const UP_TIMEOUT_MS = 5 * 60_000;

export async function runFleet(emulator: EmulatorHandle, opts: BenchOptions): Promise<FleetResult> {
    const started = now();
    const rows: FleetRow[] = [];
    const sizes = [...opts.fleetSizes].sort((a, b) => a - b);
    for (const size of sizes) {
        rows.push(...(await fleetAt(emulator, opts, size, "package", opts.fleetNoopFloor)));
    }
    if (opts.sources.includes("repo") && sizes.length > 0) {
        rows.push(...(await fleetAt(emulator, opts, sizes[sizes.length - 1], "repo", false)));
    }
    return { rows, goals: goals(rows), wallMs: now() - started };
}

/**
 * One size: both stacks brought up unchanged (not timed), then `fleetReps`
 * timed changes (generation 1, 2, ...), each on the do-nothing stack and on
 * the provider's, in alternating order so that a noisy moment hits both.
 */
async function fleetAt(
    emulator: EmulatorHandle,
    opts: BenchOptions,
    size: number,
    variant: ProviderSource,
    noopFloor: boolean,
): Promise<FleetRow[]> {
    const keep = opts.keep;
    const prefix = `fl${size}${variant === "repo" ? "r" : ""}`;
    // The region holds exactly this fleet: a DescribeVpnConnections listing costs one page per 50 connections in it.
    emulator.admin.reset();
    emulator.admin.setTaskDuration(200);
    const ids = seedStack(emulator, prefix, size);
    const noop = noopFloor ? await BenchProject.create("noop", `fleet-noop-${size}`, emulator) : undefined;
    const project = await BenchProject.create("vpn", `fleet-${variant}-${size}`, emulator);
    const rows: FleetRow[] = [];
    try {
        if (noop) {
            noop.configure({ count: size, prefix, gen: 0 });
            await noop.up(opts.fleetParallel, { timeoutMs: SETUP_TIMEOUT_MS, env: SETUP_ENV });
        }
        project.configure({ count: size, prefix, gen: 0 }, extraConfig(variant));
        const setup = await project.up(opts.fleetParallel, { timeoutMs: SETUP_TIMEOUT_MS, env: SETUP_ENV });
        log(
            `fleet (${variant}): ${size} resources up unchanged in ${secs(setup.ms, 1)} s (not timed); now ${opts.fleetReps} changes, throttled to ${opts.fleetRatePerSecond}/s, ${opts.fleetTaskSeconds} s tasks`,
        );
        for (let rep = 0; rep < opts.fleetReps; rep++) {
            const gen = rep + 1;
            let noopUpMs: number | undefined;
            const timeNoop = async () => {
                if (noop) {
                    noop.configure({ count: size, prefix, gen });
                    noopUpMs = (await noop.up(opts.fleetParallel, { timeoutMs: UP_TIMEOUT_MS })).ms;
                }
            };
            if (rep % 2 === 0) {
                await timeNoop();
            }
            const change = await timedChange(emulator, opts, project, { size, variant, prefix, ids, gen });
            if (rep % 2 === 1) {
                await timeNoop();
            }
            const row = fleetRow(opts, change, rep, setup.ms, noopUpMs);
            log(
                `fleet (${variant}): ${size} resources, repeat ${rep + 1}/${opts.fleetReps}: ${secs(row.wallMs)} s (engine floor ${secs(row.engineFloorMs)} s, rate floor ${secs(row.rateFloorMs)} s, ratio ${num(row.wallMs / row.lowerBoundMs, 2)}), ` +
                    `${row.totalCalls} calls ${JSON.stringify(row.callsByAction)}, throttled ${row.throttled}, ` +
                    `${row.updatedOk}/${size} converged, provider peak ${mb(row.providerPeakBytes)}`,
            );
            rows.push(row);
        }
        return rows;
    } finally {
        noop?.dispose(keep);
        project.dispose(keep);
    }
}

interface Change {
    size: number;
    variant: ProviderSource;
    prefix: string;
    ids: string[];
    gen: number;
}

type TimedChange = Change & {
    result: CliResult;
    calls: CallRecord[];
    sampler: MemorySampler;
    verified: { ok: number; failures: string[] };
};

/** The timed `up` of generation `gen`, throttled, with tasks of the set length. */
async function timedChange(
    emulator: EmulatorHandle,
    opts: BenchOptions,
    project: BenchProject,
    change: Change,
): Promise<TimedChange> {
    const { size, variant, prefix, ids, gen } = change;
    emulator.admin.setTaskDuration(opts.fleetTaskSeconds * 1000);
    emulator.admin.throttle({ perSecond: opts.fleetRatePerSecond });
    emulator.admin.clearCalls();
    project.configure({ count: size, prefix, gen }, extraConfig(variant));
    const sampler = new MemorySampler();
    const upStarted = Date.now();
    const result = await project.up(opts.fleetParallel, {
        timeoutMs: UP_TIMEOUT_MS,
        allowFailure: true,
        onStart: (pid) => sampler.start(pid),
    });
    sampler.stop();
    const calls = emulator.admin.calls();
    // The timeline, for whoever wants to see where the time went.
    fs.mkdirSync(WORK_ROOT, { recursive: true });
    fs.writeFileSync(
        path.join(WORK_ROOT, `fleet-calls-${variant}-${size}-${gen}.json`),
        JSON.stringify({ upStartedEpoch: upStarted, upMs: result.ms, calls }, null, 1),
    );
    emulator.admin.clearFaults();
    emulator.admin.setTaskDuration(200);
    return { ...change, result, calls, sampler, verified: verify(emulator, prefix, ids, gen) };
}

function fleetRow(
    opts: BenchOptions,
    change: TimedChange,
    rep: number,
    setupUpMs: number,
    noopUpMs: number | undefined,
): FleetRow {
    const { size, variant, ids, result, calls, sampler, verified } = change;
    const taskMs = opts.fleetTaskSeconds * 1000;
    const rate = opts.fleetRatePerSecond;
    const parallelismBoundMs = Math.ceil(size / opts.fleetParallel) * taskMs;
    const engineFloorMs = noopUpMs !== undefined ? parallelismBoundMs + noopUpMs : NaN;
    const rateFloorMs = (size / rate) * 1000 + taskMs;
    return {
        size,
        variant,
        rep,
        dual: ids.filter((_, i) => isDual(i)).length,
        parallel: opts.fleetParallel,
        ratePerSecond: rate,
        taskSeconds: opts.fleetTaskSeconds,
        wallMs: result.ms,
        exitCode: result.timedOut ? null : result.code,
        lowerBoundMs: Number.isFinite(engineFloorMs) ? Math.max(engineFloorMs, rateFloorMs) : rateFloorMs,
        engineFloorMs,
        rateFloorMs,
        parallelismBoundMs,
        throttleLinesShown: result.output
            .split("\n")
            .filter((line) => /throttl/i.test(line))
            .slice(0, 20),
        ...(noopUpMs !== undefined && { noopUpMs }),
        ...tally(calls),
        updatedOk: verified.ok,
        failures: [
            ...(result.code !== 0
                ? [
                      `pulumi up ${result.timedOut ? "timed out" : `exited with ${result.code}`}: ${lastLines(result.output, 12)}`,
                  ]
                : []),
            ...verified.failures,
        ],
        providerPeakBytes: sampler.peakOf("provider"),
        providerProcesses: sampler.countOf("provider"),
        programPeakBytes: sampler.peakOf("program"),
        cliPeakBytes: sampler.peakOf("cli"),
        cpuSeconds: {
            provider: sampler.cpuOf("provider"),
            program: sampler.cpuOf("program"),
            cli: sampler.cpuOf("cli"),
            other: sampler.cpuOf("other"),
        },
        processes: sampler.stop().map((p) => ({ ...p, command: p.command.slice(0, 200) })),
        setupUpMs,
    };
}

function tally(calls: CallRecord[]): Pick<FleetRow, "callsByAction" | "errorsByCode" | "throttled" | "totalCalls"> {
    const callsByAction: Record<string, number> = {};
    const errorsByCode: Record<string, number> = {};
    for (const call of calls) {
        callsByAction[call.action] = (callsByAction[call.action] ?? 0) + 1;
        if (call.code !== "OK") {
            errorsByCode[call.code] = (errorsByCode[call.code] ?? 0) + 1;
        }
    }
    const throttled = Object.entries(errorsByCode)
        .filter(([code]) => code.includes("Throttling"))
        .reduce((n, [, count]) => n + count, 0);
    return { callsByAction, errorsByCode, throttled, totalCalls: calls.length };
}

/** Every connection reports generation `gen`'s name and IKE lifetime and runs no task. */
function verify(
    emulator: EmulatorHandle,
    prefix: string,
    ids: string[],
    gen: number,
): { ok: number; failures: string[] } {
    const failures: string[] = [];
    let ok = 0;
    ids.forEach((id, i) => {
        const conn = emulator.admin.get(connectionId(prefix, i));
        const wantName = `bench-g${gen}-${id.replace(/^vco-/, "")}`;
        const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
        const lifetimes = isDual(i)
            ? tunnels.map((t) => Number(t.TunnelIkeConfig?.IkeLifetime))
            : [Number(conn.IkeConfig?.IkeLifetime)];
        const busy = [conn.State, ...tunnels.map((t) => t.State)].some((s) => s === "updating");
        const problems = [
            ...(conn.Name !== wantName ? [`name ${conn.Name}`] : []),
            ...(lifetimes.some((l) => l !== 86400 - 60 * gen) ? [`IKE lifetime ${lifetimes.join("/")}`] : []),
            ...(busy ? ["still updating"] : []),
        ];
        if (problems.length === 0) {
            ok++;
        } else if (failures.length < 5) {
            failures.push(`${id}: ${problems.join(", ")}`);
        }
    });
    return { ok, failures };
}

function lastLines(text: string, n: number): string {
    return text.trim().split("\n").slice(-n).join(" | ");
}

/** The medians over the repeats at one size. */
export interface FleetSummary {
    size: number;
    repeats: number;
    wallMs: number;
    wallMinMs: number;
    wallMaxMs: number;
    lowerBoundMs: number;
    engineFloorMs: number;
    rateFloorMs: number;
    parallelismBoundMs: number;
    noopUpMs?: number;
    totalCalls: number;
    providerPeakBytes: number;
}

/** One summary per size of the installed package's rows, smallest first. */
export function summarizeFleet(rows: FleetRow[]): FleetSummary[] {
    const provider = rows.filter((r) => r.variant === "package");
    const sizes = [...new Set(provider.map((r) => r.size))].sort((a, b) => a - b);
    return sizes.map((size) => {
        const reps = provider.filter((r) => r.size === size);
        const of = (pick: (r: FleetRow) => number) => median(reps.map(pick));
        const noop = reps.map((r) => r.noopUpMs).filter((v): v is number => v !== undefined);
        return {
            size,
            repeats: reps.length,
            wallMs: of((r) => r.wallMs),
            wallMinMs: Math.min(...reps.map((r) => r.wallMs)),
            wallMaxMs: Math.max(...reps.map((r) => r.wallMs)),
            lowerBoundMs: of((r) => r.lowerBoundMs),
            engineFloorMs: of((r) => r.engineFloorMs),
            rateFloorMs: of((r) => r.rateFloorMs),
            parallelismBoundMs: of((r) => r.parallelismBoundMs),
            ...(noop.length > 0 && { noopUpMs: median(noop) }),
            totalCalls: of((r) => r.totalCalls),
            providerPeakBytes: of((r) => r.providerPeakBytes),
        };
    });
}

/** The repeats at the largest size measured (200 in a full run) with the installed package. */
export function largestRepeats(rows: FleetRow[]): FleetRow[] {
    const provider = rows.filter((r) => r.variant === "package");
    const size = Math.max(...provider.map((r) => r.size));
    return provider.filter((r) => r.size === size);
}

/** Goals of issue #13, judged at the largest size on the median of its repeats. */
function goals(rows: FleetRow[]): Goal[] {
    const reps = largestRepeats(rows);
    if (reps.length === 0) {
        return [];
    }
    const size = reps[0].size;
    const n = reps.length;
    const failed = reps.filter((r) => r.exitCode !== 0 || r.updatedOk !== r.size || r.throttleLinesShown.length > 0);
    const shown = reps.reduce((sum, r) => sum + r.throttleLinesShown.length, 0);
    const wall = judge(
        reps.map((r) => (Number.isFinite(r.engineFloorMs) ? r.wallMs / r.lowerBoundMs : NaN)),
        1.25,
        "x",
    );
    const calls = judge(
        reps.map((r) => r.totalCalls / r.size),
        1.5,
        "calls",
    );
    const memory = judge(
        reps.map((r) => r.providerPeakBytes / (1024 * 1024)),
        300,
        "MB",
        true,
    );
    const callsByAction = (r: FleetRow) =>
        Object.entries(r.callsByAction)
            .map(([a, c]) => `${a} ${c}`)
            .join(", ");
    // The repeat nearest the median (with an even count the median lies between two).
    const middle = median(reps.map((r) => r.totalCalls));
    const callsRep = reps.reduce((a, b) => (Math.abs(b.totalCalls - middle) < Math.abs(a.totalCalls - middle) ? b : a));
    return [
        {
            part: "fleet",
            goal: `fleet of ${size}: every update succeeds, and no throttling error reaches the user (every repeat)`,
            measured:
                `${reps.map((r) => `${r.updatedOk}/${r.size}`).join(", ")} converged over ${n} repeat${n === 1 ? "" : "s"}; ` +
                `${reps.map((r) => r.throttled).join(", ")} throttled answers received, ${shown} output lines mention throttling` +
                (failed.length ? `; ${failed[0].failures[0]?.slice(0, 200) ?? ""}` : ""),
            pass: failed.length === 0,
        },
        {
            part: "fleet",
            goal: `fleet of ${size}: wall time <= 1.25x lower bound (max of engine floor, rate floor ${secs(reps[0].rateFloorMs)} s), median of the repeats' ratios`,
            measured: `${num(wall.judged.median, 2)}x (wall ${reps.map((r) => secs(r.wallMs, 1)).join(", ")} s; engine floor ${reps.map((r) => secs(r.engineFloorMs, 1)).join(", ")} s)`,
            pass: wall.pass,
            judged: wall.judged,
            ...(wall.pass === false && {
                why: `median do-nothing up ${secs(median(reps.map((r) => r.noopUpMs ?? NaN)))} s; median CPU s of the provider plugin ${num(median(reps.map((r) => r.cpuSeconds.provider)), 1)}, program ${num(median(reps.map((r) => r.cpuSeconds.program)), 1)}, CLI ${num(median(reps.map((r) => r.cpuSeconds.cli)), 1)}`,
            }),
        },
        {
            part: "fleet",
            goal: `fleet of ${size}: <= 1.5 API calls per update on average (median of the repeats)`,
            measured: `${num(calls.judged.median, 2)} (repeat nearest the median: ${callsRep.totalCalls} calls: ${callsByAction(callsRep)})`,
            pass: calls.pass,
            judged: calls.judged,
            ...(calls.pass === false && {
                why: `calls by kind per repeat: ${reps.map((r) => `${callsByAction(r)}; throttled ${r.throttled}`).join(" | ")}`,
            }),
        },
        {
            part: "fleet",
            goal: `fleet of ${size}: provider process peak memory < 300 MB (median of the repeats)`,
            measured: `${num(memory.judged.median, 0)} MB (VmHWM, ${reps.map((r) => r.providerProcesses).join(", ")} process(es))`,
            pass: memory.pass,
            judged: memory.judged,
        },
    ];
}
