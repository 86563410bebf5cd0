import { expect } from "chai";
import * as fc from "fast-check";
import { sameSubnets } from "../../provider/model/ipv4";
import { previewChanges } from "../../provider/model/previewPaths";
import { desiredFromInputs, observedToOutputs, settingsOf } from "../../provider/model/pulumiState";
import { buildModifyRequest } from "../../provider/model/requests";
import { CheckedInputs } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { declarationFor, observedOf } from "./arbitraries/declarations";
import { observedConnection } from "./arbitraries/observed";
import { check } from "./support/fcSettings";

const cases = observedConnection.chain((conn) => fc.tuple(fc.constant(conn), declarationFor(conn)));

/** The request's attribute a preview path belongs to: a PSK's secret input goes with its config or tunnel. */
function attributeOf(path: string): string {
    const top = /^[^.[]+/.exec(path)?.[0] ?? path;
    return top === "psk" ? "ikeConfig" : top === "tunnelPsks" ? "tunnelOptionsSpecification" : top;
}

/**
 * The preview names exactly the attributes the Modify would change: for any
 * connection and any declaration check accepts, from a state that has the
 * connection's values, the attributes of previewChanges' paths are the
 * request's parameters but the subnets that go along unchanged, and no path
 * is named when no request is needed.
 */
describe("property: the preview names what the Modify carries", function () {
    this.timeout(120_000);

    it("previewChanges' attributes equal buildModifyRequest's parameters", async () => {
        await check(
            fc.property(cases, ([conn, decl]) => {
                const { inputs, failures } = checkInputs(decl);
                fc.pre(failures.length === 0);
                const news = inputs as unknown as CheckedInputs;
                const observed = observedOf(conn);
                const state = observedToOutputs(observed, settingsOf(news), {});
                let request: Record<string, unknown> | undefined;
                try {
                    request = buildModifyRequest(settingsOf(news), desiredFromInputs(news), observed);
                } catch {
                    // A declaration the provider refuses before sending (no PSK to keep, a tunnel it lacks): nothing is sent.
                    fc.pre(false);
                }
                // Both subnets go with every Modify as the service's context (docs/service-readings.md): one
                // that holds the connection's own networks is not a change, and the preview does not name it.
                const context = (k: string) =>
                    (k === "localSubnet" || k === "remoteSubnet") &&
                    sameSubnets(request?.[k], (observed as unknown as Record<string, unknown>)[k]);
                const sent = Object.keys(request ?? {}).filter(
                    (k) => k !== "regionId" && k !== "vpnConnectionId" && !context(k),
                );
                const shown = previewChanges(state, news).map((c) => attributeOf(c.path));
                expect([...new Set(shown)].sort()).to.deep.equal(sent.sort());
            }),
            200,
        );
    });
});
