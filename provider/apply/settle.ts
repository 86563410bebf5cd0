import { ConvergeContext } from "./context";
import { connectionSettled } from "../service/waiting";
import { watchConnection } from "../service/watching";
import { ObservedConnection, ResourceSettings } from "../model/types";

/**
 * Waits until no task runs on the connection or its tunnels, and returns what
 * it then reports. Another task may be running (a console change, another
 * pipeline): its length is unknown, so this wait does not use the learned
 * duration.
 */
export async function waitUntilSettled(
    settings: ResourceSettings,
    ctx: ConvergeContext,
    read: () => Promise<ObservedConnection>,
): Promise<ObservedConnection> {
    const settled = await watchConnection(ctx, connectionSettled, {
        read,
        waitingFor: `${settings.vpnConnectionId}: a task already running, before sending ModifyVpnAttachmentAttribute`,
    });
    return settled.observed;
}
