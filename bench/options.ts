/**
 * Command-line options. `npm run bench` runs everything in full; `npm run
 * bench:quick` passes --quick. Anything after `--` reaches here, e.g.
 * `npm run bench:quick -- --only fleet --fleet-sizes 50`.
 */
import { ProviderSource } from "./package";

export type Part = "wait" | "preview" | "fleet";
export const PARTS: Part[] = ["wait", "preview", "fleet"];

export interface BenchOptions {
    quick: boolean;
    parts: Part[];
    /** Wait bench: task durations in seconds. */
    durations: number[];
    /** Wait bench: repetitions per strategy and duration. */
    waitReps: number;
    /** Wait bench: how many repetitions run at once (each on its own connections). */
    waitConcurrency: number;
    /** Wait bench: seed of the task-duration draws (the same draws for every strategy). */
    waitSeed: number;
    previewSizes: number[];
    previewReps: number;
    fleetSizes: number[];
    /**
     * Fleet bench: timed changes per size, each on both stacks, the stack that goes first alternating (an `up`
     * that runs second in its pair was measured 10-14 s slower); even, so each stack goes first as often. The
     * goals take the median. Quick mode makes one change: its fleet goals rest on one run.
     */
    fleetReps: number;
    fleetParallel: number;
    fleetRatePerSecond: number;
    fleetTaskSeconds: number;
    /** Also time `pulumi up` of a do-nothing stack of the same size (Pulumi's own cost). */
    fleetNoopFloor: boolean;
    /**
     * Where the Pulumi stacks take the provider from: "package" (installed,
     * as users get it) at every size; "repo" (by path, as examples/demo) adds
     * a row at the largest size.
     */
    sources: ProviderSource[];
    /** Markdown output; undefined: bench/RESULTS.md for a run of every part, .bench/RESULTS-<parts>.md otherwise. */
    out?: string;
    /** Keep the Pulumi project directories under .bench/ for inspection. */
    keep: boolean;
    /** The whole run stops (and reports what it has) after this many seconds. */
    deadlineSeconds: number;
}

const USAGE = `usage: node bin/bench/main.js [--quick] [--only wait,preview,fleet]
  [--durations 1,4,16,64] [--wait-reps N] [--wait-concurrency N] [--wait-seed N]
  [--preview-sizes 1,100,500] [--preview-reps N]
  [--fleet-sizes 50,100,200] [--fleet-reps N] [--fleet-parallel 64] [--fleet-rate 20] [--fleet-task 2] [--no-noop-floor]
  [--sources package,repo]
  [--out FILE] [--keep] [--deadline SECONDS]`;

export function parseOptions(argv: string[]): BenchOptions {
    const quick = argv.includes("--quick");
    const o: BenchOptions = quick
        ? {
              quick,
              parts: [...PARTS],
              durations: [1, 4, 16],
              waitReps: 5,
              waitConcurrency: 5,
              waitSeed: 13,
              previewSizes: [1, 50],
              previewReps: 3,
              fleetSizes: [50],
              fleetReps: 1,
              fleetParallel: 64,
              fleetRatePerSecond: 20,
              fleetTaskSeconds: 2,
              fleetNoopFloor: true,
              sources: ["package"],
              keep: false,
              deadlineSeconds: 165,
          }
        : {
              quick,
              parts: [...PARTS],
              durations: [1, 4, 16, 64],
              // A median of nine draws sits where those draws fall on the schedule's grid (9 gave 16.5% on 1 s
              // tasks where the schedule's own median is 12%); 81 resolve a median share to about a point.
              waitReps: 81,
              waitConcurrency: 81,
              waitSeed: 13,
              previewSizes: [1, 100, 500],
              previewReps: 5,
              fleetSizes: [50, 100, 200],
              fleetReps: 4,
              fleetParallel: 64,
              fleetRatePerSecond: 20,
              fleetTaskSeconds: 2,
              fleetNoopFloor: true,
              sources: ["package"],
              keep: false,
              deadlineSeconds: 30 * 60,
          };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.includes("=")
            ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
            : [arg, undefined];
        const value = (): string => {
            const v = inline ?? argv[++i];
            if (v === undefined) {
                throw new Error(`${flag} needs a value\n${USAGE}`);
            }
            return v;
        };
        const numbers = (): number[] => {
            const list = value()
                .split(",")
                .map((s) => Number(s.trim()));
            if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n <= 0)) {
                throw new Error(`${flag} wants a comma-separated list of positive numbers\n${USAGE}`);
            }
            return list;
        };
        const positive = (): number => {
            const n = Number(value());
            if (!Number.isFinite(n) || n <= 0) {
                throw new Error(`${flag} wants a positive number\n${USAGE}`);
            }
            return n;
        };
        switch (flag) {
            case "--quick":
                break;
            case "--only": {
                const parts = value()
                    .split(",")
                    .map((s) => s.trim()) as Part[];
                const bad = parts.filter((p) => !PARTS.includes(p));
                if (bad.length > 0) {
                    throw new Error(`unknown part ${bad.join(", ")}; parts are ${PARTS.join(", ")}\n${USAGE}`);
                }
                o.parts = PARTS.filter((p) => parts.includes(p));
                break;
            }
            case "--durations":
                o.durations = numbers();
                break;
            case "--wait-reps":
                o.waitReps = Math.round(positive());
                break;
            case "--wait-seed":
                o.waitSeed = Math.round(positive());
                break;
            case "--wait-concurrency":
                o.waitConcurrency = Math.round(positive());
                break;
            case "--preview-sizes":
                o.previewSizes = numbers().map(Math.round);
                break;
            case "--preview-reps":
                o.previewReps = Math.round(positive());
                break;
            case "--fleet-sizes":
                o.fleetSizes = numbers().map(Math.round);
                break;
            case "--fleet-reps":
                o.fleetReps = Math.round(positive());
                break;
            case "--fleet-parallel":
                o.fleetParallel = Math.round(positive());
                break;
            case "--fleet-rate":
                o.fleetRatePerSecond = positive();
                break;
            case "--fleet-task":
                o.fleetTaskSeconds = positive();
                break;
            case "--no-noop-floor":
                o.fleetNoopFloor = false;
                break;
            case "--sources": {
                const sources = value()
                    .split(",")
                    .map((s) => s.trim());
                if (!sources.includes("package") || sources.some((s) => s !== "package" && s !== "repo")) {
                    throw new Error(`--sources takes package or package,repo\n${USAGE}`);
                }
                o.sources = sources as ProviderSource[];
                break;
            }
            case "--out":
                o.out = value();
                break;
            case "--keep":
                o.keep = true;
                break;
            case "--deadline":
                o.deadlineSeconds = positive();
                break;
            case "--help":
            case "-h":
                console.log(USAGE);
                process.exit(0);
            // falls through (process.exit never returns)
            default:
                throw new Error(`unknown option ${arg}\n${USAGE}`);
        }
    }
    return o;
}
