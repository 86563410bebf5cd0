import { Clock } from "../../provider/foundation/clock";

/**
 * Virtual time for code that keeps several timers at once (batching,
 * pacing). A sleep lasts until the clock reaches its end, and the clock moves
 * only when nothing else is left to run: then straight to the earliest end,
 * waking that sleeper. Concurrent sleepers so wake in the order real time
 * would wake them, with none of the real time, and the same way on a busy
 * machine. (VirtualClock, whose sleeps end at once, suits code that sleeps
 * one sleep at a time.)
 */
export class IdleClock implements Clock {
    private time: number;
    private readonly sleepers: Array<{ at: number; order: number; wake: () => void }> = [];
    private order = 0;
    private stepping = false;

    constructor(start = 1_700_000_000_000) {
        this.time = start;
    }

    now(): number {
        return this.time;
    }

    sleep(ms: number): Promise<void> {
        return new Promise((wake) => {
            this.sleepers.push({ at: this.time + Math.max(0, ms), order: this.order++, wake });
            this.step();
        });
    }

    /** Wakes the next sleeper once every promise callback pending now has run (setImmediate runs after them). */
    private step(): void {
        if (this.stepping) {
            return;
        }
        this.stepping = true;
        setImmediate(() => {
            this.stepping = false;
            this.sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
            const next = this.sleepers.shift();
            if (next === undefined) {
                return;
            }
            this.time = Math.max(this.time, next.at);
            next.wake();
            if (this.sleepers.length > 0) {
                this.step();
            }
        });
    }
}
