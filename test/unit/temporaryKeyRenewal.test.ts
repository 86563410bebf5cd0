import { expect } from "chai";
import { renewingCredentials } from "../../provider/credentials/renewal";
import { signedPerCall } from "../../provider/service/signedPerCall";
import type { ResolvedCredentials } from "../../provider/credentials/sources";
import { RENEW_BEFORE_MS } from "../../provider/credentials/sts";
import type { VpcApi } from "../../provider/service/client";
import { VirtualClock } from "./virtualClock";

/**
 * When an operation's keys are renewed: keys without an expiry never, others
 * once they expire within the renewal margin, with one renewal shared by the
 * calls that need it at the same moment, and each API call signed with the
 * keys of its own moment.
 */
const HOUR_MS = 3600_000;

function keys(n: number, expiresAt?: number): ResolvedCredentials {
    return { accessKeyId: `STS.key-${n}`, accessKeySecret: `secret-${n}`, source: `session ${n}`, expiresAt };
}

describe("temporary key renewal", () => {
    let clock: VirtualClock;
    let renewals: number;
    /** Each renewal gives keys for one more hour. */
    const renew = (): Promise<ResolvedCredentials> => {
        renewals++;
        return Promise.resolve(keys(renewals + 1, clock.now() + HOUR_MS));
    };

    beforeEach(() => {
        clock = new VirtualClock();
        renewals = 0;
    });

    it("never renews keys that do not expire", async () => {
        const first = { accessKeyId: "LTAI-static", accessKeySecret: "static-secret", source: "Pulumi config" };
        const credentials = renewingCredentials(first, renew, clock, clock.now() + 10 * HOUR_MS);
        clock.advance(5 * HOUR_MS);
        expect(await credentials()).to.equal(first);
        expect(renewals).to.equal(0);
    });

    it("keeps keys until they expire within the margin, then renews them", async () => {
        const first = keys(1, clock.now() + RENEW_BEFORE_MS + 1);
        const credentials = renewingCredentials(first, renew, clock, clock.now() + HOUR_MS);
        expect(await credentials()).to.equal(first);
        expect(renewals).to.equal(0);
        clock.advance(1);
        expect((await credentials()).accessKeyId).to.equal("STS.key-2");
        expect(renewals).to.equal(1);
    });

    it("shares one renewal among calls that need it together, and renews again when the new keys near their end", async () => {
        const credentials = renewingCredentials(keys(1, clock.now()), renew, clock, clock.now() + 10 * HOUR_MS);
        const together = await Promise.all([credentials(), credentials(), credentials()]);
        expect(together.map((k) => k.accessKeyId)).to.deep.equal(["STS.key-2", "STS.key-2", "STS.key-2"]);
        expect(renewals).to.equal(1);
        clock.advance(HOUR_MS - RENEW_BEFORE_MS);
        expect((await credentials()).accessKeyId).to.equal("STS.key-3");
        expect(renewals).to.equal(2);
    });

    it("signs each call with the keys of its moment, passing its arguments on", async () => {
        const calls: string[] = [];
        let n = 0;
        const current = (): Promise<ResolvedCredentials> => Promise.resolve(keys(++n));
        const connect = (signing: ResolvedCredentials): VpcApi => ({
            describeVpnConnection: (region, id) => {
                calls.push(`describe ${region} ${id} with ${signing.accessKeyId}`);
                return Promise.resolve({ VpnConnectionId: id });
            },
            describeVpnConnections: (region, page, size) => {
                calls.push(`list ${region} ${page}x${size} with ${signing.accessKeyId}`);
                return Promise.resolve({ TotalCount: 0 });
            },
            modifyVpnAttachmentAttribute: (request) => {
                calls.push(`modify ${request.vpnConnectionId} with ${signing.accessKeyId}`);
                return Promise.resolve({ requestId: "req-1", body: {} });
            },
        });
        const api = signedPerCall(current, connect);
        expect(await api.describeVpnConnection("cn-hangzhou", "vco-1")).to.deep.equal({ VpnConnectionId: "vco-1" });
        expect(await api.describeVpnConnections("cn-hangzhou", 2, 50)).to.deep.equal({ TotalCount: 0 });
        const request = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" } as Parameters<
            VpcApi["modifyVpnAttachmentAttribute"]
        >[0];
        expect(await api.modifyVpnAttachmentAttribute(request)).to.deep.equal({ requestId: "req-1", body: {} });
        expect(calls).to.deep.equal([
            "describe cn-hangzhou vco-1 with STS.key-1",
            "list cn-hangzhou 2x50 with STS.key-2",
            "modify vco-1 with STS.key-3",
        ]);
    });
});
