/**
 * Pulumi's preview placeholder for values not known until an update runs.
 *
 * During preview the engine hands `check` and `diff` this string in place of
 * any value that depends on another resource's outputs: a string, a number, an
 * array, an object or an element of one. Code that inspects inputs must treat
 * it as "some value, not known yet" rather than validate or compare it.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

/** True when the value is unknown or holds an unknown at any depth. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    // An array is an object too, and Object.values gives its elements.
    if (value !== null && typeof value === "object") {
        return Object.values(value).some(containsUnknown);
    }
    return false;
}
