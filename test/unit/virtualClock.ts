import { Clock } from "../../provider/foundation/clock";

/**
 * Virtual time for retry and wait tests: `sleep` moves the clock forward at
 * once and records the delay, so a 30-minute wait runs in microseconds and
 * its schedule can be inspected. `advance` stands for time spent elsewhere,
 * such as a request's latency.
 */
export class VirtualClock implements Clock {
    readonly sleeps: number[] = [];
    private time: number;

    constructor(start = 1_700_000_000_000) {
        this.time = start;
    }

    now(): number {
        return this.time;
    }

    sleep(ms: number): Promise<void> {
        this.sleeps.push(ms);
        this.time += Math.max(0, ms);
        return Promise.resolve();
    }

    advance(ms: number): void {
        this.time += ms;
    }
}
