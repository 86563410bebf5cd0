/** Small helpers shared by the benchmark modules: statistics, formatting, sleeping. */

export function median(values: number[]): number {
    if (values.length === 0) {
        return NaN;
    }
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function min(values: number[]): number {
    return values.length === 0 ? NaN : Math.min(...values);
}

export function max(values: number[]): number {
    return values.length === 0 ? NaN : Math.max(...values);
}

/** Seconds with a fixed number of decimals; "n/a" for NaN. */
export function secs(ms: number, digits = 2): string {
    return Number.isFinite(ms) ? (ms / 1000).toFixed(digits) : "n/a";
}

export function pct(share: number, digits = 0): string {
    return Number.isFinite(share) ? `${(share * 100).toFixed(digits)}%` : "n/a";
}

export function num(value: number, digits = 1): string {
    return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

export function mb(bytes: number): string {
    return Number.isFinite(bytes) ? `${(bytes / (1024 * 1024)).toFixed(0)} MB` : "n/a";
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A monotonic clock in milliseconds. */
export function now(): number {
    return performance.now();
}

export function passFail(ok: boolean | undefined): string {
    return ok === undefined ? "n/a" : ok ? "PASS" : "FAIL";
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
    items: T[],
    limit: number,
    fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    });
    await Promise.all(workers);
    return results;
}

export function log(line: string): void {
    process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}
