/**
 * A connection's configurable attributes as a flat map of leaf paths, tunnels
 * named by their TunnelId: what "every attribute the program did not declare
 * is unchanged" compares. The leaves are the schema's (write-only ones left
 * out: Describe never reports them); negotiation and task status, roles and
 * BGP peer values are not in it: they change on their own or follow from what
 * was set. Only the provider's reading of the emulator's answers goes through
 * here; the emulator keeps its own rules.
 */
import { managedFields } from "../../../provider/model/pulumiState";
import { ATTRIBUTES, entriesOf, Fields, TUNNEL_FIELDS } from "../../../provider/model/schema";
import { matchTunnel } from "../../../provider/model/tunnels";
import { DesiredAttributes, ObservedConnection } from "../../../provider/model/types";
import { isRecord } from "../../../provider/foundation/records";

function leavesOf(prefix: string, fields: Fields, values: unknown, out: Map<string, unknown>): void {
    const record = isRecord(values) ? values : undefined;
    for (const [name, spec] of entriesOf(fields)) {
        const path = prefix === "" ? name : `${prefix}.${name}`;
        if (spec.kind === "config") {
            leavesOf(path, spec.fields, record?.[name], out);
        } else if (!spec.writeOnly) {
            out.set(path, record?.[name]);
        }
    }
}

export function configurableLeaves(observed: ObservedConnection): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const { tunnelOptionsSpecification: _tunnels, ...attributes } = ATTRIBUTES;
    leavesOf("", attributes, observed, out);
    const { tunnelId: _id, ...tunnelFields } = TUNNEL_FIELDS;
    for (const tunnel of observed.tunnelOptionsSpecification ?? []) {
        leavesOf(`tunnel[${tunnel.tunnelId}]`, tunnelFields, tunnel, out);
    }
    return out;
}

/** The leaves a declaration manages, in `configurableLeaves`' naming. */
export function declaredLeaves(desired: DesiredAttributes, observed: ObservedConnection): Set<string> {
    const paths = managedFields(desired).map(({ attribute, tunnel, keys }) => {
        if (tunnel === undefined) {
            return [attribute, ...keys].join(".");
        }
        if ("position" in tunnel) {
            return [`${attribute}[${tunnel.position}]`, ...keys].join(".");
        }
        const named = tunnel.by === "tunnelId" ? { tunnelId: tunnel.value } : { tunnelIndex: Number(tunnel.value) };
        return [`tunnel[${matchTunnel(named, observed.tunnelOptionsSpecification)?.tunnelId}]`, ...keys].join(".");
    });
    return new Set(paths);
}

/** The configurable leaves the declaration does not manage, with their values. */
export function undeclared(observed: ObservedConnection, declared: Set<string>): Record<string, unknown> {
    return Object.fromEntries([...configurableLeaves(observed)].filter(([path]) => !declared.has(path)));
}
