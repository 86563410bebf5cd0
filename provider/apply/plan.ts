import { RequestRefusedError } from "../foundation/errors";
import { buildModifyRequest, ModifyRequest } from "../model/requests";
import { modeConflicts } from "../model/validation";
import { DesiredAttributes, ObservedConnection, ResourceSettings } from "../model/types";

/**
 * The Modify that makes the settled connection `current` report `desired`,
 * without its client token, or undefined when nothing differs. Refuses
 * (`RequestRefusedError`) what the connection's tunnel mode does not accept
 * and what the request builder will not send.
 */
export function plan(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    current: ObservedConnection,
): ModifyRequest | undefined {
    const wrongMode = modeConflicts(desired, current.mode);
    if (wrongMode.length > 0) {
        throw new RequestRefusedError(
            `IPsec-VPN connection ${settings.vpnConnectionId} is a ${current.mode}-tunnel connection, which does not accept: ` +
                `${wrongMode.join(", ")}. ${
                    current.mode === "dual"
                        ? "Declare these settings per tunnel in tunnelOptionsSpecification instead."
                        : "Declare these settings at the top level (ikeConfig, ipsecConfig, bgpConfig, ...) instead."
                }`,
        );
    }
    try {
        return buildModifyRequest(settings, desired, current);
    } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new RequestRefusedError(
            `IPsec-VPN connection ${settings.vpnConnectionId} in ${settings.regionId}: ` +
                `ModifyVpnAttachmentAttribute was not sent: ${reason}`,
        );
    }
}
