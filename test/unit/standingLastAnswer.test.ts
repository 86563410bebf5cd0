import { expect } from "chai";
import { notAccepted, Standing, withStanding } from "../../provider/apply/standing";
import { ProviderError, ServiceError } from "../../provider/foundation/errors";

/**
 * A Modify that was never accepted: the timeout message quotes the service's
 * last answer, however deeply the error that ended the retries wraps it.
 */
describe("standing: the last answer to a Modify that was not accepted", () => {
    const SETTINGS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" };

    it("quotes the service's code and RequestId from inside a retry that gave up", () => {
        const answer = new ServiceError({
            code: "VpnConnection.Configuring",
            serviceMessage: "The specified VPN connection is configuring.",
            requestId: "R-LAST",
        });
        const gaveUp = new ProviderError("the retries gave up at the deadline", "RetryGaveUp", "timeout", answer);
        const standing: Standing = {};
        notAccepted(standing, 3, new ProviderError("the wait ended", "WaitEnded", "timeout", gaveUp));
        const message = (withStanding(gaveUp, SETTINGS, standing) as Error).message;
        expect(message).to.include(
            "ModifyVpnAttachmentAttribute was sent 3 times and not accepted (last: VpnConnection.Configuring (RequestId R-LAST))",
        );
    });
});
