import { expect } from "chai";
import { ConvergeContext } from "../../provider/apply/context";
import { converge } from "../../provider/apply/converge";
import { errorKind, ServiceError } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";

const SETTINGS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };
const WHAT_TO_DO = "raise timeoutSeconds and run the update again, or run `pulumi refresh` then `pulumi up`";

/** A converge on the fake connection that ends at its 60 s deadline; the message the user reads. */
async function timedOut(
    arrange: (api: FakeVpc, clock: VirtualClock) => void,
): Promise<{ message: string; api: FakeVpc }> {
    const clock = new VirtualClock();
    const api = new FakeVpc(clock);
    arrange(api, clock);
    const ctx: ConvergeContext = { api, clock, deadline: clock.now() + 60_000, log: () => undefined, secrets: [] };
    const err = await converge(SETTINGS, { name: "renamed" }, ctx).then(
        () => expect.fail("converged"),
        (e: unknown) => e,
    );
    expect(errorKind(err)).to.equal("timeout");
    return { message: userMessage(err, SETTINGS), api };
}

describe("timeouts say where the update stands", () => {
    withoutJitter();

    it("after an accepted Modify: its RequestId, that it may still apply, the last state seen, and what to do", async () => {
        const { message, api } = await timedOut((fake, clock) => {
            const modify = fake.modifyVpnAttachmentAttribute.bind(fake);
            fake.modifyVpnAttachmentAttribute = async (request) => {
                const accepted = await modify(request);
                fake.busyUntil = clock.now() + 3_600_000;
                return accepted;
            };
        });
        expect(api.modifies).to.have.length(1);
        expect(message).to.match(/^IPsec-VPN connection vco-steps in cn-hangzhou: timed out after 60 s/);
        expect(message).to.include("ModifyVpnAttachmentAttribute was sent and accepted (RequestId REQ-M)");
        expect(message).to.include("the next `up` may find nothing to do");
        expect(message).to.match(/Last seen: connection vco-steps updating/);
        expect(message).to.include(WHAT_TO_DO);
    });

    it("before any Modify: that none was sent, and what the connection showed", async () => {
        const { message, api } = await timedOut((fake, clock) => {
            fake.busyUntil = clock.now() + 3_600_000;
        });
        expect(api.modifies).to.have.length(0);
        expect(message).to.include("No ModifyVpnAttachmentAttribute was sent");
        expect(message).to.match(/Last seen: connection vco-steps updating/);
        expect(message).to.include(WHAT_TO_DO);
    });

    it("after a Modify refused until the deadline: how often it went out, and its last error", async () => {
        let sent = 0;
        const { message, api } = await timedOut((fake, clock) => {
            fake.modifyVpnAttachmentAttribute = () => {
                sent++;
                clock.advance(1000);
                return Promise.reject(
                    new ServiceError({
                        code: "VpnTask.CONFLICT",
                        serviceMessage: "busy",
                        statusCode: 400,
                        requestId: `REQ-C${sent}`,
                    }),
                );
            };
        });
        expect(sent).to.be.above(1);
        expect(api.modifies).to.have.length(0);
        expect(message).to.match(
            /ModifyVpnAttachmentAttribute was sent \d+ times and not accepted \(last: VpnTask\.CONFLICT \(RequestId REQ-C\d+\)\)/,
        );
        expect(message).to.match(/Last seen: connection vco-steps attached/);
        expect(message).to.include(WHAT_TO_DO);
    });
});
