import { expect } from "chai";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { configFromPulumi } from "../../provider/credentials/settings";
import { credentialPlan, resolveCredentials } from "../../provider/credentials/resolution";
import type { CredentialPlan } from "../../provider/credentials/sources";
import { messageOf } from "../support/failures";

const SECRET = "s3cr3t-never-print";
const ROLE = "acs:ram::1234567890123456:role/deployer";

/** A CLI config.json in a fresh temporary directory; removed after each test. */
function profileFile(dir: string, content: unknown): string {
    const file = path.join(dir, "config.json");
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

const PROFILES = {
    current: "dev",
    profiles: [
        { name: "dev", mode: "AK", access_key_id: "AK-dev", access_key_secret: SECRET },
        { name: "prod", mode: "AK", access_key_id: "AK-prod", access_key_secret: SECRET },
        { name: "sts", mode: "StsToken", access_key_id: "STS.x", access_key_secret: SECRET, sts_token: "TOKEN" },
        {
            name: "role",
            mode: "RamRoleArn",
            access_key_id: "AK-r",
            access_key_secret: SECRET,
            ram_role_arn: ROLE,
            ram_session_name: "cli",
            expired_seconds: 1200,
        },
        { name: "chained", mode: "ChainableRamRoleArn", source_profile: "prod", ram_role_arn: ROLE },
        { name: "loop-a", mode: "ChainableRamRoleArn", source_profile: "loop-b", ram_role_arn: ROLE },
        { name: "loop-b", mode: "ChainableRamRoleArn", source_profile: "loop-a", ram_role_arn: ROLE },
        { name: "ecs", mode: "EcsRamRole", ram_role_name: "node-role" },
        { name: "sso", mode: "CloudSSO" },
        { name: "half", mode: "AK", access_key_id: "AK-half" },
    ],
};

function keysOf(plan: CredentialPlan): { id: string; source: string } {
    if (plan.kind !== "keys") throw new Error(`expected keys, got ${plan.kind}`);
    return { id: plan.credentials.accessKeyId, source: plan.credentials.source };
}

describe("credential sources (parity with @pulumi/alicloud)", () => {
    let dir: string;
    let file: string;
    const metadataOff = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-credentials-"));
        file = profileFile(dir, PROFILES);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("configFromPulumi", () => {
        it("reads every alicloud setting, and keeps an object value as JSON", () => {
            const values: Record<string, unknown> = {
                "alicloud:profile": "prod",
                "alicloud:sharedCredentialsFile": "/x/config.json",
                "alicloud:ecsRoleName": "r",
                "alicloud:credentialsUri": "http://127.0.0.1:1/c",
                "alicloud:assumeRole": { roleArn: ROLE, sessionExpiration: 900 },
            };
            const config = configFromPulumi({ get: (key) => values[key] });
            expect(config).to.deep.equal({
                profile: "prod",
                sharedCredentialsFile: "/x/config.json",
                ecsRoleName: "r",
                credentialsUri: "http://127.0.0.1:1/c",
                assumeRole: JSON.stringify({ roleArn: ROLE, sessionExpiration: 900 }),
            });
        });
    });

    describe("precedence", () => {
        const everything = {
            ALICLOUD_ACCESS_KEY: "AK-env",
            ALICLOUD_SECRET_KEY: SECRET,
            ALICLOUD_PROFILE: "prod",
            ALICLOUD_CREDENTIALS_URI: "http://127.0.0.1:1/c",
            ALICLOUD_ECS_ROLE_NAME: "node-role",
        };

        it("static keys in config, then ALICLOUD_* keys, then the profile, then the URI, then the ECS role name", () => {
            const sharedFile = { sharedCredentialsFile: file };
            expect(keysOf(credentialPlan({ accessKey: "AK-config", secretKey: SECRET }, everything)).id).to.equal(
                "AK-config",
            );
            expect(keysOf(credentialPlan(sharedFile, everything)).id).to.equal("AK-env");
            const { ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY, ...noKeys } = everything;
            expect(keysOf(credentialPlan(sharedFile, noKeys)).id).to.equal("AK-prod");
            const { ALICLOUD_PROFILE, ...noProfile } = noKeys;
            const uri = credentialPlan({}, noProfile);
            expect(uri.kind === "library" && uri.source).to.equal("the credentials URI (ALICLOUD_CREDENTIALS_URI)");
            const { ALICLOUD_CREDENTIALS_URI, ...onlyEcs } = noProfile;
            const ecs = credentialPlan({}, onlyEcs);
            expect(ecs.kind === "library" && ecs.source).to.equal('ECS RAM role "node-role" (ALICLOUD_ECS_ROLE_NAME)');
            expect(credentialPlan({}, {}).kind).to.equal("chain");
        });

        it("a config setting beats its variable", () => {
            const plan = credentialPlan({ profile: "dev", sharedCredentialsFile: file }, { ALICLOUD_PROFILE: "prod" });
            expect(keysOf(plan).id).to.equal("AK-dev");
            expect(keysOf(plan).source).to.equal(
                `profile "dev" (alicloud:profile) in ${file} (alicloud:sharedCredentialsFile)`,
            );
        });

        it("the resource's profile replaces the provider's keys and role; its assumeRoleArn replaces the role only", () => {
            const config = {
                accessKey: "AK-config",
                secretKey: SECRET,
                sharedCredentialsFile: file,
                assumeRole: JSON.stringify({ roleArn: ROLE, sessionName: "s1" }),
            };
            expect(keysOf(credentialPlan(config, {}, { profile: "prod" })).source).to.include(
                "the resource's profile input",
            );
            const other = "acs:ram::6543210987654321:role/other";
            const plan = credentialPlan(config, {}, { assumeRoleArn: other });
            expect(plan.kind).to.equal("role");
            if (plan.kind !== "role") return;
            expect(plan.role).to.deep.equal({
                roleArn: other,
                sessionName: "s1",
                source: "the resource's assumeRoleArn input",
            });
            expect(keysOf(plan.base).id).to.equal("AK-config");
            expect(messageOf(() => credentialPlan(config, {}, { assumeRoleArn: "deployer" }))).to.include(
                "the resource's assumeRoleArn input is not a RAM role ARN",
            );
        });
    });

    describe("profiles", () => {
        it("uses the file's current profile when only the file is set", () => {
            expect(keysOf(credentialPlan({}, { ALICLOUD_SHARED_CREDENTIALS_FILE: file })).source).to.equal(
                `profile "dev" (the file's current profile) in ${file} (ALICLOUD_SHARED_CREDENTIALS_FILE)`,
            );
        });

        it("carries a StsToken profile's token, and turns RamRoleArn and ChainableRamRoleArn into AssumeRole", () => {
            const sts = credentialPlan({ profile: "sts", sharedCredentialsFile: file }, {});
            expect(sts.kind === "keys" && sts.credentials.securityToken).to.equal("TOKEN");
            const role = credentialPlan({ profile: "role", sharedCredentialsFile: file }, {});
            expect(role.kind === "role" && role.role).to.deep.include({
                roleArn: ROLE,
                sessionName: "cli",
                durationSeconds: 1200,
            });
            const chained = credentialPlan({ profile: "chained", sharedCredentialsFile: file }, {});
            expect(chained.kind === "role" && keysOf(chained.base).id).to.equal("AK-prod");
        });

        it("fails loudly, naming the setting, the profile or the mode, never quoting keys", () => {
            const cases: Array<[Parameters<typeof credentialPlan>[0], Record<string, string>, string[]]> = [
                [
                    { profile: "nope", sharedCredentialsFile: file },
                    {},
                    ['no profile "nope" (alicloud:profile)', '"dev", "prod"'],
                ],
                [
                    { sharedCredentialsFile: file },
                    { ALICLOUD_PROFILE: "sso" },
                    ['mode "CloudSSO"', "does not support", "ALICLOUD_PROFILE"],
                ],
                [{ profile: "half", sharedCredentialsFile: file }, {}, ["has no access_key_secret"]],
                [
                    { profile: "loop-a", sharedCredentialsFile: file },
                    {},
                    ["source_profile loop", "loop-a -> loop-b -> loop-a"],
                ],
                [
                    { profile: "ecs", sharedCredentialsFile: file },
                    metadataOff,
                    ["ALIBABA_CLOUD_ECS_METADATA_DISABLED=true", 'profile "ecs"'],
                ],
                [
                    { profile: "prod", sharedCredentialsFile: path.join(dir, "missing.json") },
                    {},
                    ['alicloud:profile names profile "prod"', "cannot be read", "alicloud:sharedCredentialsFile"],
                ],
            ];
            for (const [config, env, expected] of cases) {
                const message = messageOf(() => credentialPlan(config, env));
                for (const text of expected) expect(message).to.include(text);
                expect(message).to.not.include(SECRET);
            }
            const broken = profileFile(dir, `{"profiles": [{"access_key_secret": "${SECRET}"`);
            const message = messageOf(() => credentialPlan({ profile: "x", sharedCredentialsFile: broken }, {}));
            expect(message).to.include("is not valid JSON").and.not.include(SECRET);
        });
    });

    describe("assume role settings", () => {
        it("reads alicloud:assumeRole, or the ALICLOUD_ASSUME_ROLE_* variables", () => {
            const config = {
                accessKey: "AK",
                secretKey: SECRET,
                assumeRole: JSON.stringify({
                    roleArn: ROLE,
                    sessionName: "deploy",
                    sessionExpiration: 1800,
                    policy: '{"Version":"1"}',
                    externalId: "ext-1",
                }),
            };
            const plan = credentialPlan(config, {});
            expect(plan.kind === "role" && plan.role).to.deep.equal({
                roleArn: ROLE,
                sessionName: "deploy",
                durationSeconds: 1800,
                policy: '{"Version":"1"}',
                externalId: "ext-1",
                source: "alicloud:assumeRole.roleArn",
            });
            const fromEnv = credentialPlan(
                { accessKey: "AK", secretKey: SECRET },
                {
                    ALICLOUD_ASSUME_ROLE_ARN: ROLE,
                    ALICLOUD_ASSUME_ROLE_SESSION_NAME: "env-session",
                    ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION: "900",
                },
            );
            expect(fromEnv.kind === "role" && fromEnv.role).to.deep.equal({
                roleArn: ROLE,
                sessionName: "env-session",
                durationSeconds: 900,
                source: "ALICLOUD_ASSUME_ROLE_ARN",
            });
        });

        it("refuses a malformed or unsupported setting, naming it", () => {
            const keys = { accessKey: "AK", secretKey: SECRET };
            const cases: Array<[Record<string, string>, Record<string, string>, string]> = [
                [{ assumeRole: "{roleArn" }, {}, "alicloud:assumeRole is not a JSON object"],
                [
                    { assumeRole: JSON.stringify({ roleArn: ROLE, duration: 900 }) },
                    {},
                    "alicloud:assumeRole.duration is not supported",
                ],
                [
                    { assumeRole: JSON.stringify({ roleArn: "deployer" }) },
                    {},
                    "alicloud:assumeRole.roleArn is not a RAM role ARN",
                ],
                [
                    { assumeRole: JSON.stringify({ roleArn: ROLE, sessionExpiration: 60 }) },
                    {},
                    "alicloud:assumeRole.sessionExpiration must be",
                ],
                [
                    { assumeRole: JSON.stringify({ roleArn: ROLE, policy: "{" }) },
                    {},
                    "alicloud:assumeRole.policy is not a JSON policy document",
                ],
                [
                    { assumeRole: JSON.stringify({ roleArn: ROLE, externalId: "!" }) },
                    {},
                    "alicloud:assumeRole.externalId must be",
                ],
                [
                    { assumeRole: JSON.stringify({ sessionName: "x1" }) },
                    {},
                    "alicloud:assumeRole.sessionName is set but no role ARN is",
                ],
                [
                    {},
                    { ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION: "900" },
                    "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION is set but no role ARN is",
                ],
                [{ assumeRoleWithOidc: "{}" }, {}, "alicloud:assumeRoleWithOidc is not supported"],
                [{ ecsRoleName: "node-role" }, metadataOff, "alicloud:ecsRoleName selects the ECS RAM role"],
                [{ credentialsUri: "ftp://x" }, {}, "alicloud:credentialsUri must be an http or https URL"],
            ];
            for (const [config, env, expected] of cases) {
                const withKeys = config.ecsRoleName || config.credentialsUri ? config : { ...keys, ...config };
                expect(messageOf(() => credentialPlan(withKeys, env))).to.include(expected);
            }
        });
    });

    describe("STS endpoint", () => {
        it("refuses plain http to another machine, naming ALICLOUD_STS_ENDPOINT, before any call", async () => {
            const config = { accessKey: "AK", secretKey: SECRET, assumeRole: JSON.stringify({ roleArn: ROLE }) };
            const err = await resolveCredentials(config, { ALICLOUD_STS_ENDPOINT: "http://sts.example.com" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.include("ALICLOUD_STS_ENDPOINT");
        });
    });

    describe("credentials URI (served on 127.0.0.1)", () => {
        let server: http.Server;
        let answer: { status: number; body: string };
        let uri: string;

        before(async () => {
            server = http.createServer((_req, res) => {
                res.writeHead(answer.status, { "content-type": "application/json" });
                res.end(answer.body);
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credentials`;
        });
        after(() => new Promise<void>((resolve) => server.close(() => resolve())));

        it("signs with what the URI serves, and says so", async () => {
            answer = {
                status: 200,
                body: JSON.stringify({
                    Code: "Success",
                    AccessKeyId: "STS.uri",
                    AccessKeySecret: SECRET,
                    SecurityToken: "T",
                    Expiration: new Date(Date.now() + 3600_000).toISOString(),
                }),
            };
            const resolved = await resolveCredentials({ credentialsUri: uri }, metadataOff);
            expect(resolved).to.deep.equal({
                accessKeyId: "STS.uri",
                accessKeySecret: SECRET,
                securityToken: "T",
                source: "the credentials URI (alicloud:credentialsUri)",
            });
        });

        it("fails naming the setting and the HTTP status, without quoting the answer", async () => {
            answer = { status: 500, body: JSON.stringify({ AccessKeySecret: SECRET }) };
            const err = await resolveCredentials({}, { ...metadataOff, ALICLOUD_CREDENTIALS_URI: uri }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err?.message).to.include("ALICLOUD_CREDENTIALS_URI").and.include("HTTP 500").and.not.include(SECRET);
        });
    });
});
