import { ConvergeContext } from "./context";
import { CallFailedError } from "../foundation/errors";
import { redact } from "../foundation/redaction";
import { shortError } from "../foundation/userMessage";
import { retry } from "../service/retrying";
import { ResourceSettings } from "../model/types";

/**
 * Makes one VPC API call, retrying transient faults until the deadline, and
 * logs each retry. A failure that ends it leaves as a `CallFailedError` naming
 * the call and how often it was made, so the message says what failed.
 */
export async function callWithRetries<T>(
    action: string,
    settings: ResourceSettings,
    ctx: ConvergeContext,
    call: () => Promise<T>,
    deadline = ctx.deadline,
): Promise<T> {
    let attempts = 0;
    try {
        return await retry(
            (attempt) => {
                attempts = attempt;
                return call();
            },
            {
                deadline,
                clock: ctx.clock,
                onRetry: (err, delayMs) => ctx.log(retryLine(action, settings, err, delayMs, ctx.secrets)),
            },
        );
    } catch (err) {
        throw new CallFailedError(action, attempts, err);
    }
}

/**
 * The progress line of a retry. Only the error's text comes from outside, so
 * only it is redacted: a piece quoting a secret is withheld whole
 * (redaction.ts), and the line still says which call is retried, and when.
 */
export function retryLine(
    action: string,
    settings: ResourceSettings,
    err: unknown,
    delayMs: number,
    secrets: string[],
): string {
    const got = redact(shortError(err), secrets);
    return `${settings.vpnConnectionId}: ${action} got ${got}; retrying in ${(delayMs / 1000).toFixed(1)} s`;
}
