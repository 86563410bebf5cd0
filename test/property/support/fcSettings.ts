/**
 * How many cases each property tries, and from which seed.
 *
 * CI runs with a fixed seed so that a red build is reproducible and a green one
 * means the same cases passed; `FC_SEED` and `FC_RUNS` let a developer explore
 * further. A failure reports fast-check's seed, path and shrunk
 * counterexample, and the command that replays it.
 */
import * as fc from "fast-check";

/** The seed CI uses. Any integer works; changing it changes every generated case. */
const DEFAULT_SEED = 20261128;

function integerFromEnv(name: string): number | undefined {
    const raw = process.env[name];
    if (raw === undefined || raw.trim() === "") {
        return undefined;
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) {
        throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
    }
    return value;
}

export const FC_SEED = integerFromEnv("FC_SEED") ?? DEFAULT_SEED;
const FC_RUNS = integerFromEnv("FC_RUNS");

/**
 * Parameters for one `fc.assert`. `ciRuns` is the property's own count, sized
 * for the suite's time budget; `FC_RUNS` overrides every property's count.
 */
export function settings<T>(ciRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
    return { seed: FC_SEED, numRuns: FC_RUNS ?? ciRuns, ...extra };
}

/** Runs a property and, on failure, adds how to replay it to fast-check's report (seed, path, shrunk counterexample). */
export async function check<T>(
    property: fc.IAsyncProperty<T> | fc.IProperty<T>,
    ciRuns: number,
    extra: fc.Parameters<T> = {},
): Promise<void> {
    const details = await fc.check(property as fc.IAsyncProperty<T>, settings(ciRuns, extra));
    if (details.failed) {
        const replay = `Replay: FC_SEED=${FC_SEED} npm run test:property (the seed and path above pin the failing case)`;
        const cause =
            details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(`${fc.defaultReportMessage(details)}\nGot error: ${cause}\n${replay}`);
    }
}
