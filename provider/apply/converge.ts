import { ConvergeContext } from "./context";
import { waitUntilConverged } from "./confirm";
import { plan } from "./plan";
import { readConnection } from "./reading";
import { send } from "./send";
import { waitUntilSettled } from "./settle";
import { withStanding } from "./standing";
import { withLock } from "../service/locking";
import { WaitTimeoutError } from "../service/waiting";
import { observedPsks } from "../model/psks";
import { pickWriteOnly } from "../model/pulumiState";
import { DesiredAttributes, ObservedConnection, ResourceSettings, WriteOnlyAttributes } from "../model/types";

export interface ConvergeResult {
    observed: ObservedConnection;
    /** How long the service's task took, from the accepted Modify to settled; undefined when nothing was sent. */
    taskMs?: number;
}

/**
 * Makes the connection report the declared attributes: wait until it is
 * settled, plan the Modify of only what differs, send it, and wait until the
 * connection reports the result. Holds a per-connection lock throughout, so
 * one provider process never races itself into VpnTask.CONFLICT.
 */
export function converge(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    ctx: ConvergeContext,
): Promise<ConvergeResult> {
    const queuedAt = ctx.clock.now();
    const standing = (ctx.standing ??= {});
    return withLock(`${settings.regionId}/${settings.vpnConnectionId}`, async () => {
        assertTimeLeftAfterQueue(settings, ctx, queuedAt);
        let applied: WriteOnlyAttributes = { ...ctx.writeOnly };
        const read = () => readConnection(settings, ctx, applied);

        const current = await waitUntilSettled(settings, ctx, read);
        // The Modify carries the connection's current PSK whenever the program
        // declares none (see requests.ts's `merged`), and the service may echo
        // what it was sent: scrub those keys from messages too.
        ctx.secrets.push(...observedPsks(current));
        const request = plan(settings, desired, current);
        if (!request) {
            return { observed: current };
        }
        const { acceptedAt } = await send(settings, request, ctx);
        applied = { ...applied, ...pickWriteOnly(desired) };
        return waitUntilConverged(settings, desired, ctx, read, acceptedAt);
    }).catch((err: unknown) => {
        throw withStanding(err, settings, standing);
    });
}

/** The deadline was set before this update queued behind others on the lock. */
function assertTimeLeftAfterQueue(settings: ResourceSettings, ctx: ConvergeContext, queuedAt: number): void {
    const now = ctx.clock.now();
    if (now >= ctx.deadline) {
        throw new WaitTimeoutError(
            `IPsec-VPN connection ${settings.vpnConnectionId}: the deadline passed after ` +
                `${Math.round((now - queuedAt) / 1000)} s waiting for another update of the same ` +
                `connection in this process; nothing was sent. Raise timeoutSeconds or run the update again`,
            0,
            now - queuedAt,
        );
    }
}
