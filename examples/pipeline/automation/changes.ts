/**
 * The attributes an update changes, from the preview's engine events: the
 * dynamic provider reports no detailed diff, so the old and new inputs of
 * each step are compared here. Secret values arrive as "[secret]" and are
 * shown as such.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";

export interface AttributeChange {
    path: string;
    from: unknown;
    to: unknown;
}

export interface ResourceChange {
    /** The resource's Pulumi name. */
    name: string;
    op: string;
    changes: AttributeChange[];
}

const RUNTIME_KEYS = /^__/;

/** One entry per resource the preview would create, update, replace or delete. */
export function changesFromEvents(events: EngineEvent[]): ResourceChange[] {
    const result: ResourceChange[] = [];
    for (const event of events) {
        const step = event.resourcePreEvent?.metadata;
        if (!step || step.op === "same" || step.op === "read" || step.type.startsWith("pulumi:")) {
            continue;
        }
        result.push({
            name: step.urn.slice(step.urn.lastIndexOf("::") + 2),
            op: step.op,
            changes: differences("", step.old?.inputs ?? {}, step.new?.inputs ?? {}),
        });
    }
    return result;
}

function differences(prefix: string, from: unknown, to: unknown): AttributeChange[] {
    if (isRecord(from) && isRecord(to)) {
        const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])]
            .filter((k) => !RUNTIME_KEYS.test(k))
            .sort();
        return keys.flatMap((key) => differences(prefix ? `${prefix}.${key}` : key, from[key], to[key]));
    }
    if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
        return from.flatMap((item, i) => differences(`${prefix}[${i}]`, item, to[i]));
    }
    return JSON.stringify(from) === JSON.stringify(to) ? [] : [{ path: prefix, from, to }];
}

/** `conn (update): name "a" => "b"`, one line per attribute. */
export function formatChanges(changes: ResourceChange[]): string {
    if (changes.length === 0) {
        return "no changes";
    }
    return changes
        .map(({ name, op, changes: attrs }) =>
            [`${name} (${op})`, ...attrs.map((c) => `    ${c.path}: ${shown(c.from)} => ${shown(c.to)}`)].join("\n"),
        )
        .join("\n");
}

function shown(value: unknown): string {
    return value === undefined ? "(unset)" : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
