/**
 * `npm run bench` / `npm run bench:quick`: runs the parts of issue #5 against
 * an in-process emulator on 127.0.0.1, prints the numbers and PASS/FAIL per
 * goal, and writes a markdown report (bench/RESULTS.md when every part ran,
 * .bench/RESULTS-<parts>.md for a partial run, or --out FILE) plus the raw
 * numbers in .bench/results.json. Stops by itself at --deadline (165 s in
 * quick mode), killing any Pulumi command still running and reporting what
 * it has. SVG charts (bench/charts.ts) go next to the markdown.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type EmulatorHandle } from "../emulator";
import { writeCharts } from "./charts";
import { runFleet } from "./fleet";
import { loadAverage, machineInfo } from "./machine";
import { installPackage } from "./package";
import { parseOptions, Part, PARTS } from "./options";
import { runPreview } from "./preview";
import { killRunningCommands } from "../support/pulumiCommand";
import { REPO_ROOT, WORK_ROOT } from "./pulumi";
import { BenchResults, renderConsole, renderMarkdown } from "./report";
import { log, now, secs } from "./util";
import { runWait } from "./wait";

/** Nothing the provider or the SDK does may leave this machine or pick up someone's credentials. */
function isolateEnvironment(emulator: EmulatorHandle): void {
    for (const key of Object.keys(process.env)) {
        if (/^(ALICLOUD_|ALIBABA_CLOUD_|HTTPS?_PROXY$|ALL_PROXY$)/i.test(key)) {
            delete process.env[key];
        }
    }
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    process.env.NO_PROXY = "127.0.0.1,localhost";
    process.env.ALICLOUD_ACCESS_KEY = emulator.accessKeyId;
    process.env.ALICLOUD_SECRET_KEY = emulator.accessKeySecret;
    process.env.ALICLOUD_VPC_ENDPOINT = emulator.endpoint;
}

function outputFile(parts: Part[], out: string | undefined): string {
    if (out) {
        return path.resolve(out);
    }
    return parts.length === PARTS.length
        ? path.join(REPO_ROOT, "bench", "RESULTS.md")
        : path.join(WORK_ROOT, `RESULTS-${parts.join("-")}.md`);
}

async function main(): Promise<number> {
    const opts = parseOptions(process.argv.slice(2));
    const started = now();
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    const emulator = await startEmulator({ taskDurationMs: 200 });
    isolateEnvironment(emulator);
    const results: BenchResults = { options: opts, machine: await machineInfo(), errors: [], wallMs: 0 };
    if (opts.parts.includes("preview") || opts.parts.includes("fleet")) {
        installPackage();
    }
    log(
        `${opts.quick ? "quick" : "full"} run of ${opts.parts.join(", ")}; emulator at ${emulator.endpoint}; deadline ${opts.deadlineSeconds} s`,
    );

    let current: Part | undefined;
    let finished = false;
    const finish = (code: number): number => {
        if (finished) {
            return code;
        }
        finished = true;
        killRunningCommands();
        results.wallMs = now() - started;
        results.machine.loadAverageEnd = loadAverage();
        const file = outputFile(opts.parts, opts.out);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, renderMarkdown(results));
        fs.mkdirSync(WORK_ROOT, { recursive: true });
        fs.writeFileSync(path.join(WORK_ROOT, "results.json"), JSON.stringify(results, null, 2));
        process.stdout.write(
            `\n${renderConsole(results)}\n\nwrote ${path.relative(process.cwd(), file)} (and .bench/results.json) after ${secs(results.wallMs, 0)} s\n`,
        );
        return code;
    };
    /** The charts beside the markdown; a chart that cannot be drawn costs the run nothing else. */
    const drawCharts = async (): Promise<void> => {
        try {
            const written = await writeCharts(results, path.dirname(outputFile(opts.parts, opts.out)));
            log(`charts: ${written.map((f) => path.relative(process.cwd(), f)).join(", ") || "none (no results)"}`);
        } catch (err) {
            log(`charts not drawn: ${err instanceof Error ? err.message : String(err)}`);
        }
    };
    const stopNow = (why: string, code: number) => {
        results.errors.push({ part: current ?? "bench", message: why });
        finish(code);
        if (!opts.keep) {
            cleanUpProjects();
        }
        void drawCharts().finally(() => process.exit(code));
    };
    const deadline = setTimeout(
        () => stopNow(`stopped at the ${opts.deadlineSeconds} s deadline`, 2),
        opts.deadlineSeconds * 1000,
    );
    process.once("SIGINT", () => stopNow("interrupted (SIGINT)", 130));
    process.once("SIGTERM", () => stopNow("terminated (SIGTERM)", 143));

    try {
        for (const part of opts.parts) {
            if (finished) {
                // Stopped (deadline or signal): the report is written, and the process exits once the charts are drawn.
                break;
            }
            current = part;
            const partStart = now();
            log(`--- ${part} ---`);
            try {
                if (part === "wait") {
                    results.wait = await runWait(opts);
                } else if (part === "preview") {
                    results.preview = await runPreview(emulator, opts);
                } else {
                    results.fleet = await runFleet(emulator, opts);
                }
            } catch (err) {
                const message = err instanceof Error ? err.message : String(err);
                log(`${part} failed: ${message.split("\n").slice(0, 20).join("\n")}`);
                results.errors.push({ part, message });
            }
            emulator.admin.reset();
            emulator.admin.setTaskDuration(200);
            log(`${part} took ${secs(now() - partStart, 1)} s`);
        }
    } finally {
        clearTimeout(deadline);
        await emulator.close();
    }
    if (finished) {
        // stopNow exits the process when its charts are drawn.
        return new Promise<number>(() => undefined);
    }
    const code = finish(results.errors.length > 0 ? 1 : 0);
    await drawCharts();
    return code;
}

/** Removes the project directories a stopped run left under .bench/ (results files stay). */
function cleanUpProjects(): void {
    if (!fs.existsSync(WORK_ROOT)) {
        return;
    }
    for (const entry of fs.readdirSync(WORK_ROOT, { withFileTypes: true })) {
        if (entry.isDirectory()) {
            fs.rmSync(path.join(WORK_ROOT, entry.name), { recursive: true, force: true });
        }
    }
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        killRunningCommands();
        console.error(err);
        process.exit(1);
    },
);
