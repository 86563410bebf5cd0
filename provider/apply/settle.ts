import { ConvergeContext } from "./context";
import { fleetPollDelays } from "./pollSchedule";
import { redact } from "../foundation/redaction";
import { connectionSettled, describeConnection, pollDelays, waitFor } from "../service/waiting";
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
    const settled = await waitFor({
        poll: read,
        acceptor: connectionSettled,
        deadline: ctx.deadline,
        clock: ctx.clock,
        delays: fleetPollDelays(ctx, pollDelays(ctx.pollSchedule)),
        describe: describeConnection,
        progress: (line) => ctx.log(redact(line, ctx.secrets)),
        waitingFor: `${settings.vpnConnectionId}: a task already running, before sending ModifyVpnAttachmentAttribute`,
    });
    return settled.value;
}
