import { expect } from "chai";
import * as Credentials from "@alicloud/credentials";
import { type CredentialPlan, ecsRolePlan, realize, uriPlan } from "../../provider/credentials/sources";
import { errorKind } from "../../provider/foundation/errors";
import { withEnv } from "../support/environment";

const SOURCE = "the credentials URI (alicloud:credentialsUri)";
const SECRET = "library-secret-value";

/**
 * A plan whose library provider answers or fails as given: the messages are
 * those @alicloud/credentials' URI and ECS RAM role providers throw; the ECS
 * metadata service (100.100.100.200) is not reachable from a test.
 */
function answering(getCredentials: () => Promise<unknown>): CredentialPlan {
    return { kind: "library", source: SOURCE, make: () => ({ getCredentials }) as never };
}

async function failure(plan: CredentialPlan): Promise<Error> {
    return realize(plan, {}).then(
        () => expect.fail("got credentials"),
        (e: Error) => e,
    );
}

describe("credentials from @alicloud/credentials' providers", () => {
    describe("the ECS RAM role", () => {
        it("asks the library's ECS RAM role provider for the named role", async () => {
            const plan = ecsRolePlan("vpn-deployer", "alicloud:ecsRoleName", {});
            expect(plan).to.include({ kind: "library", source: 'ECS RAM role "vpn-deployer" (alicloud:ecsRoleName)' });
            let provider: unknown;
            // The library's builder refuses while the test environment switches the metadata service off.
            await withEnv({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: undefined }, () => {
                provider = (plan as Extract<CredentialPlan, { kind: "library" }>).make(Credentials);
            });
            expect(provider).to.be.an.instanceOf(Credentials.ECSRAMRoleCredentialsProvider);
            expect(provider).to.include({ roleName: "vpn-deployer" });
        });

        it("is refused, naming both settings, when the metadata service is switched off", () => {
            for (const value of ["true", " TRUE "]) {
                expect(() =>
                    ecsRolePlan("vpn-deployer", "ALICLOUD_ECS_ROLE_NAME", {
                        ALIBABA_CLOUD_ECS_METADATA_DISABLED: value,
                    }),
                ).to.throw(
                    'ALICLOUD_ECS_ROLE_NAME selects the ECS RAM role "vpn-deployer", but ALIBABA_CLOUD_ECS_METADATA_DISABLED=true ' +
                        "turns off the ECS metadata service that role's keys come from: unset one of the two",
                );
            }
            expect(ecsRolePlan("r", "s", { ALIBABA_CLOUD_ECS_METADATA_DISABLED: "false" }).kind).to.equal("library");
        });
    });

    describe("the credentials URI", () => {
        it("takes an http or https URL, and names the setting of anything else", () => {
            for (const uri of ["http://127.0.0.1:8080/c", "https://credentials.example.com/c"]) {
                expect(uriPlan(uri, "alicloud:credentialsUri")).to.include({ kind: "library", source: SOURCE });
            }
            expect(() => uriPlan("not a url", "ALICLOUD_CREDENTIALS_URI")).to.throw(
                /^ALICLOUD_CREDENTIALS_URI is not a URL$/,
            );
            expect(() => uriPlan("ftp://example.com/c", "ALICLOUD_CREDENTIALS_URI")).to.throw(
                /^ALICLOUD_CREDENTIALS_URI must be an http or https URL$/,
            );
        });
    });

    describe("what the provider answered", () => {
        it("signs with the key pair, and the token only when there is one", async () => {
            const withToken = answering(() =>
                Promise.resolve({ accessKeyId: "STS.a", accessKeySecret: SECRET, securityToken: "T" }),
            );
            expect(await realize(withToken, {})).to.deep.equal({
                accessKeyId: "STS.a",
                accessKeySecret: SECRET,
                securityToken: "T",
                source: SOURCE,
            });
            const without = answering(() => Promise.resolve({ accessKeyId: "AK", accessKeySecret: SECRET }));
            expect(await realize(without, {})).to.deep.equal({
                accessKeyId: "AK",
                accessKeySecret: SECRET,
                source: SOURCE,
            });
        });

        it("refuses an answer without both halves of the key pair", async () => {
            for (const answer of [
                { accessKeyId: "AK", accessKeySecret: "" },
                { accessKeyId: "", accessKeySecret: SECRET },
            ]) {
                const err = await failure(answering(() => Promise.resolve(answer)));
                expect(err.message).to.equal(`could not get credentials from ${SOURCE}: the answer has no key pair`);
                expect(errorKind(err)).to.equal("credentials");
            }
        });

        it("says how the provider failed without quoting its message, which can hold keys", async () => {
            const cases: [Error, string][] = [
                [
                    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
                    "the connection failed (ECONNREFUSED)",
                ],
                [
                    new Error(`get sts token failed, httpStatus: 500, message = {"AccessKeySecret":"${SECRET}"}.`),
                    "the answer was HTTP 500",
                ],
                [new Error("get metadata token failed with 403"), "the answer was HTTP 403"],
                [
                    Object.assign(new Error(`get sts token failed, json parse failed: x, result: ${SECRET}.`), {
                        code: "ERR_PARSE",
                    }),
                    "the answer was not JSON with AccessKeyId, AccessKeySecret and SecurityToken",
                ],
                [
                    Object.assign(new Error(`error retrieving credentials from credentialsURI result: ${SECRET}.`), {
                        code: "NOTREADY",
                    }),
                    "the answer was not JSON with AccessKeyId, AccessKeySecret and SecurityToken",
                ],
                // A rejection without an Error at all.
                [
                    undefined as unknown as Error,
                    "the answer was not JSON with AccessKeyId, AccessKeySecret and SecurityToken",
                ],
            ];
            for (const [thrown, explained] of cases) {
                const err = await failure(answering(() => Promise.reject(thrown)));
                expect(err.message, String(thrown)).to.equal(`could not get credentials from ${SOURCE}: ${explained}`);
                expect(errorKind(err)).to.equal("credentials");
            }
        });
    });
});
