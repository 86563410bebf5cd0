/**
 * The benchmark's charts: Vega-Lite specifications built from the results,
 * compiled by `vega-lite` and rendered to SVG by `vega`'s headless View (no
 * browser, no canvas). Each chart carries its data inline, so a chart is a
 * function of the results alone.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { summarizeFleet } from "./fleet";
import type { BenchResults } from "./report";
import { max, median, min } from "./util";
import { VARIANT_LABEL } from "./variants";
import { STRATEGY_LABEL } from "./wait";

/** A Vega-Lite specification (checked by Vega-Lite's compiler when rendered). */
export type ChartSpec = Record<string, unknown>;

export interface Chart {
    /** File name of the SVG, e.g. wait-overhead.svg. */
    file: string;
    title: string;
    spec: ChartSpec;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const WIDTH = 560;
const HEIGHT = 320;

/** One point of a series, with the spread of its repeats. */
interface Point {
    series: string;
    x: number;
    y: number;
    low: number;
    high: number;
}

/**
 * Lines through the medians, points on them, and a bar from min to max of
 * the repeats; `rules` are series drawn as dashed lines (floors, references).
 */
function lineChart(
    title: string,
    xTitle: string,
    yTitle: string,
    points: Point[],
    options: { logX?: boolean; logY?: boolean; dashed?: string[] } = {},
): ChartSpec {
    const dashed = options.dashed ?? [];
    const scale = (log: boolean | undefined) => (log ? { type: "log" } : { zero: true });
    const x = { field: "x", type: "quantitative", title: xTitle, scale: scale(options.logX) };
    const color = {
        field: "series",
        type: "nominal",
        title: null,
        legend: { orient: "bottom", columns: 2, labelLimit: 400 },
    };
    return {
        $schema: SCHEMA,
        title,
        width: WIDTH,
        height: HEIGHT,
        data: { values: points },
        layer: [
            {
                mark: { type: "line", point: true },
                encoding: {
                    x,
                    y: { field: "y", type: "quantitative", title: yTitle, scale: scale(options.logY) },
                    color,
                    strokeDash: {
                        condition: { test: { field: "series", oneOf: dashed }, value: [6, 4] },
                        value: [1, 0],
                    },
                },
            },
            {
                mark: { type: "rule", strokeWidth: 2 },
                encoding: { x, y: { field: "low", type: "quantitative" }, y2: { field: "high" }, color },
            },
        ],
    };
}

/** Overhead against task length, per waiting strategy (median and min–max of the runs). */
export function waitChart(r: BenchResults): Chart | undefined {
    const w = r.wait;
    if (!w || w.rows.length === 0) {
        return undefined;
    }
    const points: Point[] = [];
    for (const row of w.rows) {
        const runs = w.samples.filter(
            (s) => s.strategy === row.strategy && s.taskSeconds === row.taskSeconds && s.error === undefined,
        );
        const shares = runs.map((s) => ((s.ms - s.actualSeconds * 1000) / (s.actualSeconds * 1000)) * 100);
        if (shares.length === 0) {
            continue;
        }
        points.push({
            series: STRATEGY_LABEL[row.strategy],
            x: row.medianActualSeconds,
            y: median(shares),
            low: min(shares),
            high: max(shares),
        });
    }
    return {
        file: "wait-overhead.svg",
        title: "Overhead against task length, per waiting strategy",
        spec: lineChart(
            "Overhead against task length (median, bar: min–max of the runs)",
            "actual task length (s, median of the draws)",
            "overhead (% of the task)",
            points,
            { logX: true, logY: true },
        ),
    };
}

/** Wall time of the fleet update against fleet size, with the engine and rate floors. */
export function fleetChart(r: BenchResults): Chart | undefined {
    const sizes = summarizeFleet(r.fleet?.rows ?? []);
    if (sizes.length === 0) {
        return undefined;
    }
    const s = (ms: number) => ms / 1000;
    const points: Point[] = sizes.flatMap((f) => [
        {
            series: "provider: wall time",
            x: f.size,
            y: s(f.wallMs),
            low: s(f.wallMinMs),
            high: s(f.wallMaxMs),
        },
        ...(Number.isFinite(f.engineFloorMs)
            ? [
                  {
                      series: "engine floor",
                      x: f.size,
                      y: s(f.engineFloorMs),
                      low: s(f.engineFloorMs),
                      high: s(f.engineFloorMs),
                  },
              ]
            : []),
        { series: "rate floor", x: f.size, y: s(f.rateFloorMs), low: s(f.rateFloorMs), high: s(f.rateFloorMs) },
    ]);
    return {
        file: "fleet-wall-time.svg",
        title: "Fleet update: wall time against fleet size, with the engine and rate floors",
        spec: lineChart(
            "Fleet update: wall time against fleet size (median, bar: min–max of the repeats)",
            "fleet size (connections)",
            "wall time (s)",
            points,
            { dashed: ["engine floor", "rate floor"] },
        ),
    };
}

/** Preview time against stack size, beside the do-nothing stack. */
export function previewChart(r: BenchResults): Chart | undefined {
    const rows = r.preview?.rows ?? [];
    if (rows.length === 0) {
        return undefined;
    }
    const points: Point[] = rows.map((row) => ({
        series: VARIANT_LABEL[row.variant],
        x: row.size,
        y: row.medianMs / 1000,
        low: min(row.ms) / 1000,
        high: max(row.ms) / 1000,
    }));
    return {
        file: "preview-time.svg",
        title: "Preview time against stack size, beside the do-nothing stack",
        spec: lineChart(
            "pulumi preview: time against stack size (median, bar: min–max of the previews)",
            "resources in the stack",
            "preview time (s)",
            points,
            { dashed: [VARIANT_LABEL.noop] },
        ),
    };
}

export function charts(r: BenchResults): Chart[] {
    return [waitChart(r), fleetChart(r), previewChart(r)].filter((c): c is Chart => c !== undefined);
}

interface VegaLiteModule {
    compile(spec: ChartSpec): { spec: unknown };
}

interface VegaView {
    toSVG(): Promise<string>;
    finalize(): void;
}

interface VegaModule {
    parse(spec: unknown): unknown;
    View: new (runtime: unknown, options: { renderer: "none" }) => VegaView;
}

/**
 * A real dynamic import: tsc (module commonjs) compiles `import()` to
 * `require()`, and require() cannot load vega, an ES module with a top-level
 * await (vega-canvas probes for the optional canvas package).
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the import must stay an import, see above
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** The chart as an SVG document. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
    const vegaLite = (await importModule("vega-lite")) as VegaLiteModule;
    const vega = (await importModule("vega")) as VegaModule;
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: "none" });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}

/** Writes every chart the results allow into `dir`; returns the files written. */
export async function writeCharts(r: BenchResults, dir: string): Promise<string[]> {
    const written: string[] = [];
    for (const chart of charts(r)) {
        const file = path.join(dir, chart.file);
        fs.writeFileSync(file, await renderSvg(chart.spec));
        written.push(file);
    }
    return written;
}
