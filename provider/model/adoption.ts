/**
 * The declaration that matches a connection as it is: every attribute
 * Describe reports that a program may declare, for the connection's tunnel
 * mode, so that a first `up` of it finds nothing to change and sends
 * nothing. Pre-shared keys stay out: a PSK the program does not declare is
 * kept (requests.ts sends the connection's own with any IKE config).
 */
import { ATTRIBUTES, entriesOf, Fields, TUNNEL_FIELDS } from "./schema";
import { DesiredAttributes, FieldDifference, ObservedConnection, ObservedTunnel, ResourceSettings } from "./types";
import { isUnknown } from "./unknowns";
import { isRecord } from "../foundation/records";

/** The keys of `fields` that `value` holds, a PSK left out; undefined when none is left. */
function declaredKeys(fields: Fields, value: unknown): Record<string, unknown> | undefined {
    if (!isRecord(value)) {
        return undefined;
    }
    const kept = Object.fromEntries(
        Object.keys(fields)
            .filter((key) => key !== "psk" && value[key] !== undefined)
            .map((key) => [key, value[key]]),
    );
    return Object.keys(kept).length > 0 ? kept : undefined;
}

function tunnelDeclaration(tunnel: ObservedTunnel): Record<string, unknown> {
    const declared: Record<string, unknown> = {};
    for (const [field, spec] of entriesOf(TUNNEL_FIELDS)) {
        const value = spec.kind === "leaf" ? tunnel[field] : declaredKeys(spec.fields, tunnel[field]);
        if (value !== undefined) {
            declared[field] = value;
        }
    }
    return declared;
}

/** What a program declares to manage `observed` exactly as it is, PSKs left out. */
export function declarationOf(observed: ObservedConnection): DesiredAttributes {
    const declared: Record<string, unknown> = {};
    for (const [attribute, spec] of entriesOf(ATTRIBUTES)) {
        if (spec.mode !== "both" && spec.mode !== observed.mode) {
            continue;
        }
        const value: unknown = observed[attribute];
        if (spec.kind === "leaf") {
            if (value !== undefined) declared[attribute] = value;
        } else if (spec.kind === "config") {
            const keys = declaredKeys(spec.fields, value);
            if (keys) declared[attribute] = keys;
        } else if (Array.isArray(value) && value.length > 0) {
            declared[attribute] = (value as ObservedTunnel[]).map(tunnelDeclaration);
        }
    }
    return declared;
}

function shownValue(value: unknown): string {
    return isUnknown(value) ? "(known at up)" : value === undefined ? "(none)" : JSON.stringify(value);
}

/**
 * What the first `up` of a new resource will change on the connection it
 * adopts, one value each, PSKs shown as [secret]: the `verifyOnPreview`
 * read's report, since a create's preview shows the program's values only.
 */
export function adoptionReport(settings: ResourceSettings, differences: readonly FieldDifference[]): string {
    const where = `${settings.vpnConnectionId} in ${settings.regionId}`;
    if (differences.length === 0) {
        return `verifyOnPreview: ${where} already has every declared value: the first up sends nothing`;
    }
    const changes = differences.map((d) =>
        d.secret ? `${d.path}: [secret] (changes)` : `${d.path}: ${shownValue(d.actual)} => ${shownValue(d.desired)}`,
    );
    return `verifyOnPreview: the first up will change ${differences.length} value(s) of existing connection ${where}: ${changes.join("; ")}`;
}
