/**
 * Where each change `up` will make shows in a preview: the paths of the
 * resource's inputs that Pulumi names in `[diff: ...]` and prints one line
 * each with `--diff`. They are the differences `up` sends (compareAttributes,
 * the same comparison the request is built from) and the settings that
 * change, and nothing else: a declared value the connection already has is
 * not one, however the program's inputs changed.
 */
import { compareAttributes, sameSetting } from "./diffing";
import { desiredFromInputs, outputsToObserved } from "./pulumiState";
import { namesTunnel } from "./tunnels";
import { settingsChanging } from "./settings";
import { AttributeOutputs, CheckedInputs, FieldDifference } from "./types";
import { isRecord } from "../foundation/records";

export interface PropertyChange {
    /** A Pulumi property path in the resource's inputs: `ikeConfig.ikePfs`, `tunnelOptionsSpecification[0].enableDpd`, `tunnelPsks[1]`. */
    path: string;
    kind: "add" | "update" | "delete";
    /**
     * Where Pulumi takes the old value it prints: the previous inputs (true) or
     * state's outputs (false). Outputs hold the connection's values at the
     * program's paths for top-level and config keys; a tunnel's place in the
     * outputs is the service's order, not the program's, so tunnels use the
     * previous inputs, which follow the program.
     */
    fromInputs: boolean;
}

/** The settings besides the two that name the connection (a change to those replaces the resource). */
const UPDATABLE_SETTINGS = settingsChanging("update");

function kindOf(before: unknown, after: unknown): PropertyChange["kind"] {
    return before === undefined ? "add" : after === undefined ? "delete" : "update";
}

/** The entry of the secret input `tunnelPsks` that carries the PSK of the program's tunnel at `position`. */
function tunnelPskPath(news: CheckedInputs, position: number): string {
    const declared: unknown = Array.isArray(news.tunnelOptionsSpecification)
        ? news.tunnelOptionsSpecification[position]
        : undefined;
    const entries: unknown = news.tunnelPsks;
    const index =
        Array.isArray(entries) && isRecord(declared)
            ? entries.findIndex((entry) => isRecord(entry) && namesTunnel(entry, declared))
            : -1;
    return index >= 0 ? `tunnelPsks[${index}]` : "tunnelPsks";
}

function changeOf(difference: FieldDifference, olds: AttributeOutputs, news: CheckedInputs): PropertyChange {
    const { attribute, tunnel, field, key, desired, actual } = difference;
    if (attribute !== "tunnelOptionsSpecification") {
        // The single-tunnel PSK travels as the top-level secret `psk`; state keeps it there too.
        // Of the connection's configs, only ikeConfig has a psk key.
        if (field === "psk") {
            return { path: "psk", kind: kindOf(olds.psk, desired), fromInputs: false };
        }
        const path = field === undefined ? attribute : `${attribute}.${field}`;
        return { path, kind: kindOf(actual, desired), fromInputs: false };
    }
    if (tunnel === undefined) {
        return { path: attribute, kind: "update", fromInputs: true };
    }
    // Of a tunnel's configs, only tunnelIkeConfig has a psk key.
    if (key === "psk") {
        return { path: tunnelPskPath(news, tunnel), kind: "update", fromInputs: true };
    }
    const path = [`${attribute}[${tunnel}]`, field, key].filter((part) => part !== undefined).join(".");
    return { path, kind: "update", fromInputs: true };
}

/**
 * What the preview names for an update: each declared value `up` will send
 * (a PSK by its input, `psk` or its `tunnelPsks` entry, which Pulumi prints
 * as [secret]) and each setting that changes. Judged, like diff, from state.
 */
export function previewChanges(olds: AttributeOutputs, news: CheckedInputs): PropertyChange[] {
    // Compared as diff compares them: state's copy of an object setting (rollout) is never the program's object.
    const changes: PropertyChange[] = UPDATABLE_SETTINGS.filter((name) => !sameSetting(news[name], olds[name])).map(
        (name) => ({
            path: name,
            kind: kindOf(olds[name], news[name]),
            fromInputs: false,
        }),
    );
    for (const difference of compareAttributes(desiredFromInputs(news), outputsToObserved(olds))) {
        const change = changeOf(difference, olds, news);
        if (!changes.some((c) => c.path === change.path)) {
            changes.push(change);
        }
    }
    return changes;
}

/** The top-level inputs the changes touch, as Pulumi lists them in `[diff: ...]`. */
export function changedKeys(changes: readonly PropertyChange[]): string[] {
    return [...new Set(changes.map((c) => c.path.split(/[.[]/)[0]))];
}
