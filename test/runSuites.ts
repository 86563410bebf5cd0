/**
 * Runs the test suites, each in a mocha process of its own under a time
 * limit, and closes with one "N passed, N failed, N skipped" line for all.
 *
 *     node bin/test/runSuites.js [suite ...]    (after `npm run build`; default: every suite)
 *
 * A suite that outlives its limit (a test or hook waiting for something that
 * never comes, or something left open that keeps mocha from exiting) is
 * stopped with its whole process group and reported by name, instead of
 * holding the run until CI's own timeout. The reporter (test/reporter.ts)
 * already ends a process that lingers after its last test; the limit catches
 * the rest.
 *
 * The run stops at the first suite that fails, so a broken unit test is
 * reported in seconds rather than after the end-to-end suite;
 * TEST_KEEP_GOING=1 runs the remaining suites anyway.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { addTotals, formatTotals, noTotals, Totals, TOTALS_FILE_ENV } from "./totals";

interface Suite {
    /** The folder of its tests: test/<name>. */
    name: string;
    /** Generous: several times what the suite takes on a busy two-core machine. */
    limitMinutes: number;
    mochaArgs?: string[];
}

/** The suites, in the order they run: cheapest first. A new suite is one line here. */
const SUITES: Suite[] = [
    { name: "unit", limitMinutes: 5 },
    { name: "emulator", limitMinutes: 5 },
    { name: "integration", limitMinutes: 10 },
    { name: "property", limitMinutes: 15 },
    { name: "e2e", limitMinutes: 40, mochaArgs: ["--timeout", "600000"] },
];
/** For a folder of tests under test/ that SUITES does not list: it still runs, last, with this limit. */
const DEFAULT_LIMIT_MINUTES = 15;
/** How long a stopped suite gets to report what it was doing before it is killed. */
const KILL_GRACE_MS = 5_000;
/** How long the processes of a suite that ended by itself get to be gone. */
const LEFTOVER_GRACE_MS = 1_000;

const REPO_ROOT = resolve(__dirname, "..", "..");
const MOCHA = require.resolve("mocha/bin/mocha.js");

type Verdict = "ok" | "failed" | "timed out" | "not run";

interface Outcome {
    suite: Suite;
    verdict: Verdict;
    totals: Totals;
    ms: number;
    note?: string;
}

/** The suites to run: the listed ones in order, then any other folder under test/ that holds tests. */
function allSuites(): Suite[] {
    const listed = new Set(SUITES.map((s) => s.name));
    const found = readdirSync(join(REPO_ROOT, "test"), { withFileTypes: true })
        .filter(
            (entry) =>
                entry.isDirectory() && !listed.has(entry.name) && holdsTests(join(REPO_ROOT, "test", entry.name)),
        )
        .map((entry) => ({ name: entry.name, limitMinutes: DEFAULT_LIMIT_MINUTES }))
        .sort((a, b) => a.name.localeCompare(b.name));
    return [...SUITES, ...found];
}

function holdsTests(dir: string): boolean {
    return readdirSync(dir, { recursive: true }).some((file) => String(file).endsWith(".test.ts"));
}

function select(names: string[]): Suite[] {
    const suites = allSuites();
    if (names.length === 0) {
        return suites;
    }
    const unknown = names.filter((name) => !suites.some((s) => s.name === name));
    if (unknown.length > 0) {
        throw new Error(`no suite ${unknown.join(", ")}; the suites are: ${suites.map((s) => s.name).join(", ")}`);
    }
    return names.map((name) => suites.find((s) => s.name === name) as Suite);
}

/** Sends `signal` to every process of the group; false when none is left. */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
    try {
        process.kill(-group, signal);
        return true;
    } catch {
        return false;
    }
}

/** The group of the suite running now, to stop it when the runner itself is stopped. */
let runningGroup: number | undefined;
/** The exit status to end with once the runner was asked to stop. */
let interruptedWith: number | undefined;

async function runSuite(suite: Suite, totalsFile: string, extraMochaArgs: string[]): Promise<Outcome> {
    rmSync(totalsFile, { force: true });
    const started = Date.now();
    // Its own process group, so that stopping it also stops what its tests started.
    const child = spawn(
        process.execPath,
        [
            MOCHA,
            "--config",
            ".mocharc.json",
            ...(suite.mochaArgs ?? []),
            ...extraMochaArgs,
            `bin/test/${suite.name}/**/*.test.js`,
        ],
        {
            cwd: REPO_ROOT,
            // No stdin: a background process group that reads the terminal would be stopped.
            stdio: ["ignore", "inherit", "inherit"],
            detached: true,
            env: { ...process.env, [TOTALS_FILE_ENV]: totalsFile },
        },
    );
    const group = child.pid as number;
    runningGroup = group;
    const limitMinutes = limitOverride() ?? suite.limitMinutes;
    let timedOut = false;
    const limitTimer = setTimeout(() => {
        timedOut = true;
        process.stderr.write(
            `\nSuite ${suite.name} is still running after its limit of ${limitMinutes} min: stopping it.\n`,
        );
        stopGroup(group);
    }, limitMinutes * 60_000);
    const status = await new Promise<number | null>((done) => {
        child.once("error", () => done(null));
        child.once("exit", (code) => done(code));
    });
    clearTimeout(limitTimer);
    runningGroup = undefined;
    // A stopped suite gets time to say where it was; a suite that ended by itself should have left nothing.
    const stopped = timedOut || interruptedWith !== undefined;
    const leftOver = await outlivedBy(group, stopped ? KILL_GRACE_MS : LEFTOVER_GRACE_MS);

    const reported = readTotals(totalsFile);
    const totals = reported ?? noTotals();
    const notes: string[] = [];
    if (timedOut) notes.push(`stopped after its limit of ${limitMinutes} min`);
    if (interruptedWith !== undefined) notes.push("interrupted");
    if (leftOver && !stopped) notes.push("left processes running, killed now");
    if (!reported) notes.push(`exited with status ${status} without reporting its tests`);
    const clean = !stopped && !leftOver && reported !== undefined && status === 0 && totals.failures === 0;
    if (!clean && totals.failures === 0) {
        // The closing line must never say "0 failed" for a run that failed.
        totals.failures = 1;
    }
    return {
        suite,
        verdict: clean ? "ok" : timedOut ? "timed out" : "failed",
        totals,
        ms: Date.now() - started,
        note: notes.join("; ") || undefined,
    };
}

/** TEST_TIME_LIMIT_MINUTES, for a machine much slower than the limits assume. */
function limitOverride(): number | undefined {
    const minutes = Number(process.env.TEST_TIME_LIMIT_MINUTES);
    return Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
}

/** SIGTERM, so that the reporter can say where it was, then SIGKILL for what is left. */
function stopGroup(group: number): void {
    signalGroup(group, "SIGTERM");
    setTimeout(() => signalGroup(group, "SIGKILL"), KILL_GRACE_MS).unref();
}

/**
 * Whether processes of the group are still there `graceMs` after its leader
 * exited; they are killed. A process that has just exited counts until it is
 * reaped, hence the grace.
 */
async function outlivedBy(group: number, graceMs: number): Promise<boolean> {
    const deadline = Date.now() + graceMs;
    while (signalGroup(group, 0)) {
        if (Date.now() >= deadline) {
            return signalGroup(group, "SIGKILL");
        }
        await new Promise((done) => setTimeout(done, 100));
    }
    return false;
}

function readTotals(file: string): Totals | undefined {
    if (!existsSync(file)) {
        return undefined;
    }
    try {
        return JSON.parse(readFileSync(file, "utf8")) as Totals;
    } catch {
        return undefined;
    }
}

function summaryLine(outcome: Outcome): string {
    const { passes, failures, pending } = outcome.totals;
    const parts = [`  ${outcome.suite.name.padEnd(12)} ${outcome.verdict.padEnd(9)}`];
    if (outcome.verdict !== "not run") {
        parts.push(`${passes} passing, ${failures} failing, ${pending} pending, ${(outcome.ms / 1000).toFixed(1)} s`);
    }
    if (outcome.note) {
        parts.push(`(${outcome.note})`);
    }
    return parts.join(" ");
}

async function main(): Promise<number> {
    // Suite names first; anything from the first option on goes to mocha (`npm run test:e2e -- --grep x`).
    const args = process.argv.slice(2);
    const firstOption = args.findIndex((arg) => arg.startsWith("-"));
    const suites = select(firstOption < 0 ? args : args.slice(0, firstOption));
    const extraMochaArgs = firstOption < 0 ? [] : args.slice(firstOption);
    const keepGoing = process.env.TEST_KEEP_GOING === "1";
    const scratch = mkdtempSync(join(tmpdir(), "test-totals-"));
    const outcomes: Outcome[] = [];
    try {
        for (const suite of suites) {
            const skip =
                interruptedWith !== undefined
                    ? "the run was interrupted"
                    : !keepGoing && outcomes.some((o) => o.verdict !== "ok")
                      ? "an earlier suite failed; TEST_KEEP_GOING=1 runs it anyway"
                      : undefined;
            outcomes.push(
                skip
                    ? { suite, verdict: "not run", totals: noTotals(), ms: 0, note: skip }
                    : await runSuite(suite, join(scratch, `${suite.name}.json`), extraMochaArgs),
            );
        }
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
    const sum = outcomes.map((o) => o.totals).reduce(addTotals, noTotals());
    process.stdout.write(`\nSuites:\n${outcomes.map(summaryLine).join("\n")}\n\n${formatTotals(sum)}\n`);
    return interruptedWith ?? (outcomes.every((o) => o.verdict === "ok") ? 0 : 1);
}

for (const [signal, status] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
] as const) {
    process.once(signal, () => {
        interruptedWith = status;
        if (runningGroup !== undefined) {
            stopGroup(runningGroup);
        }
    });
}

main().then(
    (status) => {
        process.exitCode = status;
    },
    (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 2;
    },
);
