import { expect } from "chai";
import * as fc from "fast-check";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { compareAttributes } from "../../provider/model/diffing";
import { subnetNetworks } from "../../provider/model/ipv4";
import { redact, WITHHELD } from "../../provider/foundation/redaction";
import { CheckedInputs, DesiredAttributes, ObservedConnection } from "../../provider/model/types";
import { checkInputs } from "../../provider/model/validation";
import { declarationFor, observedOf } from "./arbitraries/declarations";
import { observedConnection } from "./arbitraries/observed";
import { emulatorForSuite } from "./support/emulatorSession";
import { check } from "./support/fcSettings";
import { READING_CASES, runsPerReading } from "./support/readings";
import { declaredLeaves, undeclared } from "./support/leaves";
import { desiredOf, expectedRefusals, outOfReach } from "./support/skips";

/** The PSKs the connection holds and the program declares: what the provider redacts from its messages. */
function pskValues(observed: ObservedConnection, desired: DesiredAttributes): string[] {
    const configs = [
        observed.ikeConfig,
        desired.ikeConfig,
        ...(observed.tunnelOptionsSpecification ?? []).map((t) => t.tunnelIkeConfig),
        ...(desired.tunnelOptionsSpecification ?? []).map((t) => t.tunnelIkeConfig),
    ];
    return configs.flatMap((config) => (config?.psk ? [config.psk] : []));
}

/** Whether the connection, or a tunnel of it, reports no IKE version (an empty IKE config reads as none). */
function lacksIkeVersion(observed: ObservedConnection): boolean {
    const configs =
        observed.mode === "single"
            ? [observed.ikeConfig]
            : (observed.tunnelOptionsSpecification ?? []).map((t) => t.tunnelIkeConfig);
    return configs.some((config) => config?.ikeVersion === undefined);
}

function networksOf(path: string, value: unknown): unknown {
    const networks = path === "localSubnet" || path === "remoteSubnet" ? subnetNetworks(value) : undefined;
    return networks ? [...networks].sort() : value;
}

/**
 * Property 1: the provider and the emulator are two readings of the API page;
 * every declaration check accepts, applied through the provider over real
 * HTTP, must be a request the emulator accepts and must leave the connection
 * with exactly the declared values changed.
 */
for (const { label, readings } of READING_CASES) {
    describe(`property: differential apply (provider over HTTP to the emulator), under ${label}`, function () {
        this.timeout(240_000);
        const current = emulatorForSuite({ taskDurationMs: 20, readings });

        it("every accepted declaration is applied: the service validates the request, reports the declared values and keeps the rest", async () => {
            const session = current();
            const cases = observedConnection.chain((conn) => fc.tuple(fc.constant(conn), declarationFor(conn)));
            await check(
                fc.asyncProperty(cases, async ([conn, decl]) => {
                    // A short deadline: a case that does not converge fails in seconds, not in the default 30 minutes.
                    const { inputs, failures } = checkInputs({ ...decl, timeoutSeconds: 5 });
                    fc.pre(failures.length === 0);
                    const before = observedOf(conn);
                    const desired = desiredOf(inputs);
                    fc.pre(!outOfReach(desired, before));
                    // Under resetOmitted an IKE config that reports no version gets the default ikev1 when sent,
                    // which the IKEv1 rule may then refuse: a value no request can keep, since none is known.
                    fc.pre(!readings.includes("resetOmitted") || !lacksIkeVersion(before));

                    await session.admin.reset();
                    await session.admin.seed(conn);
                    const provider = new VpnAttachmentAttributeProvider();
                    let failed = false;
                    let failure: unknown;
                    await provider.create(inputs as unknown as CheckedInputs).catch((err: unknown) => {
                        failed = true;
                        failure = err;
                    });
                    const modifies = (await session.admin.calls()).filter(
                        (c) => c.action === "ModifyVpnAttachmentAttribute",
                    );
                    const refused = modifies
                        .filter((c) => c.code !== "OK")
                        .map((c) => `${c.code} for ${JSON.stringify(c.params)}`);
                    expect(refused, "the emulator refused the provider's request").to.deep.equal([]);
                    const refusals = expectedRefusals(desired, before);
                    if (refusals.length > 0) {
                        expect(modifies, "a request the provider must refuse was sent").to.deep.equal([]);
                        const message = failure instanceof Error ? failure.message : String(failure);
                        // A refusal that quotes a PSK (a short one occurs in almost any text) is withheld whole; that no
                        // Modify was sent is checked above.
                        const secrets = pskValues(before, desired);
                        const found =
                            message.includes(WITHHELD) ||
                            refusals.some((text) => message.includes(redact(text, secrets)));
                        expect(found, `refused with ${message}, expected one of ${refusals.join(" | ")}`).to.equal(
                            true,
                        );
                        return;
                    }
                    if (failed) {
                        throw failure;
                    }
                    expect(modifies.length).to.be.at.most(1);

                    const after = observedOf(await session.admin.get(conn.VpnConnectionId));
                    // autoConfigRoute is write-only: Describe never reports it.
                    const { autoConfigRoute: _writeOnly, ...reported } = desired;
                    expect(
                        compareAttributes(reported, after),
                        "declared values the connection does not report",
                    ).to.deep.equal([]);
                    const declared = declaredLeaves(desired, before);
                    const was = undeclared(before, declared);
                    const now = undeclared(after, declared);
                    // A service that resets what a request omits fills in a default where the connection had
                    // no value, which no request could carry: only the values it had must be kept.
                    const compared = readings.includes("resetOmitted")
                        ? Object.keys(was).filter((path) => was[path] !== undefined)
                        : Object.keys({ ...was, ...now });
                    // Subnets as sets of networks: with every Modify the provider sends the subnets as Describe
                    // reports them, which under canonical is without host bits, the same networks.
                    const pick = (leaves: Record<string, unknown>) =>
                        Object.fromEntries(compared.map((path) => [path, networksOf(path, leaves[path])]));
                    expect(pick(now), "attributes the program did not declare").to.deep.equal(pick(was));
                }),
                runsPerReading(60),
            );
        });
    });
}
