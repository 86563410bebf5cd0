/**
 * JSON merge-patch (RFC 7396) with one exception: the `TunnelOptions` array is
 * merged entry by entry, matched by TunnelId (or TunnelIndex when the patch
 * entry carries no TunnelId), so a patch can touch one tunnel of two.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
    return structuredClone(value);
}

function sameTunnel(existing: Json, incoming: JsonObject): boolean {
    if (!isObject(existing)) return false;
    if (incoming.TunnelId !== undefined) return existing.TunnelId === incoming.TunnelId;
    return incoming.TunnelIndex !== undefined && existing.TunnelIndex === incoming.TunnelIndex;
}

function mergeTunnels(base: Json[], patch: Json[]): Json[] {
    const result = base.map((entry) => clone(entry));
    for (const entry of patch) {
        if (!isObject(entry)) continue;
        const index = result.findIndex((existing) => sameTunnel(existing, entry));
        if (index === -1) result.push(mergeValue(undefined, entry));
        else result[index] = mergeValue(result[index], entry);
    }
    return result;
}

function mergeValue(base: Json, patch: Json, key?: string): Json {
    if (key === "TunnelOptions" && Array.isArray(base) && Array.isArray(patch)) return mergeTunnels(base, patch);
    if (!isObject(patch)) return clone(patch);
    const result: JsonObject = isObject(base) ? clone(base) : {};
    for (const [name, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) delete result[name];
        else result[name] = mergeValue(result[name], value, name);
    }
    return result;
}

/** Returns a new value; neither argument is modified. */
export function deepMerge<T extends object>(base: T, patch: unknown): T {
    return mergeValue(base, patch) as T;
}
