/**
 * The attributes an update changes, from the preview's engine events: the
 * paths of the step's detailed diff, which the provider fills with exactly
 * what `up` will send (a PSK included), the old value from state's outputs
 * or previous inputs as the diff says. A step without one (a create) compares
 * its old and new inputs. Secret values arrive as "[secret]" and are shown as
 * such.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";

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
            changes: step.detailedDiff
                ? detailedChanges(step, step.detailedDiff)
                : differences("", step.old?.inputs ?? {}, step.new?.inputs ?? {}),
        });
    }
    return result;
}

function detailedChanges(
    step: StepEventMetadata,
    detailed: NonNullable<StepEventMetadata["detailedDiff"]>,
): AttributeChange[] {
    return Object.entries(detailed)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([path, diff]) => ({
            path,
            from: valueAt(diff.inputDiff ? step.old?.inputs : step.old?.outputs, path),
            to: valueAt(step.new?.inputs, path),
        }));
}

/** The value at a property path such as `tunnelOptionsSpecification[1].enableDpd`; a secret stays "[secret]". */
function valueAt(root: unknown, path: string): unknown {
    let value = root;
    for (const part of path.match(/[^.[\]]+/g) ?? []) {
        if (value === "[secret]") {
            return value;
        }
        value = Array.isArray(value) ? value[Number(part)] : isRecord(value) ? value[part] : undefined;
    }
    return value;
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
