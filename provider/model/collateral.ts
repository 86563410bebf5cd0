/**
 * What a Modify changed that the program did not ask for. The provider
 * promises that the connection ends with the declared values and nothing
 * else on it changes; a service that resets what a request omits, or changes
 * a setting as a side effect, breaks that promise only visibly if the
 * settings the program leaves alone are compared before and after.
 *
 * Only settings are compared (the attributes of schema.ts's table, on the
 * connection and on each tunnel): negotiation, health-check and BGP
 * statuses, peer addresses and other reports of the service move by
 * themselves, and are not settings the Modify could have reset.
 */
import { sameSubnets } from "./ipv4";
import { ATTRIBUTES, Comparison, entriesOf, Fields, Leaf, TUNNEL_FIELDS } from "./schema";
import { namesTunnel } from "./tunnels";
import { DesiredAttributes, ObservedConnection, ObservedTunnel, TunnelOptions } from "./types";
import { isRecord } from "../foundation/records";

/** One undeclared setting whose value the Modify changed. */
export interface CollateralChange {
    /** For messages, e.g. `ikeConfig.ikeLifetime` or `tunnelOptionsSpecification (tunnel tun-1, index 1).enableDpd`. */
    path: string;
    /** A pre-shared key: never print `before` or `after`. */
    secret: boolean;
    before: unknown;
    after: unknown;
}

/** `before` is a reported value; an `after` the connection no longer reports differs from it. */
function same(comparison: Comparison, before: unknown, after: unknown): boolean {
    return comparison === "cidrs" ? sameSubnets(before, after) : before === after;
}

function recordOf(value: unknown): Record<string, unknown> {
    return isRecord(value) ? value : {};
}

/** The leaves of `fields` that `declared` leaves out, compared between `before` and `after`. */
function compareFields(
    fields: Fields,
    path: string,
    declared: unknown,
    before: unknown,
    after: unknown,
    out: CollateralChange[],
): void {
    const mine = recordOf(declared);
    const was = recordOf(before);
    const now = recordOf(after);
    for (const [key, spec] of entriesOf(fields)) {
        const at = `${path}${path === "" ? "" : "."}${key}`;
        if (spec.kind === "config") {
            // A declared config object declares only its own keys: the others are compared too.
            compareFields(spec.fields, at, mine[key], was[key], now[key], out);
        } else if (mine[key] === undefined) {
            compareLeaf(spec, at, was[key], now[key], out);
        }
    }
}

function compareLeaf(spec: Leaf, path: string, before: unknown, after: unknown, out: CollateralChange[]): void {
    // Describe never reports a write-only value: what the observations hold of it is the state's, not the
    // service's. A setting the connection did not report had no value to keep: the service filling one in
    // (a default, where a reading resets what a request could not carry) is not a change of it.
    if (spec.writeOnly || before === undefined || same(spec.compare, before, after)) {
        return;
    }
    out.push({ path, secret: spec.compare === "secret", before, after });
}

/** Each tunnel the connection had: the settings its declared entry (if any) leaves out. */
function compareTunnels(
    declared: TunnelOptions[] | undefined,
    before: ObservedTunnel[] | undefined,
    after: ObservedTunnel[] | undefined,
    out: CollateralChange[],
): void {
    const { tunnelId: _id, tunnelIndex: _index, ...settings } = TUNNEL_FIELDS;
    for (const tunnel of before ?? []) {
        const path = `tunnelOptionsSpecification (tunnel ${tunnel.tunnelId}, index ${tunnel.tunnelIndex})`;
        const now = after?.find((t) => t.tunnelId === tunnel.tunnelId);
        if (!now) {
            out.push({ path, secret: false, before: "reported", after: "no longer reported" });
            continue;
        }
        // Stryker disable next-line ArrayDeclaration: a text entry names no tunnel
        const entry = (declared ?? []).find((e) => namesTunnel(e, tunnel));
        compareFields(settings, path, entry, tunnel, now, out);
    }
}

/**
 * Every setting the program does not declare whose value differs between
 * `before` (the read the Modify was planned from) and `after` (the read that
 * confirmed the declared values).
 */
export function collateralChanges(
    desired: DesiredAttributes,
    before: ObservedConnection,
    after: ObservedConnection,
): CollateralChange[] {
    const out: CollateralChange[] = [];
    const { tunnelOptionsSpecification: _tunnels, ...attributes } = ATTRIBUTES;
    compareFields(attributes, "", desired, before, after, out);
    compareTunnels(
        desired.tunnelOptionsSpecification,
        before.tunnelOptionsSpecification,
        after.tunnelOptionsSpecification,
        out,
    );
    return out;
}

/** A change as messages show it: a PSK only as changed. */
export function describeCollateral(change: CollateralChange): string {
    if (change.secret) {
        return `${change.path} changed (a pre-shared key; values not shown)`;
    }
    // `before` is always a reported value (see compareLeaf); `after` may be gone.
    return `${change.path}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after) ?? "absent"}`;
}
