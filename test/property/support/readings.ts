/**
 * The readings of the service the properties run under (emulator/readings.ts):
 * the emulator's default, and each other reading on its own. A property's CI
 * run count is split across them, so the suite takes as long as before.
 */
import { READINGS, type ReadingName } from "../../../emulator";

export interface ReadingCase {
    /** For test titles. */
    label: string;
    readings: ReadingName[];
}

export const READING_CASES: readonly ReadingCase[] = [
    { label: "the default reading", readings: [] },
    ...READINGS.map((reading) => ({ label: `the ${reading} reading`, readings: [reading] })),
];

/** A property's CI runs, split evenly across `READING_CASES` (at least one each). */
export function runsPerReading(ciRuns: number): number {
    return Math.max(1, Math.ceil(ciRuns / READING_CASES.length));
}
