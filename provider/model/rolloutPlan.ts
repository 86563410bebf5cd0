/**
 * The gated rollout (the `rollout` input, docs/rollout.md), as a plan: which
 * Modifies an update makes, in which order, and which tunnel must negotiate
 * again after each. Pure: diff shows the plan at preview, apply/rollout.ts
 * carries it out.
 */
import { compareAttributes } from "./diffing";
import { desiredFromInputs, outputsToObserved } from "./pulumiState";
import { defaultsOf, SETTINGS } from "./settings";
import { matchTunnel } from "./tunnels";
import {
    AttributeOutputs,
    CheckedInputs,
    DesiredAttributes,
    ObservedConnection,
    ObservedTunnel,
    ResourceSettings,
    RolloutSettings,
} from "./types";

/** Each rollout option at its default (settings.ts). */
export const ROLLOUT_DEFAULTS: Required<RolloutSettings> = defaultsOf(SETTINGS.rollout.fields);

/** The resource's rollout with its defaults filled in. */
export function rolloutOf(settings: ResourceSettings): Required<RolloutSettings> {
    return { ...ROLLOUT_DEFAULTS, ...settings.rollout };
}

/** What negotiates: one tunnel of a dual-tunnel connection, or (no tunnelId) the single-tunnel connection. */
export interface Negotiator {
    tunnelId?: string;
    tunnelIndex?: number;
}

/** One Modify of the rollout: converge to `desired`, then wait until each of `negotiators` carries traffic. */
export interface Stage {
    desired: DesiredAttributes;
    negotiators: Negotiator[];
}

const TUNNELS = "tunnelOptionsSpecification";

/**
 * The stages of an update, or undefined when the rollout does not gate it
 * (the defaults: one Modify, no negotiation wait). With `oneAtATime`, a
 * change to both tunnels of a dual-tunnel connection is two stages, tunnel 1
 * first (by tunnelIndex): the first carries the changes outside the tunnels
 * and tunnel 1's, the second tunnel 2's; each waits for its tunnel to
 * negotiate. `waitForNegotiation` alone is one stage that waits for every
 * tunnel it changes, or for the single-tunnel connection.
 */
export function planRollout(
    rollout: Required<RolloutSettings>,
    desired: DesiredAttributes,
    observed: ObservedConnection,
): Stage[] | undefined {
    const oneAtATime = rollout.tunnels === "oneAtATime" && observed.mode === "dual";
    if (!oneAtATime && !rollout.waitForNegotiation) {
        return undefined;
    }
    if (observed.mode === "single") {
        return [{ desired, negotiators: [{}] }];
    }
    const changed = changedTunnels(desired, observed);
    if (changed === undefined) {
        // A declared tunnel the connection lacks: converge refuses it, with the reason.
        return undefined;
    }
    if (!oneAtATime || changed.length < 2) {
        const waitedOn = changed.length > 0 || !rollout.waitForNegotiation ? changed : observedTunnels(observed);
        return [{ desired, negotiators: waitedOn.map(({ tunnel }) => negotiatorOf(tunnel)) }];
    }
    // Stryker disable next-line ArrayDeclaration: two changed tunnels mean a declared list
    const declared = desired[TUNNELS] ?? [];
    return changed.map((stage, i) => {
        const later = new Set(changed.slice(i + 1).map(({ position }) => position));
        return {
            desired: { ...desired, [TUNNELS]: declared.filter((_, position) => !later.has(position)) },
            negotiators: [negotiatorOf(stage.tunnel)],
        };
    });
}

interface ChangedTunnel {
    /** Its position in the program's list. */
    position: number;
    tunnel: ObservedTunnel;
}

/** The declared tunnels that differ, by tunnelIndex; undefined when one is not found or the list is unknown. */
function changedTunnels(desired: DesiredAttributes, observed: ObservedConnection): ChangedTunnel[] | undefined {
    const declared = desired[TUNNELS];
    if (declared !== undefined && !Array.isArray(declared)) {
        return undefined;
    }
    const positions = new Set(
        compareAttributes(desired, observed)
            // Only a tunnel difference has a position.
            .filter((d) => d.tunnel !== undefined)
            .map((d) => d.tunnel as number),
    );
    const changed: ChangedTunnel[] = [];
    for (const position of positions) {
        // Stryker disable next-line OptionalChaining: a tunnel difference comes only from a declared list
        const tunnel = matchTunnel(declared?.[position] ?? {}, observed[TUNNELS]);
        if (!tunnel) {
            return undefined;
        }
        changed.push({ position, tunnel });
    }
    return changed.sort((a, b) => a.tunnel.tunnelIndex - b.tunnel.tunnelIndex);
}

function observedTunnels(observed: ObservedConnection): ChangedTunnel[] {
    // Stryker disable next-line ArrayDeclaration: a dual-tunnel connection reports its tunnels (its mode is read from them)
    return (observed[TUNNELS] ?? []).map((tunnel, position) => ({ position, tunnel }));
}

function negotiatorOf(tunnel: ObservedTunnel): Negotiator {
    return { tunnelId: tunnel.tunnelId, tunnelIndex: tunnel.tunnelIndex };
}

/** "tunnel 1", or "the connection" for a single-tunnel connection. */
function shortName(negotiator: Negotiator): string {
    return negotiator.tunnelId === undefined ? "the connection" : `tunnel ${negotiator.tunnelIndex}`;
}

/**
 * What preview says of a gated update, e.g. "rollout: tunnel 1, then tunnel 2
 * after it negotiates"; undefined when the update is not gated or changes nothing.
 */
export function describeRollout(stages: Stage[] | undefined): string | undefined {
    const waited = (stages ?? []).filter((s) => s.negotiators.length > 0);
    if (waited.length === 0) {
        return undefined;
    }
    if (waited.length === 1) {
        const names = waited[0].negotiators.map(shortName);
        const verb = names.length === 1 ? "negotiates" : "negotiate";
        return `rollout: one Modify, then the update waits until ${names.join(" and ")} ${verb} again`;
    }
    const [first, ...rest] = waited.map((s) => s.negotiators.map(shortName).join(" and "));
    return `rollout: ${first}, ${rest.map((name, i) => `then ${name} after ${i === 0 ? "it" : rest[i - 1]} negotiates`).join(", ")}`;
}

/** What preview says of the update from state `olds` to inputs `news`, judged from state as diff is. */
export function rolloutPreview(olds: AttributeOutputs, news: CheckedInputs): string | undefined {
    return describeRollout(planRollout(rolloutOf(news), desiredFromInputs(news), outputsToObserved(olds)));
}
