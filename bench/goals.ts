/**
 * A goal of the benchmark and whether this run met it. A goal over a measured
 * quantity is judged on the median of its repeats, so that one noisy repeat
 * turns neither a pass into a fail nor the other way round; the report prints
 * the spread beside the median and, where the median misses, by how much.
 */
import { median } from "./util";

export type Unit = "x" | "share" | "calls" | "MB" | "ms";

/** The repeats a goal was judged on. */
export interface Judged {
    /** One value per repeat (a run, a preview, a timed `up`). */
    values: number[];
    median: number;
    /** The median must stay at or below this (below, for a strict limit). */
    limit: number;
    strict: boolean;
    unit: Unit;
}

export interface Goal {
    part: "wait" | "preview" | "fleet";
    goal: string;
    measured: string;
    /** undefined: not measured in this run. */
    pass: boolean | undefined;
    judged?: Judged;
    /** Where the goal is missed: the measurement that says why. */
    why?: string;
}

/** The median of `values` against an upper `limit`; pass is undefined when there is no value. */
export function judge(
    values: number[],
    limit: number,
    unit: Unit,
    strict = false,
): { judged: Judged; pass: boolean | undefined } {
    const finite = values.filter(Number.isFinite);
    const m = median(finite);
    const judged: Judged = { values: finite, median: m, limit, strict, unit };
    return { judged, pass: finite.length === 0 ? undefined : strict ? m < limit : m <= limit };
}

export function formatValue(value: number, unit: Unit): string {
    if (!Number.isFinite(value)) {
        return "n/a";
    }
    switch (unit) {
        case "x":
            return `${value.toFixed(2)}x`;
        case "share":
            return `${(value * 100).toFixed(1)}%`;
        case "calls":
            return Number.isInteger(value) ? String(value) : value.toFixed(2);
        case "MB":
            return `${value.toFixed(0)} MB`;
        case "ms":
            return `${(value / 1000).toFixed(2)} s`;
    }
}

/** "min–max over N repeats" (one repeat: just that). */
export function formatSpread(j: Judged): string {
    if (j.values.length === 0) {
        return "n/a";
    }
    const low = Math.min(...j.values);
    const high = Math.max(...j.values);
    const n = j.values.length;
    return `${formatValue(low, j.unit)}–${formatValue(high, j.unit)} over ${n} repeat${n === 1 ? "" : "s"}`;
}

/** How far the median lies past the limit, absolute and relative; "" when it does not. */
export function formatMiss(j: Judged): string {
    const over = j.strict ? j.median >= j.limit : j.median > j.limit;
    if (!Number.isFinite(j.median) || !over) {
        return "";
    }
    const by = j.median - j.limit;
    const absolute = j.unit === "share" ? `${(by * 100).toFixed(1)} points` : formatValue(by, j.unit);
    return `${absolute} over ${formatValue(j.limit, j.unit)} (+${((by / j.limit) * 100).toFixed(0)}%)`;
}
