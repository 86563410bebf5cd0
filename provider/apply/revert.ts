import { ConvergeContext } from "./context";
import { converge } from "./converge";
import { describeNegotiation, upper, nameOf, waitUntilNegotiated } from "./negotiation";
import { readConnection } from "./reading";
import { compareAttributes } from "../model/diffing";
import { Negotiator } from "../model/rolloutPlan";
import { matchTunnel } from "../model/tunnels";
import {
    DesiredAttributes,
    FieldDifference,
    ObservedConnection,
    ResourceSettings,
    RolloutSettings,
} from "../model/types";

const TUNNELS = "tunnelOptionsSpecification";

/**
 * `onNegotiationFailure: "revert"`: puts back what this update changed of the
 * negotiator's settings, its PSK included, as the connection reported them
 * before the update, and waits for it to negotiate again. A value someone
 * else changed since this update set it is left alone: the revert never
 * undoes another actor's change. Returns the sentence that says what it did.
 */
export async function revertTunnel(
    settings: ResourceSettings,
    negotiator: Negotiator,
    desired: DesiredAttributes,
    before: ObservedConnection,
    ctx: ConvergeContext,
    rollout: Required<RolloutSettings>,
): Promise<string> {
    const name = nameOf(negotiator);
    const ours = compareAttributes(desired, before).filter((d) => belongsTo(d, negotiator, desired, before));
    const read = () => readConnection(settings, ctx, ctx.writeOnly ?? {});
    const now = await read();
    const revertible = ours.filter((d) => d.actual !== undefined && stillOurs(d, desired, before, now));
    const left = ours.filter((d) => !revertible.includes(d)).map((d) => d.path);
    const leftNote =
        left.length === 0
            ? ""
            : ` Left as they are, since they no longer hold what this update set (another change came after it), ` +
              `or had no value before: ${left.join(", ")}.`;
    if (revertible.length === 0) {
        return `${upper(name)} was not reverted (rollout.onNegotiationFailure "revert"): nothing this update set is still in place.${leftNote}`;
    }
    ctx.log(`${settings.vpnConnectionId}: reverting ${name} to its settings before this update`);
    await converge(
        settings,
        valuesAt(revertible, (d) => d.actual, desired, before),
        ctx,
    );
    const outcome = await waitUntilNegotiated(
        settings,
        negotiator,
        ctx,
        read,
        rollout.negotiationTimeoutSeconds * 1000,
    );
    return (
        `${upper(name)} was reverted to its settings before this update, its pre-shared key included ` +
        `(rollout.onNegotiationFailure "revert"), and ${
            outcome.negotiated
                ? "negotiated again"
                : `reports ${describeNegotiation(outcome.state)} after ${Math.round(outcome.elapsedMs / 1000)} s`
        }.${leftNote} The program still declares the change: the next update tries it again.`
    );
}

/** Whether a difference is a setting of the negotiator (every setting, for a single-tunnel connection). */
function belongsTo(
    d: FieldDifference,
    negotiator: Negotiator,
    desired: DesiredAttributes,
    before: ObservedConnection,
): boolean {
    if (negotiator.tunnelId === undefined) {
        return true;
    }
    // Stryker disable next-line ConditionalExpression,LogicalOperator,BlockStatement: saves a lookup only: a difference outside the tunnels has no tunnel position, and matchTunnel of no declared tunnel finds none
    if (d.attribute !== TUNNELS || d.tunnel === undefined) {
        return false;
    }
    // Stryker disable next-line OptionalChaining: converge refused a declared tunnel the connection lacks before anything was sent, so the tunnel is there
    return tunnelAt(d.tunnel, desired, before)?.tunnelId === negotiator.tunnelId;
}

function tunnelAt(position: number, desired: DesiredAttributes, before: ObservedConnection) {
    // Stryker disable next-line OptionalChaining: reached only for a difference in a tunnel the program declares, so the list is there
    return matchTunnel(desired[TUNNELS]?.[position] ?? {}, before[TUNNELS]);
}

/** True when `now` still reports, at the difference's place, the value this update set. */
function stillOurs(
    d: FieldDifference,
    desired: DesiredAttributes,
    before: ObservedConnection,
    now: ObservedConnection,
) {
    return (
        compareAttributes(
            valuesAt([d], (x) => x.desired, desired, before),
            now,
        ).length === 0
    );
}

/**
 * Declared attributes that put `value(d)` at the place of each difference,
 * tunnels named by their id and index.
 */
function valuesAt(
    differences: FieldDifference[],
    value: (d: FieldDifference) => unknown,
    desired: DesiredAttributes,
    before: ObservedConnection,
): DesiredAttributes {
    const out: Record<string, unknown> = {};
    const tunnels = new Map<number, Record<string, unknown>>();
    for (const d of differences) {
        // Stryker disable next-line ConditionalExpression,LogicalOperator: each difference here passed belongsTo: a tunnel's names its position and field, and no other has a position
        if (d.attribute === TUNNELS && d.tunnel !== undefined && d.field !== undefined) {
            const observed = tunnelAt(d.tunnel, desired, before);
            // Stryker disable next-line OptionalChaining: a tunnel's difference reaches here only once belongsTo found its tunnel
            const entry = tunnels.get(d.tunnel) ?? { tunnelId: observed?.tunnelId, tunnelIndex: observed?.tunnelIndex };
            tunnels.set(d.tunnel, entry);
            place(entry, d.field, d.key, value(d));
            // Stryker disable next-line ConditionalExpression: as above: no difference in the tunnels gets here
        } else if (d.attribute !== TUNNELS) {
            place(out, d.attribute, d.field, value(d));
        }
    }
    if (tunnels.size > 0) {
        out[TUNNELS] = [...tunnels.values()];
    }
    return out;
}

function place(target: Record<string, unknown>, field: string, key: string | undefined, value: unknown): void {
    if (key === undefined) {
        target[field] = value;
        return;
    }
    const inner = (target[field] ?? {}) as Record<string, unknown>;
    target[field] = { ...inner, [key]: value };
}
