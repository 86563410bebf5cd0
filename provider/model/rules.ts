/**
 * The rules for single values that check applies: each returns the canonical
 * value or the reason it refuses the input (the walker in validation.ts adds
 * the property path). The schema names which rule each attribute follows,
 * settings.ts which rule each of the resource's settings follows.
 *
 * A rule's type parameter is what a program may pass for it; the schema and
 * the settings table derive the resource's input types from it.
 */
import { endpointInputProblem } from "../foundation/endpoint";
import { formatIpv4, ipInCidr, parseCidr, parseIpv4, splitSubnets } from "./ipv4";
import { containsUnknown, isUnknown } from "./unknowns";

export type Outcome = { value: unknown } | { reason: string };

/** `Accepts` is a phantom: what a program may pass, never set at run time. */
export type Rule<Accepts = unknown> = ((raw: unknown) => Outcome) & { readonly accepts?: Accepts };

export function shown(raw: unknown): string {
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

export function kindOf(raw: unknown): string {
    return Array.isArray(raw) ? "a list" : raw === null ? "null" : `a ${typeof raw}`;
}

/** YAML programs deliver numbers as strings; accept plain decimal notation only. */
export function toNumber(raw: unknown): number | undefined {
    if (typeof raw === "number") {
        return Number.isFinite(raw) ? raw : undefined;
    }
    if (typeof raw === "string" && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw.trim())) {
        // Number() skips the same surrounding whitespace as trim().
        return Number(raw);
    }
    return undefined;
}

export function textRule(check: (text: string) => string | undefined = () => undefined): Rule<string> {
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

export const NON_EMPTY_STRING = textRule();

export const BOOLEAN: Rule<boolean> = (raw) => {
    if (typeof raw === "boolean") {
        return { value: raw };
    }
    if (raw === "true" || raw === "false") {
        return { value: raw === "true" };
    }
    return { reason: `must be true or false, got ${shown(raw)}` };
};

/**
 * One of a list the API page's request parameters give, spelt exactly
 * (Terraform's validators compare case-sensitively too). Every closed list
 * comes from the page; docs/fidelity.md ("Closed lists and check") gives its
 * section and the other sources that list the same values. The refusal names
 * the values and the page, and the nearest value when the input looks like a
 * typo of it. `V` is the literal union a program's editor offers.
 */
export function oneOf<const V extends string>(allowed: readonly V[]): Rule<V> {
    return (raw) => {
        if ((allowed as readonly unknown[]).includes(raw)) {
            return { value: raw };
        }
        const near = typeof raw === "string" ? nearest(raw, allowed) : undefined;
        const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
        const listed = `must be one of ${allowed.join(", ")}, as the ModifyVpnAttachmentAttribute API page lists them`;
        return { reason: `${listed}; got ${shown(raw)}${hint}` };
    };
}

/**
 * The listed value a typo most likely meant: one edit away (an insertion,
 * deletion, substitution or swap of neighbours), or two for longer names,
 * ignoring case. Undefined when nothing is that close or two values are.
 */
function nearest(text: string, allowed: readonly string[]): string | undefined {
    const typed = text.toLowerCase();
    const scored = allowed.map((value) => ({ value, distance: editDistance(typed, value.toLowerCase()) }));
    const best = Math.min(...scored.map((s) => s.distance));
    const limit = typed.length > 5 ? 2 : 1;
    const closest = scored.filter((s) => s.distance === best);
    return best <= limit && closest.length === 1 ? closest[0].value : undefined;
}

/** Optimal string alignment distance: Levenshtein plus swaps of neighbouring characters. */
function editDistance(a: string, b: string): number {
    const rows = Array.from({ length: a.length + 1 }, (_, i) =>
        // The first row and column; the loop below fills in the others.
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : i)),
    );
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            // At i or j = 1 the character before is undefined, which equals no character.
            if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
            }
        }
    }
    return rows[a.length][b.length];
}

export function integerFrom(min: number, max: number): Rule<number> {
    return (raw) => {
        // NaN, for a value that is not a number, is no integer.
        const value = toNumber(raw) ?? NaN;
        return Number.isInteger(value) && value >= min && value <= max
            ? { value }
            : { reason: `must be an integer from ${min} to ${max}, got ${shown(raw)}` };
    };
}

export const POSITIVE_INTEGER: Rule<number> = (raw) => {
    const value = toNumber(raw) ?? NaN;
    return Number.isSafeInteger(value) && value > 0
        ? { value }
        : { reason: `must be a positive integer, got ${shown(raw)}` };
};

export const TUNNEL_INDEX: Rule<number> = (raw) => {
    const value = toNumber(raw);
    return value === 1 || value === 2 ? { value } : { reason: `must be 1 or 2, got ${shown(raw)}` };
};

export const NAME = textRule((text) => {
    const length = characterCount(text);
    if (length > 100) {
        return `must be 1 to 100 characters long, got ${length} characters`;
    }
    // In the page's case only: refusing "HTTP://x" as well would be stricter than the page.
    return /^https?:\/\//.test(text) ? `must not start with http:// or https://, got ${shown(text)}` : undefined;
});

/**
 * IkeConfig.LocalId / RemoteId: an IP address or FQDN the peers present in
 * phase 1. The page says "cannot exceed 100 characters" and "cannot contain
 * spaces", and gives no minimum; Terraform's attachment resource has had no
 * validator on them since its March 2025 rewrite. So "" is taken: the text
 * reading reads an empty identifier as none, and diffing compares a declared
 * "" with a connection that reports none as equal (diffing.ts).
 */
export const IKE_IDENTIFIER: Rule<string> = (raw) => {
    if (typeof raw !== "string") {
        return { reason: `must be a string, got ${kindOf(raw)}` };
    }
    const length = characterCount(raw);
    if (length > 100) {
        return { reason: `must be at most 100 characters long, got ${length} characters` };
    }
    return /\s/.test(raw) ? { reason: `must not contain whitespace, got ${shown(raw)}` } : { value: raw };
};

const PSK_SPECIALS = "~!`@#$%^&*()_-+={}[]|;:',.<>/?";

/**
 * The pre-shared key. Reasons give lengths and positions only: a failure
 * message is printed and logged, and must never reveal any part of the key.
 * A number is refused rather than converted, because YAML would already have
 * dropped leading zeros and the peer would then hold a different key.
 */
export const PSK: Rule<string> = (raw) => {
    if (typeof raw !== "string") {
        return { reason: `must be a string (quote it in YAML), got ${kindOf(raw)}` };
    }
    const characters = Array.from(raw);
    if (characters.length < 1 || characters.length > 100) {
        return { reason: `must be 1 to 100 characters long, got ${characters.length} characters` };
    }
    // Each entry is one code point, so the class needs no anchors.
    const bad = characters.findIndex((c) => !/[A-Za-z0-9]/.test(c) && !PSK_SPECIALS.includes(c));
    if (bad >= 0) {
        const what = characters[bad] === " " ? "a space" : /\s/.test(characters[bad]) ? "whitespace" : "not allowed";
        return {
            reason: `character ${bad + 1} is ${what}; use only letters, digits and ${PSK_SPECIALS}`,
        };
    }
    return { value: raw };
};

/**
 * The algorithm lists of IkeConfig, IpsecConfig and each tunnel's
 * TunnelIkeConfig / TunnelIpsecConfig. The page, the SDK model of this API
 * and Terraform's validators list exactly these; none lists group24 or the
 * ShangMi names sm3/sm4 for this API (docs/fidelity.md, "Closed lists and check").
 */
export const ENCRYPTION_ALGORITHMS = ["aes", "aes192", "aes256", "des", "3des"] as const;
export const AUTHENTICATION_ALGORITHMS = ["md5", "sha1", "sha256", "sha384", "sha512"] as const;
export const DH_GROUPS = ["group1", "group2", "group5", "group14"] as const;
export const IPSEC_PFS_VALUES = ["disabled", ...DH_GROUPS] as const;

export const IPV4 = textRule((text) =>
    parseIpv4(text) === undefined ? `must be an IPv4 address such as 192.168.1.1, got ${shown(text)}` : undefined,
);

/**
 * LocalAsn: 1 to 4294967295, as a number, a numeric string, or the two-segment
 * form "123.456" (123 * 65536 + 456). A non-integer number is refused, not read
 * as two segments: YAML turns an unquoted 123.450 into 123.45.
 */
export const ASN: Rule<number | string> = (raw) => {
    const range = 'must be an ASN from 1 to 4294967295 or two 16-bit segments such as "123.456"';
    if (typeof raw === "string" && /^\d+\.\d+$/.test(raw.trim())) {
        // Number() skips the spaces trim() would.
        const [high, low] = raw.split(".").map(Number);
        if (high > 65535 || low > 65535) {
            return { reason: `${range}; each segment is at most 65535, got ${shown(raw)}` };
        }
        const value = high * 65536 + low;
        return value >= 1 ? { value } : { reason: `${range}, got ${shown(raw)}` };
    }
    const value = toNumber(raw) ?? NaN;
    return Number.isInteger(value) && value >= 1 && value <= 4294967295
        ? { value }
        : { reason: `${range}, got ${shown(raw)}` };
};

const RESERVED_TUNNEL_CIDRS = [0, 1, 2, 3, 4, 5, 6]
    .map((third) => `169.254.${third}.0/30`)
    .concat("169.254.169.252/30");

/** BgpConfig.TunnelCidr and TunnelBgpConfig.TunnelCidr. */
export function tunnelCidrProblem(text: string): string | undefined {
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

export const TUNNEL_CIDR = textRule(tunnelCidrProblem);

/**
 * LocalSubnet / RemoteSubnet: a comma-separated string or a list of CIDR
 * blocks, canonicalised to "a/b,c/d" with each entry as written. The page and
 * the service take host bits (10.1.1.1/24) and repeated entries, so check does
 * too; diffing compares the blocks' networks (`subnetNetworks`), so neither
 * shows as a change.
 */
export const SUBNET_LIST: Rule<string | string[]> = (raw) => {
    const entries = splitSubnets(raw);
    if (!entries || entries.length === 0) {
        return { reason: `must be a comma-separated string or a list of CIDR blocks, got ${shown(raw)}` };
    }
    const canonical: string[] = [];
    for (const [index, entry] of entries.entries()) {
        if (isUnknown(entry)) {
            continue;
        }
        const text = typeof entry === "string" ? entry.trim() : "";
        if (!parseCidr(text)) {
            return { reason: `entry ${index + 1} must be an IPv4 CIDR block such as 10.1.1.0/24, got ${shown(entry)}` };
        }
        canonical.push(text);
    }
    // An unknown entry cannot be canonicalised yet; leave the list as written.
    return containsUnknown(raw) ? { value: raw } : { value: canonical.join(",") };
};

/**
 * The longest deadline one create or update may have: 24 hours. Real tasks
 * take minutes; an unbounded value would also overflow Node's timers.
 */
const MAX_TIMEOUT_SECONDS = 24 * 60 * 60;

/** A deadline in seconds: `timeoutSeconds`, and the rollout's `negotiationTimeoutSeconds`. */
export const TIMEOUT_SECONDS: Rule<number> = (raw) => {
    // NaN, for a value that is not a number, is not positive.
    const value = toNumber(raw) ?? NaN;
    if (!(value > 0)) {
        return { reason: `must be a positive number, got ${shown(raw)}` };
    }
    return value <= MAX_TIMEOUT_SECONDS
        ? { value }
        : { reason: `must be at most ${MAX_TIMEOUT_SECONDS} seconds (24 hours), got ${shown(raw)}` };
};

/** The call-time parser's own rule (foundation/endpoint.ts), so check and the call agree on every endpoint. */
export const ENDPOINT = textRule((text) => endpointInputProblem(text));

/** The shape STS AssumeRole accepts; a malformed ARN would otherwise surface only at `up`. */
export const ROLE_ARN = textRule((text) =>
    /^acs:ram::\d+:role\/[A-Za-z0-9.@_-]{1,64}$/.test(text)
        ? undefined
        : "must be a RAM role ARN: acs:ram::<account id>:role/<role name>",
);
