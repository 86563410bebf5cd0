import { expect } from "chai";
import { credentialPlan, resolveCredentials } from "../../provider/credentials/resolution";
import { CHAIN_VARIABLES, cleanEnvironment, isolatedChain } from "../support/environment";
import { messageOf, rejection } from "../support/failures";

/**
 * Static key pairs from config and the ALICLOUD_* variables, the resource's
 * role override, and the Alibaba Cloud default chain: which keys sign, and the
 * exact message when they cannot, never quoting a key.
 */
const SECRET = "s3cr3t-never-print";
const TOKEN = "sts-token-never-print";
const ROLE = "acs:ram::1234567890123456:role/deployer";
const OTHER_ROLE = "acs:ram::6543210987654321:role/other";

describe("key pairs and the default chain", () => {
    cleanEnvironment(CHAIN_VARIABLES, isolatedChain);

    it("refuses alicloud:assumeRoleWithOidc, saying what to set instead", () => {
        expect(messageOf(() => credentialPlan({ assumeRoleWithOidc: "{}" }, {}))).to.equal(
            "alicloud:assumeRoleWithOidc is not supported by this provider; for an OIDC role set " +
                "ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE instead",
        );
    });

    describe("half a pair", () => {
        const cases: Array<[Record<string, string>, Record<string, string>, string]> = [
            [
                { secretKey: SECRET },
                {},
                "Pulumi config sets alicloud:secretKey but not alicloud:accessKey: set both, or neither to use another source",
            ],
            [
                { accessKey: "AK", securityToken: TOKEN },
                {},
                "Pulumi config sets alicloud:accessKey but not alicloud:secretKey: set both, or neither to use another source",
            ],
            [
                { securityToken: TOKEN },
                {},
                "Pulumi config sets alicloud:securityToken but not alicloud:accessKey and alicloud:secretKey: a security token needs the STS key pair it belongs to",
            ],
            [
                {},
                { ALICLOUD_SECRET_KEY: SECRET },
                "environment sets ALICLOUD_SECRET_KEY but not ALICLOUD_ACCESS_KEY: set both, or neither to use another source",
            ],
            [
                {},
                { ALICLOUD_ACCESS_KEY: "AK" },
                "environment sets ALICLOUD_ACCESS_KEY but not ALICLOUD_SECRET_KEY: set both, or neither to use another source",
            ],
        ];
        for (const [config, env, expected] of cases) {
            it(`is refused: ${expected.split(": ")[0]}`, () => {
                expect(messageOf(() => credentialPlan(config, env))).to.equal(expected);
            });
        }
    });

    describe("the resource's assumeRoleArn", () => {
        it("is assumed on its own when the provider names no role", () => {
            const plan = credentialPlan(
                { accessKey: "AK", secretKey: SECRET },
                {},
                { assumeRoleArn: ` ${OTHER_ROLE} ` },
            );
            expect(plan.kind === "role" && plan.role).to.deep.equal({
                roleArn: OTHER_ROLE,
                source: "the resource's assumeRoleArn input",
            });
        });

        it("takes the provider's session length but not its policy or external ID", () => {
            const config = {
                accessKey: "AK",
                secretKey: SECRET,
                assumeRole: JSON.stringify({
                    roleArn: ROLE,
                    sessionExpiration: 1800,
                    policy: '{"Version":"1"}',
                    externalId: "ext-1",
                }),
            };
            const plan = credentialPlan(config, {}, { assumeRoleArn: OTHER_ROLE });
            expect(plan.kind === "role" && plan.role).to.deep.equal({
                roleArn: OTHER_ROLE,
                durationSeconds: 1800,
                source: "the resource's assumeRoleArn input",
            });
        });
    });

    describe("the default chain", () => {
        it("signs with its keys and no token when it gives none", async () => {
            process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "AK-chain";
            process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SECRET;
            expect(await resolveCredentials({}, {})).to.deep.equal({
                accessKeyId: "AK-chain",
                accessKeySecret: SECRET,
                source: "the Alibaba Cloud default credential chain (default/env)",
            });
        });

        it("refuses a blank key or secret from it like no credentials at all", async () => {
            for (const [id, secret] of [
                ["  ", SECRET],
                ["AK-chain", "  "],
            ]) {
                process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = id;
                process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = secret;
                const err = await rejection(resolveCredentials({}, {}));
                expect(err.message).to.match(/^No Alibaba Cloud credentials found/);
                expect(err.message).to.not.include(SECRET);
            }
        });

        it("lists every way to provide credentials, and says when ECS metadata is switched off", async () => {
            const ways = [
                "No Alibaba Cloud credentials found. Provide them in one of these ways:",
                "  - Pulumi config: alicloud:accessKey and alicloud:secretKey (as secrets), plus alicloud:securityToken for STS",
                "  - environment: ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY, plus ALICLOUD_SECURITY_TOKEN for STS",
                "  - a profile of the Alibaba Cloud CLI's config.json: alicloud:profile or ALICLOUD_PROFILE, in alicloud:sharedCredentialsFile or ALICLOUD_SHARED_CREDENTIALS_FILE (default ~/.aliyun/config.json)",
                "  - a credentials URI: alicloud:credentialsUri or ALICLOUD_CREDENTIALS_URI",
                "  - an ECS RAM role by name: alicloud:ecsRoleName or ALICLOUD_ECS_ROLE_NAME",
                "  - environment: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, plus ALIBABA_CLOUD_SECURITY_TOKEN for STS",
                "  - OIDC role: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                "  - Alibaba Cloud CLI profile in ~/.aliyun/config.json (pick one with ALIBABA_CLOUD_PROFILE)",
                "  - credentials file ~/.alibabacloud/credentials, or the file named by ALIBABA_CLOUD_CREDENTIALS_FILE",
                "  - ECS RAM role of the instance this runs on (ALIBABA_CLOUD_ECS_METADATA names the role)",
                "  - a credentials URI: ALIBABA_CLOUD_CREDENTIALS_URI",
            ];
            expect((await rejection(resolveCredentials({}, {}))).message).to.equal(ways.join("\n"));
            const off = [...ways];
            off[10] += "; disabled here by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true";
            const message = (await rejection(resolveCredentials({}, { ALIBABA_CLOUD_ECS_METADATA_DISABLED: "TRUE" })))
                .message;
            expect(message).to.equal(off.join("\n"));
        });
    });
});
