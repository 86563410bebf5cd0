/**
 * State that every copy of the provider's modules in one process must share.
 * Pulumi may load several copies of a module into one provider process (each
 * resource's state names the provider to load), and a module-level variable
 * would give each copy its own: the Describe groups, the rate gates and the
 * STS sessions would then not be shared. So the state lives on `globalThis`,
 * under a registry symbol every copy finds.
 */

/** The one value of `name` in this process, made by `create` on first use. */
export function processWide<T>(name: string, create: () => T): T {
    const holder = globalThis as unknown as Record<symbol, unknown>;
    const key = Symbol.for(`pulumi-alicloud-vpn-attachment-attribute/${name}`);
    return (holder[key] ??= create()) as T;
}

/** A process-wide table of one entry per key (a gate, a group, a session). */
export interface KeyedTable<V> {
    /** The entry of `key`, made on first use. */
    of(key: string): V;
    /** The entry of `key`, if there is one. */
    peek(key: string): V | undefined;
}

/** The table named `name`, shared by every copy of the module that asks for it. */
export function keyedTable<V>(name: string, create: () => V): KeyedTable<V> {
    const table = () => processWide(name, () => new Map<string, V>());
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
