import { ApiError } from "./errors";
import { MAX_TIMER_MS } from "./tasks";

/** Injected misbehaviour, consumed by the API pipeline in server.ts. */

export interface FailRule {
    /** How many matching calls fail; default 1. */
    count?: number;
    code: string;
    httpStatus: number;
    message?: string;
    /** Only calls of this action; default any. */
    action?: string;
}

export interface LatencyRule {
    ms: number;
    /** How many matching calls are delayed; default every call until cleared. */
    count?: number;
    action?: string;
}

export interface DropRule {
    /** default 1 */
    count?: number;
    action?: string;
}

export interface ThrottleRule {
    /** Sustained calls per second per access key; also the burst size. */
    perSecond: number;
    /** Fixed `x-acs-retry-after` value; by default the time until a token is free. */
    retryAfterMs?: number;
}

interface Counted {
    remaining: number;
    action?: string;
}

function positiveCount(count: number | undefined, fallback: number): number {
    const value = count ?? fallback;
    const valid = value === Infinity || (Number.isInteger(value) && value > 0);
    if (!valid) throw new Error("count must be a positive integer.");
    return value;
}

function checkAction(action: unknown): string | undefined {
    if (action !== undefined && typeof action !== "string") throw new Error("action must be a string.");
    return action;
}

/** Takes one use of the first rule matching the action, dropping exhausted rules. */
function take<T extends Counted>(rules: T[], action: string): T | undefined {
    const index = rules.findIndex((rule) => rule.action === undefined || rule.action === action);
    if (index === -1) return undefined;
    const rule = rules[index];
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.splice(index, 1);
    return rule;
}

export class Faults {
    private failures: Array<Counted & { code: string; httpStatus: number; message: string }> = [];
    private latencies: Array<Counted & { ms: number }> = [];
    private drops: Counted[] = [];
    private throttleRule: ThrottleRule | undefined;
    private buckets = new Map<string, { tokens: number; at: number }>();

    constructor(private readonly now: () => number = () => performance.now()) {}

    failNext(rule: FailRule): void {
        if (typeof rule.code !== "string" || rule.code === "") throw new Error("code must be a non-empty string.");
        if (!Number.isInteger(rule.httpStatus) || rule.httpStatus < 400 || rule.httpStatus > 599) {
            throw new Error("httpStatus must be an integer from 400 to 599.");
        }
        this.failures.push({
            remaining: positiveCount(rule.count, 1),
            action: checkAction(rule.action),
            code: rule.code,
            httpStatus: rule.httpStatus,
            message: rule.message ?? `Injected failure ${rule.code}.`,
        });
    }

    latency(rule: LatencyRule): void {
        if (!Number.isFinite(rule.ms) || rule.ms < 0 || rule.ms > MAX_TIMER_MS) {
            throw new Error(`ms must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24.8 days).`);
        }
        this.latencies.push({
            remaining: positiveCount(rule.count, Infinity),
            action: checkAction(rule.action),
            ms: rule.ms,
        });
    }

    dropNext(rule: DropRule): void {
        this.drops.push({ remaining: positiveCount(rule.count, 1), action: checkAction(rule.action) });
    }

    throttle(rule: ThrottleRule): void {
        if (!(rule.perSecond > 0) || !Number.isFinite(rule.perSecond))
            throw new Error("perSecond must be a positive number.");
        if (rule.retryAfterMs !== undefined && (!Number.isFinite(rule.retryAfterMs) || rule.retryAfterMs < 0)) {
            throw new Error("retryAfterMs must be a non-negative number.");
        }
        this.throttleRule = { perSecond: rule.perSecond, retryAfterMs: rule.retryAfterMs };
        this.buckets.clear();
    }

    clear(): void {
        this.failures = [];
        this.latencies = [];
        this.drops = [];
        this.throttleRule = undefined;
        this.buckets.clear();
    }

    takeDrop(action: string): boolean {
        return take(this.drops, action) !== undefined;
    }

    /** Milliseconds to hold the answer back. */
    takeLatency(action: string): number {
        return take(this.latencies, action)?.ms ?? 0;
    }

    takeFailure(action: string): ApiError | undefined {
        const rule = take(this.failures, action);
        return rule && new ApiError(rule.httpStatus, rule.code, rule.message);
    }

    /** Token bucket per access key, refilled continuously at `perSecond`. */
    checkThrottle(accessKeyId: string): ApiError | undefined {
        const rule = this.throttleRule;
        if (!rule) return undefined;
        const now = this.now();
        const capacity = Math.max(1, rule.perSecond);
        const bucket = this.buckets.get(accessKeyId) ?? { tokens: capacity, at: now };
        bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * rule.perSecond) / 1000);
        bucket.at = now;
        this.buckets.set(accessKeyId, bucket);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return undefined;
        }
        const retryAfter = rule.retryAfterMs ?? Math.ceil(((1 - bucket.tokens) * 1000) / rule.perSecond);
        return new ApiError(400, "Throttling.User", "Request was denied due to user flow control.", {
            "x-acs-retry-after": String(retryAfter),
        });
    }
}
