import { randomUUID } from "node:crypto";
import { retryLine } from "./calls";
import { ConvergeContext } from "./context";
import { plan } from "./plan";
import { waitUntilSettled } from "./settle";
import { notAccepted } from "./standing";
import { CallFailedError, fromSdkError, isServiceError, isTransportError, ProviderError } from "../foundation/errors";
import { isRetryable, retry } from "../service/retrying";
import { observedPsks } from "../model/psks";
import { clientToken } from "../model/requests";
import { DesiredAttributes, ObservedConnection, ResourceSettings } from "../model/types";
import { isRecord } from "../foundation/records";

const MODIFY = "ModifyVpnAttachmentAttribute";

export interface Sent {
    /** The settled read the Modify was planned from: what the collateral-change check compares with. */
    before: ObservedConnection;
    /**
     * When the service accepted it (the task's clock starts here, retry waits
     * excluded); undefined when an attempt whose answer was lost turned out,
     * on the next read, to have been applied.
     */
    acceptedAt?: number;
    /** The accepted call's RequestId, for messages that end the wait for its task. */
    requestId?: string;
}

export interface Attempted {
    /** The last settled read. */
    current: ObservedConnection;
    /** The Modify that was applied, or undefined when nothing had to be sent. */
    sent?: Sent;
}

/** The connection settled only at the deadline: too late to send. */
class DeadlineBeforeSendError extends ProviderError {
    constructor(sends: number) {
        super(
            "the deadline (timeoutSeconds) passed while waiting for the connection to settle; " +
                (sends === 0 ? "nothing was sent" : "no further attempt was sent"),
            "DeadlineBeforeSendError",
            "timeout",
        );
    }
}

/**
 * A failure after which nobody knows whether the service applied the request:
 * the answer was lost, or the service failed on its side. A refusal (busy,
 * throttled, conflict) applied nothing.
 */
function outcomeUnknown(err: unknown): boolean {
    const e = fromSdkError(err);
    return isTransportError(e) || (isServiceError(e) && (e.statusCode ?? 0) >= 500);
}

/**
 * Waits until the connection is settled, reads it, plans the Modify from
 * that read and sends it; a retryable failure (VpnTask.CONFLICT, a busy
 * code, throttling, a lost answer) goes round again from the wait, so every
 * attempt is planned from a fresh read. A value another actor changed
 * meanwhile is then kept unless the program declares it, and a PSK rotated
 * meanwhile is not put back.
 *
 * One attempt keeps one ClientToken: a request planned again with the same
 * content carries the same token (`clientToken` hashes the content with the
 * attempt's id), so after a lost answer the service applies it once; a
 * request whose content changed, because the connection did, gets its own.
 */
export async function sendFromFreshReads(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    ctx: ConvergeContext,
    read: () => Promise<ObservedConnection>,
): Promise<Attempted> {
    const attempt = randomUUID();
    let sends = 0;
    let started = false;
    let lastFailure: unknown;
    let unknownOutcome: Sent | undefined;
    try {
        return await retry(
            async () => {
                started = true;
                const current = await waitUntilSettled(settings, ctx, read);
                // The Modify carries the connection's current PSK whenever the program
                // declares none (see requests.ts's `merged`), and the service may echo
                // what it was sent: scrub those keys from messages too.
                ctx.secrets.push(...observedPsks(current));
                const unsigned = plan(settings, desired, current);
                if (!unsigned) {
                    return { current, sent: unknownOutcome };
                }
                if (ctx.clock.now() >= ctx.deadline) {
                    // The wait for a settled connection took its last look at the deadline.
                    throw new CallFailedError(MODIFY, sends, new DeadlineBeforeSendError(sends));
                }
                const request = { ...unsigned, clientToken: clientToken(unsigned, attempt) };
                sends += 1;
                let requestId: string;
                try {
                    ({ requestId } = await ctx.api.modifyVpnAttachmentAttribute(request));
                } catch (err) {
                    if (!isRetryable(err)) {
                        throw new CallFailedError(MODIFY, sends, err);
                    }
                    lastFailure = err;
                    if (outcomeUnknown(err)) {
                        unknownOutcome = { before: current };
                    }
                    throw err;
                }
                if (ctx.standing) ctx.standing.modify = { accepted: true, requestId };
                return { current, sent: { before: current, acceptedAt: ctx.clock.now(), requestId } };
            },
            {
                deadline: ctx.deadline,
                clock: ctx.clock,
                onRetry: (err, delayMs) =>
                    ctx.log(
                        `${retryLine(MODIFY, settings, err, delayMs, ctx.secrets)}, after reading the connection again`,
                    ),
            },
        );
    } catch (err) {
        // The deadline passed before the first attempt, or the retry loop gave up on the Modify's last
        // failure: say which call was not sent or failed, and how often it was made.
        const failed =
            !started || (lastFailure !== undefined && isRecord(err) && err.failure === lastFailure)
                ? new CallFailedError(MODIFY, sends, err)
                : err;
        if (ctx.standing && sends > 0 && ctx.standing.modify?.accepted !== true) {
            // Sent `sends` times and never accepted: the timeout message says so, with the last answer.
            notAccepted(ctx.standing, sends, lastFailure ?? err);
        }
        throw failed;
    }
}
