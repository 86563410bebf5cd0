/**
 * The decodings a text can carry a secret through, undone layer by layer,
 * with every decoded character mapped back to the span of the original text
 * it came from: so a match found in the decoded text masks the original.
 *
 * One pass undoes one layer of one scheme: XML/HTML character references
 * (`&lt;`, `&#60;`, `&#x3C;`, `&sol;`), percent-encoding (`%3C`, `%2D`, `+` as
 * a space, UTF-8 sequences) or JSON/JavaScript string escapes (`\/`, `\"`,
 * `\u003c`). Passes of each scheme are tried after each other, in every order
 * (layers may have been put on in any order, and undoing two schemes in one
 * pass would join `%5C` and a JSON-escaped `\\u0020` into an escape neither
 * layer wrote), so `%253C` and `\\\"` come apart too. Every intermediate
 * text is kept: a secret that itself holds something decodable (`%41`, `+`)
 * is whole only before that pass.
 */

/** A text and, for each of its UTF-16 units, the half-open span `[starts[i], ends[i])` of the original text. */
export interface Decoded {
    readonly text: string;
    readonly starts: readonly number[];
    readonly ends: readonly number[];
}

/**
 * Enough for anything seen in the wild (a few layers deep) while bounding the
 * work on hostile text: at most this many layers, and this many characters
 * decoded in all. A text that needs more is reported as not fully decoded.
 */
const MAX_PASSES = 8;
const MAX_DECODED_CHARACTERS = 2_000_000;

/**
 * The named references for every printable ASCII character HTML 5 names,
 * the characters a PSK or an access key can hold. The first five are also
 * XML's; `amp`, `lt`, `gt` and `quot` are read without their `;` too, as
 * browsers do.
 */
const NAMED: Record<string, string> = {
    amp: "&",
    lt: "<",
    gt: ">",
    quot: '"',
    apos: "'",
    excl: "!",
    num: "#",
    dollar: "$",
    percnt: "%",
    lpar: "(",
    rpar: ")",
    ast: "*",
    midast: "*",
    plus: "+",
    comma: ",",
    period: ".",
    sol: "/",
    colon: ":",
    semi: ";",
    equals: "=",
    quest: "?",
    commat: "@",
    lsqb: "[",
    lbrack: "[",
    bsol: "\\",
    rsqb: "]",
    rbrack: "]",
    Hat: "^",
    lowbar: "_",
    UnderBar: "_",
    grave: "`",
    DiacriticalGrave: "`",
    lcub: "{",
    lbrace: "{",
    verbar: "|",
    vert: "|",
    VerticalLine: "|",
    rcub: "}",
    rbrace: "}",
    tilde: "~",
    hyphen: "-",
    dash: "-",
    nbsp: "\u00a0",
    NewLine: "\n",
    Tab: "\t",
};
// A list and a decoder made per call, not a Set and a shared TextDecoder: a provider serialized by value (loaded
// from a checkout) keeps only a plain copy of a built-in object, whose methods then throw.
const LEGACY_WITHOUT_SEMICOLON: readonly string[] = ["amp", "lt", "gt", "quot"];

const JSON_ESCAPES: Record<string, string> = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "'": "'",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
};

const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}))(;?)/y;
const UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})/y;
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/y;

/** A decoded piece: `length` characters of the input became `value`. */
interface Piece {
    value: string;
    length: number;
}

function entityAt(text: string, i: number): Piece | undefined {
    ENTITY.lastIndex = i;
    const m = ENTITY.exec(text);
    if (!m) {
        return undefined;
    }
    const [whole, decimal, hex, name, semicolon] = m;
    if (name !== undefined) {
        const value = NAMED[name];
        if (value === undefined || (semicolon === "" && !LEGACY_WITHOUT_SEMICOLON.includes(name))) {
            return undefined;
        }
        return { value, length: whole.length };
    }
    const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex, 16);
    return codePoint <= 0x10ffff ? { value: String.fromCodePoint(codePoint), length: whole.length } : undefined;
}

function escapeAt(text: string, i: number): Piece | undefined {
    UNICODE_ESCAPE.lastIndex = i;
    const u = UNICODE_ESCAPE.exec(text);
    if (u) {
        return { value: String.fromCharCode(Number.parseInt(u[1], 16)), length: 6 };
    }
    const next = text[i + 1];
    const value = next === undefined ? undefined : JSON_ESCAPES[next];
    return value === undefined ? undefined : { value, length: 2 };
}

/** The number of bytes of the UTF-8 sequence a lead byte starts; 0 when it cannot start one. */
function sequenceLength(lead: number): number {
    if (lead < 0x80) return 1;
    if (lead >= 0xc2 && lead <= 0xdf) return 2;
    if (lead >= 0xe0 && lead <= 0xef) return 3;
    if (lead >= 0xf0 && lead <= 0xf4) return 4;
    return 0;
}

/** The character the percent-escapes at `i` spell (one byte, or a whole UTF-8 sequence). */
function percentAt(text: string, i: number): Piece | undefined {
    PERCENT_RUN.lastIndex = i;
    const run = PERCENT_RUN.exec(text)?.[0];
    if (run === undefined) {
        return undefined;
    }
    const bytes = Array.from({ length: run.length / 3 }, (_, k) =>
        Number.parseInt(run.slice(3 * k + 1, 3 * k + 3), 16),
    );
    const length = sequenceLength(bytes[0]);
    if (length === 0 || length > bytes.length) {
        return undefined;
    }
    try {
        const utf8 = new TextDecoder("utf-8", { fatal: true });
        return { value: utf8.decode(Uint8Array.from(bytes.slice(0, length))), length: 3 * length };
    } catch {
        return undefined;
    }
}

type Scheme = (text: string, i: number) => Piece | undefined;

const SCHEMES: readonly Scheme[] = [
    (text, i) => (text[i] === "&" ? entityAt(text, i) : undefined),
    (text, i) => (text[i] === "%" ? percentAt(text, i) : text[i] === "+" ? { value: " ", length: 1 } : undefined),
    (text, i) => (text[i] === "\\" ? escapeAt(text, i) : undefined),
];

/** One layer of one scheme undone; undefined when the text holds nothing that scheme decodes. */
function decodeOnce(from: Decoded, scheme: Scheme): Decoded | undefined {
    const { text } = from;
    let out = "";
    const starts: number[] = [];
    const ends: number[] = [];
    let changed = false;
    for (let i = 0; i < text.length;) {
        const piece = scheme(text, i);
        const length = piece?.length ?? 1;
        const value = piece?.value ?? text[i];
        changed ||= piece !== undefined;
        // Every unit of what a piece decodes to stands for the piece's whole span.
        for (let k = 0; k < value.length; k++) {
            starts.push(from.starts[i]);
            ends.push(from.ends[i + length - 1]);
        }
        out += value;
        i += length;
    }
    return changed ? { text: out, starts, ends } : undefined;
}

/** Every decoding of a text, and whether the bounds above cut the search short. */
export interface Decodings {
    levels: Decoded[];
    complete: boolean;
}

/**
 * `text` itself, then every text reached by undoing layers one scheme at a
 * time, in any order, each text once (the first way it was reached).
 */
export function decodingLevels(text: string): Decodings {
    const positions = Array.from({ length: text.length }, (_, i) => i);
    const levels: Decoded[] = [{ text, starts: positions, ends: positions.map((i) => i + 1) }];
    const seen = new Set([text]);
    let budget = MAX_DECODED_CHARACTERS;
    let frontier = [levels[0]];
    for (let pass = 0; frontier.length > 0; pass++) {
        if (pass === MAX_PASSES) {
            return { levels, complete: false };
        }
        const next: Decoded[] = [];
        for (const level of frontier) {
            for (const scheme of SCHEMES) {
                budget -= level.text.length;
                if (budget < 0) {
                    return { levels, complete: false };
                }
                const decoded = decodeOnce(level, scheme);
                if (decoded !== undefined && !seen.has(decoded.text)) {
                    seen.add(decoded.text);
                    levels.push(decoded);
                    next.push(decoded);
                }
            }
        }
        frontier = next;
    }
    return { levels, complete: true };
}
