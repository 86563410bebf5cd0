import { expect } from "chai";
import { credentialPlan } from "../../provider/credentials/resolution";
import { configFromPulumi } from "../../provider/credentials/settings";
import { messageOf } from "../support/failures";

/**
 * The role `alicloud:assumeRole` or the ALICLOUD_ASSUME_ROLE_* variables name:
 * what each field becomes, and the exact message a wrong one gives.
 */
const SECRET = "s3cr3t-never-print";
const ROLE = "acs:ram::1234567890123456:role/deployer";
const KEYS = { accessKey: "AK", secretKey: SECRET };

function roleOf(assumeRole: unknown, env: Record<string, string> = {}): unknown {
    const config = assumeRole === undefined ? KEYS : { ...KEYS, assumeRole: JSON.stringify(assumeRole) };
    const plan = credentialPlan(config, env);
    if (plan.kind !== "role") throw new Error(`expected a role, got ${plan.kind}`);
    return plan.role;
}

function refusal(assumeRole: unknown): string {
    const message = messageOf(() => roleOf(assumeRole));
    expect(message).to.not.include(SECRET);
    return message;
}

describe("assume role settings", () => {
    it("keeps a config value that is null out of the settings", () => {
        const values: Record<string, unknown> = { "alicloud:assumeRole": null, "alicloud:region": "cn-hangzhou" };
        expect(configFromPulumi({ get: (key) => values[key] })).to.deep.equal({ region: "cn-hangzhou" });
    });

    it("takes the fields trimmed, and skips those set to null or blank", () => {
        expect(roleOf({ roleArn: ` ${ROLE} `, sessionName: " deploy ", sessionExpiration: 3600 })).to.deep.equal({
            roleArn: ROLE,
            sessionName: "deploy",
            durationSeconds: 3600,
            source: "alicloud:assumeRole.roleArn",
        });
        expect(
            roleOf({ roleArn: ROLE, sessionName: null, sessionExpiration: "", policy: null, externalId: "" }),
        ).to.deep.equal({
            roleArn: ROLE,
            source: "alicloud:assumeRole.roleArn",
        });
    });

    it("refuses a value that is not an object", () => {
        for (const value of [null, 5, "x", [ROLE]]) {
            expect(refusal(value)).to.equal(
                "alicloud:assumeRole must be an object with roleArn and optionally sessionName, sessionExpiration, policy, externalId",
            );
        }
    });

    it("refuses a field it does not know, listing those it does", () => {
        expect(refusal({ roleArn: ROLE, role_arn: ROLE })).to.equal(
            "alicloud:assumeRole.role_arn is not supported; alicloud:assumeRole takes roleArn, sessionName, sessionExpiration, policy, externalId",
        );
    });

    it("refuses a field that is neither text nor a number, saying which it should be", () => {
        expect(refusal({ roleArn: ROLE, sessionExpiration: true })).to.equal(
            "alicloud:assumeRole.sessionExpiration must be a number",
        );
        expect(refusal({ roleArn: ROLE, sessionName: { name: "x" } })).to.equal(
            "alicloud:assumeRole.sessionName must be a string",
        );
    });

    it("names every field set without a role ARN", () => {
        expect(refusal({ sessionName: "s1", sessionExpiration: 900 })).to.equal(
            "alicloud:assumeRole.sessionName, alicloud:assumeRole.sessionExpiration are set but no role ARN is: set alicloud:assumeRole.roleArn or ALICLOUD_ASSUME_ROLE_ARN",
        );
        expect(messageOf(() => credentialPlan(KEYS, { ALICLOUD_ASSUME_ROLE_SESSION_NAME: "s1" }))).to.equal(
            "ALICLOUD_ASSUME_ROLE_SESSION_NAME is set but no role ARN is: set alicloud:assumeRole.roleArn or ALICLOUD_ASSUME_ROLE_ARN",
        );
    });

    it("refuses a session name outside its characters and length", () => {
        for (const sessionName of ["a", "a b", "x".repeat(65)]) {
            expect(refusal({ roleArn: ROLE, sessionName })).to.equal(
                "alicloud:assumeRole.sessionName must be 2 to 64 letters, digits, periods, at signs, hyphens or underscores",
            );
        }
    });

    it("accepts a session length of 900 to 43200 whole seconds, written as digits only", () => {
        for (const seconds of ["900", "43200"]) {
            expect(
                roleOf(undefined, { ALICLOUD_ASSUME_ROLE_ARN: ROLE, ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION: seconds }),
            ).to.deep.equal({ roleArn: ROLE, durationSeconds: Number(seconds), source: "ALICLOUD_ASSUME_ROLE_ARN" });
        }
        for (const seconds of ["899", "43201", "900.5", "1e3", "+1000", "0x400"]) {
            const env = { ALICLOUD_ASSUME_ROLE_ARN: ROLE, ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION: seconds };
            expect(
                messageOf(() => credentialPlan(KEYS, env)),
                seconds,
            ).to.equal("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION must be a whole number of seconds from 900 to 43200");
        }
    });
});
