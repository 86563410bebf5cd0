import { expect } from "chai";
import * as fc from "fast-check";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { diffResource } from "../../provider/model/diffing";
import { inputsFromOutputs, observedToOutputs } from "../../provider/model/pulumiState";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { declarationFor, observedOf, REGION, withUnknowns } from "./arbitraries/declarations";
import { observedConnection } from "./arbitraries/observed";
import { emulatorForSuite } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
import { desiredOf } from "./support/skips";

const cases = observedConnection.chain((conn) => fc.tuple(fc.constant(conn), declarationFor(conn)));

/**
 * Property 2: whatever a connection holds reads back as inputs that check
 * accepts and that diff finds equal to it, for any set of managed fields:
 * `refresh` followed by `up` must never show a change nobody made.
 */
describe("property: round trip (read, outputs, inputs, check, diff)", function () {
    this.timeout(120_000);
    const current = emulatorForSuite();

    it("a refreshed connection's inputs pass check and diff against it shows no change", async () => {
        const session = current();
        await check(
            fc.asyncProperty(cases, async ([conn, decl]) => {
                await session.admin.reset();
                await session.admin.seed(conn);
                // The state an earlier create or refresh of this connection left; which fields are
                // managed is what matters here, not whether the declared values pass check.
                const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
                const state = observedToOutputs(observedOf(conn), settings, desiredOf(decl));

                const provider = new VpnAttachmentAttributeProvider();
                const refreshed = await provider.read(conn.VpnConnectionId, state);
                const inputs = refreshed.inputs as Record<string, unknown>;
                const { inputs: checked, failures } = checkInputs(inputs);
                expect(failures, `check refuses what the connection reports: ${JSON.stringify(inputs)}`).to.deep.equal(
                    [],
                );
                // Declared PSKs come back as the top-level psk/tunnelPsks inputs the resource class passes, so the refreshed state is compared as it is.
                const diff = diffResource(refreshed.props as AttributeOutputs, checked as unknown as CheckedInputs);
                expect(diff).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
            }),
            100,
        );
    });
});

/**
 * Preview: values not known yet are never validated and always count as a
 * possible change. The declaration is the connection's own values (what a
 * refresh reads back), so without the unknowns diff would show nothing.
 */
describe("property: declarations with unknowns at preview", function () {
    it("check accepts them and diff reports a change", async () => {
        const previews = cases
            .map(([conn, decl]) => {
                const settings = { regionId: REGION, vpnConnectionId: conn.VpnConnectionId };
                const state = observedToOutputs(observedOf(conn), settings, desiredOf(checkInputs(decl).inputs));
                return { state, current: inputsFromOutputs(state) };
            })
            .chain(({ state, current }) => fc.tuple(fc.constant(state), withUnknowns(current)));
        await check(
            fc.property(previews, ([state, { decl, unknownPaths }]) => {
                fc.pre(unknownPaths.length > 0);
                const { inputs, failures } = checkInputs(decl);
                expect(failures, `unknown at ${unknownPaths.join(", ")}`).to.deep.equal([]);
                const diff = diffResource(state, inputs as unknown as CheckedInputs);
                expect(diff.changes, `unknown at ${unknownPaths.join(", ")} shows no change`).to.equal(true);
            }),
            300,
        );
    });
});
