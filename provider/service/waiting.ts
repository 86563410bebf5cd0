/**
 * Waiting for the service's asynchronous task, after the Smithy waiters: an
 * acceptor that judges each observation, and a loop with a deadline that says
 * what it last saw when it gives up. The delays between polls come from the
 * schedule (pollSchedule.ts); watching.ts puts the two together for every
 * wait on a connection.
 */
import { Clock } from "../foundation/clock";
import { errorKind, fromSdkError, isServiceError, ProviderError, ServiceError } from "../foundation/errors";
import { isRetryable } from "./retrying";
import { ObservedConnection } from "../model/types";

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
