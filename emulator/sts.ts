import { randomBytes } from "node:crypto";
import { ApiError, badRequest, missingParameter } from "./errors";

/**
 * STS AssumeRole (API version 2015-04-01), as far as a provider needs it: a
 * signed call with the caller's keys returns temporary keys and a token that
 * the emulator then accepts for every API, until they expire.
 */

export const STS_VERSION = "2015-04-01";

const ROLE_ARN = /^acs:ram::(\d+):role\/([A-Za-z0-9.@_-]{1,64})$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const EXTERNAL_ID = /^[A-Za-z0-9=,.@:/_-]{2,1224}$/;
const MIN_DURATION_S = 900;
const MAX_DURATION_S = 43200;
const DEFAULT_DURATION_S = 3600;

export interface TemporaryKey {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken: string;
    expiresAt: number;
    roleArn: string;
}

function invalid(name: string, detail: string): never {
    throw badRequest(`InvalidParameter.${name}`, `The parameter ${name} is invalid: ${detail}`);
}

function randomText(bytes: number): string {
    return randomBytes(bytes).toString("base64url");
}

/** Validates an AssumeRole call's parameters as STS does and issues the temporary key. */
export function issueTemporaryKey(params: Record<string, string>, now: number): TemporaryKey {
    const roleArn = params.RoleArn;
    if (!roleArn) throw missingParameter("RoleArn");
    if (!ROLE_ARN.test(roleArn)) invalid("RoleArn", "it must look like acs:ram::<account id>:role/<role name>.");
    const sessionName = params.RoleSessionName;
    if (!sessionName) throw missingParameter("RoleSessionName");
    if (!SESSION_NAME.test(sessionName))
        invalid("RoleSessionName", "use 2 to 64 letters, digits, periods, at signs, hyphens or underscores.");
    const rawDuration = params.DurationSeconds ?? String(DEFAULT_DURATION_S);
    const duration = /^\d+$/.test(rawDuration) ? Number(rawDuration) : NaN;
    if (!(duration >= MIN_DURATION_S && duration <= MAX_DURATION_S)) {
        invalid("DurationSeconds", `it must be an integer from ${MIN_DURATION_S} to ${MAX_DURATION_S}.`);
    }
    if (params.ExternalId !== undefined && !EXTERNAL_ID.test(params.ExternalId))
        invalid("ExternalId", "use 2 to 1224 characters of letters, digits and =,.@:/-_.");
    if (params.Policy !== undefined) {
        try {
            JSON.parse(params.Policy);
        } catch {
            throw badRequest("InvalidParameter.PolicyGrammar", "The parameter Policy has a syntax error.");
        }
    }
    return {
        accessKeyId: `STS.${randomText(12)}`,
        accessKeySecret: randomText(24),
        securityToken: randomText(48),
        expiresAt: now + duration * 1000,
        roleArn,
    };
}

/** The AssumeRole answer, shaped as STS sends it. */
export function assumeRoleBody(key: TemporaryKey, sessionName: string, requestId: string): Record<string, unknown> {
    const [, account, role] = ROLE_ARN.exec(key.roleArn) ?? [];
    return {
        RequestId: requestId,
        AssumedRoleUser: {
            Arn: `acs:ram::${account}:assumed-role/${role}/${sessionName}`,
            AssumedRoleId: `${randomBytes(8).readBigUInt64BE() % 10n ** 18n}:${sessionName}`,
        },
        Credentials: {
            AccessKeyId: key.accessKeyId,
            AccessKeySecret: key.accessKeySecret,
            SecurityToken: key.securityToken,
            Expiration: new Date(key.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
        },
    };
}

/** Answers an STS call: AssumeRole issues a key that `accept` makes valid for every later call. */
export function handleSts(
    action: string,
    params: Record<string, string>,
    requestId: string,
    accept: (key: TemporaryKey) => void,
): Record<string, unknown> {
    if (action !== "AssumeRole") {
        throw new ApiError(
            404,
            "InvalidAction.NotFound",
            `Specified api "${action}" is not found, please check your url and method.`,
        );
    }
    const key = issueTemporaryKey(params, Date.now());
    accept(key);
    return assumeRoleBody(key, params.RoleSessionName, requestId);
}
