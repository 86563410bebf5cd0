import { errorKind, ProviderError } from "../foundation/errors";
import { shortError } from "../foundation/userMessage";
import { describeConnection } from "../service/waiting";
import { ObservedConnection, ResourceSettings } from "../model/types";
import { isRecord } from "../foundation/records";

/**
 * Where an update stands when it ends before converging: whether its Modify
 * went out and was accepted, and what the connection showed last. A timeout
 * says so, because the service may still apply an accepted Modify after the
 * provider gave up, and the next `up` then has nothing to do.
 */
export interface Standing {
    /** What the last poll or read showed. */
    lastSeen?: string;
    /** The Modify, once attempted: how often it went out and, once accepted, its RequestId. */
    modify?: { accepted: false; attempts: number; lastError: unknown } | { accepted: true; requestId: string };
}

/** Records an observation of the connection in `standing`, for the message that may end the update. */
export function seen(standing: Standing, observed: ObservedConnection): void {
    standing.lastSeen = describeConnection(observed);
}

/** Records a Modify that went out `attempts` times (at least once) and failed for good, and its last error. */
export function notAccepted(standing: Standing, attempts: number, err: unknown): void {
    let lastError = err;
    // The failure may be a retry that gave up, whose own failure is the service's last answer.
    while (isRecord(lastError) && lastError.failure !== undefined) lastError = lastError.failure;
    standing.modify = { accepted: false, attempts, lastError };
}

/** The update stopped at its deadline; the message says where it stands and what to do. */
class UpdateStoppedError extends ProviderError {
    constructor(message: string, failure: unknown) {
        super(message, "UpdateStoppedError", "timeout", failure);
    }
}

/**
 * `err`, when it ends the update at its deadline, told with where the update
 * stands; any other error unchanged.
 */
export function withStanding(err: unknown, settings: ResourceSettings, standing: Standing): unknown {
    if (errorKind(err) !== "timeout") {
        return err;
    }
    // The reason is a sentence of its own; its full stop is added below.
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\.+$/, "");
    return new UpdateStoppedError(
        `IPsec-VPN connection ${settings.vpnConnectionId} in ${settings.regionId}: ${reason}. ` +
            `${modifyText(standing)} Last seen: ${standing.lastSeen ?? "the connection was not read"}. ` +
            "What to do: raise timeoutSeconds and run the update again, or run `pulumi refresh` then `pulumi up` " +
            "to start from what the connection reports.",
        err,
    );
}

function modifyText(standing: Standing): string {
    const modify = standing.modify;
    if (modify === undefined) {
        return "No ModifyVpnAttachmentAttribute was sent: the connection's settings are as they were.";
    }
    if (modify.accepted) {
        return (
            `ModifyVpnAttachmentAttribute was sent and accepted (RequestId ${modify.requestId}): the service may ` +
            "still apply it after this error, so the next `up` may find nothing to do."
        );
    }
    return (
        `ModifyVpnAttachmentAttribute was sent ${modify.attempts === 1 ? "once" : `${modify.attempts} times`} and ` +
        `not accepted (last: ${shortError(modify.lastError)}); if an attempt got no answer, the service may have applied it.`
    );
}
