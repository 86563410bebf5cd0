import { processWide } from "../../../provider/foundation/processWide";

/** The process-wide tables that learn from earlier calls: their names and shapes as the modules declare them. */
const LEARNED_TABLES = [
    // service/pacing.ts: the rate each access key's gate learned from throttles.
    ["pacing-gates", 1],
    // service/watching.ts: the fleet's recent task lengths.
    ["fleet-tasks", 1],
] as const;

/**
 * Forgets what earlier runs of a property taught the provider process. Each
 * run is a scenario of its own, and a provider process starts knowing none
 * of it: left in place, a throttle in one run paced the calls of every run
 * in the next 30 s, so a run's outcome depended on the ones before it.
 */
export function forgetLearnedState(): void {
    for (const [name, shape] of LEARNED_TABLES) {
        processWide<Map<string, unknown>>(name, shape, () => new Map()).clear();
    }
}
