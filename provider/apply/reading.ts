import { callWithRetries } from "./calls";
import { ConvergeContext } from "./context";
import { seen } from "./standing";
import { ProviderError } from "../foundation/errors";
import { observeConnection } from "../model/normalize";
import { withWriteOnly } from "../model/pulumiState";
import { ObservedConnection, ResourceSettings, WriteOnlyAttributes } from "../model/types";

class ConnectionNotFoundError extends ProviderError {
    constructor(settings: ResourceSettings) {
        super(
            `IPsec-VPN connection ${settings.vpnConnectionId} was not found in region ${settings.regionId}: ` +
                `check vpnConnectionId and regionId (this resource manages an existing connection; it does not create one)`,
            "ConnectionNotFoundError",
            "notFound",
        );
    }
}

/**
 * An answer about another connection than the one asked for (a misrouting
 * proxy, a fault of the service): planning from it would send that
 * connection's values, its PSK among them, to this one.
 */
class WrongConnectionError extends ProviderError {
    constructor(settings: ResourceSettings, reported: string) {
        super(
            `IPsec-VPN connection ${settings.vpnConnectionId} in ${settings.regionId}: DescribeVpnConnection answered ` +
                `about ${reported === "" ? "no connection (no VpnConnectionId)" : `connection ${reported}`}, ` +
                `not the one asked for; ModifyVpnAttachmentAttribute was not sent. Check the endpoint setting and ` +
                `any proxy between this program and the VPC API, then run the update again`,
            "WrongConnectionError",
            // Stryker disable next-line StringLiteral: an error of no known kind is taken as unexpected, this one's kind
            "unexpected",
        );
    }
}

/**
 * Reads the connection once, retrying transient faults; undefined when it
 * does not exist. An answer about another connection is `WrongConnectionError`.
 */
export async function readConnectionOnce(
    settings: ResourceSettings,
    ctx: ConvergeContext,
): Promise<ObservedConnection | undefined> {
    const body = await callWithRetries(
        "DescribeVpnConnection",
        settings,
        ctx,
        () => ctx.api.describeVpnConnection(settings.regionId, settings.vpnConnectionId),
        // A wait takes its last look at the deadline, to say what it saw; a read then changes nothing, so it gets one attempt.
        Math.max(ctx.deadline, ctx.clock.now() + 1),
    );
    if (body === undefined) {
        return undefined;
    }
    const observed = observeConnection(body);
    if (observed.vpnConnectionId !== settings.vpnConnectionId) {
        throw new WrongConnectionError(settings, observed.vpnConnectionId);
    }
    return observed;
}

/**
 * The poll of both waits: the connection as it is, with what was last
 * applied of the attributes Describe does not report; a connection that is
 * gone is an error here, since there is nothing left to converge.
 */
export async function readConnection(
    settings: ResourceSettings,
    ctx: ConvergeContext,
    applied: WriteOnlyAttributes,
): Promise<ObservedConnection> {
    const observed = await readConnectionOnce(settings, ctx);
    if (!observed) {
        throw new ConnectionNotFoundError(settings);
    }
    if (ctx.standing) seen(ctx.standing, observed);
    return withWriteOnly(observed, applied);
}
