import { ConvergeContext } from "./context";
import { converge, ConvergeResult } from "./converge";
import { describeNegotiation, upper, isNegotiated, nameOf, negotiationOf, waitUntilNegotiated } from "./negotiation";
import { readConnection } from "./reading";
import { revertTunnel } from "./revert";
import { ProviderError } from "../foundation/errors";
import { pickWriteOnly } from "../model/pulumiState";
import { Negotiator, planRollout, rolloutOf, Stage } from "../model/rolloutPlan";
import { DesiredAttributes, ObservedConnection, ResourceSettings, RolloutSettings } from "../model/types";

/** A changed tunnel did not negotiate in time; the update stopped. */
class NegotiationFailedError extends ProviderError {
    constructor(message: string) {
        super(message, "NegotiationFailedError", "timeout");
    }
}

/**
 * Applies an update as the resource's `rollout` says (docs/rollout.md). By
 * default that is one converge: one Modify, done when the task is. Gated, it
 * is one converge per stage of `planRollout`, each followed by a wait until
 * the tunnel it changed negotiates again; the next stage is sent only then,
 * so a change the peer does not match never takes down both tunnels. A
 * tunnel that does not negotiate in time stops the update (reverting its
 * settings first, if asked), and no later stage is sent.
 */
export async function rollOut(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    ctx: ConvergeContext,
): Promise<ConvergeResult> {
    const rollout = rolloutOf(settings);
    if (rollout.tunnels === "together" && !rollout.waitForNegotiation) {
        return converge(settings, desired, ctx);
    }
    const before = await readConnection(settings, ctx, ctx.writeOnly ?? {});
    const stages = planRollout(rollout, desired, before);
    if (stages === undefined) {
        return converge(settings, desired, ctx);
    }
    // Stryker disable next-line ObjectLiteral: planRollout makes at least one stage, whose converge replaces it
    let result: ConvergeResult = { observed: before };
    let taskMs: number | undefined;
    let writeOnly = ctx.writeOnly;
    // Stryker disable next-line ArrayDeclaration: an entry that is not a negotiator names no tunnel, so no tunnel is taken for done
    const done: Negotiator[] = [];
    for (const [i, stage] of stages.entries()) {
        const stageCtx: ConvergeContext = { ...ctx, writeOnly, log: (line) => ctx.log(`${rolling(stage)}${line}`) };
        if (stages.length > 1) {
            stageCtx.log(`sending stage ${i + 1} of ${stages.length}; ${later(stages, i)}`);
        }
        result = await converge(settings, stage.desired, stageCtx);
        writeOnly = { ...writeOnly, ...pickWriteOnly(stage.desired) };
        if (result.taskMs === undefined) {
            continue;
        }
        taskMs = result.taskMs;
        // Stryker disable next-line LogicalOperator: writeOnly is an object from the first stage's converge on, before any read here
        const read = () => readConnection(settings, ctx, writeOnly ?? {});
        for (const negotiator of stage.negotiators) {
            const outcome = await waitUntilNegotiated(
                settings,
                negotiator,
                stageCtx,
                read,
                rollout.negotiationTimeoutSeconds * 1000,
            );
            if (!outcome.negotiated) {
                const failure: Failure = { negotiator, stage, last: outcome.observed, done, rest: stages.slice(i + 1) };
                throw new NegotiationFailedError(await failed(settings, rollout, failure, before, stageCtx));
            }
            result = { observed: outcome.observed ?? result.observed };
            done.push(negotiator);
        }
    }
    return { observed: result.observed, taskMs };
}

/** The prefix of a stage's progress lines: which tunnel is being rolled. */
function rolling(stage: Stage): string {
    const names = stage.negotiators.map(nameOf).join(" and ");
    return names === "" ? "" : `rolling ${names}: `;
}

function later(stages: Stage[], i: number): string {
    // A dual-tunnel rollout has at most two stages of one tunnel each (rolloutPlan.ts): one tunnel at most comes later.
    const next = stages.slice(i + 1).flatMap((s) => s.negotiators.map(nameOf))[0];
    return next === undefined ? "the last one" : `${next} is sent only after this one negotiates`;
}

interface Failure {
    negotiator: Negotiator;
    stage: Stage;
    /** The connection as the negotiation wait last saw it. */
    last?: ObservedConnection;
    /** Tunnels this update changed that negotiated. */
    done: Negotiator[];
    /** The stages never sent. */
    rest: Stage[];
}

/**
 * Reverts the tunnel if asked, and says what happened: which tunnel was
 * changed, where it stopped, what the other tunnel does, and what to check
 * on the peer.
 */
async function failed(
    settings: ResourceSettings,
    rollout: Required<RolloutSettings>,
    failure: Failure,
    before: ObservedConnection,
    ctx: ConvergeContext,
): Promise<string> {
    const { negotiator, last } = failure;
    const name = nameOf(negotiator);
    const state = last && negotiationOf(last, negotiator);
    const parts = [
        `IPsec-VPN connection ${settings.vpnConnectionId}: ${name} was changed by this update and did not negotiate ` +
            `within ${rollout.negotiationTimeoutSeconds} s (rollout.negotiationTimeoutSeconds): it stopped at ` +
            `${describeNegotiation(state)}.`,
        ...others(failure, before),
        `Check the customer gateway's side of ${name}: its pre-shared key, its IKE settings (version, mode, ` +
            `encryption and authentication algorithms, DH group, lifetime), its IPsec settings, and LocalId/RemoteId ` +
            `(each side's LocalId is the other's RemoteId)${state?.bgpStatus === undefined ? "" : ", and its BGP addresses"}.`,
    ];
    if (rollout.onNegotiationFailure === "revert") {
        try {
            parts.push(await revertTunnel(settings, negotiator, failure.stage.desired, before, ctx, rollout));
        } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            parts.push(`Reverting ${name} failed, so it keeps its new settings: ${reason}`);
        }
    } else {
        parts.push(
            `The update stopped here (rollout.onNegotiationFailure "stop"): ${name} keeps its new settings. ` +
                `Update the peer to match, or change the program, and run the update again.`,
        );
    }
    return parts.join(" ");
}

/** One sentence per other tunnel: whether it was changed, and whether it carries traffic. */
function others(failure: Failure, before: ObservedConnection): string[] {
    const { negotiator, stage, last, done, rest } = failure;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a single-tunnel connection reports no tunnels: the list below is empty without it
    if (negotiator.tunnelId === undefined) {
        return [];
    }
    const now = last ?? before;
    // Stryker disable next-line ArrayDeclaration: reached only for a dual-tunnel connection, which reports its tunnels
    return (now.tunnelOptionsSpecification ?? [])
        .filter((t) => t.tunnelId !== negotiator.tunnelId)
        .map((t) => {
            const other: Negotiator = { tunnelId: t.tunnelId, tunnelIndex: t.tunnelIndex };
            const state = negotiationOf(now, other);
            const carries = isNegotiated(state)
                ? "still carries traffic"
                : `reports ${describeNegotiation(state)}, so it carries no traffic either`;
            const named = (stages: Stage[]) => stages.some((s) => s.negotiators.some((n) => n.tunnelId === t.tunnelId));
            // Stryker disable next-line ConditionalExpression: with two tunnels, done holds at most the one other than the failed one, which is this one
            const history = done.some((d) => d.tunnelId === t.tunnelId)
                ? "negotiated its new settings earlier in this update and"
                : named(rest)
                  ? "was not sent: its change waits for the next update, and it"
                  : named([stage])
                    ? "was changed by the same Modify and"
                    : "was not changed and";
            return `${upper(nameOf(other))} ${history} ${carries}.`;
        });
}
