import { ApiError, badRequest } from "./errors";
import { Cidr, cidrContains, cidrSize, formatIpv4, isCanonicalCidr, parseCidr, parseIpv4 } from "./net";
import { IkeConfig, IpsecConfig } from "./types";

/**
 * Field rules of ModifyVpnAttachmentAttribute as the API reference states them.
 * Codes come from the reference page where it names one; otherwise they follow
 * the service's `InvalidParameter.<Field>` pattern.
 */

// The page's lists (request parameters: IkeConfig, IpsecConfig and the tunnel's
// TunnelIkeConfig / TunnelIpsecConfig), exactly: no source documents group24 or
// the ShangMi sm3/sm4 for this API.
const ENC_ALGS = ["aes", "aes192", "aes256", "des", "3des"];
const AUTH_ALGS = ["md5", "sha1", "sha256", "sha384", "sha512"];
const IKE_PFS = ["group1", "group2", "group5", "group14"];
const IPSEC_PFS = ["disabled", ...IKE_PFS];
const MAX_LIFETIME = 86400;
const MAX_ASN = 4294967295;
const PSK = /^[A-Za-z0-9~!`@#$%^&*()_\-+={}[\]|;:',.<>/?]{1,100}$/;
const RESERVED_TUNNEL_CIDRS = [0, 1, 2, 3, 4, 5, 6].map((n) => `169.254.${n}.0/30`).concat("169.254.169.252/30");
const LINK_LOCAL = parseCidr("169.254.0.0/16") as Cidr;

export function invalidParameter(field: string, value: unknown): ApiError {
    return badRequest(`InvalidParameter.${field}`, `The specified ${field} (${String(value)}) is invalid.`);
}

export type JsonObject = Record<string, unknown>;

/** Parses a JSON-string parameter; `code` is what the service answers for garbage. */
export function parseJsonObject(param: string, text: string, code = `InvalidParameter.${param}`): JsonObject {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw badRequest(code, `The specified ${param} is not a valid JSON object.`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw badRequest(code, `The specified ${param} is not a valid JSON object.`);
    }
    return value as JsonObject;
}

/**
 * Reads a key case-insensitively: the service's JSON binding matches keys
 * loosely, which is why the reference documents HealthCheckConfig in lower case.
 */
export function pick(obj: JsonObject, key: string): unknown {
    const wanted = key.toLowerCase();
    const found = Object.keys(obj).find((k) => k.toLowerCase() === wanted);
    return found === undefined ? undefined : obj[found];
}

export function parseBoolean(field: string, value: unknown, code = `InvalidParameter.${field}`): boolean {
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    throw badRequest(code, `The specified ${field} (${String(value)}) is not a boolean.`);
}

function requireString(field: string, value: unknown): string {
    if (typeof value !== "string") throw invalidParameter(field, value);
    return value;
}

function checkEnum(field: string, value: unknown, allowed: string[], code = `InvalidParameter.${field}`): string {
    if (typeof value !== "string" || !allowed.includes(value)) {
        throw badRequest(
            code,
            `The specified ${field} (${String(value)}) is invalid. Valid values: ${allowed.join(", ")}.`,
        );
    }
    return value;
}

function parseInteger(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
    return undefined;
}

function parseLifetime(field: string, value: unknown): number {
    const seconds = parseInteger(value);
    if (seconds === undefined || seconds < 0 || seconds > MAX_LIFETIME) {
        throw badRequest(
            `InvalidParameter.${field}`,
            `The specified ${field} (${String(value)}) must be an integer from 0 to ${MAX_LIFETIME}.`,
        );
    }
    return seconds;
}

function positiveInteger(field: string, value: unknown, code: string): number {
    const n = parseInteger(value);
    if (n === undefined || n < 1)
        throw badRequest(code, `The specified ${field} (${String(value)}) must be a positive integer.`);
    return n;
}

/** Length in characters (code points), as the page counts "1 to 100 characters"; the prefix in the page's case. */
export function checkName(value: string): string {
    const length = Array.from(value).length;
    if (length < 1 || length > 100 || /^https?:\/\//.test(value)) {
        throw badRequest("InvalidName", "The name is not valid");
    }
    return value;
}

/** A comma-separated list of IPv4 CIDR blocks; host bits and repeated entries are taken, as the page does not refuse them. */
export function checkSubnetList(param: "LocalSubnet" | "RemoteSubnet", value: string): string {
    if (!value.split(",").every((block) => parseCidr(block) !== undefined)) {
        throw badRequest(`IllegalParam.${param}`, `The specified "${param}" (${value}) is invalid.`);
    }
    return value;
}

export function checkNetworkType(value: string, current: string | undefined): string {
    if (!["public", "private"].includes(value) || (current !== undefined && current !== value)) {
        throw badRequest("IllegalParam.NetworkType", `The specified NetworkType (${value}) is invalid.`);
    }
    return value;
}

function checkPsk(value: unknown): string {
    if (typeof value !== "string" || !PSK.test(value)) {
        throw badRequest(
            "InvalidParameter.Psk",
            "The specified Psk is invalid. It must be 1 to 100 letters, digits or ~!`@#$%^&*()_-+={}[]|;:',.<>/? without spaces.",
        );
    }
    return value;
}

/** At most 100 characters without whitespace, as the page says; it gives no minimum, so "" is taken. */
function checkIdentifier(field: "LocalId" | "RemoteId", value: unknown): string {
    if (typeof value !== "string" || Array.from(value).length > 100 || /\s/.test(value))
        throw invalidParameter(field, value);
    return value;
}

/** ASN as a plain number or the two-segment "high.low" form (high * 65536 + low). */
function parseAsn(value: unknown): number {
    const text = typeof value === "number" ? String(value) : value;
    let asn: number | undefined;
    if (typeof text === "string" && /^\d+$/.test(text)) asn = Number(text);
    const dotted = typeof text === "string" ? /^(\d+)\.(\d+)$/.exec(text) : null;
    if (dotted && Number(dotted[1]) < 65536 && Number(dotted[2]) < 65536)
        asn = Number(dotted[1]) * 65536 + Number(dotted[2]);
    if (asn === undefined || asn < 1 || asn > MAX_ASN) {
        throw badRequest("IllegalParam.LocalAsn", "The specified LocalAsn is invalid.");
    }
    return asn;
}

function checkTunnelCidr(value: unknown): string {
    const cidr = typeof value === "string" ? parseCidr(value) : undefined;
    if (typeof value !== "string" || cidr === undefined) {
        throw badRequest("InvalidTunnelCidr.Malformed", "The specified TunnelCidr is malformed.");
    }
    const usable =
        cidr.prefix === 30 &&
        isCanonicalCidr(value, cidr) &&
        cidrContains(LINK_LOCAL, cidr.network) &&
        !RESERVED_TUNNEL_CIDRS.includes(value);
    if (!usable) throw badRequest("IllegalParam.TunnelCidr", "The specified TunnelCidr is invalid.");
    return value;
}

function checkBgpIp(value: unknown): string {
    if (typeof value !== "string" || parseIpv4(value) === undefined) {
        throw badRequest("InvalidLocalBgpIp.Malformed", "The specified LocalBgpIp is malformed.");
    }
    return value;
}

/** The BGP address must be one of the two host addresses of the /30 tunnel block. */
export function checkBgpIpInCidr(ip: string, tunnelCidr: string): void {
    const cidr = parseCidr(tunnelCidr) as Cidr;
    const address = parseIpv4(ip) as number;
    if (!cidrContains(cidr, address) || address === cidr.network || address === cidr.network + cidrSize(cidr) - 1) {
        throw badRequest("IllegalParam.LocalBgpIp", "The specified LocalBgpIp is invalid.");
    }
}

/** The other host address of the /30 block: where the peer's BGP speaker sits. */
export function peerBgpIp(localBgpIp: string, tunnelCidr: string): string {
    const cidr = parseCidr(tunnelCidr) as Cidr;
    const local = parseIpv4(localBgpIp) as number;
    return formatIpv4(local === cidr.network + 1 ? cidr.network + 2 : cidr.network + 1);
}

function checkIpsecPfs(value: unknown): string {
    return checkEnum("IpsecPfs", value, IPSEC_PFS, "NotSupportVpnConnectionParameter.IpsecPfs");
}

/** Validated phase-1 settings: the top-level shape, lifetime as a number. */
export type IkeInput = IkeConfig;

/** Validates phase-1 settings; `get` reads a field by its API name. */
export function readIke(get: (key: string) => unknown): IkeInput {
    const ike: IkeInput = {};
    const field = (key: keyof IkeInput, check: (v: unknown) => string | number): void => {
        const raw = get(key);
        if (raw !== undefined) (ike as Record<string, unknown>)[key] = check(raw);
    };
    field("Psk", checkPsk);
    field("IkeVersion", (v) => checkEnum("IkeVersion", v, ["ikev1", "ikev2"]));
    field("IkeMode", (v) => checkEnum("IkeMode", v, ["main", "aggressive"]));
    field("IkeEncAlg", (v) => checkEnum("IkeEncAlg", v, ENC_ALGS));
    field("IkeAuthAlg", (v) => checkEnum("IkeAuthAlg", v, AUTH_ALGS));
    field("IkePfs", (v) => checkEnum("IkePfs", v, IKE_PFS));
    field("IkeLifetime", (v) => parseLifetime("IkeLifetime", v));
    field("LocalId", (v) => checkIdentifier("LocalId", v));
    field("RemoteId", (v) => checkIdentifier("RemoteId", v));
    return ike;
}

export type IpsecInput = IpsecConfig;

export function readIpsec(get: (key: string) => unknown): IpsecInput {
    const ipsec: IpsecInput = {};
    const field = (key: keyof IpsecInput, check: (v: unknown) => string | number): void => {
        const raw = get(key);
        if (raw !== undefined) (ipsec as Record<string, unknown>)[key] = check(raw);
    };
    field("IpsecEncAlg", (v) => checkEnum("IpsecEncAlg", v, ENC_ALGS));
    field("IpsecAuthAlg", (v) =>
        checkEnum("IpsecAuthAlg", v, AUTH_ALGS, "NotSupportVpnConnectionParameter.IpsecAuthAlg"),
    );
    field("IpsecPfs", checkIpsecPfs);
    field("IpsecLifetime", (v) => parseLifetime("IpsecLifetime", v));
    return ipsec;
}

export interface BgpInput {
    EnableBgp?: boolean;
    LocalAsn?: number;
    TunnelCidr?: string;
    LocalBgpIp?: string;
}

export function readBgp(get: (key: string) => unknown, enableCode: string): BgpInput {
    const bgp: BgpInput = {};
    const enable = get("EnableBgp");
    if (enable !== undefined) bgp.EnableBgp = parseBoolean("EnableBgp", enable, enableCode);
    const asn = get("LocalAsn");
    if (asn !== undefined) bgp.LocalAsn = parseAsn(asn);
    const cidr = get("TunnelCidr");
    if (cidr !== undefined) bgp.TunnelCidr = checkTunnelCidr(cidr);
    const ip = get("LocalBgpIp");
    if (ip !== undefined) bgp.LocalBgpIp = checkBgpIp(ip);
    return bgp;
}

export interface HealthCheckInput {
    Enable?: boolean;
    Dip?: string;
    Sip?: string;
    Interval?: number;
    Retry?: number;
    Policy?: string;
}

export function readHealthCheck(config: JsonObject): HealthCheckInput {
    const code = "InvalidParameter.HealthCheckConfig";
    const health: HealthCheckInput = {};
    const ip = (field: string, value: unknown): string => {
        if (typeof value !== "string" || parseIpv4(value) === undefined)
            throw badRequest(code, `The specified HealthCheckConfig.${field} is not an IPv4 address.`);
        return value;
    };
    const enable = pick(config, "enable");
    if (enable !== undefined) health.Enable = parseBoolean("HealthCheckConfig.enable", enable, code);
    const dip = pick(config, "dip");
    if (dip !== undefined) health.Dip = ip("dip", dip);
    const sip = pick(config, "sip");
    if (sip !== undefined) health.Sip = ip("sip", sip);
    const interval = pick(config, "interval");
    if (interval !== undefined) health.Interval = positiveInteger("HealthCheckConfig.interval", interval, code);
    const retry = pick(config, "retry");
    if (retry !== undefined) health.Retry = positiveInteger("HealthCheckConfig.retry", retry, code);
    const policy = pick(config, "policy");
    if (policy !== undefined)
        health.Policy = checkEnum("HealthCheckConfig.Policy", policy, ["revoke_route", "reserve_route"], code);
    return health;
}

export function checkCustomerGatewayId(value: unknown): string {
    const id = requireString("CustomerGatewayId", value);
    if (!/^cgw-[0-9a-zA-Z-]+$/.test(id)) {
        throw badRequest(
            "InvalidCustomerGatewayInstanceId.NotFound",
            "The specified customer gateway instance id does not exist.",
        );
    }
    return id;
}
