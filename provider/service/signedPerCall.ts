/**
 * The VPC API of one operation, each call signed by the credentials of that
 * moment: temporary keys renewed during a long wait (credentials/renewal.ts)
 * sign the calls after their renewal.
 */
import type { ResolvedCredentials } from "../credentials/sources";
import type { VpcApi } from "./client";

/** The API with each call signed by the credentials `credentials()` gives at that moment. */
export function signedPerCall(
    credentials: () => Promise<ResolvedCredentials>,
    connect: (credentials: ResolvedCredentials) => VpcApi,
): VpcApi {
    return {
        describeVpnConnection: async (region, id) => connect(await credentials()).describeVpnConnection(region, id),
        describeVpnConnections: async (region, page, size) =>
            connect(await credentials()).describeVpnConnections(region, page, size),
        modifyVpnAttachmentAttribute: async (request) =>
            connect(await credentials()).modifyVpnAttachmentAttribute(request),
    };
}
