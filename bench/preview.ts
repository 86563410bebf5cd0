/**
 * Part 2: what `pulumi preview` costs with this provider, beside the same
 * stack (same inputs) through a dynamic provider that does nothing
 * (program/noop.ts).
 *
 * Measured against an up-to-date stack: for each size the stacks are first
 * brought up (not timed), then previewed with no change, so preview runs
 * `check` and `diff` on every existing resource, the realistic case. The
 * stacks' previews alternate (a, b, b, a, ...) so that a noisy moment hits
 * each. The emulator's call log must stay empty during the provider's
 * previews. The provider is the installed package at every size; with
 * `repo` among the sources, the by-path variant is measured at the largest
 * size too.
 */
import type { EmulatorHandle } from "../emulator";
import { seedStack } from "./fixtures";
import { Goal, judge } from "./goals";
import { BenchOptions } from "./options";
import { MemorySampler, ProcessRole } from "./procmem";
import { BenchProject, CliResult, SETUP_ENV } from "./pulumi";
import { log, median, now, num, secs } from "./util";
import { extraConfig, programOf, Variant } from "./variants";

export interface PreviewRow {
    size: number;
    variant: Variant;
    ms: number[];
    medianMs: number;
    /** Median over the do-nothing stack's median at the same size. */
    ratio: number;
    /** API calls the emulator received during this variant's previews. */
    emulatorCalls: number;
    /** What the previews said would change (should be nothing). */
    changesReported: string;
    /** The untimed `up` that brought the stack to this size. */
    upMs: number;
    /** Median CPU seconds per preview, by process (sampled from /proc). */
    medianCpuSeconds: Record<ProcessRole, number>;
}

export interface PreviewResult {
    rows: PreviewRow[];
    goals: Goal[];
    wallMs: number;
}

const PREFIX = "pv";
const UP_TIMEOUT_MS = 5 * 60_000;
const PREVIEW_TIMEOUT_MS = 3 * 60_000;
/** The goal: a preview of 500 resources at most this many times the do-nothing stack's. */
const PREVIEW_RATIO = 1.15;

export async function runPreview(emulator: EmulatorHandle, opts: BenchOptions): Promise<PreviewResult> {
    const started = now();
    const sizes = [...opts.previewSizes].sort((a, b) => a - b);
    const largest = sizes[sizes.length - 1];
    emulator.admin.setTaskDuration(200);
    seedStack(emulator, PREFIX, largest);
    const variants: Variant[] = ["package", ...(opts.sources.includes("repo") ? (["repo"] as const) : []), "noop"];
    const projects = new Map<Variant, BenchProject>();
    const rows: PreviewRow[] = [];
    try {
        for (const variant of variants) {
            projects.set(variant, await BenchProject.create(programOf(variant), `preview-${variant}`, emulator));
        }
        for (const size of sizes) {
            const here = variants.filter((v) => v !== "repo" || size === largest);
            const upMs = new Map<Variant, number>();
            for (const variant of here) {
                const project = projects.get(variant) as BenchProject;
                project.configure({ count: size, prefix: PREFIX, gen: 0 }, extraConfig(variant));
                upMs.set(variant, (await project.up(undefined, { timeoutMs: UP_TIMEOUT_MS, env: SETUP_ENV })).ms);
            }
            log(
                `preview: ${size} resources up (${here.map((v) => `${v} ${secs(upMs.get(v) ?? NaN, 1)} s`).join(", ")}); ${opts.previewReps} previews each`,
            );
            const ms = new Map<Variant, number[]>(here.map((v) => [v, []]));
            const calls = new Map<Variant, number>(here.map((v) => [v, 0]));
            const changes = new Map<Variant, Set<string>>(here.map((v) => [v, new Set()]));
            const cpu = new Map<Variant, Array<Record<ProcessRole, number>>>(here.map((v) => [v, []]));
            for (let rep = 0; rep < opts.previewReps; rep++) {
                const order = rep % 2 === 0 ? here : [...here].reverse();
                for (const variant of order) {
                    emulator.admin.clearCalls();
                    const sampler = new MemorySampler();
                    const result = await (projects.get(variant) as BenchProject).preview({
                        timeoutMs: PREVIEW_TIMEOUT_MS,
                        onStart: (pid) => sampler.start(pid),
                    });
                    sampler.stop();
                    cpu.get(variant)?.push({
                        cli: sampler.cpuOf("cli"),
                        program: sampler.cpuOf("program"),
                        provider: sampler.cpuOf("provider"),
                        other: sampler.cpuOf("other"),
                    });
                    calls.set(variant, (calls.get(variant) ?? 0) + emulator.admin.calls().length);
                    changes.get(variant)?.add(changeSummary(result));
                    ms.get(variant)?.push(result.ms);
                }
            }
            const noopMedian = median(ms.get("noop") ?? []);
            for (const variant of here) {
                const row: PreviewRow = {
                    size,
                    variant,
                    ms: ms.get(variant) ?? [],
                    medianMs: median(ms.get(variant) ?? []),
                    ratio: median(ms.get(variant) ?? []) / noopMedian,
                    emulatorCalls: calls.get(variant) ?? 0,
                    changesReported: [...(changes.get(variant) ?? [])].join("; "),
                    upMs: upMs.get(variant) ?? NaN,
                    medianCpuSeconds: medianByRole(cpu.get(variant) ?? []),
                };
                rows.push(row);
            }
            log(
                `preview: ${size} resources: ` +
                    rows
                        .filter((r) => r.size === size)
                        .map(
                            (r) =>
                                `${r.variant} ${secs(r.medianMs)} s (${num(r.ratio, 2)}x, ${r.emulatorCalls} calls, ${r.changesReported})`,
                        )
                        .join("; "),
            );
        }
    } finally {
        for (const project of projects.values()) {
            project.dispose(opts.keep);
        }
    }
    return { rows, goals: goals(rows), wallMs: now() - started };
}

function medianByRole(samples: Array<Record<ProcessRole, number>>): Record<ProcessRole, number> {
    const of = (role: ProcessRole) => median(samples.map((s) => s[role]));
    return { cli: of("cli"), program: of("program"), provider: of("provider"), other: of("other") };
}

/** "no changes", or what the preview's summary says would change. */
function changeSummary(result: CliResult): string {
    const summary = result.output.slice(result.output.lastIndexOf("Resources:"));
    const changes = [
        ...summary.matchAll(
            /^\s+(?:[-+~]+\s*)?(\d+) (to create|to update|to delete|to replace|to create replacement)/gm,
        ),
    ].map((m) => `${m[1]} ${m[2]}`);
    return changes.length === 0 ? "no changes" : changes.join(", ");
}

function goals(rows: PreviewRow[]): Goal[] {
    const provider = rows.filter((r) => r.variant === "package");
    const largest = provider.length > 0 ? provider.reduce((a, b) => (b.size > a.size ? b : a)) : undefined;
    const at = provider.find((r) => r.size === 500) ?? largest;
    const calls = rows.filter((r) => r.variant !== "noop").reduce((sum, r) => sum + r.emulatorCalls, 0);
    const previews = rows.filter((r) => r.variant !== "noop").reduce((n, r) => n + r.ms.length, 0);
    const noop = at ? rows.find((r) => r.variant === "noop" && r.size === at.size) : undefined;
    // Previews alternate between the stacks: repeat i of each ran side by side, so each repeat's ratio is paired.
    const ratios = at && noop ? at.ms.map((ms, i) => ms / noop.ms[i]) : [];
    const { judged, pass } = judge(ratios, PREVIEW_RATIO, "x");
    const result: Goal[] = [
        {
            part: "preview",
            goal: `preview of ${at?.size ?? 500} resources <= ${PREVIEW_RATIO}x the do-nothing stack's (median of the paired repeats' ratios)`,
            measured:
                at && noop
                    ? `${num(judged.median, 2)}x (medians ${secs(at.medianMs)} s vs ${secs(noop.medianMs)} s = ${num(at.ratio, 2)}x)`
                    : "not measured",
            pass,
            judged,
            ...(pass === false &&
                at &&
                noop && {
                    why: `extra CPU s per preview (medians) in CLI + program + provider plugin: ${(
                        ["cli", "program", "provider"] as const
                    )
                        .map((role) => num(at.medianCpuSeconds[role] - noop.medianCpuSeconds[role], 2))
                        .join(" + ")}`,
                }),
        },
        {
            part: "preview",
            goal: "zero calls to the emulator during preview",
            measured: `${calls} calls over ${previews} previews`,
            pass: previews > 0 ? calls === 0 : undefined,
        },
    ];
    const unexpected = rows.filter((r) => r.changesReported !== "no changes");
    if (unexpected.length > 0) {
        result.push({
            part: "preview",
            goal: "an up-to-date stack previews with no changes",
            measured: unexpected.map((r) => `${r.variant} at ${r.size}: ${r.changesReported}`).join("; "),
            pass: false,
        });
    }
    return result;
}
