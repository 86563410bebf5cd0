import { expect } from "chai";
import { ConvergeContext } from "../../provider/apply/context";
import { converge } from "../../provider/apply/converge";
import { withStanding } from "../../provider/apply/standing";
import { ProviderError, ServiceError } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { withLock } from "../../provider/service/locking";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";

/** What an update stopped at its deadline says, word for word, by where it stopped. */

const AT = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };
const HEAD = "IPsec-VPN connection vco-steps in cn-hangzhou: ";
const NOT_SENT = "No ModifyVpnAttachmentAttribute was sent: the connection's settings are as they were.";
const SENT_ONCE =
    "ModifyVpnAttachmentAttribute was sent once and not accepted (last: VpnTask.CONFLICT (RequestId REQ-C1)); if " +
    "an attempt got no answer, the service may have applied it.";
const TAIL =
    "What to do: raise timeoutSeconds and run the update again, or run `pulumi refresh` then `pulumi up` to start " +
    "from what the connection reports.";

const conflict = () =>
    new ServiceError({ code: "VpnTask.CONFLICT", serviceMessage: "busy", statusCode: 400, requestId: "REQ-C1" });

/** Converges `name: "renamed"` with a 60 s deadline; the error's user message, and its name. */
async function stopped(
    arrange: (api: FakeVpc, clock: VirtualClock, deadline: number) => void,
): Promise<{ message: string; name: string }> {
    const clock = new VirtualClock();
    const api = new FakeVpc(clock);
    const deadline = clock.now() + 60_000;
    arrange(api, clock, deadline);
    const ctx: ConvergeContext = { api, clock, deadline, log: () => undefined, secrets: [] };
    return converge(AT, { name: "renamed" }, ctx).then(
        () => expect.fail("converged"),
        (err: Error) => ({ message: userMessage(err, AT), name: err.name }),
    );
}

describe("a timeout, word for word", () => {
    withoutJitter();

    it("after a Modify refused once, with no time left for another", async () => {
        const { message, name } = await stopped((api, clock) => {
            api.modifyVpnAttachmentAttribute = () => {
                clock.advance(60_000);
                return Promise.reject(conflict());
            };
        });
        expect(message).to.equal(
            `${HEAD}ModifyVpnAttachmentAttribute failed: gave up after 1 attempt at the deadline; last error: ` +
                `VpnTask.CONFLICT (RequestId REQ-C1): busy. ${SENT_ONCE} Last seen: connection vco-steps attached. ${TAIL}`,
        );
        expect(name).to.equal("UpdateStoppedError");
    });

    it("when the connection settles only at the deadline: nothing sent", async () => {
        const { message } = await stopped((api, _clock, deadline) => {
            api.busyUntil = deadline;
        });
        expect(message).to.equal(
            `${HEAD}ModifyVpnAttachmentAttribute was not sent: the deadline (timeoutSeconds) passed while waiting for ` +
                `the connection to settle; nothing was sent. ${NOT_SENT} Last seen: connection vco-steps attached. ${TAIL}`,
        );
    });

    it("when the connection settles only at the deadline after a refused Modify: no further attempt", async () => {
        const { message } = await stopped((api, _clock, deadline) => {
            api.modifyVpnAttachmentAttribute = () => {
                api.busyUntil = deadline;
                return Promise.reject(conflict());
            };
        });
        expect(message).to.equal(
            `${HEAD}ModifyVpnAttachmentAttribute failed: the deadline (timeoutSeconds) passed while waiting for the ` +
                `connection to settle; no further attempt was sent. ${SENT_ONCE} Last seen: connection vco-steps ` +
                `attached. ${TAIL}`,
        );
    });

    it("when a task runs past the deadline before any Modify: the wait's own words, nothing sent", async () => {
        const { message } = await stopped((api, clock) => {
            api.busyUntil = clock.now() + 3_600_000;
        });
        expect(message).to.match(
            /^IPsec-VPN connection vco-steps in cn-hangzhou: timed out after 60 s and \d+ polls: connection vco-steps updating/,
        );
        expect(message).to.include(`. ${NOT_SENT} Last seen: connection vco-steps updating`);
    });

    it("when a task runs past the deadline after a refused Modify: the wait's own words, and the refusal", async () => {
        const { message } = await stopped((api, clock) => {
            api.modifyVpnAttachmentAttribute = () => {
                api.busyUntil = clock.now() + 3_600_000;
                return Promise.reject(conflict());
            };
        });
        expect(message).to.match(
            /^IPsec-VPN connection vco-steps in cn-hangzhou: timed out after 60 s and \d+ polls: connection vco-steps updating/,
        );
        expect(message).to.include(`. ${SENT_ONCE} Last seen: connection vco-steps updating`);
    });

    for (const queuedMs of [60_000, 61_000]) {
        it(`after queueing ${queuedMs / 1000} s behind another update of the connection: nothing sent, nothing read`, async () => {
            const clock = new VirtualClock();
            const api = new FakeVpc(clock);
            let release!: () => void;
            const held = new Promise<void>((resolve) => (release = resolve));
            const holder = withLock(`${AT.regionId}/${AT.vpnConnectionId}`, () => held);
            const ctx: ConvergeContext = {
                api,
                clock,
                deadline: clock.now() + 60_000,
                log: () => undefined,
                secrets: [],
            };
            const queued = converge(AT, { name: "late" }, ctx).then(
                () => expect.fail("converged"),
                (err: Error) => userMessage(err, AT),
            );
            clock.advance(queuedMs);
            release();
            await holder;
            expect(await queued).to.equal(
                `${HEAD}the deadline passed after ${queuedMs / 1000} s waiting for another update of the same ` +
                    `connection in this process; nothing was sent. Raise timeoutSeconds or run the update again. ` +
                    `${NOT_SENT} Last seen: the connection was not read. ${TAIL}`,
            );
            expect(api.describedAt).to.have.length(0);
        });
    }

    it("keeps one full stop where the reason ends with several", () => {
        const err = withStanding(new ProviderError("gave up at the deadline..", "X", "timeout"), AT, {});
        expect((err as Error).message).to.equal(
            `${HEAD}gave up at the deadline. ${NOT_SENT} Last seen: the connection was not read. ${TAIL}`,
        );
    });
});
