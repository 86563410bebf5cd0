import { ProviderError } from "../foundation/errors";
import { CollateralChange, collateralChanges, describeCollateral } from "../model/collateral";
import { DesiredAttributes, ObservedConnection, ResourceSettings } from "../model/types";

class CollateralChangeError extends ProviderError {
    constructor(settings: ResourceSettings, changes: CollateralChange[]) {
        super(
            `IPsec-VPN connection ${settings.vpnConnectionId} in ${settings.regionId}: ModifyVpnAttachmentAttribute ` +
                `was applied and the connection reports the declared values, but the service also changed ` +
                `${changes.length === 1 ? "a setting" : "settings"} the program does not declare (the Modify did, or another actor meanwhile): ` +
                `${changes.map(describeCollateral).join("; ")}. To keep a value, declare it in the program ` +
                `(a pre-shared key through the psk or tunnelPsks input) and run the update again`,
            "CollateralChangeError",
            "notConverged",
        );
    }
}

/**
 * The promise is that nothing the program did not ask for changes: after the
 * declared values are confirmed, every undeclared setting must still have
 * the value of the read the Modify was planned from.
 */
export function assertNoCollateral(
    settings: ResourceSettings,
    desired: DesiredAttributes,
    before: ObservedConnection,
    after: ObservedConnection,
): void {
    const changes = collateralChanges(desired, before, after);
    if (changes.length > 0) {
        throw new CollateralChangeError(settings, changes);
    }
}
