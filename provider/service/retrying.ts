/**
 * Which failures are worth another attempt, and the loop that makes them:
 * exponential backoff with full jitter, bounded by a deadline.
 */
import { Clock } from "./clock";
import { fromSdkError, isServiceError, isTransportError, ProviderError, shortError } from "./errors";

/**
 * Codes that say "busy, try later": another task holds the connection or its
 * gateway. The Terraform provider retries the same ones for this operation.
 */
const BUSY_CODES = [
    "VpnTask.CONFLICT",
    "TaskConflict",
    "VpnConnection.Configuring",
    "VpnGateway.Configuring",
    "Appliance.Configuring",
    "ServiceUnavailable",
];

/**
 * True for throttling, busy and server-side (5xx) answers and for transient
 * transport failures; everything else (bad input, permissions, missing
 * connection, a host that does not resolve) fails at once.
 */
export function isRetryable(err: unknown): boolean {
    const e = fromSdkError(err);
    if (isTransportError(e)) {
        // An unreadable 4xx answer is the request refused: the same request gets it again. 429 says "later" itself.
        return e.transient && !isClientError(e.statusCode);
    }
    if (!isServiceError(e)) {
        return false;
    }
    return (
        e.code.includes("Throttling") ||
        BUSY_CODES.includes(e.code) ||
        (e.statusCode !== undefined && e.statusCode >= 500 && e.statusCode <= 599)
    );
}

function isClientError(status: number | undefined): boolean {
    return status !== undefined && status >= 400 && status <= 499 && status !== 429;
}

export interface BackoffOptions {
    baseMs: number;
    capMs: number;
}

/**
 * Full jitter: a uniform draw from [0, min(cap, base * 2^(attempt-1))).
 * `attempt` counts failures so far (1 before the first retry). Spreading
 * retries over the whole window is what keeps parallel updates that hit the
 * same throttle from retrying in lockstep.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
    // 2^52 already exceeds any cap in milliseconds; clamping keeps the power finite.
    const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
    const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** exponent);
    return Math.floor(clamp01(random()) * ceiling);
}

function clamp01(x: number): number {
    return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0;
}

/**
 * Defaults sized for this API: conflicts last as long as a gateway task
 * (seconds), throttles clear within a second or two.
 */
const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, capMs: 15_000 };

export interface RetryOptions {
    /** Epoch milliseconds; no sleep ends after it. */
    deadline: number;
    clock: Clock;
    random?: () => number;
    baseMs?: number;
    capMs?: number;
    onRetry?: (err: unknown, delayMs: number, attempt: number) => void;
}

/** The deadline came before a retryable failure went away; its `failure` is the last one. */
class RetryGaveUpError extends ProviderError {
    constructor(attempts: number, lastError: unknown) {
        super(
            `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"} at the deadline; last error: ${shortError(lastError, true)}`,
            "RetryGaveUpError",
            "timeout",
            lastError,
        );
    }
}

/** The deadline had passed before the first attempt: nothing was sent. */
class DeadlinePassedError extends ProviderError {
    constructor() {
        super(
            "the deadline (timeoutSeconds) passed before the first attempt; nothing was sent",
            "DeadlinePassedError",
            "timeout",
        );
    }
}

/**
 * Calls `fn` until it succeeds, a non-retryable error comes, or the next wait
 * would end past the deadline. A throttled answer's `retryAfterMs` is the
 * least it waits. No attempt starts at or past the deadline, the first
 * included: a sleep or the caller may have overrun it.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
    const random = opts.random ?? Math.random;
    const backoff: BackoffOptions = {
        baseMs: opts.baseMs ?? DEFAULT_BACKOFF.baseMs,
        capMs: opts.capMs ?? DEFAULT_BACKOFF.capMs,
    };
    let lastError: unknown;
    for (let attempt = 1; ; attempt++) {
        if (opts.clock.now() >= opts.deadline) {
            throw attempt === 1 ? new DeadlinePassedError() : new RetryGaveUpError(attempt - 1, lastError);
        }
        try {
            return await fn(attempt);
        } catch (err) {
            if (!isRetryable(err)) {
                throw err;
            }
            lastError = err;
            const e = fromSdkError(err);
            const floor = isServiceError(e) ? (e.retryAfterMs ?? 0) : 0;
            const delayMs = Math.max(backoffDelay(attempt, backoff, random), floor);
            if (opts.clock.now() + delayMs >= opts.deadline) {
                throw new RetryGaveUpError(attempt, err);
            }
            opts.onRetry?.(err, delayMs, attempt);
            await opts.clock.sleep(delayMs);
        }
    }
}
