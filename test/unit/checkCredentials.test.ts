import { expect } from "chai";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { resolveCredentials } from "../../provider/credentials/resolution";
import { configFromPulumi } from "../../provider/credentials/settings";
import { cleanEnvironment } from "../support/environment";

/**
 * Credential settings are checked at preview: `check` fails on every setting
 * `up` would refuse, with the message `up` gives, and makes no API call.
 */
describe("provider check: credential settings", () => {
    const VARIABLES = [
        "ALICLOUD_ACCESS_KEY",
        "ALICLOUD_SECRET_KEY",
        "ALICLOUD_SECURITY_TOKEN",
        "ALICLOUD_PROFILE",
        "ALICLOUD_SHARED_CREDENTIALS_FILE",
        "ALICLOUD_CREDENTIALS_URI",
        "ALICLOUD_ECS_ROLE_NAME",
        "ALICLOUD_ASSUME_ROLE_ARN",
        "ALICLOUD_ASSUME_ROLE_SESSION_NAME",
        "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION",
    ];
    cleanEnvironment(VARIABLES);

    const NEWS = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "office" };

    async function checked(config: Record<string, unknown>, news: Record<string, unknown> = NEWS): Promise<string[]> {
        const p = new VpnAttachmentAttributeProvider();
        await p.configure({ config: { get: (key: string) => config[key] } } as never);
        const result = await p.check({}, news);
        return (result.failures ?? []).map((f) => f.reason);
    }

    /** What `up` fails with for the same settings, before any call. */
    async function atUp(config: Record<string, unknown>, news: Record<string, unknown> = NEWS): Promise<string> {
        const overrides = {
            profile: news.profile as string | undefined,
            assumeRoleArn: news.assumeRoleArn as string | undefined,
        };
        return resolveCredentials(configFromPulumi({ get: (key) => config[key] }), process.env, overrides).then(
            () => expect.fail("up would have resolved these credentials"),
            (e: Error) => e.message,
        );
    }

    const cases: Array<{ what: string; config: Record<string, unknown>; env?: Record<string, string>; says: RegExp }> =
        [
            {
                what: "a misspelt field of alicloud:assumeRole (rolearn)",
                config: { "alicloud:assumeRole": { rolearn: "acs:ram::1234567890123456:role/deployer" } },
                says: /alicloud:assumeRole\.rolearn is not supported/,
            },
            {
                what: "a malformed role ARN",
                config: { "alicloud:assumeRole": { roleArn: "arn:aws:iam::1:role/x" } },
                says: /alicloud:assumeRole\.roleArn is not a RAM role ARN/,
            },
            {
                what: "a session expiration out of range",
                config: {
                    "alicloud:assumeRole": { roleArn: "acs:ram::1234567890123456:role/d", sessionExpiration: 60 },
                },
                says: /sessionExpiration must be a whole number of seconds from 900 to 43200/,
            },
            {
                what: "half a key pair in config",
                config: { "alicloud:accessKey": "LTAI-id" },
                says: /Pulumi config sets alicloud:accessKey but not alicloud:secretKey/,
            },
            {
                what: "half a key pair in the environment",
                config: {},
                env: { ALICLOUD_SECRET_KEY: "s3cr3t" },
                says: /environment sets ALICLOUD_SECRET_KEY but not ALICLOUD_ACCESS_KEY/,
            },
            {
                what: "a credentials URI that is not a URL",
                config: { "alicloud:credentialsUri": "not a url" },
                says: /alicloud:credentialsUri is not a URL/,
            },
            {
                what: "an OIDC role setting the provider does not support",
                config: { "alicloud:assumeRoleWithOidc": { roleArn: "acs:ram::1234567890123456:role/d" } },
                says: /alicloud:assumeRoleWithOidc is not supported/,
            },
            {
                what: "ALICLOUD_ASSUME_ROLE_SESSION_NAME without a role ARN",
                config: {},
                env: { ALICLOUD_ASSUME_ROLE_SESSION_NAME: "ci" },
                says: /ALICLOUD_ASSUME_ROLE_SESSION_NAME is set but no role ARN is/,
            },
        ];
    for (const c of cases) {
        it(`fails preview on ${c.what}, with the message up gives`, async () => {
            Object.assign(process.env, c.env ?? {});
            const failures = await checked(c.config);
            expect(failures).to.have.length(1);
            expect(failures[0]).to.match(c.says);
            expect(failures[0]).to.equal(await atUp(c.config));
        });
    }

    it("fails preview on a resource's profile that the credentials file does not hold", async () => {
        const news = { ...NEWS, profile: "prod" };
        const config = { "alicloud:sharedCredentialsFile": "/nonexistent/config.json" };
        const failures = await checked(config, news);
        expect(failures).to.deep.equal([await atUp(config, news)]);
        expect(failures[0]).to.match(/the resource's profile input names profile "prod"/);
    });

    it("passes sound settings, and none at all, without resolving any credentials", async () => {
        expect(await checked({})).to.deep.equal([]);
        expect(
            await checked({
                "alicloud:accessKey": "LTAI-id",
                "alicloud:secretKey": "s3cr3t",
                "alicloud:assumeRole": { roleArn: "acs:ram::1234567890123456:role/deployer", sessionExpiration: 900 },
            }),
        ).to.deep.equal([]);
    });
});
