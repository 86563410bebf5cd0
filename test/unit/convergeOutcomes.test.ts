import { expect } from "chai";
import { ConvergeContext } from "../../provider/apply/context";
import { converge } from "../../provider/apply/converge";
import { ModifyRequest } from "../../provider/model/requests";
import { errorKind, ServiceError, TransportError } from "../../provider/foundation/errors";
import { userMessage } from "../../provider/foundation/userMessage";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";

/**
 * What an update ends with when the service does more, or other, than asked:
 * a Modify that also changed a setting the program does not declare, a
 * Modify whose answer was lost after it was applied, and a Describe that
 * answers about another connection.
 */

const AT = { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" };

function on(api: FakeVpc, clock: VirtualClock): ConvergeContext {
    return { api, clock, deadline: clock.now() + 30 * 60_000, log: () => undefined, secrets: [] };
}

function rejection(promise: Promise<unknown>): Promise<Error> {
    return promise.then(
        () => expect.fail("the update succeeded"),
        (err: Error) => err,
    );
}

/** A FakeVpc whose Modify, once accepted, also runs `sideEffect` on the connection; and then, if given, fails with `answer`. */
function modifying(clock: VirtualClock, sideEffect: (api: FakeVpc) => void, answer?: Error): FakeVpc {
    const api = new FakeVpc(clock);
    const modify = api.modifyVpnAttachmentAttribute.bind(api);
    api.modifyVpnAttachmentAttribute = async (request: ModifyRequest) => {
        const accepted = await modify(request);
        sideEffect(api);
        if (answer) throw answer;
        return accepted;
    };
    return api;
}

const COLLATERAL_HEAD =
    "IPsec-VPN connection vco-steps in cn-hangzhou: ModifyVpnAttachmentAttribute was applied and the connection " +
    "reports the declared values, but the service also changed ";
const COLLATERAL_TAIL =
    ". To keep a value, declare it in the program (a pre-shared key through the psk or tunnelPsks input) and run " +
    "the update again";

describe("converge: a setting the program does not declare changed too", () => {
    withoutJitter();

    it("says which one, with its values before and after, and what to do", async () => {
        const clock = new VirtualClock();
        const api = modifying(clock, (fake) => (fake.connection.EnableDpd = false));
        const err = await rejection(converge(AT, { name: "renamed" }, on(api, clock)));
        expect(err.message).to.equal(
            `${COLLATERAL_HEAD}a setting the program does not declare (the Modify did, or another actor meanwhile): ` +
                `enableDpd: true → false${COLLATERAL_TAIL}`,
        );
        expect(err.name).to.equal("CollateralChangeError");
        expect(errorKind(err)).to.equal("notConverged");
    });

    it("lists several, separated", async () => {
        const clock = new VirtualClock();
        const api = modifying(clock, (fake) => {
            fake.connection.EnableDpd = false;
            fake.connection.EnableNatTraversal = false;
        });
        const err = await rejection(converge(AT, { name: "renamed" }, on(api, clock)));
        expect(err.message).to.equal(
            `${COLLATERAL_HEAD}settings the program does not declare (the Modify did, or another actor meanwhile): ` +
                `enableDpd: true → false; enableNatTraversal: true → false${COLLATERAL_TAIL}`,
        );
    });
});

describe("converge: a Modify applied whose answer was lost", () => {
    withoutJitter();
    const lost: Array<[string, Error]> = [
        [
            "a 500",
            new ServiceError({ code: "InternalError", serviceMessage: "oops", statusCode: 500, requestId: "R5" }),
        ],
        ["a reset connection", new TransportError("ECONNRESET", "socket hang up", true)],
    ];
    for (const [what, answer] of lost) {
        it(`after ${what}, finds the values applied, sends nothing more, and still checks what else changed`, async () => {
            const clock = new VirtualClock();
            const api = modifying(clock, () => undefined, answer);
            api.applyAfterMs = 0;
            const result = await converge(AT, { name: "renamed" }, on(api, clock));
            expect(result.observed.name).to.equal("renamed");
            expect(result.taskMs, "no task was seen to end").to.equal(undefined);
            expect(api.modifies).to.have.length(1);

            const again = new VirtualClock();
            const changing = modifying(again, (fake) => (fake.connection.EnableDpd = false), answer);
            const err = await rejection(converge(AT, { name: "renamed" }, on(changing, again)));
            expect(err.message).to.include("enableDpd: true → false");
        });
    }

    it("after a refusal (a throttle), which applied nothing by definition, checks nothing else", async () => {
        const clock = new VirtualClock();
        const refused = new ServiceError({ code: "Throttling.User", serviceMessage: "slow", statusCode: 400 });
        const api = modifying(clock, (fake) => (fake.connection.EnableDpd = false), refused);
        const result = await converge(AT, { name: "renamed" }, on(api, clock));
        expect(result.observed.name).to.equal("renamed");
        expect(api.modifies).to.have.length(1);
    });
});

describe("converge: an answer about another connection", () => {
    withoutJitter();

    for (const [reported, about] of [
        ["vco-other", "connection vco-other"],
        ["", "no connection (no VpnConnectionId)"],
    ]) {
        it(`refuses to plan from it (${about}), and sends nothing`, async () => {
            const clock = new VirtualClock();
            const api = new FakeVpc(clock);
            api.connection.VpnConnectionId = reported;
            const err = await rejection(converge(AT, { name: "renamed" }, on(api, clock)));
            expect(userMessage(err, AT)).to.include(
                `IPsec-VPN connection vco-steps in cn-hangzhou: DescribeVpnConnection answered about ${about}, not the ` +
                    "one asked for; ModifyVpnAttachmentAttribute was not sent. Check the endpoint setting and any proxy " +
                    "between this program and the VPC API, then run the update again",
            );
            expect(errorKind(err)).to.equal("unexpected");
            expect(err.name).to.equal("WrongConnectionError");
            expect(api.modifies).to.have.length(0);
        });
    }
});

describe("converge: a connection that is not there", () => {
    withoutJitter();

    it("fails as not found, and sends nothing", async () => {
        const clock = new VirtualClock();
        const api = new FakeVpc(clock);
        api.exists = false;
        const err = await rejection(converge(AT, { name: "renamed" }, on(api, clock)));
        expect(err.name).to.equal("ConnectionNotFoundError");
        expect(errorKind(err)).to.equal("notFound");
        expect(api.modifies).to.have.length(0);
    });
});
