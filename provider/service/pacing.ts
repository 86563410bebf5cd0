/**
 * Keeps one provider process under the account's API rate limit instead of
 * bouncing off it. Every call made with one access key passes one gate: until
 * the service first throttles, calls go as they come (at most a few in
 * flight, so that the first throttle stops a burst early); from then on they
 * are spaced at the rate the service was seen to allow, which is nudged up
 * while calls succeed and cut when one is throttled. A throttled call is
 * queued again at the front, up to a few times, before its error reaches the
 * caller's retry loop: the service rejected it before acting on it.
 *
 * No call starts after the caller's deadline: one that the gate could only
 * start later (its rate, the queue ahead of it, or a throttle's retry-after)
 * fails at once with a `DeadlineError` instead of waiting for nothing.
 */
import type { VpcApi } from "./client";
import { type Clock, systemClock } from "../foundation/clock";
import { assertBeforeDeadline, DeadlineError, seconds, startedTooLate } from "../foundation/deadline";
import { fromSdkError, isServiceError, type ServiceError } from "../foundation/errors";
import { keyedTable } from "../foundation/processWide";

/** Calls in flight at once; enough to fill any rate limit over a real network's round trip. */
const MAX_IN_FLIGHT = 8;
/** After a throttle, the rate is cut to this share of what it was. */
const DECREASE = 0.9;
/** While calls succeed, the rate grows by this many calls per second, each second. */
const INCREASE_PER_SECOND = 1;
/** How often the gate itself takes a throttled call back before its error is returned. */
const REQUEUES = 4;
const MIN_RATE = 0.5;
/**
 * How far back the first throttle looks to estimate the rate. The service
 * limits with a token bucket whose burst is its rate (a second's worth): after
 * a quiet second it is full, and from then on what succeeds in `span` seconds
 * is the burst plus `span` seconds at the rate, so the rate is that count over
 * 1 + `span`. Counting the last second's successes as the rate counted the
 * burst too, up to twice the rate, and every 10% cut on the way down cost one
 * more throttle (5 to 13 per fleet change of 200 in the benchmark). The
 * window bounds the list, and how long calls slower than the rate (while the
 * bucket stays full and its refill is lost) can pull the estimate down: to a
 * third of the rate at worst, which the additive increase then climbs from.
 */
const RATE_WINDOW_MS = 2000;
/** A gap this long between successes lets the bucket fill again: the count starts after it. */
const REFILL_MS = 1000;
/** A first throttle after a quiet second (another client spends the limit) says little: start from this. */
const FIRST_RATE_FLOOR = 5;
/** A gate not throttled for this long lets calls go as they come again: the limit may have been raised, or shared. */
const FORGET_MS = 30_000;

interface Gate {
    /** Calls per second, once the service has throttled; undefined: not yet limited. */
    rate?: number;
    /** When the next call may start (epoch ms). */
    nextAt: number;
    inFlight: number;
    /** Calls waiting for a slot, the front first. */
    queue: Waiting[];
    /** End times of recent successes (RATE_WINDOW_MS): what the service allowed before a first throttle. */
    recentOk: number[];
    /** Whether a wake-up for `nextAt` is pending. */
    waking?: boolean;
    /** When the rate was last cut: calls sent before it were sent too fast already, and cut it no further. */
    cutAt: number;
}

interface Waiting {
    deadline: number;
    start(): void;
    /** The call's deadline passed while it waited: it is not made. */
    expire(now: number): void;
}

/** One gate per key for the whole process (see processWide.ts). */
const gates = keyedTable<Gate>("pacing-gates", 1, () => ({
    nextAt: 0,
    inFlight: 0,
    queue: [],
    // Stryker disable next-line ArrayDeclaration: an entry that is not a time is trimmed by the first success or throttle, before anything counts it
    recentOk: [],
    cutAt: 0,
}));

/** The calls per second the gate of `key` spaces calls at; undefined until it was throttled. */
export function pacedRate(key: string): number | undefined {
    return gates.peek(key)?.rate;
}

/**
 * The same API, every call passing the gate of `key` (endpoint and access
 * key: what the service limits), and none starting after `deadline` (epoch ms).
 */
export function pacedCalls(api: VpcApi, key: string, clock: Clock = systemClock, deadline = Infinity): VpcApi {
    const gate = gates.of(key);
    const paced = <T>(action: string, call: () => Promise<T>) => through(gate, clock, deadline, action, call);
    return {
        describeVpnConnection: (region, id) =>
            paced("DescribeVpnConnection", () => api.describeVpnConnection(region, id)),
        describeVpnConnections: (region, page, size) =>
            paced("DescribeVpnConnections", () => api.describeVpnConnections(region, page, size)),
        modifyVpnAttachmentAttribute: (request) =>
            paced("ModifyVpnAttachmentAttribute", () => api.modifyVpnAttachmentAttribute(request)),
    };
}

async function through<T>(
    gate: Gate,
    clock: Clock,
    deadline: number,
    action: string,
    call: () => Promise<T>,
): Promise<T> {
    for (let requeued = 0; ; requeued++) {
        await acquire(gate, clock, requeued > 0, deadline, action);
        const sentAt = clock.now();
        try {
            const result = await call();
            succeeded(gate, clock.now());
            return result;
        } catch (err) {
            const throttled = throttleOf(err);
            if (throttled === undefined) {
                throw err;
            }
            const now = clock.now();
            throttledNow(gate, throttled.retryAfterMs, sentAt, now);
            if (requeued >= REQUEUES) {
                throw err;
            }
            if (now + throttled.retryAfterMs > deadline) {
                throw new DeadlineError(
                    `${action} was throttled (${throttled.error.code}${throttled.error.requestId ? `, RequestId ${throttled.error.requestId}` : ""}) ` +
                        `and the service asks to wait ${seconds(throttled.retryAfterMs)} before the next attempt, ` +
                        `but only ${seconds(deadline - now)} were left before the deadline (timeoutSeconds); it is not made again`,
                );
            }
        } finally {
            gate.inFlight--;
            pump(gate, clock);
        }
    }
}

function throttleOf(err: unknown): { retryAfterMs: number; error: ServiceError } | undefined {
    const e = fromSdkError(err);
    return isServiceError(e) && e.code.includes("Throttling")
        ? { retryAfterMs: e.retryAfterMs ?? 0, error: e }
        : undefined;
}

/**
 * Waits for a slot. A call the gate could start only after `deadline` (the
 * rate's next slot, plus one spacing per call queued ahead of it) fails at
 * once; one whose deadline passes while it waits fails when its turn comes.
 */
function acquire(gate: Gate, clock: Clock, front: boolean, deadline: number, action: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const now = clock.now();
        assertBeforeDeadline(action, now, deadline);
        const earliest = earliestStart(gate, now, front ? 0 : gate.queue.length);
        if (earliest > deadline) {
            throw new DeadlineError(
                `${action} was not made: the account's API rate limit (the service throttled it at ` +
                    // Stryker disable next-line OptionalChaining: the gate has a rate here: without one a call starts at once, and one past its deadline was refused above
                    `${gate.rate?.toFixed(1)} calls a second) lets it start only in ${seconds(earliest - now)}, ` +
                    `but only ${seconds(deadline - now)} were left before the deadline (timeoutSeconds)`,
            );
        }
        const waiting: Waiting = {
            deadline,
            start: () => {
                gate.inFlight++;
                resolve();
            },
            expire: (at) => reject(startedTooLate(action, at, deadline)),
        };
        if (front) gate.queue.unshift(waiting);
        else gate.queue.push(waiting);
        pump(gate, clock);
    });
}

/** When a call queued behind `ahead` others could start, at the earliest, if the gate spaces calls. */
function earliestStart(gate: Gate, now: number, ahead: number): number {
    const rate = currentRate(gate, now);
    // Stryker disable next-line ConditionalExpression,BlockStatement: without a rate the other branch is NaN, and a NaN start is never "after the deadline" either, so the call goes ahead just the same
    if (rate === undefined) {
        return now;
    }
    return Math.max(now, gate.nextAt) + (ahead * 1000) / rate;
}

/** The rate the gate spaces calls at; undefined before the first throttle, and again once FORGET_MS passed without one. */
function currentRate(gate: Gate, now: number): number | undefined {
    if (now - gate.cutAt > FORGET_MS) {
        gate.rate = undefined;
    }
    return gate.rate;
}

/** Starts queued calls while a slot is free and the rate allows; otherwise wakes up when it will. */
function pump(gate: Gate, clock: Clock): void {
    while (gate.inFlight < MAX_IN_FLIGHT) {
        const next = gate.queue.at(0);
        if (next === undefined) {
            return;
        }
        const now = clock.now();
        const rate = currentRate(gate, now);
        if (rate !== undefined && now < gate.nextAt) {
            if (!gate.waking) {
                gate.waking = true;
                void clock.sleep(gate.nextAt - now).then(() => {
                    gate.waking = false;
                    pump(gate, clock);
                });
            }
            return;
        }
        gate.queue.shift();
        if (now > next.deadline) {
            next.expire(now);
            continue;
        }
        if (rate !== undefined) {
            gate.nextAt = Math.max(now, gate.nextAt) + 1000 / rate;
        }
        next.start();
    }
}

function succeeded(gate: Gate, now: number): void {
    gate.recentOk.push(now);
    // Stryker disable next-line CallExpression: only bounds the list's memory: a throttle trims it again before counting it
    forgetOutsideWindow(gate, now);
    if (gate.rate !== undefined) {
        // +INCREASE_PER_SECOND per second at the current rate: a little above it, in time.
        gate.rate += INCREASE_PER_SECOND / gate.rate;
    }
}

function throttledNow(gate: Gate, retryAfterMs: number, sentAt: number, now: number): void {
    gate.nextAt = Math.max(gate.nextAt, now + retryAfterMs);
    // Stryker disable next-line ConditionalExpression: without a rate, a call sent before the last cut would have been in flight for FORGET_MS (30 s), and the SDK's connect and read timeouts end a call within 15 s
    if (gate.rate !== undefined && sentAt < gate.cutAt) {
        return;
    }
    forgetOutsideWindow(gate, now);
    gate.rate =
        gate.rate === undefined
            ? Math.max(FIRST_RATE_FLOOR, sustainedRate(gate.recentOk, now))
            : Math.max(MIN_RATE, gate.rate * DECREASE);
    gate.cutAt = now;
}

/** Keeps the successes of the last RATE_WINDOW_MS (`now` included), which is what the first throttle's rate counts. */
function forgetOutsideWindow(gate: Gate, now: number): void {
    gate.recentOk = gate.recentOk.filter((at) => now - at <= RATE_WINDOW_MS);
}

/**
 * The rate a token bucket allowed the successes `recentOk` (oldest first) up
 * to a throttle at `now` (see RATE_WINDOW_MS): those since the bucket was last
 * full, over one second of burst plus the seconds they took. Successes
 * followed by a gap longer than REFILL_MS, up to the next or to `now`, are not
 * counted: the bucket filled again in the gap.
 */
export function sustainedRate(recentOk: readonly number[], now: number): number {
    let count = 0;
    let since = now;
    for (const at of [...recentOk].reverse()) {
        if (since - at > REFILL_MS) {
            break;
        }
        since = at;
        count++;
    }
    return count / (1 + (now - since) / 1000);
}
