import { assertNoCollateral } from "./collateral";
import { ConvergeContext } from "./context";
import { waitUntilConverged } from "./confirm";
import { readConnection } from "./reading";
import { sendFromFreshReads } from "./send";
import { withStanding } from "./standing";
import { withLock } from "../service/locking";
import { WaitTimeoutError } from "../service/waiting";
import { pickWriteOnly, withWriteOnly } from "../model/pulumiState";
import { DesiredAttributes, ObservedConnection, ResourceSettings, WriteOnlyAttributes } from "../model/types";

export interface ConvergeResult {
    observed: ObservedConnection;
    /** How long the service's task took, from the accepted Modify to settled; undefined when nothing was sent. */
    taskMs?: number;
}

/**
 * Makes the connection report the declared attributes: wait until it is
 * settled, plan the Modify of only what differs, send it (each retry from a
 * fresh read, see `sendFromFreshReads`), wait until the connection reports
 * the result, and check that nothing the program did not declare changed.
 * Holds a per-connection lock throughout, so one provider process never
 * races itself into VpnTask.CONFLICT.
 */
export function converge(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    ctx: ConvergeContext,
): Promise<ConvergeResult> {
    const queuedAt = ctx.clock.now();
    const standing = (ctx.standing ??= {});
    return withLock(`${settings.regionId}/${settings.vpnConnectionId}`, async () => {
        assertTimeLeftAfterQueue(ctx, queuedAt);
        let applied: WriteOnlyAttributes = { ...ctx.writeOnly };
        const read = () => readConnection(settings, ctx, applied);

        const { current, sent } = await sendFromFreshReads(settings, desired, ctx, read);
        if (!sent) {
            return { observed: current };
        }
        applied = { ...applied, ...pickWriteOnly(desired) };
        if (sent.acceptedAt === undefined) {
            // An attempt whose answer was lost was applied: its task has ended and the values are there.
            const observed = withWriteOnly(current, applied);
            assertNoCollateral(settings, desired, sent.before, observed);
            return { observed };
        }
        const converged = await waitUntilConverged(settings, desired, ctx, read, sent.acceptedAt);
        assertNoCollateral(settings, desired, sent.before, converged.observed);
        return converged;
    }).catch((err: unknown) => {
        throw withStanding(err, settings, standing);
    });
}

/** The deadline was set before this update queued behind others on the lock. */
function assertTimeLeftAfterQueue(ctx: ConvergeContext, queuedAt: number): void {
    const now = ctx.clock.now();
    if (now >= ctx.deadline) {
        throw new WaitTimeoutError(
            // withStanding names the connection before it.
            `the deadline passed after ` +
                `${Math.round((now - queuedAt) / 1000)} s waiting for another update of the same ` +
                `connection in this process; nothing was sent. Raise timeoutSeconds or run the update again`,
            0,
            // Stryker disable next-line ArithmeticOperator: the error's elapsedMs, which nothing reads (its message carries the seconds)
            now - queuedAt,
        );
    }
}
