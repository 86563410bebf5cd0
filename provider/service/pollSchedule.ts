/**
 * When to poll: the schedule of delays between polls, the schedule a test
 * harness may inject instead, and the grid the polls of a fleet keep to. A
 * change to poll timing is a change to this file alone.
 */
import { processWide } from "../foundation/processWide";
import { clamp01 } from "../foundation/unitShare";

export interface PollScheduleOptions {
    /** The delay before the first poll of the schedule. */
    firstDelayMs: number;
    /** Each later gap is this share of the time waited so far... */
    elapsedShare: number;
    /** ...but no longer than this: from there on, the polls come as often as a plain poll of this period... */
    steadyDelayMs: number;
    /** ...until this share of the time waited is longer (a long task's gaps grow again)... */
    lateShare: number;
    /** ...up to this. */
    maxDelayMs: number;
    /** Past the window around a learned length, the fine gaps grow at most this much from one to the next. */
    factor: number;
    /** Each delay is shortened by a random share of up to this much (0.02 = 2%). */
    jitter: number;
    /** How long the last task on this connection (or of the fleet beside it) took, if known. */
    expectedMs?: number;
}

/**
 * The schedule, and why. "Overhead" is the time from the task's end to the
 * poll that sees it: at most the gap between two polls around that moment.
 * The yardstick is a plain poll every second, which is hard to beat: over
 * tasks of unknown length, a schedule with gaps g_i sees a task a median of
 * at least half the mean gap late (the chance of a lag under x is at most x
 * times the polls per second), so any schedule as late as a 1 s poll makes
 * as many calls. Without a learned length, the schedule therefore spends
 * calls where a 1 s poll is worst, on short tasks (the goal there: a median
 * of at most 15% of the task), and polls like it after that:
 *
 * - The first poll at 600 ms; then gaps of 25% of the time waited (polls
 *   1.25x apart: 0.6, 0.75, 0.94, 1.17, 1.46, 1.83, 2.29, 2.86, 3.58 s),
 *   which sees a task of 0.6 to 4 s at most 25% late, a median of about
 *   12%, where a 1 s poll is up to 100% late, a median of 50% on 1 s tasks.
 * - From 4 s of waiting, a poll every second (the gap of 25% reaches 1 s):
 *   at most 1 s late, as a 1 s poll, and at most six polls more than it
 *   (the early polls are the price of the short tasks; the jitter adds up
 *   to 2%).
 * - From 100 s, gaps of 1% of the time waited, at most 10 s: a task of half
 *   an hour costs about 420 polls instead of 1800, still at most 1% late;
 *   from 150 s on, fewer polls than a 1 s poll.
 * - Jitter only shortens delays, so the bounds above hold, while parallel
 *   updates drift apart instead of polling in lockstep into the throttle.
 * - With `expectedMs` (E, the previous task's duration on this connection,
 *   or the fleet's typical one), the schedule beats a 1 s poll on both axes:
 *   the first delay is 0.9 E, leaving room for a task 10% faster than the
 *   last; then a poll every 5% of E (at least 40 ms, at most 500 ms) until
 *   1.1 E, so a task within 10% of E is seen at most that gap late (at most
 *   500 ms, where a 1 s poll is up to 1 s late); after 1.1 E the gaps grow
 *   1.2x a poll, never longer than the gaps above. Without jitter a task of
 *   E is seen by the 3rd poll up to E = 4 s (a 1 s poll makes 4), the 5th
 *   at 16 s (16) and the 14th at 64 s (64). A task much faster than E is
 *   seen late, at 0.9 E: the price of learning.
 *
 * test/unit/pollScheduleBounds.test.ts checks these bounds for any task
 * length and any jitter (a fast-check property).
 */
const DEFAULT_POLL_SCHEDULE: PollScheduleOptions = {
    firstDelayMs: 600,
    elapsedShare: 0.25,
    steadyDelayMs: 1000,
    lateShare: 0.01,
    maxDelayMs: 10_000,
    factor: 1.2,
    jitter: 0.02,
};

/** Where the first delay ends when the task's duration is expected. */
const EXPECTED_LEAD_SHARE = 0.9;
/** The gap after that, as a share of the expected duration... */
const EXPECTED_FINE_SHARE = 0.05;
/** ...but never finer than this (a request takes about as long)... */
const EXPECTED_FINE_MIN_MS = 40;
/** ...nor coarser than this: half a 1 s poll's gap, so a learned wait is seen sooner than by one. */
const EXPECTED_FINE_MAX_MS = 500;

/** The delays between polls, endless; pure apart from `random`. */
export function* pollDelays(
    options: Partial<PollScheduleOptions> = {},
    random: () => number = Math.random,
): Generator<number, never, void> {
    const o = { ...DEFAULT_POLL_SCHEDULE, ...definedOnly(options) };
    const expected = o.expectedMs ?? 0;
    const learned = Number.isFinite(expected) && expected > 0;
    let elapsed = 0;
    let base = learned ? EXPECTED_LEAD_SHARE * expected : o.firstDelayMs;
    // The learned path's fine gaps, kept through the window around E; without a learned length, none.
    let fine = learned
        ? Math.min(EXPECTED_FINE_MAX_MS, Math.max(EXPECTED_FINE_MIN_MS, EXPECTED_FINE_SHARE * expected))
        : Infinity;
    const windowEnd = (2 - EXPECTED_LEAD_SHARE) * expected;
    for (;;) {
        const delay = base * (1 - o.jitter * clamp01(random()));
        elapsed += delay;
        yield delay;
        if (elapsed >= windowEnd) {
            fine *= o.factor;
        }
        base = Math.min(fine, gapAfter(elapsed, o));
    }
}

/** The longest gap after `elapsed` ms of waiting (before jitter); it never shrinks as the wait goes on. */
function gapAfter(elapsed: number, o: PollScheduleOptions): number {
    return Math.min(o.maxDelayMs, Math.max(Math.min(o.steadyDelayMs, o.elapsedShare * elapsed), o.lateShare * elapsed));
}

/**
 * The schedule options every create and update of this process starts from:
 * none (the schedule above) unless a harness injects others, as the test
 * suites do to wait on the emulator's millisecond tasks in milliseconds.
 * Returns what was in force before, to put back.
 */
export function injectPollSchedule(options: Partial<PollScheduleOptions>): Partial<PollScheduleOptions> {
    const setting = pollScheduleSetting();
    const before = setting.options;
    setting.options = options;
    return before;
}

/** The injected schedule options (see `injectPollSchedule`). */
export function injectedPollSchedule(): Partial<PollScheduleOptions> {
    return pollScheduleSetting().options;
}

function pollScheduleSetting(): { options: Partial<PollScheduleOptions> } {
    return processWide("poll-schedule", 1, () => ({ options: {} }));
}

function definedOnly<T extends object>(options: T): Partial<T> {
    return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The grid that waiters' polls are put on, so that concurrent waiters poll together. */
const TICK_MS = 100;

/**
 * While `shared()` says other connections are being waited on, lengthens
 * each delay so that it ends on the next multiple of `tickMs` of the clock:
 * their polls then fall within one gathering window, at a cost of less than
 * one tick per poll. A connection waited on alone keeps its exact schedule.
 */
export function onSharedTicks(
    delays: Iterator<number>,
    now: () => number,
    shared: () => boolean,
    tickMs = TICK_MS,
): Iterator<number> {
    return {
        next() {
            const step = delays.next();
            if (step.done || !shared()) {
                return step;
            }
            const end = now() + step.value;
            return { done: false, value: Math.ceil(end / tickMs) * tickMs - now() };
        },
    };
}
