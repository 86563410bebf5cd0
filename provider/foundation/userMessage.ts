/**
 * The words the user reads: an error in a few words for log lines
 * (`shortError`), and the whole explanation (`userMessage`), with every piece
 * of text from outside redacted (redaction.ts).
 */
import { describeErrorCode } from "./catalogue";
import { errorKind, fromSdkError, isServiceError, messageOf, providerError, wasSent } from "./errors";
import { redact } from "./redaction";

/**
 * A failure in a few words, for a retry's log line or inside another error's
 * message: a service error's code and RequestId, anything else's message.
 * `userMessage` gives the full explanation.
 */
export function shortError(err: unknown, withServiceMessage = false): string {
    const e = fromSdkError(err);
    if (!isServiceError(e)) {
        return e.message;
    }
    const short = `${e.code}${e.requestId ? ` (RequestId ${e.requestId})` : ""}`;
    return withServiceMessage ? `${short}: ${e.serviceMessage}` : short;
}

/** The connection an operation was about, and what its messages must not show. */
export interface ErrorContext {
    vpnConnectionId: string;
    regionId: string;
    /** The known secrets (PSKs, the secret key): a piece of the message that quotes one is withheld (see `redact`). */
    secrets?: readonly string[];
    /** Where the credentials came from; named in errors about the credentials or their permissions. */
    credentialSource?: string;
}

/** Codes that say the key, its token or its permissions are wrong: the user must know which credentials were used. */
const CREDENTIAL_CODES =
    /^(SignatureDoesNotMatch|IncompleteSignature|InvalidAccessKeyId|InvalidSecurityToken|MissingSecurityToken|Forbidden|Forbbiden|NoPermission|Unauthorized)/i;

/**
 * The one place where an error becomes the message the user reads, with no
 * secret in it. A failed call says which call, on which connection, the
 * service's code and message, the RequestId support will ask for, what the API
 * reference says the code means, and which credentials signed it when they
 * are the problem; a retry that gave up is explained through its last error.
 * The provider's other errors already name the connection and what to do;
 * anything else keeps its message, with the connection named.
 *
 * Only text from elsewhere (the service's message and diagnosis link, an
 * SDK's or another error's message) is redacted, each piece on its own: a
 * piece that quotes a secret is withheld whole (see redaction.ts), while the
 * provider's own words, the call, the connection, the code and RequestId stay
 * readable, and no mask placed in them can spell out a secret.
 */
export function userMessage(err: unknown, context: ErrorContext): string {
    const outside = (text: string) => redact(text, context.secrets ?? []);
    const where = `IPsec-VPN connection ${context.vpnConnectionId} in ${context.regionId}`;
    const call = providerError(err)?.call;
    if (call) {
        const failure = fromSdkError(providerError(err)?.failure);
        const sent = wasSent(call.attempts, failure);
        const explanation = sent
            ? explainFailure(failure, call.attempts, context.credentialSource, outside)
            : outside(failure.message);
        return `${call.action} ${sent ? "failed" : "was not sent"} for ${where}: ${explanation}`;
    }
    const kind = errorKind(err);
    return kind === "service" || kind === "transport" || kind === "unexpected"
        ? `${where}: ${explainFailure(fromSdkError(err), undefined, context.credentialSource, outside)}`
        : outside(messageOf(err));
}

function explainFailure(
    err: Error,
    attempts: number | undefined,
    credentialSource: string | undefined,
    outside: (text: string) => string,
): string {
    const kind = errorKind(err);
    const underlying = providerError(err)?.failure;
    if (kind === "timeout" && underlying !== undefined) {
        const gaveUp =
            attempts === undefined ? "gave up" : `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
        return `${gaveUp} at the deadline. Last error: ${explainFailure(fromSdkError(underlying), undefined, credentialSource, outside)}`;
    }
    if (kind === "transport") {
        return `could not get an answer from the VPC endpoint: ${outside(err.message)}`;
    }
    if (kind !== "service" || !isServiceError(err)) {
        return outside(err.message);
    }
    const status = err.statusCode === undefined ? "" : ` (HTTP ${err.statusCode})`;
    const parts = [
        `${err.code}${status}: ${sentence(outside(err.serviceMessage))}`,
        `RequestId: ${err.requestId ?? "none"}.`,
    ];
    const known = describeErrorCode(err.code);
    if (known) {
        parts.push(`Meaning: ${known.description}`);
        if (known.remedy) {
            parts.push(`What to do: ${known.remedy}`);
        }
    }
    if (err.recommend) {
        parts.push(`Diagnosis: ${outside(err.recommend)}`);
    }
    if (credentialSource !== undefined && CREDENTIAL_CODES.test(err.code)) {
        parts.push(`The call was signed with the credentials from ${credentialSource}.`);
    }
    return parts.join(" ");
}

function sentence(text: string): string {
    const trimmed = text.trim();
    return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
