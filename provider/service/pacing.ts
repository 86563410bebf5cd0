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
import { fromSdkError, isServiceError } from "./errors";

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
    timer?: ReturnType<typeof setTimeout>;
    /** When the rate was last cut: calls sent before it were sent too fast already, and cut it no further. */
    cutAt: number;
    throttles: number;
}

/** Gates live on `globalThis` for the same reason as the Describe groups (see batching.ts). */
function gates(): Map<string, Gate> {
    const holder = globalThis as unknown as Record<symbol, Map<string, Gate> | undefined>;
    return (holder[Symbol.for("pulumi-alicloud-vpn-attachment-attribute/pacing-gates")] ??= new Map());
}

function gateOf(key: string): Gate {
    const table = gates();
    let gate = table.get(key);
    if (!gate) {
        gate = { nextAt: 0, inFlight: 0, queue: [], recentOk: [], cutAt: 0, throttles: 0 };
        table.set(key, gate);
    }
    return gate;
}

/** Throttles the gate of `key` has received so far (for tests and benchmarks). */
export function throttlesSeen(key: string): number {
    return gates().get(key)?.throttles ?? 0;
}

/** The calls per second the gate of `key` spaces calls at; undefined until it was throttled. */
export function pacedRate(key: string): number | undefined {
    return gates().get(key)?.rate;
}

/** The same API, every call passing the gate of `key` (endpoint and access key: what the service limits). */
export function pacedCalls(api: VpcApi, key: string): VpcApi {
    const gate = gateOf(key);
    return {
        describeVpnConnection: (region, id) => through(gate, () => api.describeVpnConnection(region, id)),
        describeVpnConnections: (region, page, size) =>
            through(gate, () => api.describeVpnConnections(region, page, size)),
        modifyVpnAttachmentAttribute: (request) => through(gate, () => api.modifyVpnAttachmentAttribute(request)),
    };
}

async function through<T>(gate: Gate, call: () => Promise<T>): Promise<T> {
    for (let requeued = 0; ; requeued++) {
        await acquire(gate, requeued > 0);
        const sentAt = Date.now();
        try {
            const result = await call();
            succeeded(gate);
            return result;
        } catch (err) {
            const throttled = throttleOf(err);
            if (throttled === undefined) {
                throw err;
            }
            throttledNow(gate, throttled.retryAfterMs, sentAt);
            if (requeued >= REQUEUES) {
                throw err;
            }
        } finally {
            gate.inFlight--;
            pump(gate);
        }
    }
}

function throttleOf(err: unknown): { retryAfterMs: number } | undefined {
    const e = fromSdkError(err);
    return isServiceError(e) && e.code.includes("Throttling") ? { retryAfterMs: e.retryAfterMs ?? 0 } : undefined;
}

function acquire(gate: Gate, front: boolean): Promise<void> {
    return new Promise((resolve) => {
        const start = () => {
            gate.inFlight++;
            resolve();
        };
        if (front) gate.queue.unshift(start);
        else gate.queue.push(start);
        pump(gate);
    });
}

/** Starts queued calls while a slot is free and the rate allows; otherwise wakes up when it will. */
function pump(gate: Gate): void {
    while (gate.queue.length > 0 && gate.inFlight < MAX_IN_FLIGHT) {
        const now = Date.now();
        if (gate.rate !== undefined && now - gate.cutAt > FORGET_MS) {
            gate.rate = undefined;
        }
        if (gate.rate !== undefined && now < gate.nextAt) {
            if (!gate.timer) {
                gate.timer = setTimeout(() => {
                    gate.timer = undefined;
                    pump(gate);
                }, gate.nextAt - now);
            }
            return;
        }
        if (gate.rate !== undefined) {
            gate.nextAt = Math.max(now, gate.nextAt) + 1000 / gate.rate;
        }
        gate.queue.shift()?.();
    }
}

function succeeded(gate: Gate): void {
    const now = Date.now();
    gate.recentOk.push(now);
    while (gate.recentOk.length > 0 && now - gate.recentOk[0] > 1000) gate.recentOk.shift();
    if (gate.rate !== undefined) {
        // +INCREASE_PER_SECOND per second at the current rate: a little above it, in time.
        gate.rate += INCREASE_PER_SECOND / gate.rate;
    }
}

function throttledNow(gate: Gate, retryAfterMs: number, sentAt: number): void {
    gate.throttles++;
    const now = Date.now();
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
