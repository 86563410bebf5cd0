import { expect } from "chai";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { converge } from "../../provider/apply/converge";
import { DesiredAttributes } from "../../provider/model/types";
import { errorKind } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { FakeVpc } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";

const AT = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };

/** The message `pulumi up` prints when converge refuses `desired` on the fake connection; and what was sent. */
async function refusal(connection: FakeVpc["connection"], desired: DesiredAttributes) {
    const clock = new VirtualClock();
    const api = new FakeVpc(clock, connection);
    const ctx = { api, clock, deadline: clock.now() + 60_000, log: () => undefined, secrets: [] };
    const failure = await converge(AT, desired, ctx).then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(errorKind(failure)).to.equal("refused");
    return { message: userMessage(failure, AT), modifies: api.modifies };
}

describe("converge: settings the connection's tunnel mode does not take", () => {
    it("tells a dual-tunnel connection's program to declare them per tunnel, and sends nothing", async () => {
        const { message, modifies } = await refusal(dualTunnelConnection("vco-steps"), {
            ikeConfig: { ikePfs: "group14" },
            enableDpd: false,
        });
        expect(message).to.include(
            "IPsec-VPN connection vco-steps is a dual-tunnel connection, which does not accept: ikeConfig, enableDpd. " +
                "Declare these settings per tunnel in tunnelOptionsSpecification instead.",
        );
        expect(modifies).to.deep.equal([]);
    });

    it("tells a single-tunnel connection's program to declare them at the top level, and sends nothing", async () => {
        const { message, modifies } = await refusal(singleTunnelConnection("vco-steps"), {
            tunnelOptionsSpecification: [{ tunnelIndex: 1, enableDpd: true }],
        });
        expect(message).to.include(
            "IPsec-VPN connection vco-steps is a single-tunnel connection, which does not accept: " +
                "tunnelOptionsSpecification. Declare these settings at the top level (ikeConfig, ipsecConfig, bgpConfig, ...) instead.",
        );
        expect(modifies).to.deep.equal([]);
    });
});
