/**
 * Waiting for the service's asynchronous task, in three parts after the
 * Smithy waiters: a pure schedule of delays, an acceptor that judges each
 * observation, and a loop with a deadline that says what it last saw when it
 * gives up.
 */
import { Clock } from "../foundation/clock";
import { errorKind, fromSdkError, isServiceError, ProviderError, ServiceError } from "../foundation/errors";
import { processWide } from "../foundation/processWide";
import { isRetryable } from "./retrying";
import { ObservedConnection } from "../model/types";

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
    /** After a learned first delay, gaps restart fine and grow at most this much from one to the next. */
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
 *   or the fleet's typical one): the first delay is 0.85 E, leaving room for
 *   a task 15% faster than the last; then gaps restart at 4% of E (at least
 *   40 ms) and grow 1.2x a poll, never longer than the gaps above. For
 *   E = 16 s that is polls at 13.6, 14.2, 15.0, 15.9, 16.9 s: five instead
 *   of 22. A task much faster than E is seen late, at 0.85 E: the price of
 *   learning.
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
const EXPECTED_LEAD_SHARE = 0.85;
/** The first delay after that, as a share of the expected duration. */
const EXPECTED_FINE_SHARE = 0.04;
/** ...but never finer than this: a request takes about as long. */
const EXPECTED_FINE_MIN_MS = 40;

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
    // The learned path's fine gaps; without a learned length, none.
    let fine = learned ? Math.max(EXPECTED_FINE_MIN_MS, EXPECTED_FINE_SHARE * expected) : Infinity;
    for (;;) {
        const delay = base * (1 - o.jitter * clamp01(random()));
        elapsed += delay;
        yield delay;
        base = Math.min(fine, gapAfter(elapsed, o));
        fine *= o.factor;
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

function clamp01(x: number): number {
    return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0;
}

export type AcceptorState = "success" | "retry" | "failure";

/** Judges one observation. */
export type Acceptor<T> = (observed: T) => { state: AcceptorState; reason?: string };

export interface WaitOptions<T> {
    poll: () => Promise<T>;
    acceptor: Acceptor<T>;
    /** Epoch milliseconds. */
    deadline: number;
    clock: Clock;
    delays: Iterator<number> | ((poll: number) => number);
    /** Names an observation in messages, e.g. "connection vco-1 updating (tunnel tun-2 updating)". */
    describe?: (observed: T) => string;
    /**
     * Poll once before the first delay (the default), as for "is anything
     * running?". Right after a Modify, pass false: the task has only just
     * started, so the first delay saves a Describe that cannot succeed.
     */
    pollFirst?: boolean;
    /**
     * Where a progress line goes while the wait goes on: real tasks take
     * minutes, and a silent deployment looks hung. At most one line per
     * `progressEveryMs` (default 30 s), written after a poll.
     */
    progress?: (line: string) => void;
    progressEveryMs?: number;
    /** What is waited for, for the progress line, e.g. "vco-1: the task this update started". */
    waitingFor?: string;
}

/** Often enough to show a deployment is alive, rarely enough not to flood a CI log. */
const PROGRESS_EVERY_MS = 30_000;

export interface WaitResult<T> {
    value: T;
    polls: number;
    elapsedMs: number;
}

/** The acceptor said the wait cannot succeed: what is waited on is in a state no wait will leave. */
class WaitFailedError extends ProviderError {
    constructor(
        message: string,
        readonly polls: number,
        readonly elapsedMs: number,
    ) {
        super(message, "WaitFailedError", "unavailable");
    }
}

/** The deadline passed while the acceptor still said "retry". */
export class WaitTimeoutError extends ProviderError {
    constructor(
        message: string,
        readonly polls: number,
        readonly elapsedMs: number,
    ) {
        super(message, "WaitTimeoutError", "timeout");
    }
}

/**
 * Polls until the acceptor says success (returns) or failure (throws
 * `WaitFailedError`), or the deadline passes (throws `WaitTimeoutError`).
 * Each delay runs from the start of the poll before it (a slow answer does
 * not push the later polls back); sleeps are cut short at the deadline, and
 * one last poll is made there.
 * A poll that fails with a retryable error counts as a poll and the loop goes
 * on, waiting at least its `retryAfterMs`; a poll that could not be made
 * before the deadline ends it as a timeout, with what the last poll saw; any
 * other error, and any error the acceptor throws, ends the wait.
 */
export async function waitFor<T>(opts: WaitOptions<T>): Promise<WaitResult<T>> {
    const { clock } = opts;
    const start = clock.now();
    const nextDelay = delaySource(opts.delays);
    let polls = 0;
    let last: string | undefined;
    let lastProgressAt = start;
    const progressEvery = opts.progressEveryMs ?? PROGRESS_EVERY_MS;

    if (opts.pollFirst === false) {
        await clock.sleep(Math.max(0, Math.min(nextDelay(0), opts.deadline - clock.now())));
    }
    const timedOut = (detail: string) => {
        const elapsedMs = clock.now() - start;
        return new WaitTimeoutError(
            `timed out after ${Math.round(elapsedMs / 1000)} s and ${polls} poll${polls === 1 ? "" : "s"}: ` +
                (last ?? "the service reported no reason") +
                detail,
            polls,
            elapsedMs,
        );
    };
    for (;;) {
        polls++;
        // The schedule counts from one poll's start to the next, not from each answer: slow
        // answers then do not push every later poll back. (Taken now, a shared grid's tick is
        // measured from here too.)
        const nextAt = clock.now() + nextDelay(polls);
        const outcome = await pollOnce(opts.poll);
        let retryAfterMs = 0;
        if ("late" in outcome) {
            throw timedOut(`; ${outcome.late.message}`);
        }
        if (outcome.ok) {
            const verdict = opts.acceptor(outcome.value);
            if (verdict.state === "success") {
                return { value: outcome.value, polls, elapsedMs: clock.now() - start };
            }
            last = opts.describe
                ? opts.describe(outcome.value) + (verdict.reason ? `; ${verdict.reason}` : "")
                : verdict.reason;
            if (verdict.state === "failure") {
                throw new WaitFailedError(last ?? "the wait cannot succeed", polls, clock.now() - start);
            }
        } else {
            last = `last poll failed: ${outcome.error.message}`;
            retryAfterMs = isServiceError(outcome.error) ? (outcome.error.retryAfterMs ?? 0) : 0;
        }

        const now = clock.now();
        if (now >= opts.deadline) {
            throw timedOut("");
        }
        if (opts.progress && now - lastProgressAt >= progressEvery) {
            lastProgressAt = now;
            const what = opts.waitingFor ?? "waiting";
            opts.progress(
                `${what}: still waiting after ${Math.round((now - start) / 1000)} s; ${last ?? "no answer yet"}`,
            );
        }
        await clock.sleep(Math.max(0, Math.min(Math.max(nextAt, now + retryAfterMs), opts.deadline) - now));
    }
}

/** One poll; a retryable failure, or one that could not start before the deadline, becomes a value; any other is thrown. */
async function pollOnce<T>(
    poll: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: ServiceError | Error } | { late: Error }> {
    try {
        return { ok: true, value: await poll() };
    } catch (err) {
        if (errorKind(err) === "timeout") {
            return { late: err as Error };
        }
        if (!isRetryable(err)) {
            throw err;
        }
        return { ok: false, error: fromSdkError(err) };
    }
}

/** Takes delays from an iterator or a function of the number of polls so far. */
function delaySource(delays: WaitOptions<unknown>["delays"]): (polls: number) => number {
    if (typeof delays === "function") {
        return (polls) => sanitize(delays(polls));
    }
    return () => {
        const next = delays.next();
        return next.done ? 0 : sanitize(next.value);
    };
}

function sanitize(ms: number): number {
    // A negative delay is no sleep at all: waitFor clamps every sleep at 0.
    return Number.isFinite(ms) ? ms : 0;
}

/** Connection states in which a task is running. */
const BUSY_CONNECTION_STATES = ["updating", "provisioning", "attaching", "detaching", "upgrading"];
/** Tunnel states in which a task is running. */
const BUSY_TUNNEL_STATES = ["updating", "deleting"];
/** States no wait will leave. */
const FINAL_CONNECTION_STATES: Record<string, string> = {
    financiallocked: "it is locked for overdue payment; settle the account, then run the update again",
    deleted: "it has been deleted",
};

/**
 * Settled: no task runs on the connection or on any of its tunnels. A
 * missing connection, or one that is locked or deleted, cannot settle.
 */
export const connectionSettled: Acceptor<ObservedConnection | undefined> = (observed) => {
    if (observed === undefined) {
        return { state: "failure", reason: "the connection does not exist" };
    }
    // Stryker disable next-line StringLiteral: a missing state reads as no state; any text that names no state does the same
    const state = (observed.state ?? "").toLowerCase();
    if (Object.prototype.hasOwnProperty.call(FINAL_CONNECTION_STATES, state)) {
        return {
            state: "failure",
            reason: `connection ${observed.vpnConnectionId} is ${observed.state}: ${FINAL_CONNECTION_STATES[state]}`,
        };
    }
    if (BUSY_CONNECTION_STATES.includes(state)) {
        return { state: "retry", reason: `a task is running on connection ${observed.vpnConnectionId}` };
    }
    // Stryker disable next-line ArrayDeclaration: without tunnels, any list of non-tunnels holds no busy tunnel either
    const busyTunnels = (observed.tunnelOptionsSpecification ?? []).filter((t) =>
        // Stryker disable next-line StringLiteral: a tunnel without a state is not busy; any text that names no state does the same
        BUSY_TUNNEL_STATES.includes((t.state ?? "").toLowerCase()),
    );
    if (busyTunnels.length > 0) {
        return {
            state: "retry",
            reason: `a task is running on ${busyTunnels.map((t) => `tunnel ${t.tunnelId}`).join(" and ")}`,
        };
    }
    return { state: "success" };
};

/** "connection vco-1 updating (tunnel tun-1 active, tunnel tun-2 updating)", for `describe`. */
export function describeConnection(observed: ObservedConnection | undefined): string {
    if (observed === undefined) {
        return "connection not found";
    }
    const tunnels = (observed.tunnelOptionsSpecification ?? [])
        .map((t) => `tunnel ${t.tunnelId} ${t.state ?? "in an unknown state"}`)
        .join(", ");
    const state = observed.state ?? "in an unknown state";
    return `connection ${observed.vpnConnectionId} ${state}${tunnels ? ` (${tunnels})` : ""}`;
}
