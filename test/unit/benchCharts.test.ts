import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { charts, fleetChart, previewChart, renderSvg, waitChart, writeCharts } from "../../bench/charts";
import type { BenchResults } from "../../bench/report";
import { VARIANT_LABEL } from "../../bench/variants";
import { STRATEGY_LABEL } from "../../bench/wait";
import { REPO_ROOT } from "../../support/pulumiWorkspace";

/**
 * The benchmark's charts, rendered from a small stored result
 * (test/fixtures/bench-results.json: two task lengths, stack sizes and fleet
 * sizes, three repeats each) through Vega-Lite and vega's headless SVG renderer.
 */
const RESULTS = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, "test", "fixtures", "bench-results.json"), "utf8"),
) as BenchResults;

/** The text of every <text> element of an SVG document, unescaped. */
function texts(svg: string): string[] {
    return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
        m[1]
            .replace(/&amp;/g, "&")
            .replace(/&lt;/g, "<")
            .replace(/&gt;/g, ">")
            .replace(/&quot;/g, '"'),
    );
}

describe("benchmark charts", function () {
    // Loading vega and vega-lite takes a second or two on a busy machine.
    this.timeout(30_000);

    it("draws overhead against task length with an axis for each and a series per waiting strategy", async () => {
        const chart = waitChart(RESULTS);
        expect(chart?.file).to.equal("wait-overhead.svg");
        const svg = await renderSvg(chart?.spec ?? {});
        expect(svg.startsWith("<svg")).to.be.true;
        const words = texts(svg);
        expect(words).to.include.members([
            "actual task length (s, median of the draws)",
            "overhead (% of the task)",
            STRATEGY_LABEL.provider,
            STRATEGY_LABEL.terraform,
            STRATEGY_LABEL["fixed-1s"],
        ]);
    });

    it("draws fleet wall time against size beside the engine and rate floors", async () => {
        const words = texts(await renderSvg(fleetChart(RESULTS)?.spec ?? {}));
        expect(words).to.include.members([
            "fleet size (connections)",
            "wall time (s)",
            "provider: wall time",
            "engine floor",
            "rate floor",
        ]);
    });

    it("draws preview time against stack size beside the do-nothing stack", async () => {
        const words = texts(await renderSvg(previewChart(RESULTS)?.spec ?? {}));
        expect(words).to.include.members([
            "resources in the stack",
            "preview time (s)",
            VARIANT_LABEL.package,
            VARIANT_LABEL.noop,
        ]);
    });

    it("plots the median of the repeats, with the spread as a bar from min to max", () => {
        const values = (fleetChart(RESULTS)?.spec.data as { values: Array<Record<string, unknown>> }).values;
        // Fleet of 200: wall times 43, 41 and 45 s.
        expect(values).to.deep.include({ series: "provider: wall time", x: 200, y: 43, low: 41, high: 45 });
    });

    it("draws only the charts of the parts that ran, and writes them as files", async () => {
        const onlyPreview = { ...RESULTS, wait: undefined, fleet: undefined };
        expect(charts(onlyPreview).map((c) => c.file)).to.deep.equal(["preview-time.svg"]);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-charts-"));
        try {
            const written = await writeCharts(onlyPreview, dir);
            expect(written.map((f) => path.basename(f))).to.deep.equal(["preview-time.svg"]);
            expect(fs.readFileSync(written[0], "utf8")).to.contain("preview time (s)");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
