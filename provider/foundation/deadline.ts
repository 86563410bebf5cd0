/**
 * The operation's deadline (timeoutSeconds) as every layer that makes a call
 * keeps it: no call of any kind (a Describe, a listing, a Modify, AssumeRole)
 * starts after it. A call that could only start later is not made, and the
 * error says what held it and how much time was left.
 */
import { ProviderError } from "./errors";

/** A call was not made because it could not start before the deadline. */
export class DeadlineError extends ProviderError {
    constructor(message: string) {
        super(message, "DeadlineError", "timeout");
    }
}

/** "4.7 s", for messages about waits and what was left of the deadline. */
export function seconds(ms: number): string {
    return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** The error for `action`, which could not start until `now`, past `deadline`. */
export function startedTooLate(action: string, now: number, deadline: number): DeadlineError {
    return new DeadlineError(
        `${action} was not made: the deadline (timeoutSeconds) passed ${seconds(now - deadline)} before it could start`,
    );
}

/** Throws, naming `action`, when `now` is past `deadline`: the call is not made. */
export function assertBeforeDeadline(action: string, now: number, deadline: number): void {
    if (now > deadline) {
        throw startedTooLate(action, now, deadline);
    }
}
