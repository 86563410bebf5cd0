/**
 * A share from 0 to 1, from a random draw that may misbehave: jitter and
 * backoff multiply a delay by it, and a draw outside [0, 1] or NaN must not
 * make a negative, longer or NaN delay of it.
 */
export function clamp01(x: number): number {
    return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0;
}
