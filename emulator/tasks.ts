/** setTimeout's longest delay (about 24.8 days); Node fires a longer one at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function checkTaskDuration(ms: unknown): number {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIMER_MS) {
        throw new Error(
            `taskDurationMs must be a number of milliseconds from 0 to ${MAX_TIMER_MS} (about 24.8 days), got ${String(ms)}; ` +
                "the stuck fault holds a task open for as long as needed.",
        );
    }
    return ms;
}

/**
 * Timers for asynchronous Modify tasks. A task ends after the connection's own
 * duration (or the global one); a connection marked stuck keeps its task open
 * until it is released. Timers are unref'd so they never keep a process alive.
 */
export class TaskRunner {
    private readonly timers = new Map<string, NodeJS.Timeout>();
    private readonly durations = new Map<string, number>();
    private readonly stuckIds = new Set<string>();
    /** Tasks whose time ran out while their connection was stuck. */
    private readonly overdue = new Set<string>();

    constructor(
        private defaultMs: number,
        private readonly complete: (connectionId: string) => void,
    ) {
        checkTaskDuration(defaultMs);
    }

    setDuration(ms: number, connectionId?: string): void {
        checkTaskDuration(ms);
        if (connectionId === undefined) this.defaultMs = ms;
        else this.durations.set(connectionId, ms);
    }

    start(connectionId: string): void {
        this.cancel(connectionId);
        const timer = setTimeout(
            () => {
                this.timers.delete(connectionId);
                if (this.stuckIds.has(connectionId)) this.overdue.add(connectionId);
                else this.complete(connectionId);
            },
            this.durations.get(connectionId) ?? this.defaultMs,
        );
        timer.unref();
        this.timers.set(connectionId, timer);
    }

    setStuck(connectionId: string, stuck: boolean): void {
        if (stuck) {
            this.stuckIds.add(connectionId);
            return;
        }
        this.stuckIds.delete(connectionId);
        if (this.overdue.delete(connectionId)) this.complete(connectionId);
    }

    releaseAll(): void {
        for (const id of [...this.stuckIds]) this.setStuck(id, false);
    }

    cancel(connectionId: string): void {
        clearTimeout(this.timers.get(connectionId));
        this.timers.delete(connectionId);
        this.overdue.delete(connectionId);
    }

    /** Stops every timer; the pending changes stay in the store for the next start to finish. */
    stopAll(): void {
        for (const id of [...this.timers.keys()]) this.cancel(id);
        this.overdue.clear();
    }

    /** Stops every timer and forgets per-connection settings; `defaultMs` becomes the global duration. */
    reset(defaultMs: number): void {
        this.stopAll();
        this.stuckIds.clear();
        this.durations.clear();
        this.defaultMs = defaultMs;
    }
}
