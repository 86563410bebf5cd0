/**
 * The provider's errors by kind, and whatever the SDK throws translated into
 * them, with the SDK's text scrubbed of anything that looks like a key. The
 * API reference's explanation of each code is in catalogue.ts; the one
 * function that turns an error into the user's message is in userMessage.ts.
 *
 * Nothing here loads the Alibaba SDK: SDK exceptions are recognised by their
 * fields (`code`, `statusCode`, `data`, `requestId`, `retryAfter`), so `check`
 * and `diff` can use this module for free.
 */
import { isRecord } from "./records";
import { redact } from "./redaction";

/**
 * What went wrong, in the terms the message to the user depends on:
 * - `service`: the VPC API answered with an error code;
 * - `transport`: no answer the SDK could read (connection, timeout, not JSON);
 * - `timeout`: the deadline (timeoutSeconds) passed: in a wait, a retry, or the queue for a connection;
 * - `notFound`: the connection does not exist in the region;
 * - `refused`: the program declares what this connection cannot be given, so nothing was sent;
 * - `unavailable`: the connection is in a state no wait will leave (locked for payment, deleted);
 * - `notConverged`: the task ended, but the connection does not report the declared values;
 * - `config`: a setting (credentials, role, profile, endpoint) is missing, half set or malformed, so nothing was sent;
 * - `credentials`: the credential source the settings name (a credentials URI, an ECS RAM role, AssumeRole) gave no keys;
 * - `unexpected`: anything that is not one of the provider's errors.
 */
export type ErrorKind =
    | "service"
    | "transport"
    | "timeout"
    | "notFound"
    | "refused"
    | "unavailable"
    | "notConverged"
    | "config"
    | "credentials"
    | "unexpected";

/**
 * Base of the provider's errors. Pulumi's closure serializer, which ships the
 * provider into state, turns `super(message)` into `Error.call(this, message)`
 * (which sets nothing on `this`) and drops class field initializers; so the
 * message, name and kind are set in the constructor body, where they survive.
 * It also loses the prototype chain of a class that has no methods, so
 * `instanceof` is not to be trusted there: errors are told apart by `kind`
 * (`errorKind`, `isServiceError`, `isTransportError`), never by class or name.
 */
export class ProviderError extends Error {
    readonly kind: ErrorKind;
    /** The error this one reports on: the last failure of a retry that gave up, or what a call failed with. */
    declare readonly failure?: unknown;
    /** Set when the error ends a VPC API call: which call, and how many times it was made (0: the deadline passed first). */
    declare readonly call?: { readonly action: string; readonly attempts: number };

    constructor(
        message: string,
        name: string,
        kind: ErrorKind,
        failure?: unknown,
        call?: { action: string; attempts: number },
    ) {
        super(message);
        this.message = message;
        this.name = name;
        this.kind = kind;
        if (failure !== undefined) {
            this.failure = failure;
        }
        if (call !== undefined) {
            this.call = call;
        }
    }
}

/** Every kind an error can carry; the compiler sees that none is missing. */
const KINDS: Record<ErrorKind, true> = {
    service: true,
    transport: true,
    timeout: true,
    notFound: true,
    refused: true,
    unavailable: true,
    notConverged: true,
    config: true,
    credentials: true,
    // A failed call whose failure was not one of the provider's errors.
    unexpected: true,
};

/** The kind of any error: a provider error's own, else `unexpected`. Read by field, not class (see `ProviderError`). */
export function errorKind(err: unknown): ErrorKind {
    return providerError(err)?.kind ?? "unexpected";
}

/** A provider error, known by its kind (see `ProviderError`), so that its declared fields can be read. */
export function providerError(err: unknown): ProviderError | undefined {
    return isRecord(err) && typeof err.kind === "string" && Object.prototype.hasOwnProperty.call(KINDS, err.kind)
        ? (err as unknown as ProviderError)
        : undefined;
}

/**
 * A VPC API call that failed for good: which call, how many times it was
 * made (0: the deadline passed first), and what it failed with, whose kind
 * it takes.
 */
export class CallFailedError extends ProviderError {
    constructor(action: string, attempts: number, failure: unknown) {
        super(
            `${action} ${wasSent(attempts, failure) ? "failed" : "was not sent"}: ${messageOf(failure)}`,
            "CallFailedError",
            errorKind(fromSdkError(failure)),
            failure,
            { action, attempts },
        );
    }
}

/** The program declares what this connection cannot be given, or what the SDK could not send: nothing is sent. */
export class RequestRefusedError extends ProviderError {
    constructor(message: string) {
        super(message, "RequestRefusedError", "refused");
    }
}

/** Whether a call that ended with `failure` after `attempts` reached the service: a refused request never does. */
export function wasSent(attempts: number, failure: unknown): boolean {
    return attempts > 0 && errorKind(fromSdkError(failure)) !== "refused";
}

/** A setting is missing, half set or malformed: the message names it and says what to set. */
export class ConfigError extends ProviderError {
    constructor(message: string) {
        super(message, "ConfigError", "config");
    }
}

/** The credential source the settings name did not give keys: the message says which source and why, without its answer. */
export class CredentialsError extends ProviderError {
    constructor(message: string) {
        super(message, "CredentialsError", "credentials");
    }
}

export function messageOf(err: unknown): string {
    return isRecord(err) && typeof err.message === "string" ? err.message : String(err);
}

/** An error the VPC API answered with. */
export class ServiceError extends ProviderError {
    readonly code: string;
    readonly statusCode?: number;
    readonly requestId?: string;
    /** The service's own `Message`, scrubbed of anything that looks like a key. */
    readonly serviceMessage: string;
    /** From the `x-acs-retry-after` header of a throttled call: wait at least this long. */
    readonly retryAfterMs?: number;
    /** The service's diagnosis link (`Recommend`). */
    readonly recommend?: string;

    constructor(fields: {
        code: string;
        serviceMessage: string;
        statusCode?: number;
        requestId?: string;
        retryAfterMs?: number;
        recommend?: string;
    }) {
        super(
            `${fields.code}: ${fields.serviceMessage}` + (fields.requestId ? ` (RequestId ${fields.requestId})` : ""),
            "ServiceError",
            "service",
        );
        this.code = fields.code;
        this.serviceMessage = fields.serviceMessage;
        this.statusCode = fields.statusCode;
        this.requestId = fields.requestId;
        this.retryAfterMs = fields.retryAfterMs;
        this.recommend = fields.recommend;
    }
}

/** The call did not get an answer the SDK could read: connection, timeout or a body that is not JSON. */
export class TransportError extends ProviderError {
    constructor(
        /** `ECONNRESET`, `ReadTimeout`, `InvalidResponse`, ... */
        readonly code: string,
        message: string,
        /** False when trying again cannot help (unknown host, TLS failure, wrong scheme). */
        readonly transient: boolean,
        /** The HTTP status of an answer that could not be read, when one came. */
        readonly statusCode?: number,
    ) {
        // The SDK's own messages often start with the code already.
        super(message.startsWith(code) ? message : `${code}: ${message}`, "TransportError", "transport");
    }
}

/** By kind (see `ProviderError`); a failed call takes its failure's kind but is not itself the service's answer. */
export function isServiceError(e: unknown): e is ServiceError {
    return errorKind(e) === "service" && (e as ProviderError).call === undefined;
}

export function isTransportError(e: unknown): e is TransportError {
    return errorKind(e) === "transport" && (e as ProviderError).call === undefined;
}

/** Socket error codes worth another attempt: the network or the endpoint hiccupped. */
const TRANSIENT_SOCKET_CODES = [
    "ECONNRESET",
    "ECONNREFUSED",
    "ECONNABORTED",
    "ETIMEDOUT",
    "EPIPE",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENETDOWN",
    "EHOSTDOWN",
];

/** Failures a retry cannot fix, with what to check instead. */
const PERMANENT_SOCKET_CODES: Record<string, string> = {
    ENOTFOUND: "the endpoint's host name does not resolve; check the endpoint and DNS",
    EPROTO: "TLS handshake failed; check that the endpoint's scheme (http/https) matches the server",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the endpoint's TLS certificate is not trusted",
    SELF_SIGNED_CERT_IN_CHAIN: "the endpoint's TLS certificate is not trusted",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the endpoint's TLS certificate is not trusted",
    ERR_TLS_CERT_ALTNAME_INVALID: "the endpoint's TLS certificate does not match its host name",
};

/**
 * Maps whatever the SDK threw to a `ServiceError`, a `TransportError`, or a
 * plain `Error`; the provider's own errors pass unchanged. The original is not kept as `cause`: its message can hold the
 * request URL, whose query carries `IkeConfig` with the PSK.
 */
export function fromSdkError(e: unknown): ServiceError | Error {
    const own = providerError(e);
    if (own) {
        return own;
    }
    if (!isRecord(e)) {
        return new Error(scrub(String(e)));
    }
    const message = typeof e.message === "string" ? e.message : Object.prototype.toString.call(e);
    const data = isRecord(e.data) ? e.data : undefined;
    const statusCode = finiteNumber(e.statusCode) ?? finiteNumber(data?.statusCode);

    if (typeof e.code === "string" && (statusCode !== undefined || data !== undefined)) {
        const retryAfterMs = finiteNumber(e.retryAfter);
        return new ServiceError({
            code: meaningful(data?.Code) ?? meaningful(e.code) ?? "UnknownError",
            serviceMessage: scrub(
                withoutStringToSign(
                    meaningful(data?.Message) ??
                        meaningful(data?.message) ??
                        meaningful(sdkMessageText(message)) ??
                        NO_MESSAGE,
                ),
            ),
            statusCode,
            requestId: meaningful(data?.RequestId) ?? meaningful(e.requestId),
            retryAfterMs: retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : undefined,
            recommend: meaningful(data?.Recommend),
        });
    }

    const transport = transportError(e, message);
    if (transport) {
        return transport;
    }
    const scrubbed = scrub(message);
    if (scrubbed === message && e instanceof Error) {
        return e;
    }
    const plain = new Error(scrubbed);
    plain.name = typeof e.name === "string" ? e.name : "Error";
    return plain;
}

function transportError(e: Record<string, unknown>, message: string): TransportError | undefined {
    const detail = scrub(withoutQueries(message));
    const code = typeof e.code === "string" ? e.code : undefined;
    if (code && TRANSIENT_SOCKET_CODES.includes(code)) {
        return new TransportError(code, detail, true);
    }
    if (code && Object.prototype.hasOwnProperty.call(PERMANENT_SOCKET_CODES, code)) {
        return new TransportError(code, `${detail} (${PERMANENT_SOCKET_CODES[code]})`, false);
    }
    if (/socket hang up/i.test(message)) {
        return new TransportError("ECONNRESET", detail, true);
    }
    // httpx names its timeouts RequestTimeoutError and says which one in the message.
    if (e.name === "RequestTimeoutError" || /\b(Read|Connect)Timeout\b/.test(message)) {
        return new TransportError(/ConnectTimeout/.test(message) ? "ConnectTimeout" : "ReadTimeout", detail, true);
    }
    // The SDK parses every body as JSON; HTML from a proxy or gateway ends up here. JSON.parse's message
    // quotes the body, which may echo the request (PSKs included), so none of it is kept: the status, type
    // and length of the answer are added where the call is traced (connectionTrace.ts).
    if (e.name === "SyntaxError") {
        return new TransportError("InvalidResponse", NOT_JSON, true);
    }
    return undefined;
}

/** A refusal whose body has no `Message` (the SDK then writes "undefined" in its place). */
const NO_MESSAGE = "(the service gave no message)";

/** What an answer whose body is not JSON is called; connectionTrace.ts adds its status, type and length. */
export const NOT_JSON = "the endpoint answered with a body that is not JSON";

/** Secret-named fields' values, masked although their values are not known here. */
function scrub(text: string): string {
    return redact(text, []);
}

/**
 * A signature error's message, without the string-to-sign and canonical
 * request the service appends: a dozen lines that tell the user nothing the
 * code does not, and whose canonical query may carry the request's parameters.
 */
function withoutStringToSign(message: string): string {
    return message.replace(/\s*\bserver string to sign is\b.*$/is, "").replace(/\s*\bcanonical request is\b.*$/is, "");
}

/** The SDK's message is `<Code>: code: <status>, <Message> request id: <id>`; keep the Message. */
function sdkMessageText(message: string): string {
    return message.replace(/^.*?code: \d+, /s, "").replace(/ request id: \S*$/, "");
}

/**
 * Drops query strings and fragments from URLs in a message (the query holds
 * IkeConfig, PSK included), and puts back the space httpx leaves out before
 * "POST http://...".
 */
function withoutQueries(text: string): string {
    return text.replace(/(\bhttps?:\/\/[^\s?#]+)[?#]\S*/gi, "$1").replace(/(\S)((?:GET|POST) https?:\/\/)/g, "$1 $2");
}

function finiteNumber(v: unknown): number | undefined {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The SDK stringifies absent fields (`${requestId}`), so "undefined" means absent. */
function meaningful(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && v !== "undefined" && v !== "null" ? v : undefined;
}
