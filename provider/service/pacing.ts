/**
 * Keeps one provider process under the account's API rate limit instead of
 * bouncing off it. Every call made with one access key passes one gate: until
 * the service first throttles, calls go as they come (at most a few in
 * flight, so that the first throttle stops a burst early); from then on they
 * are spaced at the rate the service was seen to allow, which is nudged up
 * while calls succeed and cut when one is throttled. A throttled call is
 * queued again at the front, up to a few times, before its error reaches the
 * caller's retry loop: the service rejected it before acting on it.
 */
import type { VpcApi } from "./client";
import { type Clock, systemClock } from "./clock";
import { fromSdkError, isServiceError } from "./errors";
import { keyedTable } from "./processWide";

/** Calls in flight at once; enough to fill any rate limit over a real network's round trip. */
const MAX_IN_FLIGHT = 8;
/** After a throttle, the rate is cut to this share of what it was. */
const DECREASE = 0.9;
/** While calls succeed, the rate grows by this many calls per second, each second. */
const INCREASE_PER_SECOND = 1;
/** How often the gate itself takes a throttled call back before its error is returned. */
const REQUEUES = 4;
const MIN_RATE = 0.5;
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
    queue: Array<() => void>;
    /** End times of recent successes: how many the service allowed in the last second. */
    recentOk: number[];
    /** Whether a wake-up for `nextAt` is pending. */
    waking?: boolean;
    /** When the rate was last cut: calls sent before it were sent too fast already, and cut it no further. */
    cutAt: number;
}

/** One gate per key for the whole process (see processWide.ts). */
const gates = keyedTable<Gate>("pacing-gates", () => ({ nextAt: 0, inFlight: 0, queue: [], recentOk: [], cutAt: 0 }));

/** The calls per second the gate of `key` spaces calls at; undefined until it was throttled. */
export function pacedRate(key: string): number | undefined {
    return gates.peek(key)?.rate;
}

/** The same API, every call passing the gate of `key` (endpoint and access key: what the service limits). */
export function pacedCalls(api: VpcApi, key: string, clock: Clock = systemClock): VpcApi {
    const gate = gates.of(key);
    const paced = <T>(call: () => Promise<T>) => through(gate, clock, call);
    return {
        describeVpnConnection: (region, id) => paced(() => api.describeVpnConnection(region, id)),
        describeVpnConnections: (region, page, size) => paced(() => api.describeVpnConnections(region, page, size)),
        modifyVpnAttachmentAttribute: (request) => paced(() => api.modifyVpnAttachmentAttribute(request)),
    };
}

async function through<T>(gate: Gate, clock: Clock, call: () => Promise<T>): Promise<T> {
    for (let requeued = 0; ; requeued++) {
        await acquire(gate, clock, requeued > 0);
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
            throttledNow(gate, throttled.retryAfterMs, sentAt, clock.now());
            if (requeued >= REQUEUES) {
                throw err;
            }
        } finally {
            gate.inFlight--;
            pump(gate, clock);
        }
    }
}

function throttleOf(err: unknown): { retryAfterMs: number } | undefined {
    const e = fromSdkError(err);
    return isServiceError(e) && e.code.includes("Throttling") ? { retryAfterMs: e.retryAfterMs ?? 0 } : undefined;
}

function acquire(gate: Gate, clock: Clock, front: boolean): Promise<void> {
    return new Promise((resolve) => {
        const start = () => {
            gate.inFlight++;
            resolve();
        };
        if (front) gate.queue.unshift(start);
        else gate.queue.push(start);
        pump(gate, clock);
    });
}

/** Starts queued calls while a slot is free and the rate allows; otherwise wakes up when it will. */
function pump(gate: Gate, clock: Clock): void {
    while (gate.queue.length > 0 && gate.inFlight < MAX_IN_FLIGHT) {
        const now = clock.now();
        if (gate.rate !== undefined && now - gate.cutAt > FORGET_MS) {
            gate.rate = undefined;
        }
        if (gate.rate !== undefined && now < gate.nextAt) {
            if (!gate.waking) {
                gate.waking = true;
                void clock.sleep(gate.nextAt - now).then(() => {
                    gate.waking = false;
                    pump(gate, clock);
                });
            }
            return;
        }
        if (gate.rate !== undefined) {
            gate.nextAt = Math.max(now, gate.nextAt) + 1000 / gate.rate;
        }
        gate.queue.shift()?.();
    }
}

function succeeded(gate: Gate, now: number): void {
    gate.recentOk.push(now);
    while (gate.recentOk.length > 0 && now - gate.recentOk[0] > 1000) gate.recentOk.shift();
    if (gate.rate !== undefined) {
        // +INCREASE_PER_SECOND per second at the current rate: a little above it, in time.
        gate.rate += INCREASE_PER_SECOND / gate.rate;
    }
}

function throttledNow(gate: Gate, retryAfterMs: number, sentAt: number, now: number): void {
    gate.nextAt = Math.max(gate.nextAt, now + retryAfterMs);
    if (gate.rate !== undefined && sentAt < gate.cutAt) {
        return;
    }
    while (gate.recentOk.length > 0 && now - gate.recentOk[0] > 1000) gate.recentOk.shift();
    // The first throttle: the service allowed about what succeeded in the last second.
    gate.rate =
        gate.rate === undefined
            ? Math.max(FIRST_RATE_FLOOR, gate.recentOk.length)
            : Math.max(MIN_RATE, gate.rate * DECREASE);
    gate.cutAt = now;
}
