/**
 * Serializes the package's provider object by value, as Pulumi does when a
 * program loads the provider from a checkout (examples/demo) rather than from
 * node_modules, and prints as JSON what the serialized code holds and what the
 * serializer reached that it cannot store faithfully.
 *
 * Run by test/unit/serializedProvider.test.ts in a process of its own: under
 * mocha, `describe` and `context` are globals, which the serializer takes for
 * built-ins and does not follow, so in a mocha process it would miss the
 * provider's own functions of those names and everything they reach.
 */
import * as pulumi from "@pulumi/pulumi";
import { builtinModules } from "node:module";
import sharedProvider from "../../provider/entry";

export interface SerializedProvider {
    /** The names of the named functions in the serialized code. */
    functions: string[];
    /** Each value the provider must not capture, described. */
    liveObjects: string[];
}

/**
 * Objects the serializer recreates as they were: plain objects and arrays,
 * functions and the objects of generator functions, regular expressions.
 * Anything else (a Set, a TextDecoder, a Promise) it copies as a plain object,
 * whose methods then throw, or waits for.
 */
const FAITHFUL = new Set([
    "[object Object]",
    "[object Array]",
    "[object Function]",
    "[object AsyncFunction]",
    "[object GeneratorFunction]",
    "[object AsyncGeneratorFunction]",
    "[object Generator]",
    "[object AsyncGenerator]",
    "[object RegExp]",
]);

/**
 * TypeScript's `import * as x` of a CommonJS module: a plain object holding the
 * module as `default` and, for each of its exports, a getter (or a copy of a
 * fixed value). It is not the
 * module, so a serializer that does not know the shape (@pulumi/pulumi 3.216,
 * the oldest this package supports) stores it by value, walking into the
 * module's internals (for Node's own modules, into native code it cannot store).
 */
function moduleCopied(value: object): object | undefined {
    if (Object.getPrototypeOf(value) !== Object.prototype) {
        return undefined;
    }
    const { default: held, ...exports } = Object.getOwnPropertyDescriptors(value);
    const module = held?.value as unknown;
    if ((typeof module !== "object" && typeof module !== "function") || module === null || module === value) {
        return undefined;
    }
    const names = Object.keys(exports);
    // A getter per export, or the export's own value where the module's property is fixed (fs.constants).
    const copies = (name: string) =>
        name in module &&
        (exports[name].get !== undefined || exports[name].value === (module as Record<string, unknown>)[name]);
    return names.length > 0 && names.every(copies) ? module : undefined;
}

function moduleName(module: object): string {
    const builtin = builtinModules.find((name) => process.getBuiltinModule(name) === module);
    if (builtin !== undefined) {
        return `node:${builtin}`;
    }
    const file = Object.entries(require.cache).find(([, m]) => m?.exports === module)?.[0];
    return file ?? `a module exporting ${Object.keys(module).slice(0, 5).join(", ")}`;
}

function describeLive(value: unknown): string | undefined {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) {
        return undefined;
    }
    const copied = moduleCopied(value);
    if (copied !== undefined) {
        return `a namespace copy of ${moduleName(copied)} (import * as)`;
    }
    const tag = Object.prototype.toString.call(value);
    return FAITHFUL.has(tag) ? undefined : `an object ${tag}`;
}

async function main(): Promise<void> {
    const live = new Set<string>();
    // As pulumi.dynamic.Resource serializes its provider: a function returning the object.
    const provider: object = sharedProvider;
    const serialized = await pulumi.runtime.serializeFunction(() => provider, {
        allowSecrets: true,
        serialize: (value) => {
            const found = describeLive(value);
            if (found !== undefined) live.add(found);
            return true;
        },
    });
    const functions = [...serialized.text.matchAll(/function \/\*(\w+)\*\//g)].map((m) => m[1]);
    const report: SerializedProvider = { functions: [...new Set(functions)].sort(), liveObjects: [...live].sort() };
    process.stdout.write(JSON.stringify(report));
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
