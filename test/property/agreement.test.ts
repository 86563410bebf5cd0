import { expect } from "chai";
import * as fc from "fast-check";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import { createVpcApi } from "../../provider/service/client";
import { fromSdkError, isServiceError } from "../../provider/service/errors";
import { buildModifyRequest, ModifyRequest } from "../../provider/model/requests";
import { checkInputs } from "../../provider/model/validation";
import { observedOf, REGION } from "./arbitraries/declarations";
import { dualProbes, Probe, singleProbes } from "./arbitraries/invalid";
import { DUAL_ID, SINGLE_ID } from "./arbitraries/observed";
import { emulatorForSuite } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
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
    // Algorithm and DH group names are passed through (docs/design.md, "Choices"): the page's lists miss names
    // the service reports (group24, sm3, sm4), so check refuses only what cannot be a name and the
    // service judges the rest; the emulator keeps the page's lists.
    ...Object.fromEntries(
        ["IkeEncAlg", "IkeAuthAlg", "IkePfs", "IpsecEncAlg", "IpsecAuthAlg", "IpsecPfs"].flatMap((field) =>
            [`${field} outside its list`, `tunnel ${field} outside its list`].map((rule) => [
                rule,
                "the service judges algorithm names",
            ]),
        ),
    ),
};

type Verdict = { accepted: true } | { accepted: false; code: string };

/** The connection a probe is declared against, as the emulator is seeded with it. */
function connectionOf(probe: Probe) {
    return probe.mode === "single" ? singleTunnelConnection(SINGLE_ID) : dualTunnelConnection(DUAL_ID);
}

/** The request the provider builds for the probe (undefined when nothing differs); throws when it refuses before any call. */
function requestFor(probe: Probe): ModifyRequest | undefined {
    const conn = connectionOf(probe);
    const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
    return buildModifyRequest(settings, desiredOf({ ...settings, ...probe.attributes }), observedOf(conn));
}

/**
 * The request for the emulator when the probe carries none: the provider's,
 * or, when the provider refuses before any call, the declared parameters as
 * they are if all are plain (a probe with config objects must carry `wire`).
 */
function requestOrPlain(probe: Probe): ModifyRequest | undefined {
    try {
        return requestFor(probe);
    } catch (err) {
        if (Object.values(probe.attributes).some((value) => typeof value === "object" && value !== null)) {
            throw err;
        }
        return { regionId: REGION, vpnConnectionId: connectionOf(probe).VpnConnectionId, ...probe.attributes };
    }
}

/** Why the provider refuses a probe: check's failures, or what it refuses before any call (diff at preview, create, update). */
function providerRefusal(probe: Probe): string | undefined {
    const { failures } = checkInputs({
        regionId: REGION,
        vpnConnectionId: connectionOf(probe).VpnConnectionId,
        ...probe.attributes,
    });
    if (failures.length > 0) {
        return JSON.stringify(failures);
    }
    try {
        requestFor(probe);
        return undefined;
    } catch (err) {
        return (err as Error).message;
    }
}

/**
 * Property 5: on declarations that break one rule each, the provider (check,
 * then its refusals before any call) and the emulator (the provider's and the
 * emulator's readings of the API page) agree on accept or reject. The
 * emulator gets the request the provider would build from the declaration,
 * over HTTP, or the probe's own request when the provider builds none.
 */
describe("property: check and the emulator agree on invalid declarations", function () {
    this.timeout(120_000);
    const current = emulatorForSuite({ taskDurationMs: 20 });

    async function emulatorVerdict(probe: Probe): Promise<Verdict | undefined> {
        const session = current();
        const conn = connectionOf(probe);
        const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
        const request = probe.wire ? ({ ...settings, ...probe.wire } as ModifyRequest) : requestOrPlain(probe);
        if (!request) {
            return undefined;
        }
        await session.admin.reset();
        await session.admin.seed(conn);
        const api = createVpcApi({
            ...settings,
            endpoint: session.emulator.endpoint,
            credentials: {
                accessKeyId: session.emulator.accessKeyId,
                accessKeySecret: session.emulator.accessKeySecret,
                source: "test",
            },
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

    it("the provider refuses exactly what the emulator refuses, but for the listed intended differences", async () => {
        await check(
            fc.asyncProperty(fc.oneof(singleProbes, dualProbes), async (probe) => {
                const refusal = providerRefusal(probe);
                const emulator = await emulatorVerdict(probe);
                expect(emulator, `no request can carry ${JSON.stringify(probe.attributes)}`).to.not.equal(undefined);
                const providerAccepts = refusal === undefined;
                if (providerAccepts === emulator?.accepted || INTENDED_DIFFERENCES[probe.rule] !== undefined) {
                    return;
                }
                expect.fail(
                    `${probe.rule}: the provider ${providerAccepts ? "accepts" : `refuses (${refusal})`}, ` +
                        `the emulator ${emulator?.accepted ? "accepts" : `refuses (${emulator && !emulator.accepted && emulator.code})`}`,
                );
            }),
            300,
        );
    });
});
