import { unescape } from 'node:querystring';

/** Decoded `key=value` pairs in wire order, as a form/query decoder sees them. */
export type Pairs = Array<[string, string]>;

function decode(text: string): string {
  return unescape(text.replace(/\+/g, ' '));
}

export function parsePairs(raw: string): Pairs {
  const pairs: Pairs = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq === -1 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
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
    const dot = rest.indexOf('.');
    const token = dot === -1 ? rest : rest.slice(0, dot);
    const field = dot === -1 ? '' : rest.slice(dot + 1);
    const group = groups.get(token) ?? {};
    group[field] = value;
    groups.set(token, group);
  }
  return groups;
}

const PSK_IN_JSON = /("psk"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)/gi;

/** Copies the params for logging with every pre-shared key replaced by "***". */
export function maskSecrets(params: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const lastSegment = key.slice(key.lastIndexOf('.') + 1);
    masked[key] = lastSegment.toLowerCase() === 'psk' ? '***' : value.replace(PSK_IN_JSON, '$1"***"');
  }
  return masked;
}
