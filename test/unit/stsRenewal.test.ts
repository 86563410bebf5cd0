import { expect } from "chai";
import { converge } from "../../provider/apply/converge";
import { renewingCredentials } from "../../provider/credentials/renewal";
import { signedPerCall } from "../../provider/service/signedPerCall";
import type { ResolvedCredentials } from "../../provider/credentials/sources";
import { assumeRole, type AssumeRoleCall } from "../../provider/credentials/sts";
import type { VpcApi } from "../../provider/service/client";
import { ServiceError } from "../../provider/foundation/errors";
import { FakeVpc, withoutJitter } from "./fakeVpc";
import { VirtualClock } from "./virtualClock";

const SESSION_S = 900;
const STUCK_MS = 16 * 60_000;
let roles = 0;

/**
 * The reproduction: a 900 s AssumeRole session, and a task that runs 16
 * minutes after the Modify was accepted. The fake service refuses a call
 * signed with keys past their expiry, as the real one does.
 */
function scenario(clock: VirtualClock) {
    let assumed = 0;
    const call: AssumeRoleCall = (base) => {
        assumed++;
        return Promise.resolve({
            accessKeyId: `STS.key-${assumed}`,
            accessKeySecret: `secret-${assumed}`,
            securityToken: `token-${assumed}`,
            source: `a role assumed with ${base.source}`,
            expiresAt: clock.now() + SESSION_S * 1000,
        });
    };
    const role = {
        roleArn: `acs:ram::1234567890123456:role/renewal-${++roles}`,
        source: "test",
        durationSeconds: SESSION_S,
    };
    const base = { accessKeyId: "LTAI-base", accessKeySecret: "base-secret", source: "the test" };
    const resolve = (): Promise<ResolvedCredentials> => assumeRole(base, role, {}, clock, call);

    const vpc = new FakeVpc(clock);
    const service = (credentials: ResolvedCredentials): VpcApi => {
        const signed =
            <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
            (...args: A): Promise<R> =>
                credentials.expiresAt !== undefined && clock.now() >= credentials.expiresAt
                    ? Promise.reject(
                          new ServiceError({
                              code: "InvalidSecurityToken.Expired",
                              serviceMessage: "Specified SecurityToken is expired.",
                              statusCode: 400,
                          }),
                      )
                    : fn(...args);
        return {
            describeVpnConnection: signed(() => vpc.describeVpnConnection()),
            describeVpnConnections: signed(() => vpc.describeVpnConnections()),
            modifyVpnAttachmentAttribute: signed(
                async (request: Parameters<VpcApi["modifyVpnAttachmentAttribute"]>[0]) => {
                    const accepted = await vpc.modifyVpnAttachmentAttribute(request);
                    vpc.busyUntil = clock.now() + STUCK_MS;
                    return accepted;
                },
            ),
        };
    };
    return { resolve, service, vpc, assumed: () => assumed };
}

describe("STS keys over a long operation", () => {
    withoutJitter();

    it("assumes the role again when a 900 s session would expire during a task stuck 16 minutes", async () => {
        const clock = new VirtualClock();
        const { resolve, service, vpc, assumed } = scenario(clock);
        const deadline = clock.now() + 30 * 60_000;
        const first = await resolve();
        const api = signedPerCall(renewingCredentials(first, resolve, clock, deadline), service);

        const result = await converge(
            { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" },
            { name: "renamed" },
            { api, clock, deadline, log: () => undefined, secrets: [] },
        );

        expect(result.observed.name).to.equal("renamed");
        expect(vpc.modifies).to.have.length(1);
        expect(assumed(), "AssumeRole calls").to.equal(2);
    });

    it("fails with InvalidSecurityToken.Expired when the keys are resolved once, as before", async () => {
        const clock = new VirtualClock();
        const { resolve, service, assumed } = scenario(clock);
        const deadline = clock.now() + 30 * 60_000;
        const first = await resolve();
        const api = signedPerCall(() => Promise.resolve(first), service);

        const err = await converge(
            { regionId: "cn-hangzhou", vpnConnectionId: "vco-steps" },
            { name: "renamed" },
            { api, clock, deadline, log: () => undefined, secrets: [] },
        ).then(
            () => expect.fail("converged with expired keys"),
            (e: Error) => e,
        );
        expect(err.message).to.match(/InvalidSecurityToken\.Expired/);
        expect(assumed()).to.equal(1);
    });

    it("renews no keys after the deadline", async () => {
        const clock = new VirtualClock();
        const { resolve } = scenario(clock);
        const first = await resolve();
        const credentials = renewingCredentials(first, resolve, clock, clock.now() + 60_000);
        clock.advance(SESSION_S * 1000);
        const err = await credentials().then(
            () => expect.fail("renewed after the deadline"),
            (e: Error) => e,
        );
        expect(err.message).to.match(
            /Renewing the temporary keys .* was not made: the deadline \(timeoutSeconds\) passed/,
        );
    });
});
