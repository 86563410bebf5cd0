/**
 * The counts a test run closes with, shared by the reporter (one mocha
 * process) and the suite runner (one line for all suites).
 */
export interface Totals {
    passes: number;
    failures: number;
    pending: number;
}

/**
 * Set by the suite runner: the reporter writes its totals to this file
 * instead of printing them, so the run closes with one line for all suites.
 */
export const TOTALS_FILE_ENV = "TEST_TOTALS_FILE";

/** The plain closing line CI reads. */
export function formatTotals(totals: Totals): string {
    return `${totals.passes} passed, ${totals.failures} failed, ${totals.pending} skipped`;
}

export function noTotals(): Totals {
    return { passes: 0, failures: 0, pending: 0 };
}

export function addTotals(a: Totals, b: Totals): Totals {
    return { passes: a.passes + b.passes, failures: a.failures + b.failures, pending: a.pending + b.pending };
}
