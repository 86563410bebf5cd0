/**
 * What keeps pre-shared keys and credentials out of every message and log
 * line, whatever encoding a service or an SDK wrapped them in.
 *
 * Two rules, both applied to the text and to every layer of its decoding
 * (decoding.ts: entities, percent-encoding, JSON escapes, repeated):
 *
 * - A known secret (a PSK of the inputs, state or connection; a secret key;
 *   a token), whole or cut short at an echo's edge, withholds the whole text:
 *   `redact` returns `WITHHELD` instead. Masking it where it lies would say
 *   where it was, and that is the secret itself when the text around is
 *   predictable: the PSK "connection" masked in "IPsec-VPN connection vco-a"
 *   reads `IPsec-VPN *** vco-a`. Callers therefore redact each piece of text
 *   that comes from outside (a service's message, an SDK's error) on its own,
 *   and never their own wording, so only the outside piece is lost.
 * - The value of a secret-named field (`"Psk":"…"`, `Psk=…`, `psk: '…'`,
 *   `AccessKeySecret`, `SecurityToken`, `AuthKey`, `password`), known or not,
 *   is masked where it lies: the field's name, not the value, places the
 *   mask, so its place tells nothing. The match is found in whichever layer
 *   of decoding shows it, and mapped back to the span of the original text.
 */
import { Decoded, decodingLevels } from "./decoding";

const MASK = "***";

/** What a text that quoted a known secret becomes. Fixed: it tells nothing about the secret or where it was. */
export const WITHHELD = "[withheld: the text quoted a secret]";

/** Field names whose values are secrets wherever they appear: PSKs, the BGP auth key, credentials. */
const SECRET_FIELD =
    "(?:psk|auth[-_]?key|access[-_]?key[-_]?secret|secret[-_]?key|security[-_]?token|sts[-_]?token|password)";
/** The name, bare or quoted alike on both sides, not the tail of a longer name (`tunnelPsks`, `PskLength` are not). */
const KEY = `(?<![A-Za-z0-9])(["']?)${SECRET_FIELD}\\1(?![A-Za-z0-9])`;
/** A quoted value, to its closing quote or, cut short, to the end of the text. */
const QUOTED = `"((?:[^"\\\\]|\\\\.)*)(?:"|$)|'((?:[^'\\\\]|\\\\.)*)(?:'|$)`;

const FIELD_VALUES = [
    // JSON, JSON inside JSON once unescaped, util.inspect output, quoted form fields.
    new RegExp(`${KEY}\\s*[:=]\\s*(?:${QUOTED})`, "gid"),
    // Form and query fields: TunnelOptionsSpecification.1.TunnelIkeConfig.Psk=...
    new RegExp(`${KEY}=([^\\s&"',;)}\\]]*)`, "gid"),
];

/** Where an echo may have been cut short: a marked truncation ("...", "…"). */
const TRUNCATION = /\.\.\.|…/g;
/**
 * At the bare end of a text, a cut echo cannot be told from ordinary words, so
 * only this many characters or more of a secret's start count; a marked cut
 * counts from one character.
 */
const MIN_UNMARKED_PREFIX = 4;

/**
 * `text` with every known secret and every secret-named field's value gone:
 * `WITHHELD` when a known secret (or the start or end of one, where an echo
 * was cut) is in it in any encoding, else the text with the fields' values
 * masked. Empty and non-string secrets are ignored; a short secret withholds
 * more texts, at the price of readability: a leaked key is worse.
 */
export function redact(text: string, secrets: readonly string[]): string {
    const { levels, complete } = decodingLevels(text);
    const needles = needlesOf(secrets);
    // A text encoded past the bounds of the search cannot be cleared of a secret it may hold.
    const unsure = !complete && needles.length > 0;
    if (unsure || levels.some((level) => needles.some((needle) => quotes(level.text, needle)))) {
        return WITHHELD;
    }
    return masked(text, levels.flatMap(fieldValueSpans));
}

/** A secret as it may be written after each layer of decoding (a secret may itself hold `%41` or `+`). */
function needlesOf(secrets: readonly string[]): string[] {
    const needles = new Set<string>();
    for (const secret of secrets) {
        if (typeof secret === "string" && secret.length > 0) {
            for (const level of decodingLevels(secret).levels) {
                needles.add(level.text);
            }
        }
    }
    return [...needles].filter((needle) => needle.length > 0);
}

/** Whether `text` holds `secret`, or a piece of it where an echo was cut. */
function quotes(text: string, secret: string): boolean {
    if (text.includes(secret)) {
        return true;
    }
    for (const cut of text.matchAll(TRUNCATION)) {
        const before = text.slice(0, cut.index);
        const after = text.slice(cut.index + cut[0].length);
        if (endsWithStartOf(before, secret, 1) || startsWithEndOf(after, secret)) {
            return true;
        }
    }
    return endsWithStartOf(text.trimEnd(), secret, MIN_UNMARKED_PREFIX);
}

function endsWithStartOf(text: string, secret: string, minLength: number): boolean {
    for (let k = Math.min(secret.length - 1, text.length); k >= minLength; k--) {
        if (text.endsWith(secret.slice(0, k))) {
            return true;
        }
    }
    return false;
}

function startsWithEndOf(text: string, secret: string): boolean {
    for (let k = Math.min(secret.length - 1, text.length); k >= 1; k--) {
        if (text.startsWith(secret.slice(-k))) {
            return true;
        }
    }
    return false;
}

/** The spans of the original text that secret-named fields' values in `level` come from. */
function fieldValueSpans(level: Decoded): Array<[number, number]> {
    const spans: Array<[number, number]> = [];
    for (const pattern of FIELD_VALUES) {
        for (const match of level.text.matchAll(pattern)) {
            // Group 1 is the key's quote; the value is whichever later group matched.
            const value = match.indices?.slice(2).find((span) => span !== undefined);
            if (value !== undefined && value[1] > value[0]) {
                spans.push([level.starts[value[0]], level.ends[value[1] - 1]]);
            }
        }
    }
    return spans;
}

/** `text` with each span (merged where they overlap or touch) replaced by one mask. */
function masked(text: string, spans: Array<[number, number]>): string {
    if (spans.length === 0) {
        return text;
    }
    const sorted = [...spans].sort((a, b) => a[0] - b[0]);
    let out = "";
    // The end of the last mask; a span that starts at or before it extends that mask.
    let at = -1;
    for (const [start, end] of sorted) {
        if (start > at) {
            out += text.slice(Math.max(at, 0), start) + MASK;
        }
        at = Math.max(at, end);
    }
    return out + text.slice(at);
}
