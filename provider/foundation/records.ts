/** Plain objects as JSON gives them: the shape of service answers, state outputs and config files. */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
