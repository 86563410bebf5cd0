/**
 * Errors of the VPC API in one shape, the API reference's explanation of each
 * error code, and the one function that turns an error into the user's
 * message, with every piece from outside redacted (redaction.ts).
 *
 * Nothing here loads the Alibaba SDK: SDK exceptions are recognised by their
 * fields (`code`, `statusCode`, `data`, `requestId`, `retryAfter`), so `check`
 * and `diff` can use this module for free.
 */
import { isRecord } from "../shared/records";
import { redact } from "./redaction";

export { redact, WITHHELD } from "./redaction";

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
function providerError(err: unknown): ProviderError | undefined {
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
function wasSent(attempts: number, failure: unknown): boolean {
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

function messageOf(err: unknown): string {
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
                withoutStringToSign(meaningful(data?.Message) ?? meaningful(data?.message) ?? sdkMessageText(message)),
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

/** The explanation of one error code, from the API reference, and what to do about it. */
export interface ErrorDescription {
    description: string;
    remedy?: string;
}

const RETRIED =
    "The provider retries this until its deadline; if it persists, another change (console, another stack) is still running on the gateway.";
const NEED_ASN_RANGE = "Use an ASN from 1 to 4294967295; a private ASN is recommended.";
const SUBNET_REMEDY =
    "Use comma-separated IPv4 CIDR blocks, e.g. 10.1.1.0/24,10.1.2.0/24 (0.0.0.0/0 on both sides selects destination routing).";
const TUNNEL_CIDR_REMEDY =
    "Use a /30 inside 169.254.0.0/16 other than 169.254.0.0/30 to 169.254.6.0/30 and 169.254.169.252/30; the two tunnels need different blocks.";
const ROUTE_REMEDY =
    "Remove or change the conflicting route on the VPN gateway, or change localSubnet/remoteSubnet/autoConfigRoute.";
const PERMISSION_REMEDY =
    "Grant the RAM user or role vpc:ModifyVpnAttachmentAttribute and vpc:DescribeVpnConnection on this connection.";
const CREDENTIAL_REMEDY =
    "Check the credentials the call was signed with (their source is named at the end) and that the key pair is enabled.";

/**
 * Every code in the error table of the ModifyVpnAttachmentAttribute reference
 * (description: the table's Description column, verbatim), then the common
 * codes of Alibaba Cloud RPC APIs and the conflict codes the Terraform
 * provider retries for this operation.
 */
const ERROR_DESCRIPTIONS: Record<string, ErrorDescription> = {
    "VpnConnection.Configuring": {
        description: "The service is being configured. Try again later.",
        remedy: RETRIED,
    },
    "VpnConnection.FinancialLocked": {
        description: "The error message returned because the service is locked due to overdue payments.",
        remedy: "Settle the account's overdue payment, then run the update again.",
    },
    InvalidName: {
        description: "The name format is invalid.",
        remedy: "Use 1 to 100 characters that do not start with http:// or https://.",
    },
    "VpnRouteEntry.AlreadyExists": { description: "The route already exists.", remedy: ROUTE_REMEDY },
    "VpnRouteEntry.Conflict": { description: "Route conflicts exist.", remedy: ROUTE_REMEDY },
    "NotSupportVpnConnectionParameter.IpsecPfs": {
        description: "The PFS parameter set for the IPsec-VPN connection is not supported.",
        remedy: "Use an ipsecPfs the gateway supports: disabled, group1, group2, group5 or group14.",
    },
    "NotSupportVpnConnectionParameter.IpsecAuthAlg": {
        description: "The authentication algorithm specified for the IPsec-VPN connection is not supported.",
        remedy: "Use an ipsecAuthAlg the gateway supports: md5, sha1, sha256, sha384 or sha512.",
    },
    "VpnRouteEntry.BackupRoute": {
        description: "Active/standby routes failed authentication.",
        remedy: ROUTE_REMEDY,
    },
    "VpnRouteEntry.InvalidWeight": {
        description: "The weight specified for the route is invalid.",
        remedy: ROUTE_REMEDY,
    },
    "MissingParameter.TunnelCidr": {
        description: "You must specify the tunnel CIDR block when you enable BGP.",
        remedy: "Declare bgpConfig.tunnelCidr (single tunnel) or tunnelBgpConfig.tunnelCidr of each tunnel.",
    },
    "OperationUnsupported.EnableBgp": {
        description: "The error message returned because the current region does not support BGP.",
        remedy: "Leave BGP disabled in this region.",
    },
    "MissingParam.CustomerGatewayAsn": {
        description: "The ASN of the customer gateway cannot be empty when you enable BGP.",
        remedy: "Give the customer gateway an ASN before enabling BGP.",
    },
    "IllegalParam.LocalAsn": { description: "The local ASN is invalid.", remedy: NEED_ASN_RANGE },
    "IllegalParam.BgpConfig": {
        description: "The BGP configuration is invalid.",
        remedy: "Check enableBgp, localAsn, tunnelCidr and localBgpIp together.",
    },
    "IllegalParam.EnableBgp": {
        description:
            "The error message returned because the VPN connection must use BGP if BGP is enabled for the VPN gateway.",
        remedy: "Enable BGP on the connection (bgpConfig.enableBgp or enableTunnelsBgp).",
    },
    "IllegalParam.TunnelCidr": {
        description: "The TunnelCidr parameter is set to an invalid value.",
        remedy: TUNNEL_CIDR_REMEDY,
    },
    "InvalidLocalBgpIp.Malformed": {
        description: "The local BGP IP address is in an abnormal state.",
        remedy: "Use an IPv4 address inside the tunnel CIDR block.",
    },
    "IllegalParam.LocalBgpIp": {
        description: "The local BGP IP address is invalid.",
        remedy: "Use an IPv4 address inside the tunnel CIDR block.",
    },
    "IllegalParam.LocalSubnet": {
        description: 'The specified "LocalSubnet" (%s) is invalid.',
        remedy: SUBNET_REMEDY,
    },
    "IllegalParam.RemoteSubnet": {
        description: 'The specified "RemoteSubnet" (%s) is invalid.',
        remedy: SUBNET_REMEDY,
    },
    "CustomerGateway.ConflictRouteEntry": {
        description: "The customer gateway conflicts with the current routes.",
        remedy: ROUTE_REMEDY,
    },
    "IllegalParam.NetworkType": {
        description: "The network type is invalid.",
        remedy: "Use public or private, and the network type the connection already has: it cannot change in place.",
    },
    "InvalidTunnelCidr.Malformed": {
        description: "The specified tunnel CIDR block is invalid.",
        remedy: TUNNEL_CIDR_REMEDY,
    },
    "VpnGateway.Configuring": {
        description: "The service is being configured. Try again later.",
        remedy: RETRIED,
    },
    "VpnTask.CONFLICT": {
        description: "The VPN operation conflicts. Try again later.",
        remedy: RETRIED,
    },
    "ModifyIkeV1WithMultiRoutes.Invalid": {
        description:
            "Failed to modify VPN connection parameters. Multi-network is configured while using IkeV1 protocol.",
        remedy: "Use ikeVersion ikev2, or a single CIDR block in localSubnet and remoteSubnet.",
    },
    "InvalidVpnGatewayInstanceId.NotFound": {
        description: "The specified VPN gateway does not exist. Check whether the specified VPN gateway is valid.",
    },
    "Resource.QuotaFull": {
        description:
            "The resources you are operating have reached the upper limit of the quota. Please refer to the VPN operation document to increase the quota or use other schemes to avoid it.",
    },
    "CreateDbrRoutesQuotaFull.QuotaFull": {
        description: "The number of created destination routes exceeds the quota limit.",
        remedy: "Raise the route quota or declare fewer CIDR blocks.",
    },
    "CreatePbrRoutesQuotaFull.QuotaFull": {
        description: "The number of policy routes exceeds the quota limit.",
        remedy: "Raise the route quota or declare fewer CIDR blocks.",
    },
    // Spelled as the service spells it.
    "Forbbiden.SubUser": {
        description:
            "You are unauthorized to perform this operation on the specified resource. Acquire the required permissions and try again.",
        remedy: PERMISSION_REMEDY,
    },
    Forbidden: {
        description:
            "You do not have the permissions to manage the specified resource. Apply for the permissions and try again.",
        remedy: PERMISSION_REMEDY,
    },
    "InvalidVpnConnectionInstanceId.NotFound": {
        description: "The specified vpn connection instance id does not exist.",
        remedy: "Check vpnConnectionId and regionId: the connection must exist in that region.",
    },

    SignatureDoesNotMatch: {
        description: "The request signature does not match the one the service computed.",
        remedy:
            "The secret key does not belong to the access key, or a proxy altered the request. " + CREDENTIAL_REMEDY,
    },
    IncompleteSignature: {
        description: "The request signature is incomplete or malformed.",
        remedy: CREDENTIAL_REMEDY,
    },
    "InvalidAccessKeyId.NotFound": {
        description: "The access key ID does not exist.",
        remedy: CREDENTIAL_REMEDY,
    },
    "InvalidTimeStamp.Expired": {
        description: "The request timestamp is more than 15 minutes away from the service's clock.",
        remedy: "Synchronise this machine's clock (NTP).",
    },
    SignatureNonceUsed: {
        description: "The request's signature nonce was already used.",
        remedy: "Run the update again; each request gets a new nonce.",
    },
    MissingParameter: { description: "A required parameter is missing." },
    MissingRegionId: {
        description: "The RegionId parameter is missing.",
        remedy: "Set the resource's regionId.",
    },
    Throttling: {
        description: "The request was throttled.",
        remedy: "The provider backs off and retries; lower `pulumi up --parallel` if it persists.",
    },
    "Throttling.User": {
        description: "The account's request rate for this API exceeds its limit.",
        remedy: "The provider backs off and retries; lower `pulumi up --parallel` if it persists.",
    },
    "Throttling.Api": {
        description: "The API's request rate exceeds its limit.",
        remedy: "The provider backs off and retries; lower `pulumi up --parallel` if it persists.",
    },
    InternalError: {
        description: "The service hit an internal error.",
        remedy: "The provider retries it; if it persists, report the RequestId to Alibaba Cloud support.",
    },
    ServiceUnavailable: {
        description: "The service is temporarily unavailable.",
        remedy: "The provider retries it until its deadline.",
    },
    TaskConflict: {
        description: "Another task is running on the resource.",
        remedy: RETRIED,
    },
    "Appliance.Configuring": {
        description: "The VPN gateway's appliance is being configured.",
        remedy: RETRIED,
    },
};

export function describeErrorCode(code: string): ErrorDescription | undefined {
    if (Object.prototype.hasOwnProperty.call(ERROR_DESCRIPTIONS, code)) {
        return ERROR_DESCRIPTIONS[code];
    }
    const lower = code.toLowerCase();
    const key = Object.keys(ERROR_DESCRIPTIONS).find((k) => k.toLowerCase() === lower);
    return key === undefined ? undefined : ERROR_DESCRIPTIONS[key];
}

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

function finiteNumber(v: unknown): number | undefined {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The SDK stringifies absent fields (`${requestId}`), so "undefined" means absent. */
function meaningful(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" && v !== "undefined" && v !== "null" ? v : undefined;
}
