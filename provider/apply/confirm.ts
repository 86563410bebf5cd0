import { ConvergeContext } from "./context";
import { ProviderError } from "../foundation/errors";
import { Acceptor, connectionSettled } from "../service/waiting";
import { watchConnection } from "../service/watching";
import { compareAttributes } from "../model/diffing";
import { DesiredAttributes, FieldDifference, ObservedConnection, ResourceSettings } from "../model/types";

/**
 * After a Modify, a settled connection that does not yet show the new values
 * may simply not have entered `updating` yet; give it this long before
 * calling the values unconverged.
 */
export const CONVERGENCE_GRACE_MS = 15_000;

class NotConvergedError extends ProviderError {
    constructor(vpnConnectionId: string, differences: FieldDifference[]) {
        super(
            `IPsec-VPN connection ${vpnConnectionId} finished its task but does not report the declared values for: ` +
                differences.map(describeDifference).join("; "),
            "NotConvergedError",
            "notConverged",
        );
    }
}

function describeDifference(d: FieldDifference): string {
    if (d.secret) {
        return `${d.path} (a pre-shared key; value not shown)`;
    }
    return `${d.path} (declared ${JSON.stringify(d.desired)}, service reports ${JSON.stringify(d.actual)})`;
}

export interface Converged {
    observed: ObservedConnection;
    /** How long the service's task took, from the accepted Modify to settled. */
    taskMs: number;
}

/**
 * Waits, after the Modify accepted at `acceptedAt`, until the connection is
 * settled and reports `desired`; a settled connection that still differs
 * after `CONVERGENCE_GRACE_MS` is `NotConvergedError`. The first poll comes
 * after the first delay (a task that has only just started cannot be done),
 * which the connection's own last task, else the fleet's, sizes; the task's
 * length goes to the fleet (watching.ts).
 */
export async function waitUntilConverged(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    ctx: ConvergeContext,
    read: () => Promise<ObservedConnection>,
    acceptedAt: number,
): Promise<Converged> {
    const converged: Acceptor<ObservedConnection> = (observed) => {
        const settled = connectionSettled(observed);
        if (settled.state !== "success") {
            return settled;
        }
        const differences = compareAttributes(desired, observed);
        if (differences.length === 0) {
            return settled;
        }
        // `<` made `<=` differs only for a poll exactly at the grace period's end, which then waits one more poll
        // (docs/mutation.md); not disabled, as that would hide the `>=` mutant, which tests kill.
        if (ctx.clock.now() - acceptedAt < CONVERGENCE_GRACE_MS) {
            return {
                // Stryker disable next-line StringLiteral: waitFor tells only "success" and "failure" apart: any other state is a retry
                state: "retry",
                reason: "task not started yet",
            };
        }
        throw new NotConvergedError(settings.vpnConnectionId, differences);
    };
    const after = await watchConnection(ctx, converged, {
        read,
        waitingFor: `${settings.vpnConnectionId}: the task ModifyVpnAttachmentAttribute started`,
        taskStartedAt: acceptedAt,
    });
    return { observed: after.observed, taskMs: after.elapsedMs };
}
