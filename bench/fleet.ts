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
import { Goal } from "./goals";
import { BenchOptions } from "./options";
import { MemorySampler, ProcessPeak, ProcessRole } from "./procmem";
import { connectionId, isDual } from "./program/specs";
import { ProviderSource } from "./package";
import { BenchProject, SETUP_ENV, WORK_ROOT } from "./pulumi";
import { extraConfig, Variant } from "./variants";
import { log, mb, now, num, secs } from "./util";

export interface FleetRow {
    size: number;
    variant: Variant;
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
        rows.push(await fleetOnce(emulator, opts, size, "package", opts.fleetNoopFloor));
    }
    if (opts.sources.includes("repo") && sizes.length > 0) {
        rows.push(await fleetOnce(emulator, opts, sizes[sizes.length - 1], "repo", false));
    }
    return { rows, goals: goals(rows), wallMs: now() - started };
}

async function fleetOnce(
    emulator: EmulatorHandle,
    opts: BenchOptions,
    size: number,
    variant: ProviderSource,
    noopFloor: boolean,
): Promise<FleetRow> {
    const keep = opts.keep;
    const prefix = `fl${size}${variant === "repo" ? "r" : ""}`;
    const taskMs = opts.fleetTaskSeconds * 1000;
    const rate = opts.fleetRatePerSecond;
    // The region holds exactly this fleet: a DescribeVpnConnections listing costs one page per 50 connections in it.
    emulator.admin.reset();
    emulator.admin.setTaskDuration(200);
    const ids = seedStack(emulator, prefix, size);
    const row: Partial<FleetRow> = {};

    if (noopFloor) {
        const noop = await BenchProject.create("noop", `fleet-noop-${size}`, emulator);
        try {
            noop.configure({ count: size, prefix, gen: 0 });
            await noop.up(opts.fleetParallel, { timeoutMs: SETUP_TIMEOUT_MS, env: SETUP_ENV });
            noop.configure({ count: size, prefix, gen: 1 });
            row.noopUpMs = (await noop.up(opts.fleetParallel, { timeoutMs: UP_TIMEOUT_MS })).ms;
        } finally {
            noop.dispose(keep);
        }
    }

    const project = await BenchProject.create("vpn", `fleet-${variant}-${size}`, emulator);
    try {
        project.configure({ count: size, prefix, gen: 0 }, extraConfig(variant));
        const setup = await project.up(opts.fleetParallel, { timeoutMs: SETUP_TIMEOUT_MS, env: SETUP_ENV });
        log(
            `fleet (${variant}): ${size} resources up unchanged in ${secs(setup.ms, 1)} s (not timed); now the change, throttled to ${rate}/s, ${opts.fleetTaskSeconds} s tasks`,
        );

        emulator.admin.setTaskDuration(taskMs);
        emulator.admin.throttle({ perSecond: rate });
        emulator.admin.clearCalls();
        project.configure({ count: size, prefix, gen: 1 }, extraConfig(variant));
        const sampler = new MemorySampler();
        const upStarted = Date.now();
        const result = await project.up(opts.fleetParallel, {
            timeoutMs: UP_TIMEOUT_MS,
            allowFailure: true,
            onStart: (pid) => sampler.start(pid),
        });
        const processes = sampler.stop().map((p) => ({ ...p, command: p.command.slice(0, 200) }));
        const calls = emulator.admin.calls();
        // The timeline, for whoever wants to see where the time went.
        fs.mkdirSync(WORK_ROOT, { recursive: true });
        fs.writeFileSync(
            path.join(WORK_ROOT, `fleet-calls-${variant}-${size}.json`),
            JSON.stringify({ upStartedEpoch: upStarted, upMs: result.ms, calls }, null, 1),
        );
        emulator.admin.clearFaults();
        emulator.admin.setTaskDuration(200);

        const parallelismBoundMs = Math.ceil(size / opts.fleetParallel) * taskMs;
        const engineFloorMs = row.noopUpMs !== undefined ? parallelismBoundMs + row.noopUpMs : NaN;
        const rateFloorMs = (size / rate) * 1000 + taskMs;
        const verified = verify(emulator, prefix, ids);
        const full: FleetRow = {
            size,
            variant,
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
            ...(row.noopUpMs !== undefined && { noopUpMs: row.noopUpMs }),
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
            processes,
            setupUpMs: setup.ms,
        };
        log(
            `fleet (${variant}): ${size} resources: ${secs(full.wallMs)} s (engine floor ${secs(full.engineFloorMs)} s, rate floor ${secs(full.rateFloorMs)} s, ratio ${num(full.wallMs / full.lowerBoundMs, 2)}), ` +
                `${full.totalCalls} calls ${JSON.stringify(full.callsByAction)}, throttled ${full.throttled}, ` +
                `${full.updatedOk}/${size} converged, provider peak ${mb(full.providerPeakBytes)}`,
        );
        return full;
    } finally {
        project.dispose(keep);
    }
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

/** Every connection reports the new name and IKE lifetime and runs no task. */
function verify(emulator: EmulatorHandle, prefix: string, ids: string[]): { ok: number; failures: string[] } {
    const failures: string[] = [];
    let ok = 0;
    ids.forEach((id, i) => {
        const conn = emulator.admin.get(connectionId(prefix, i));
        const wantName = `bench-g1-${id.replace(/^vco-/, "")}`;
        const tunnels = conn.TunnelOptionsSpecification?.TunnelOptions ?? [];
        const lifetimes = isDual(i)
            ? tunnels.map((t) => Number(t.TunnelIkeConfig?.IkeLifetime))
            : [Number(conn.IkeConfig?.IkeLifetime)];
        const busy = [conn.State, ...tunnels.map((t) => t.State)].some((s) => s === "updating");
        const problems = [
            ...(conn.Name !== wantName ? [`name ${conn.Name}`] : []),
            ...(lifetimes.some((l) => l !== 86400 - 60) ? [`IKE lifetime ${lifetimes.join("/")}`] : []),
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

/** Goals of issue #13, judged at the largest size measured (200 in a full run). */
function goals(rows: FleetRow[]): Goal[] {
    const provider = rows.filter((r) => r.variant === "package");
    const row = provider[provider.length - 1];
    if (!row) {
        return [];
    }
    const perUpdate = row.totalCalls / row.size;
    return [
        {
            part: "fleet",
            goal: `fleet of ${row.size}: every update succeeds, and no throttling error reaches the user`,
            measured:
                `${row.updatedOk}/${row.size} converged, exit code ${row.exitCode ?? "timeout"}; ${row.throttled} throttled answers received, ` +
                `${row.throttleLinesShown.length} output lines mention throttling${row.failures.length ? `; ${row.failures[0].slice(0, 200)}` : ""}`,
            pass: row.exitCode === 0 && row.updatedOk === row.size && row.throttleLinesShown.length === 0,
        },
        {
            part: "fleet",
            goal: `fleet of ${row.size}: wall time <= 1.25x lower bound (max of engine floor ${secs(row.engineFloorMs)} s, rate floor ${secs(row.rateFloorMs)} s)`,
            measured: `${secs(row.wallMs)} s = ${num(row.wallMs / row.lowerBoundMs, 2)}x`,
            pass: Number.isFinite(row.engineFloorMs) ? row.wallMs <= 1.25 * row.lowerBoundMs : undefined,
        },
        {
            part: "fleet",
            goal: `fleet of ${row.size}: <= 1.5 API calls per update on average`,
            measured: `${num(perUpdate, 2)} (${row.totalCalls} calls: ${Object.entries(row.callsByAction)
                .map(([a, n]) => `${a} ${n}`)
                .join(", ")})`,
            pass: perUpdate <= 1.5,
        },
        {
            part: "fleet",
            goal: `fleet of ${row.size}: provider process peak memory < 300 MB`,
            measured: `${mb(row.providerPeakBytes)} (VmHWM, ${row.providerProcesses} process${row.providerProcesses === 1 ? "" : "es"})`,
            pass: Number.isFinite(row.providerPeakBytes) ? row.providerPeakBytes < 300 * 1024 * 1024 : undefined,
        },
    ];
}
