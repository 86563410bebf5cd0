/**
 * Which failures are worth another attempt, and the loop that makes them:
 * exponential backoff with full jitter, bounded by a deadline.
 */
import { Clock } from "../foundation/clock";
import { fromSdkError, isServiceError, isTransportError, ProviderError } from "../foundation/errors";
import { shortError } from "../foundation/userMessage";
import { clamp01 } from "../foundation/unitShare";

/**
 * Codes that say "busy, try later": another task holds the connection or its
 * gateway. What each rests on:
 * - VpnTask.CONFLICT, VpnConnection.Configuring, VpnGateway.Configuring: the
 *   page's error table ("Try again later");
 * - Appliance.Configuring: Terraform retries it on this Modify
 *   (resource_alicloud_vpn_gateway_vpn_attachment.go at 81c43b6, Update),
 *   with the three above and its generic set (ServiceUnavailable, Throttling*, 5xx);
 * - TaskConflict: Terraform retries it only on CreateVpnAttachment, not on
 *   this Modify, and the page does not list it. Kept as inferred: it says
 *   busy like VpnTask.CONFLICT, and a refused Modify started no task, so a
 *   retry only sends the same request again.
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
        // A connection that failed for good (ConnectionFailedError) carries no `transient`. An unreadable 4xx
        // answer is the request refused: the same request gets it again. 429 says "later" itself.
        return e.transient === true && !isClientError(e.statusCode);
    }
    if (!isServiceError(e)) {
        return false;
    }
    return e.code.includes("Throttling") || BUSY_CODES.includes(e.code) || (e.statusCode ?? 0) >= 500;
}

function isClientError(status = 0): boolean {
    return status >= 400 && status <= 499 && status !== 429;
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

/**
 * Failures to reach the endpoint at all: refused, no route, DNS not
 * answering, no TCP connection in time. They do not clear on a human time
 * scale the way throttling and busy gateways do, so, as the AWS SDKs bound
 * them, they get a few attempts over about a minute (these delays), not the
 * whole deadline. A host that does not resolve and a TLS failure are not
 * retried at all (errors.ts).
 */
const CONNECTION_FAILURE_CODES = [
    "ECONNREFUSED",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENETDOWN",
    "EHOSTDOWN",
    "EAI_AGAIN",
    "ConnectTimeout",
];
const CONNECTION_RETRY_DELAYS_MS = [5_000, 15_000, 30_000];

function isConnectionFailure(err: unknown): boolean {
    const e = fromSdkError(err);
    return isTransportError(e) && CONNECTION_FAILURE_CODES.includes(e.code);
}

/** The endpoint could not be reached in a few attempts: failing now says more than retrying for the rest of the deadline. */
class ConnectionFailedError extends ProviderError {
    constructor(attempts: number, elapsedMs: number, lastError: unknown) {
        super(
            `could not connect to the endpoint in ${attempts} attempts over ${Math.round(elapsedMs / 1000)} s: ` +
                `${shortError(lastError)}. A refused connection, an unreachable host or a failing DNS does not clear ` +
                "within a deployment: check the endpoint (the endpoint input, ALICLOUD_VPC_ENDPOINT, or the region's " +
                "default vpc.<region>.aliyuncs.com) and the network, then run the update again",
            "ConnectionFailedError",
            "transport",
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
 * included: a sleep or the caller may have overrun it. Failures to connect
 * in a row get CONNECTION_RETRY_DELAYS_MS, then end it (ConnectionFailedError).
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
    const random = opts.random ?? Math.random;
    const backoff: BackoffOptions = {
        baseMs: opts.baseMs ?? DEFAULT_BACKOFF.baseMs,
        capMs: opts.capMs ?? DEFAULT_BACKOFF.capMs,
    };
    let lastError: unknown;
    let connectionFailures: { count: number; since: number } | undefined;
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
            let delayMs: number;
            if (isConnectionFailure(err)) {
                connectionFailures ??= { count: 0, since: opts.clock.now() };
                connectionFailures.count++;
                if (connectionFailures.count > CONNECTION_RETRY_DELAYS_MS.length) {
                    throw new ConnectionFailedError(
                        connectionFailures.count,
                        opts.clock.now() - connectionFailures.since,
                        err,
                    );
                }
                delayMs = CONNECTION_RETRY_DELAYS_MS[connectionFailures.count - 1];
            } else {
                connectionFailures = undefined;
                const e = fromSdkError(err);
                const floor = isServiceError(e) ? (e.retryAfterMs ?? 0) : 0;
                delayMs = Math.max(backoffDelay(attempt, backoff, random), floor);
            }
            if (opts.clock.now() + delayMs >= opts.deadline) {
                throw new RetryGaveUpError(attempt, err);
            }
            opts.onRetry?.(err, delayMs, attempt);
            await opts.clock.sleep(delayMs);
        }
    }
}
