import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { credentialPlan } from "../../provider/credentials/resolution";
import type { CredentialPlan } from "../../provider/credentials/sources";
import { cleanEnvironment } from "../support/environment";
import { messageOf } from "../support/failures";

/**
 * How a profile of the Alibaba Cloud CLI's config.json becomes the credentials
 * that sign: which file is read, which profile is picked, what each field of it
 * turns into, and what a user reads when the file or the profile is wrong
 * (never a key from the file).
 */
const SECRET = "s3cr3t-never-print";
const ROLE = "acs:ram::1234567890123456:role/deployer";

describe("CLI profile file", () => {
    let dir: string;
    let file: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-cli-profiles-"));
        file = path.join(dir, "config.json");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function write(content: unknown): void {
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    }

    /** The plan for profile `name` of a file holding `profiles`. */
    function planOf(name: string, ...profiles: unknown[]): CredentialPlan {
        write({ profiles });
        return credentialPlan({ profile: name, sharedCredentialsFile: file }, {});
    }

    function failureOf(name: string, ...profiles: unknown[]): string {
        const message = messageOf(() => planOf(name, ...profiles));
        expect(message).to.not.include(SECRET);
        return message;
    }

    const label = (name: string): string =>
        `profile ${JSON.stringify(name)} (alicloud:profile) in ${file} (alicloud:sharedCredentialsFile)`;

    describe("which file and which profile", () => {
        cleanEnvironment([], () => ({ HOME: dir }));

        it("reads ~/.aliyun/config.json when no file is set", () => {
            const defaultFile = path.join(dir, ".aliyun", "config.json");
            fs.mkdirSync(path.dirname(defaultFile));
            fs.writeFileSync(
                defaultFile,
                JSON.stringify({
                    profiles: [{ name: "home", mode: "AK", access_key_id: "AK-home", access_key_secret: SECRET }],
                }),
            );
            expect(credentialPlan({}, { ALICLOUD_PROFILE: "home" })).to.deep.equal({
                kind: "keys",
                credentials: {
                    accessKeyId: "AK-home",
                    accessKeySecret: SECRET,
                    source: `profile "home" (ALICLOUD_PROFILE) in ${defaultFile}`,
                },
            });
        });

        it("says which setting named the profile when the file cannot be read, and which file", () => {
            const missing = path.join(dir, ".aliyun", "config.json");
            expect(messageOf(() => credentialPlan({}, { ALICLOUD_PROFILE: "home" }))).to.equal(
                `ALICLOUD_PROFILE names profile "home", but the shared credentials file ${missing} cannot be read (ENOENT)`,
            );
            expect(
                messageOf(() => credentialPlan({}, { ALICLOUD_SHARED_CREDENTIALS_FILE: path.join(dir, "nope.json") })),
            ).to.equal(
                `the shared credentials file ${path.join(dir, "nope.json")} (ALICLOUD_SHARED_CREDENTIALS_FILE) cannot be read (ENOENT)`,
            );
        });

        it("asks for a profile when the file names no current one, or an empty or non-text one", () => {
            const profiles = [{ name: "a", mode: "AK", access_key_id: "AK", access_key_secret: SECRET }];
            for (const current of [undefined, "", 5]) {
                write({ current, profiles });
                expect(messageOf(() => credentialPlan({ sharedCredentialsFile: file }, {}))).to.equal(
                    `${file} (alicloud:sharedCredentialsFile) names no current profile: set alicloud:profile or ALICLOUD_PROFILE`,
                );
            }
        });
    });

    describe("the file's format", () => {
        it("refuses a file without a profiles list, naming the expected format", () => {
            for (const content of ["null", "[]", "5", "{}", '{"profiles": {}}']) {
                write(content);
                expect(messageOf(() => credentialPlan({ profile: "a", sharedCredentialsFile: file }, {}))).to.equal(
                    `the shared credentials file ${file} (alicloud:sharedCredentialsFile) has no "profiles" list (the Alibaba Cloud CLI's config.json format)`,
                );
            }
        });

        it("skips entries that are not named profiles, and lists the names it found", () => {
            const message = failureOf(
                "missing",
                null,
                "AK",
                { mode: "AK", access_key_id: "AK", access_key_secret: SECRET },
                { name: 7, mode: "AK" },
                { name: "a" },
                { name: "b" },
            );
            expect(message).to.equal(`there is no ${label("missing")}; the file's profiles are "a", "b"`);
            expect(failureOf("missing")).to.equal(`there is no ${label("missing")}; the file's profiles are none`);
        });

        it("gives the whole loop of source_profile names", () => {
            const chained = (name: string, source: string) => ({
                name,
                mode: "ChainableRamRoleArn",
                source_profile: source,
                ram_role_arn: ROLE,
            });
            expect(failureOf("x", chained("x", "y"), chained("y", "x"))).to.equal(
                `profile "x" (source_profile of y) in ${file} (alicloud:sharedCredentialsFile) is part of a source_profile loop: x -> y -> x`,
            );
        });
    });

    describe("modes", () => {
        it("signs an AK profile with its keys, trimmed, and no token", () => {
            const plan = planOf("a", {
                name: "a",
                mode: "AK",
                access_key_id: " AK-a ",
                access_key_secret: ` ${SECRET}\n`,
            });
            expect(plan).to.deep.equal({
                kind: "keys",
                credentials: { accessKeyId: "AK-a", accessKeySecret: SECRET, source: label("a") },
            });
        });

        it("refuses a key that is blank or not text, naming the profile, its mode and the field", () => {
            for (const id of ["  ", 5, undefined]) {
                expect(
                    failureOf("a", { name: "a", mode: "AK", access_key_id: id, access_key_secret: SECRET }),
                ).to.equal(`${label("a")} (mode AK) has no access_key_id`);
            }
        });

        it("chains ChainableRamRoleArn to its source profile, saying where that profile was named", () => {
            const plan = planOf(
                "c",
                { name: "c", mode: "ChainableRamRoleArn", source_profile: "base", ram_role_arn: ROLE },
                { name: "base", mode: "AK", access_key_id: "AK-base", access_key_secret: SECRET },
            );
            expect(plan).to.deep.equal({
                kind: "role",
                base: {
                    kind: "keys",
                    credentials: {
                        accessKeyId: "AK-base",
                        accessKeySecret: SECRET,
                        source: `profile "base" (source_profile of c) in ${file} (alicloud:sharedCredentialsFile)`,
                    },
                },
                role: { roleArn: ROLE, source: label("c") },
            });
        });

        it("takes a CredentialsURI profile's URI", () => {
            const plan = planOf("u", { name: "u", mode: "CredentialsURI", credentials_uri: "http://127.0.0.1:1/c" });
            expect(plan.kind === "library" && plan.source).to.equal(`the credentials URI (${label("u")})`);
            expect(failureOf("u", { name: "u", mode: "CredentialsURI", credentials_uri: "ftp://x" })).to.equal(
                `${label("u")} must be an http or https URL`,
            );
        });

        it("lists the supported modes for one it does not support, or a missing one", () => {
            const supported =
                "supported modes: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, CredentialsURI";
            expect(failureOf("s", { name: "s", mode: "CloudSSO" })).to.equal(
                `${label("s")} uses mode "CloudSSO", which this provider does not support; ${supported}`,
            );
            expect(failureOf("s", { name: "s" })).to.equal(
                `${label("s")} uses mode "", which this provider does not support; ${supported}`,
            );
            expect(failureOf("s", { name: "s", mode: 1 })).to.equal(
                `${label("s")} uses mode "", which this provider does not support; ${supported}`,
            );
        });
    });

    describe("a RamRoleArn profile's role", () => {
        const keys = { mode: "RamRoleArn", access_key_id: "AK-r", access_key_secret: SECRET, ram_role_arn: ROLE };

        function roleOf(fields: Record<string, unknown>): unknown {
            const plan = planOf("r", { name: "r", ...keys, ...fields });
            if (plan.kind !== "role") throw new Error(`expected a role, got ${plan.kind}`);
            return plan.role;
        }

        it("takes only the ARN when nothing else is set, blank or zero", () => {
            expect(roleOf({})).to.deep.equal({ roleArn: ROLE, source: label("r") });
            expect(
                roleOf({ ram_session_name: "", expired_seconds: 0, sts_endpoint: "", sts_region: "" }),
            ).to.deep.equal({ roleArn: ROLE, source: label("r") });
            expect(roleOf({ ram_session_name: 5, expired_seconds: "", sts_endpoint: 5, sts_region: 5 })).to.deep.equal({
                roleArn: ROLE,
                source: label("r"),
            });
        });

        it("takes the session name, the duration and the STS endpoint, the endpoint before the region", () => {
            expect(
                roleOf({ ram_session_name: "cli", expired_seconds: "3600", sts_endpoint: "sts.example.test:8443" }),
            ).to.deep.equal({
                roleArn: ROLE,
                sessionName: "cli",
                durationSeconds: 3600,
                stsEndpoint: "sts.example.test:8443",
                source: label("r"),
            });
            expect(roleOf({ sts_endpoint: "sts.a.test", sts_region: "cn-beijing" })).to.deep.include({
                stsEndpoint: "sts.a.test",
            });
            expect(roleOf({ sts_region: "cn-beijing" })).to.deep.include({
                stsEndpoint: "sts.cn-beijing.aliyuncs.com",
            });
        });

        it("accepts a duration from 900 to 43200 whole seconds, and refuses any other", () => {
            for (const seconds of [900, 43200]) {
                expect(roleOf({ expired_seconds: seconds })).to.deep.include({ durationSeconds: seconds });
            }
            for (const seconds of [899, 43201, 1200.5, "soon"]) {
                expect(failureOf("r", { name: "r", ...keys, expired_seconds: seconds })).to.equal(
                    `expired_seconds of ${label("r")} must be a whole number of seconds from 900 to 43200`,
                );
            }
        });

        it("names the field when the role ARN is malformed", () => {
            expect(failureOf("r", { name: "r", ...keys, ram_role_arn: "deployer" })).to.equal(
                `ram_role_arn of ${label("r")} is not a RAM role ARN: use acs:ram::<account id>:role/<role name>`,
            );
        });
    });
});
