/**
 * State that every copy of the provider's modules in one process must share.
 * Pulumi may load several copies of a module into one provider process (each
 * resource's state names the provider to load), and a module-level variable
 * would give each copy its own: the Describe groups, the rate gates and the
 * STS sessions would then not be shared. So the state lives on `globalThis`,
 * under a registry symbol every copy finds.
 *
 * Copies of two releases may be loaded side by side (a stack whose states
 * name different package paths). They share a table only while its shape is
 * the same: each table has a shape version, which a change to what the table
 * holds must bump, and the key of every version after the first carries it.
 * The first version keeps the bare name that 0.1.0 and 0.2.0 used (the only
 * table they had, the locks, has not changed since), so a table whose shape
 * never changed stays shared: two releases still hold one lock per connection
 * and one rate per access key.
 */

/** The registry key of table `name` at shape version `shape`. */
export function processWideKey(name: string, shape: number): symbol {
    const versioned = shape === 1 ? name : `${name}/v${shape}`;
    return Symbol.for(`pulumi-alicloud-vpn-attachment-attribute/${versioned}`);
}

/** The one value of `name` (at shape version `shape`) in this process, made by `create` on first use. */
export function processWide<T>(name: string, shape: number, create: () => T): T {
    const holder = globalThis as unknown as Record<symbol, unknown>;
    return (holder[processWideKey(name, shape)] ??= create()) as T;
}

/** A process-wide table of one entry per key (a gate, a group, a session). */
export interface KeyedTable<V> {
    /** The entry of `key`, made on first use. */
    of(key: string): V;
    /** The entry of `key`, if there is one. */
    peek(key: string): V | undefined;
}

/** The table named `name` (entries of shape version `shape`), shared by every copy of the module that asks for it. */
export function keyedTable<V>(name: string, shape: number, create: () => V): KeyedTable<V> {
    const table = () => processWide(name, shape, () => new Map<string, V>());
    return {
        of(key) {
            const entries = table();
            let entry = entries.get(key);
            if (entry === undefined) {
                entry = create();
                entries.set(key, entry);
            }
            return entry;
        },
        peek: (key) => table().get(key),
    };
}
