import { expect } from "chai";
import * as fc from "fast-check";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { createVpcApi } from "../../provider/client";
import { fromSdkError, isServiceError } from "../../provider/errors";
import { buildModifyRequest, ModifyRequest } from "../../provider/requestBuilding";
import { checkInputs } from "../../provider/validation";
import { observedOf, REGION } from "./arbitraries/declarations";
import { dualProbes, Probe, singleProbes } from "./arbitraries/invalid";
import { DUAL_ID, SINGLE_ID } from "./arbitraries/observed";
import { emulatorForSuite } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
import { excluded } from "./support/known8";
import { desiredOf } from "./support/skips";

/**
 * Where check and the emulator are meant to answer differently, and why.
 * Keyed by the probe's rule.
 */
const INTENDED_DIFFERENCES: Record<string, string> = {
    // Whether a customer gateway exists is something only the service knows; check accepts
    // any id, and the service (like the emulator, for ids not shaped cgw-...) answers NotFound at `up`.
    "CustomerGatewayId not a customer gateway": "check cannot see which gateways exist",
    "tunnel CustomerGatewayId not a customer gateway": "check cannot see which gateways exist",
    // Which tunnels a connection has is the connection's business: create names a missing one
    // before any call (requestBuilding), the service answers InvalidTunnelId.NotFound.
    "TunnelId the connection does not have": "check cannot see the connection's tunnels",
};

type Verdict = { accepted: true } | { accepted: false; code: string };

/**
 * Property 5: on declarations that break one rule each, check and the
 * emulator (the provider's and the emulator's readings of the API page)
 * agree on accept or reject. The emulator gets the request the provider
 * would build from the declaration if check let it through, over HTTP.
 */
describe("property: check and the emulator agree on invalid declarations", function () {
    this.timeout(120_000);
    const current = emulatorForSuite({ taskDurationMs: 20 });

    async function emulatorVerdict(probe: Probe): Promise<Verdict | undefined> {
        const session = current();
        const conn = probe.mode === "single" ? singleTunnelConnection(SINGLE_ID) : dualTunnelConnection(DUAL_ID);
        const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
        const request = probe.wire
            ? ({ ...settings, ...probe.wire } as ModifyRequest)
            : buildModifyRequest(settings, desiredOf({ ...settings, ...probe.attributes }), observedOf(conn));
        if (!request) {
            return undefined;
        }
        await session.admin.reset();
        await session.admin.seed(conn);
        const api = createVpcApi({
            ...settings,
            endpoint: session.emulator.endpoint,
            credentials: { accessKeyId: session.emulator.accessKeyId, accessKeySecret: session.emulator.accessKeySecret, source: "test" },
        });
        try {
            await api.modifyVpnAttachmentAttribute(request);
            return { accepted: true };
        } catch (err) {
            const e = fromSdkError(err);
            if (isServiceError(e) && e.statusCode !== undefined && e.statusCode < 500) {
                return { accepted: false, code: e.code };
            }
            throw err;
        }
    }

    it("check refuses exactly what the emulator refuses, but for the listed intended differences", async () => {
        await check(
            fc.asyncProperty(fc.oneof(singleProbes, dualProbes), async (probe) => {
                const id = probe.mode === "single" ? SINGLE_ID : DUAL_ID;
                const { failures } = checkInputs({ regionId: REGION, vpnConnectionId: id, ...probe.attributes });
                const emulator = await emulatorVerdict(probe);
                expect(emulator, `no request can carry ${JSON.stringify(probe.attributes)}`).to.not.equal(undefined);
                const checkAccepts = failures.length === 0;
                if (checkAccepts === emulator?.accepted || INTENDED_DIFFERENCES[probe.rule] !== undefined) {
                    return;
                }
                if (probe.known !== undefined) {
                    fc.pre(!excluded(probe.known, true));
                }
                expect.fail(
                    `${probe.rule}: check ${checkAccepts ? "accepts" : `refuses (${JSON.stringify(failures)})`}, ` +
                        `the emulator ${emulator?.accepted ? "accepts" : `refuses (${emulator && !emulator.accepted && emulator.code})`}`,
                );
            }),
            300,
        );
    });
});
