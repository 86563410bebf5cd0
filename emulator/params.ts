import { unescape } from "node:querystring";

/** Decoded `key=value` pairs in wire order, as a form/query decoder sees them. */
export type Pairs = Array<[string, string]>;

function decode(text: string): string {
    return unescape(text.replace(/\+/g, " "));
}

export function parsePairs(raw: string): Pairs {
    const pairs: Pairs = [];
    for (const part of raw.split("&")) {
        if (part === "") continue;
        const eq = part.indexOf("=");
        pairs.push(eq === -1 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    }
    return pairs;
}

/** Query and form body merged into one flat map (body wins on a clash). */
export function flatParams(query: Pairs, body: Pairs): Record<string, string> {
    const params: Record<string, string> = {};
    for (const [key, value] of [...query, ...body]) params[key] = value;
    return params;
}

/**
 * Groups `Prefix.N.Rest=value` entries by their `N` token (kept as text so the
 * caller can reject non-numeric or zero indexes).
 */
export function groupIndexed(params: Record<string, string>, prefix: string): Map<string, Record<string, string>> {
    const groups = new Map<string, Record<string, string>>();
    const head = `${prefix}.`;
    for (const [key, value] of Object.entries(params)) {
        if (!key.startsWith(head)) continue;
        const rest = key.slice(head.length);
        const dot = rest.indexOf(".");
        const token = dot === -1 ? rest : rest.slice(0, dot);
        const field = dot === -1 ? "" : rest.slice(dot + 1);
        const group = groups.get(token) ?? {};
        group[field] = value;
        groups.set(token, group);
    }
    return groups;
}

const MASK = "***";

function isPskKey(key: string): boolean {
    return key.toLowerCase() === "psk";
}

/** A copy of parsed JSON with every `psk` key's value (any case, any depth) masked, and whether it had one. */
export function maskPsks(parsed: unknown): { masked: unknown; found: boolean } {
    let found = false;
    const walk = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(walk);
        if (typeof value !== "object" || value === null) return value;
        return Object.fromEntries(
            Object.entries(value).map(([key, inner]) => {
                if (!isPskKey(key)) return [key, walk(inner)];
                found = true;
                return [key, MASK];
            }),
        );
    };
    const masked = walk(parsed);
    return { masked, found };
}

/** Parsed JSON re-serialized with every `psk` key's value masked; undefined when it has none. */
function maskedJson(parsed: unknown): string | undefined {
    const { masked, found } = maskPsks(parsed);
    return found ? JSON.stringify(masked) : undefined;
}

/**
 * A value masked the way the service reads it: JSON is parsed first, so no
 * spelling of a key (`\u0050sk`, duplicates, any case) hides a PSK. A
 * `...Config` value that does not parse is masked whole: where a key sits in
 * it cannot be known.
 */
function maskValue(key: string, value: string): string {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        return /config$/i.test(key) ? MASK : value;
    }
    return maskedJson(parsed) ?? value;
}

/** Copies the params for logging with every pre-shared key replaced by "***". */
export function maskSecrets(params: Record<string, string>): Record<string, string> {
    const masked: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) {
        masked[key] = isPskKey(key.slice(key.lastIndexOf(".") + 1)) ? MASK : maskValue(key, value);
    }
    return masked;
}
