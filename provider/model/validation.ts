/**
 * `check`: turns a program's inputs into the canonical shape of `CheckedInputs`
 * and reports every rule of the ModifyVpnAttachmentAttribute reference that the
 * inputs break, before any API call is made.
 *
 * Every field's rule lives in one table entry (see `TUNNEL_CIDR`, `PSK`, the
 * `*_FIELDS` tables and `INPUTS` below). Rules that relate two fields are the
 * `relations` of the object or list that holds both.
 */
import { plainHttpProblem } from "../service/endpoint";
import {
    BgpConfig,
    CheckedInputs,
    CheckFailure,
    DesiredAttributes,
    DUAL_TUNNEL_FIELDS,
    HealthCheckConfig,
    IkeConfig,
    IpsecConfig,
    SINGLE_TUNNEL_FIELDS,
    TunnelBgpConfig,
    TunnelMode,
    TunnelOptions,
    TunnelPskInput,
} from "./types";
import { containsUnknown, isUnknown } from "./unknowns";

// ---------------------------------------------------------------------------
// IPv4 predicates, shared with the modules that compare subnets.

export interface Cidr {
    /** The address as written, as an unsigned 32-bit number. */
    address: number;
    prefix: number;
    network: number;
    broadcast: number;
}

/** Strict dotted quad; leading zeros are refused because some parsers read them as octal. */
export function parseIpv4(text: string): number | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!match) {
        return undefined;
    }
    let value = 0;
    for (const part of match.slice(1)) {
        if ((part.length > 1 && part.startsWith("0")) || Number(part) > 255) {
            return undefined;
        }
        value = value * 256 + Number(part);
    }
    return value;
}

export function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export function parseCidr(text: string): Cidr | undefined {
    const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
    const address = match ? parseIpv4(match[1]) : undefined;
    const prefix = match ? Number(match[2]) : NaN;
    if (address === undefined || !(prefix <= 32)) {
        return undefined;
    }
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    return { address, prefix, network, broadcast: network + size - 1 };
}

/** True when `ip` is an address inside the block `cidr`; false when either does not parse. */
export function ipInCidr(ip: string, cidr: string): boolean {
    const address = parseIpv4(ip);
    const block = parseCidr(cidr);
    return address !== undefined && block !== undefined && address >= block.network && address <= block.broadcast;
}

// ---------------------------------------------------------------------------
// Rules for single values. A rule returns the canonical value or the reason it
// refuses the input; the walker adds the property path.

type Outcome = { value: unknown } | { reason: string };
type Rule = (raw: unknown) => Outcome;

/**
 * Relates fields of one object or entries of one list; the failures' properties
 * are relative to it. Typed `never` so that each relation can name the shape it
 * reads (it receives the canonical value, unknowns and invalid values included).
 */
type Relation = (value: never) => CheckFailure[];

interface ObjectSpec {
    kind: "object";
    fields: Record<string, Spec>;
    required?: readonly string[];
    relations?: Relation;
}

interface ListSpec {
    kind: "list";
    item: Spec;
    minItems: number;
    maxItems: number;
    relations?: Relation;
}

type Spec = Rule | ObjectSpec | ListSpec;

/** A value as a failure message shows it; never used on a PSK. */
function shown(raw: unknown): string {
    if (typeof raw === "string") {
        return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}...` : raw);
    }
    if (Array.isArray(raw)) {
        return "a list";
    }
    if (raw !== null && typeof raw === "object") {
        return "an object";
    }
    return String(raw);
}

function kindOf(raw: unknown): string {
    return Array.isArray(raw) ? "a list" : raw === null ? "null" : `a ${typeof raw}`;
}

/** YAML programs deliver numbers as strings; accept plain decimal notation only. */
function toNumber(raw: unknown): number | undefined {
    if (typeof raw === "number") {
        return Number.isFinite(raw) ? raw : undefined;
    }
    if (typeof raw === "string" && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim())) {
        return Number(raw.trim());
    }
    return undefined;
}

function textRule(check: (text: string) => string | undefined = () => undefined): Rule {
    return (raw) => {
        if (typeof raw !== "string") {
            return { reason: `must be a string, got ${kindOf(raw)}` };
        }
        const reason = raw === "" ? "must not be empty" : check(raw);
        return reason === undefined ? { value: raw } : { reason };
    };
}

function characterCount(text: string): number {
    return Array.from(text).length;
}

const NON_EMPTY_STRING = textRule();

const BOOLEAN: Rule = (raw) => {
    if (typeof raw === "boolean") {
        return { value: raw };
    }
    if (raw === "true" || raw === "false") {
        return { value: raw === "true" };
    }
    return { reason: `must be true or false, got ${shown(raw)}` };
};

function oneOf(...allowed: string[]): Rule {
    return (raw) =>
        typeof raw === "string" && allowed.includes(raw)
            ? { value: raw }
            : { reason: `must be one of ${allowed.join(", ")}; got ${shown(raw)}` };
}

function integerFrom(min: number, max: number): Rule {
    return (raw) => {
        const value = toNumber(raw);
        return value !== undefined && Number.isInteger(value) && value >= min && value <= max
            ? { value }
            : { reason: `must be an integer from ${min} to ${max}, got ${shown(raw)}` };
    };
}

const POSITIVE_INTEGER: Rule = (raw) => {
    const value = toNumber(raw);
    return value !== undefined && Number.isSafeInteger(value) && value > 0
        ? { value }
        : { reason: `must be a positive integer, got ${shown(raw)}` };
};

/**
 * The longest deadline one create or update may have: 24 hours. Real tasks
 * take minutes; an unbounded value would also overflow Node's timers.
 */
export const MAX_TIMEOUT_SECONDS = 24 * 60 * 60;

const TIMEOUT_SECONDS: Rule = (raw) => {
    const value = toNumber(raw);
    if (value === undefined || !(value > 0)) {
        return { reason: `must be a positive number, got ${shown(raw)}` };
    }
    return value <= MAX_TIMEOUT_SECONDS
        ? { value }
        : { reason: `must be at most ${MAX_TIMEOUT_SECONDS} seconds (24 hours), got ${shown(raw)}` };
};

const TUNNEL_INDEX: Rule = (raw) => {
    const value = toNumber(raw);
    return value === 1 || value === 2 ? { value } : { reason: `must be 1 or 2, got ${shown(raw)}` };
};

function isHttpUrl(text: string): boolean {
    try {
        const url = new URL(text);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
        return false;
    }
}

const HTTP_URL = textRule((text) =>
    isHttpUrl(text)
        ? plainHttpProblem(new URL(text))
        : `must be an http:// or https:// URL such as http://127.0.0.1:9000, got ${shown(text)}`,
);

const NAME = textRule((text) => {
    const length = characterCount(text);
    if (length > 100) {
        return `must be 1 to 100 characters long, got ${length} characters`;
    }
    // In the page's case only: refusing "HTTP://x" as well would be stricter than the page.
    return /^https?:\/\//.test(text) ? `must not start with http:// or https://, got ${shown(text)}` : undefined;
});

/**
 * IkeConfig.LocalId / RemoteId: an IP address or FQDN the peers present in
 * phase 1. Empty is refused (textRule): the Terraform provider requires 1 to
 * 100 characters, and Describe reports no empty identifier to compare with,
 * so a declared "" would differ on every run.
 */
const IKE_IDENTIFIER = textRule((text) => {
    const length = characterCount(text);
    if (length > 100) {
        return `must be at most 100 characters long, got ${length} characters`;
    }
    return /\s/.test(text) ? `must not contain whitespace, got ${shown(text)}` : undefined;
});

const PSK_SPECIALS = "~!`@#$%^&*()_-+={}[]|;:',.<>/?";

/**
 * The pre-shared key. Reasons give lengths and positions only: a failure
 * message is printed and logged, and must never reveal any part of the key.
 * A number is refused rather than converted, because YAML would already have
 * dropped leading zeros and the peer would then hold a different key.
 */
const PSK: Rule = (raw) => {
    if (typeof raw !== "string") {
        return { reason: `must be a string (quote it in YAML), got ${kindOf(raw)}` };
    }
    const characters = Array.from(raw);
    if (characters.length < 1 || characters.length > 100) {
        return { reason: `must be 1 to 100 characters long, got ${characters.length} characters` };
    }
    const bad = characters.findIndex((c) => !/^[A-Za-z0-9]$/.test(c) && !PSK_SPECIALS.includes(c));
    if (bad >= 0) {
        const what = characters[bad] === " " ? "a space" : /\s/.test(characters[bad]) ? "whitespace" : "not allowed";
        return {
            reason: `character ${bad + 1} is ${what}; use only letters, digits and ${PSK_SPECIALS}`,
        };
    }
    return { value: raw };
};

/**
 * Encryption, authentication and Diffie-Hellman names. The page's lists are
 * known to be incomplete: the service also takes group24 (the Terraform
 * provider sends it daily) and ShangMi gateways use sm3/sm4 (the SDK's own
 * documentation). A list here would refuse values a real connection holds,
 * so any name is passed on and the service decides; only what cannot be a
 * name (whitespace) is refused.
 */
const ALGORITHM_NAME = textRule((text) =>
    /\s/.test(text) ? `must be an algorithm name such as aes, sha256 or group14, got ${shown(text)}` : undefined,
);

const IPV4 = textRule((text) =>
    parseIpv4(text) === undefined ? `must be an IPv4 address such as 192.168.1.1, got ${shown(text)}` : undefined,
);

/**
 * LocalAsn: 1 to 4294967295, as a number, a numeric string, or the two-segment
 * form "123.456" (123 * 65536 + 456). A non-integer number is refused, not read
 * as two segments: YAML turns an unquoted 123.450 into 123.45.
 */
const ASN: Rule = (raw) => {
    const range = 'must be an ASN from 1 to 4294967295 or two 16-bit segments such as "123.456"';
    if (typeof raw === "string" && /^\d+\.\d+$/.test(raw.trim())) {
        const [high, low] = raw.trim().split(".").map(Number);
        if (high > 65535 || low > 65535) {
            return { reason: `${range}; each segment is at most 65535, got ${shown(raw)}` };
        }
        const value = high * 65536 + low;
        return value >= 1 ? { value } : { reason: `${range}, got ${shown(raw)}` };
    }
    const value = toNumber(raw);
    return value !== undefined && Number.isInteger(value) && value >= 1 && value <= 4294967295
        ? { value }
        : { reason: `${range}, got ${shown(raw)}` };
};

const RESERVED_TUNNEL_CIDRS = [0, 1, 2, 3, 4, 5, 6]
    .map((third) => `169.254.${third}.0/30`)
    .concat("169.254.169.252/30");

/** BgpConfig.TunnelCidr and TunnelBgpConfig.TunnelCidr. */
function tunnelCidrProblem(text: string): string | undefined {
    const block = parseCidr(text);
    if (!block) {
        return `must be a CIDR block such as 169.254.10.0/30, got ${shown(text)}`;
    }
    if (!ipInCidr(formatIpv4(block.address), "169.254.0.0/16")) {
        return `must fall within 169.254.0.0/16, got ${text}`;
    }
    if (block.prefix !== 30) {
        return `must have a /30 mask, got /${block.prefix}`;
    }
    if (block.address !== block.network) {
        return `must start on a /30 boundary (${formatIpv4(block.network)}/30), got ${text}`;
    }
    if (RESERVED_TUNNEL_CIDRS.includes(text)) {
        return `must not be one of the reserved blocks ${RESERVED_TUNNEL_CIDRS.join(", ")}; got ${text}`;
    }
    return undefined;
}

const TUNNEL_CIDR = textRule(tunnelCidrProblem);

/**
 * LocalSubnet / RemoteSubnet: a comma-separated string or a list of CIDR
 * blocks, canonicalised to "a/b,c/d" with each entry as written. The page and
 * the service take host bits (10.1.1.1/24) and repeated entries, so check does
 * too; diffing compares the blocks' networks (`subnetNetworks`), so neither
 * shows as a change.
 */
const SUBNET_LIST: Rule = (raw) => {
    const entries: unknown[] | undefined =
        typeof raw === "string" ? raw.split(",") : Array.isArray(raw) ? raw : undefined;
    if (!entries || entries.length === 0) {
        return { reason: `must be a comma-separated string or a list of CIDR blocks, got ${shown(raw)}` };
    }
    const canonical: string[] = [];
    for (const [index, entry] of entries.entries()) {
        if (isUnknown(entry)) {
            continue;
        }
        const text = typeof entry === "string" ? entry.trim() : undefined;
        if (text === undefined || !parseCidr(text)) {
            return { reason: `entry ${index + 1} must be an IPv4 CIDR block such as 10.1.1.0/24, got ${shown(entry)}` };
        }
        canonical.push(text);
    }
    // An unknown entry cannot be canonicalised yet; leave the list as written.
    return containsUnknown(raw) ? { value: raw } : { value: canonical.join(",") };
};

/**
 * The distinct networks a subnet list names, each as "network/prefix": what
 * the list means for routing, however it is spelt. Entries that do not parse
 * stay as written, so that they still compare unequal to anything else.
 * Undefined when the value is not a list of subnets at all.
 */
export function subnetNetworks(value: unknown): Set<string> | undefined {
    const entries = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : undefined;
    if (!entries) {
        return undefined;
    }
    const networks = new Set<string>();
    for (const entry of entries) {
        const text = String(entry).trim();
        const block = parseCidr(text);
        if (text !== "") {
            networks.add(block ? `${formatIpv4(block.network)}/${block.prefix}` : text);
        }
    }
    return networks;
}

// ---------------------------------------------------------------------------
// Rules that relate several fields.

/** LocalBgpIp must be a usable host of its own TunnelCidr (not the network or broadcast address). */
function localBgpIpInsideTunnelCidr(config: TunnelBgpConfig): CheckFailure[] {
    const { localBgpIp, tunnelCidr } = config;
    if (typeof localBgpIp !== "string" || typeof tunnelCidr !== "string" || tunnelCidrProblem(tunnelCidr)) {
        return [];
    }
    const ip = parseIpv4(localBgpIp);
    const block = parseCidr(tunnelCidr) as Cidr;
    if (ip === undefined) {
        return [];
    }
    const usable = `${formatIpv4(block.network + 1)} or ${formatIpv4(block.broadcast - 1)}`;
    if (ip < block.network || ip > block.broadcast) {
        const reason = `must be inside tunnelCidr ${tunnelCidr} (${usable}), got ${localBgpIp}`;
        return [{ property: "localBgpIp", reason }];
    }
    if (ip === block.network || ip === block.broadcast) {
        const which = ip === block.network ? "network" : "broadcast";
        const reason = `must be a usable host of tunnelCidr ${tunnelCidr} (${usable}), got its ${which} address ${localBgpIp}`;
        return [{ property: "localBgpIp", reason }];
    }
    return [];
}

function identifiesTunnel(tunnel: TunnelOptions): CheckFailure[] {
    return tunnel.tunnelId === undefined && tunnel.tunnelIndex === undefined
        ? [{ property: "", reason: "must set tunnelId or tunnelIndex to say which tunnel it configures" }]
        : [];
}

/** Each entry configures a different tunnel, and the two tunnels use different TunnelCidrs. */
function distinctTunnels(tunnels: unknown[]): CheckFailure[] {
    const failures: CheckFailure[] = [];
    const keys: Array<[string, (t: TunnelOptions) => unknown, string]> = [
        ["tunnelId", (t) => t.tunnelId, "each entry must configure a different tunnel"],
        ["tunnelIndex", (t) => t.tunnelIndex, "each entry must configure a different tunnel"],
        [
            "tunnelBgpConfig.tunnelCidr",
            (t) => t.tunnelBgpConfig?.tunnelCidr,
            "the two tunnels must use different CIDR blocks",
        ],
    ];
    for (const [property, get, rule] of keys) {
        const firstAt = new Map<unknown, number>();
        tunnels.forEach((tunnel, index) => {
            const value = tunnel !== null && typeof tunnel === "object" ? get(tunnel as TunnelOptions) : undefined;
            if (value === undefined || isUnknown(value) || (typeof value === "object" && value !== null)) {
                return;
            }
            const first = firstAt.get(value);
            if (first === undefined) {
                firstAt.set(value, index);
            } else {
                failures.push({
                    property: `[${index}].${property}`,
                    reason: `repeats tunnelOptionsSpecification[${first}].${property} (${value}); ${rule}`,
                });
            }
        });
    }
    return failures;
}

/** A connection is either single-tunnel or dual-tunnel; the API accepts each field in one mode only. */
function oneTunnelMode(inputs: Record<string, unknown>): CheckFailure[] {
    const single = [...SINGLE_TUNNEL_FIELDS, "psk"].filter((field) => field in inputs);
    const dual = [...DUAL_TUNNEL_FIELDS, "tunnelPsks"].filter((field) => field in inputs);
    if (single.length === 0 || dual.length === 0) {
        return [];
    }
    return [
        {
            property: dual[0],
            reason:
                `cannot be combined with ${single.join(", ")}: ${dual.join(", ")} apply only to dual-tunnel ` +
                `connections and ${single.join(", ")} only to single-tunnel connections`,
        },
    ];
}

// ---------------------------------------------------------------------------
// The field tables. `Record<keyof T, Spec>` makes the compiler insist that
// every attribute of the shared data model has a rule.

function object<T>(
    fields: Record<keyof T & string, Spec>,
    extra: Omit<ObjectSpec, "kind" | "fields"> = {},
): ObjectSpec {
    return { kind: "object", fields, ...extra };
}

/** The shape STS AssumeRole accepts; a malformed ARN would otherwise surface only at `up`. */
const ROLE_ARN = textRule((text) =>
    /^acs:ram::\d+:role\/[A-Za-z0-9.@_-]{1,64}$/.test(text)
        ? undefined
        : "must be a RAM role ARN: acs:ram::<account id>:role/<role name>",
);

const IKE_CONFIG = object<IkeConfig>({
    psk: PSK,
    ikeVersion: oneOf("ikev1", "ikev2"),
    ikeMode: oneOf("main", "aggressive"),
    ikeEncAlg: ALGORITHM_NAME,
    ikeAuthAlg: ALGORITHM_NAME,
    ikePfs: ALGORITHM_NAME,
    ikeLifetime: integerFrom(0, 86400),
    localId: IKE_IDENTIFIER,
    remoteId: IKE_IDENTIFIER,
});

const IPSEC_CONFIG = object<IpsecConfig>({
    ipsecEncAlg: ALGORITHM_NAME,
    ipsecAuthAlg: ALGORITHM_NAME,
    ipsecPfs: ALGORITHM_NAME,
    ipsecLifetime: integerFrom(0, 86400),
});

const TUNNEL_BGP_FIELDS: Record<keyof TunnelBgpConfig, Spec> = {
    localAsn: ASN,
    tunnelCidr: TUNNEL_CIDR,
    localBgpIp: IPV4,
};

const BGP_CONFIG = object<BgpConfig>(
    { enableBgp: BOOLEAN, ...TUNNEL_BGP_FIELDS },
    { relations: localBgpIpInsideTunnelCidr },
);

const HEALTH_CHECK_CONFIG = object<HealthCheckConfig>({
    enable: BOOLEAN,
    dip: IPV4,
    sip: IPV4,
    interval: POSITIVE_INTEGER,
    retry: POSITIVE_INTEGER,
    policy: oneOf("revoke_route", "reserve_route"),
});

const TUNNEL = object<TunnelOptions>(
    {
        tunnelId: NON_EMPTY_STRING,
        tunnelIndex: TUNNEL_INDEX,
        customerGatewayId: NON_EMPTY_STRING,
        enableDpd: BOOLEAN,
        enableNatTraversal: BOOLEAN,
        tunnelBgpConfig: object<TunnelBgpConfig>(TUNNEL_BGP_FIELDS, { relations: localBgpIpInsideTunnelCidr }),
        tunnelIkeConfig: IKE_CONFIG,
        tunnelIpsecConfig: IPSEC_CONFIG,
    },
    { relations: identifiesTunnel },
);

const TUNNEL_PSK = object<TunnelPskInput>(
    { tunnelId: NON_EMPTY_STRING, tunnelIndex: TUNNEL_INDEX, psk: PSK },
    { required: ["psk"], relations: identifiesTunnel },
);

const INPUTS = object<CheckedInputs>(
    {
        regionId: NON_EMPTY_STRING,
        vpnConnectionId: NON_EMPTY_STRING,
        endpoint: HTTP_URL,
        timeoutSeconds: TIMEOUT_SECONDS,
        profile: NON_EMPTY_STRING,
        assumeRoleArn: ROLE_ARN,
        verifyOnPreview: BOOLEAN,
        name: NAME,
        localSubnet: SUBNET_LIST,
        remoteSubnet: SUBNET_LIST,
        effectImmediately: BOOLEAN,
        autoConfigRoute: BOOLEAN,
        networkType: oneOf("public", "private"),
        remoteCaCert: NON_EMPTY_STRING,
        customerGatewayId: NON_EMPTY_STRING,
        enableDpd: BOOLEAN,
        enableNatTraversal: BOOLEAN,
        ikeConfig: IKE_CONFIG,
        ipsecConfig: IPSEC_CONFIG,
        bgpConfig: BGP_CONFIG,
        healthCheckConfig: HEALTH_CHECK_CONFIG,
        tunnelOptionsSpecification: {
            kind: "list",
            item: TUNNEL,
            minItems: 1,
            maxItems: 2,
            relations: distinctTunnels,
        },
        enableTunnelsBgp: BOOLEAN,
        psk: PSK,
        tunnelPsks: { kind: "list", item: TUNNEL_PSK, minItems: 1, maxItems: 2, relations: distinctTunnels },
    },
    { required: ["vpnConnectionId"], relations: oneTunnelMode },
);

// ---------------------------------------------------------------------------
// The walker.

function join(path: string, relative: string): string {
    if (relative === "") {
        return path;
    }
    if (path === "" || relative.startsWith("[")) {
        return path + relative;
    }
    return `${path}.${relative}`;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
            );
        }
        previous = current;
    }
    return previous[b.length];
}

function unknownPropertyReason(name: string, known: string[]): string {
    const suggestion = known.find((k) => k.toLowerCase() === name.toLowerCase() || editDistance(k, name) <= 2);
    return suggestion
        ? `is not a known property; did you mean ${suggestion}?`
        : `is not a known property; known properties are ${known.join(", ")}`;
}

function runRelations(relations: Relation | undefined, value: unknown, path: string, failures: CheckFailure[]): void {
    for (const failure of relations ? relations(value as never) : []) {
        failures.push({ property: join(path, failure.property), reason: failure.reason });
    }
}

function validateObject(spec: ObjectSpec, raw: unknown, path: string, failures: CheckFailure[]): unknown {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        failures.push({ property: path, reason: `must be an object, got ${kindOf(raw)}` });
        return raw;
    }
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        // Pulumi drops undefined values; a YAML null means the same: not declared.
        if (value === undefined || value === null) {
            continue;
        }
        const fieldSpec = Object.prototype.hasOwnProperty.call(spec.fields, key) ? spec.fields[key] : undefined;
        if (!fieldSpec) {
            failures.push({ property: join(path, key), reason: unknownPropertyReason(key, Object.keys(spec.fields)) });
            result[key] = value;
            continue;
        }
        result[key] = validate(fieldSpec, value, join(path, key), failures);
    }
    for (const key of spec.required ?? []) {
        if (!(key in result)) {
            failures.push({ property: join(path, key), reason: "is required" });
        }
    }
    runRelations(spec.relations, result, path, failures);
    return result;
}

function validateList(spec: ListSpec, raw: unknown, path: string, failures: CheckFailure[]): unknown {
    if (!Array.isArray(raw)) {
        failures.push({ property: path, reason: `must be a list, got ${kindOf(raw)}` });
        return raw;
    }
    if (raw.length < spec.minItems || raw.length > spec.maxItems) {
        const reason = `must have ${spec.minItems} to ${spec.maxItems} entries, got ${raw.length}`;
        failures.push({ property: path, reason });
    }
    const result = raw.map((item, index) => validate(spec.item, item, `${path}[${index}]`, failures));
    runRelations(spec.relations, result, path, failures);
    return result;
}

function validate(spec: Spec, raw: unknown, path: string, failures: CheckFailure[]): unknown {
    if (isUnknown(raw)) {
        return raw;
    }
    if (typeof spec === "function") {
        const outcome = spec(raw);
        if ("reason" in outcome) {
            failures.push({ property: path, reason: outcome.reason });
            return raw;
        }
        return outcome.value;
    }
    return spec.kind === "object" ? validateObject(spec, raw, path, failures) : validateList(spec, raw, path, failures);
}

/**
 * Canonicalises and validates a program's inputs. Unknown (preview) values are
 * left in place unvalidated; `__`-prefixed keys such as `__provider` belong to
 * the Pulumi runtime and pass through untouched.
 */
export function checkInputs(news: Record<string, unknown>): {
    inputs: Record<string, unknown>;
    failures: CheckFailure[];
} {
    const runtime: Record<string, unknown> = {};
    const program: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(news)) {
        (key.startsWith("__") ? runtime : program)[key] = value;
    }
    const failures: CheckFailure[] = [];
    const canonical = validateObject(INPUTS, program, "", failures) as Record<string, unknown>;
    if (!("regionId" in canonical)) {
        failures.push({
            property: "regionId",
            reason: "is required: set it on the resource, or set alicloud:region, ALICLOUD_REGION or ALIBABA_CLOUD_REGION_ID",
        });
    }
    return { inputs: { ...canonical, ...runtime }, failures };
}

/** The declared fields that a connection in `mode` does not accept (checked against the live connection). */
export function modeConflicts(desired: DesiredAttributes, mode: TunnelMode): string[] {
    const refused: readonly (keyof DesiredAttributes)[] = mode === "single" ? DUAL_TUNNEL_FIELDS : SINGLE_TUNNEL_FIELDS;
    return refused.filter((field) => desired[field] !== undefined);
}
