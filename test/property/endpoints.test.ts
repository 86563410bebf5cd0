import { expect } from "chai";
import * as fc from "fast-check";
import { checkInputs } from "../../provider/model/validation";
import { resolveEndpoint } from "../../provider/foundation/endpoint";
import { check } from "./support/fcSettings";

/** Endpoint texts from their parts, well-formed or not; the secret-looking parts say `SeCrEt`. */
const endpointText = fc
    .tuple(
        fc.constantFrom("", "http://", "https://", "HTTPS://", "ftp://"),
        fc.constantFrom("", "SeCrEtU@", "u:SeCrEtP@"),
        fc.constantFrom("127.0.0.1", "localhost", "vpc.cn-shanghai.aliyuncs.com", "[::1]", "10.0.0.5", "a b", "[::1"),
        fc.constantFrom("", ":9000", ":99999", ":x"),
        fc.constantFrom("", "/", "/p"),
        fc.constantFrom("", "?", "?token=SeCrEtQ"),
        fc.constantFrom("", "#", "#SeCrEtF"),
    )
    .map((parts) => parts.join(""));

/**
 * Check refuses exactly the endpoint inputs the call would refuse, so a
 * preview passes only what `up` accepts; and neither quotes user-info, a
 * query or a fragment.
 */
describe("property: check and the call agree on endpoints", () => {
    it("refuses an endpoint at check exactly when the call refuses it, quoting no secret part", async () => {
        await check(
            fc.property(endpointText, (endpoint) => {
                const refusal = (
                    checkInputs({ regionId: "cn-hangzhou", vpnConnectionId: "vco-1", endpoint }).failures ?? []
                ).find((f) => f.property === "endpoint");
                let thrown: Error | undefined;
                try {
                    resolveEndpoint("cn-hangzhou", endpoint, process.env, () => undefined);
                } catch (err) {
                    thrown = err as Error;
                }
                expect(refusal !== undefined, `check refuses ${endpoint}`).to.equal(thrown !== undefined);
                expect(`${refusal?.reason ?? ""} ${thrown?.message ?? ""}`).to.not.include("SeCrEt");
            }),
            500,
        );
    });
});
