import { expect } from "chai";
import * as fc from "fast-check";
import { dualTunnelConnection, singleTunnelConnection } from "../../emulator/fixtures";
import type { SeedConnection } from "../../emulator/types";
import { createVpcApi } from "../../provider/service/client";
import { fromSdkError, isServiceError } from "../../provider/foundation/errors";
import { buildModifyRequest, ModifyRequest } from "../../provider/model/requests";
import { checkInputs } from "../../provider/model/validation";
import { observedOf, REGION } from "./arbitraries/declarations";
import { dualProbes, Probe, singleProbes } from "./arbitraries/invalid";
import { DUAL_ID, SINGLE_ID } from "./arbitraries/observed";
import { AUTHENTICATION, DH_GROUPS, ENCRYPTION, IPSEC_PFS } from "./arbitraries/values";
import { emulatorForSuite } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
import { desiredOf } from "./support/skips";

/**
 * Where check and the emulator are meant to answer differently, and why.
 * Keyed by the probe's rule. Every closed list (algorithms, DH groups, IKE
 * version and mode, NetworkType, health-check policy) is the page's in both,
 * so none is here.
 */
const INTENDED_DIFFERENCES: Record<string, string> = {
    // Whether a customer gateway exists is something only the service knows; check accepts
    // any id, and the service (like the emulator, for ids not shaped cgw-...) answers NotFound at `up`.
    "CustomerGatewayId not a customer gateway": "check cannot see which gateways exist",
    "tunnel CustomerGatewayId not a customer gateway": "check cannot see which gateways exist",
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
        const conn = connectionOf(probe);
        const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
        const request = probe.wire ? ({ ...settings, ...probe.wire } as ModifyRequest) : requestOrPlain(probe);
        return request && (await sent(conn, request));
    }

    /** The emulator's answer to a request on a connection seeded afresh. */
    async function sent(conn: SeedConnection, request: ModifyRequest): Promise<Verdict> {
        const session = current();
        const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
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

    /**
     * Property 5b: every value on a documented list (and the empty IKE
     * identifier, which the page does not refuse) passes check and is taken
     * by the emulator, declared on a connection that holds another value of
     * the same list, so the provider sends it.
     */
    it("every value on the documented lists is accepted by both", async () => {
        const lists: Array<{ config: "ike" | "ipsec" | "health"; api: string; field: string; values: string[] }> = [
            { config: "ike", api: "IkeVersion", field: "ikeVersion", values: ["ikev1", "ikev2"] },
            { config: "ike", api: "IkeMode", field: "ikeMode", values: ["main", "aggressive"] },
            { config: "ike", api: "IkeEncAlg", field: "ikeEncAlg", values: ENCRYPTION },
            { config: "ike", api: "IkeAuthAlg", field: "ikeAuthAlg", values: AUTHENTICATION },
            { config: "ike", api: "IkePfs", field: "ikePfs", values: DH_GROUPS },
            { config: "ike", api: "LocalId", field: "localId", values: ["", "47.0.0.1"] },
            { config: "ike", api: "RemoteId", field: "remoteId", values: ["", "peer.example"] },
            { config: "ipsec", api: "IpsecEncAlg", field: "ipsecEncAlg", values: ENCRYPTION },
            { config: "ipsec", api: "IpsecAuthAlg", field: "ipsecAuthAlg", values: AUTHENTICATION },
            { config: "ipsec", api: "IpsecPfs", field: "ipsecPfs", values: IPSEC_PFS },
            { config: "health", api: "Policy", field: "policy", values: ["revoke_route", "reserve_route"] },
        ];
        const cases = fc
            .constantFrom(...lists)
            .chain((list) =>
                fc.record({
                    list: fc.constant(list),
                    value: fc.constantFrom(...list.values),
                    held: fc.constantFrom(...list.values),
                    tunnel: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
                }),
            )
            .filter(({ list, value, held, tunnel }) => value !== held && !(list.config === "health" && tunnel > 0));
        await check(
            fc.asyncProperty(cases, async ({ list, value, held, tunnel }) => {
                const id = tunnel === 0 ? SINGLE_ID : DUAL_ID;
                const conn = tunnel === 0 ? singleTunnelConnection(id) : dualTunnelConnection(id);
                const declared = { [list.field]: value };
                let attributes: Record<string, unknown>;
                if (tunnel === 0) {
                    const block = { ike: "IkeConfig", ipsec: "IpsecConfig", health: "VcoHealthCheck" } as const;
                    const key = { ike: "ikeConfig", ipsec: "ipsecConfig", health: "healthCheckConfig" }[list.config];
                    Object.assign(conn[block[list.config]] ?? {}, { [list.api]: held });
                    attributes = { [key]: declared };
                } else {
                    const entry = conn.TunnelOptionsSpecification?.TunnelOptions?.[tunnel - 1];
                    const block = list.config === "ike" ? "TunnelIkeConfig" : "TunnelIpsecConfig";
                    Object.assign(entry?.[block] ?? {}, { [list.api]: held });
                    const key = list.config === "ike" ? "tunnelIkeConfig" : "tunnelIpsecConfig";
                    attributes = { tunnelOptionsSpecification: [{ tunnelIndex: tunnel, [key]: declared }] };
                }
                const settings = { regionId: REGION, vpnConnectionId: id };
                const { failures } = checkInputs({ ...settings, ...attributes });
                expect(failures, `check refuses ${list.field} ${JSON.stringify(value)}`).to.deep.equal([]);
                const request = buildModifyRequest(
                    settings,
                    desiredOf({ ...settings, ...attributes }),
                    observedOf(conn),
                );
                expect(request, `no request sends ${list.field} ${JSON.stringify(value)} over ${held}`).to.not.equal(
                    undefined,
                );
                expect(await sent(conn, request as ModifyRequest)).to.deep.equal({ accepted: true });
            }),
            150,
        );
    });
});
