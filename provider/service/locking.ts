/**
 * An in-process FIFO mutex per key. Under `pulumi up --parallel` one provider
 * process runs many resources at once; two updates of the same connection
 * must not have Modify calls (or their tasks) in flight together, or the
 * second gets VpnTask.CONFLICT.
 */
import { processWide } from "../foundation/processWide";

/**
 * The lock table is process-wide, not a module variable: Pulumi serializes
 * this module by value into each resource's state, so several copies of it
 * can run in one provider process, and they must share locks. Its name keeps
 * the registry symbol of earlier versions, so their copies share it too.
 */
function lockTable(): Map<string, Promise<void>> {
    return processWide("locks", 1, () => new Map<string, Promise<void>>());
}

/**
 * Runs `fn` once every earlier holder of `key` has finished, in arrival
 * order. The lock is released however `fn` ends; the key is forgotten when
 * nobody holds or waits for it.
 */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const table = lockTable();
    const previous = table.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
        release = resolve;
    });
    // The tail only ever resolves, so one failed holder cannot break the chain.
    const tail = previous.then(() => done);
    table.set(key, tail);
    try {
        await previous;
        return await fn();
    } finally {
        release();
        if (table.get(key) === tail) {
            table.delete(key);
        }
    }
}
