/**
 * The credential and region settings `@pulumi/alicloud` users already keep:
 * `alicloud:*` stack config, each with the environment variables that provider
 * reads for it. Every setting carries the name it came from, so that messages
 * can say where a credential came from without ever quoting it.
 */

import { ConfigError } from "../foundation/errors";

/** The provider-level settings read from Pulumi config (raw strings; parsed when credentials are resolved). */
export interface ProviderConfig {
    accessKey?: string;
    secretKey?: string;
    securityToken?: string;
    region?: string;
    profile?: string;
    sharedCredentialsFile?: string;
    /** JSON object: roleArn, sessionName, sessionExpiration, policy, externalId. */
    assumeRole?: string;
    ecsRoleName?: string;
    credentialsUri?: string;
    /** Read only to refuse it: silently ignoring a credential setting would sign with another one. */
    assumeRoleWithOidc?: string;
}

/** Pulumi config keys; the dynamic provider's config is the whole stack config, namespaces kept. */
export const CONFIG_KEYS: Record<keyof ProviderConfig, string> = {
    accessKey: "alicloud:accessKey",
    secretKey: "alicloud:secretKey",
    securityToken: "alicloud:securityToken",
    region: "alicloud:region",
    profile: "alicloud:profile",
    sharedCredentialsFile: "alicloud:sharedCredentialsFile",
    assumeRole: "alicloud:assumeRole",
    ecsRoleName: "alicloud:ecsRoleName",
    credentialsUri: "alicloud:credentialsUri",
    assumeRoleWithOidc: "alicloud:assumeRoleWithOidc",
};

/** The environment variables `@pulumi/alicloud` reads for each setting, in its order. */
export const ENV_KEYS = {
    accessKey: ["ALICLOUD_ACCESS_KEY"],
    secretKey: ["ALICLOUD_SECRET_KEY"],
    securityToken: ["ALICLOUD_SECURITY_TOKEN"],
    region: ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"],
    profile: ["ALICLOUD_PROFILE"],
    sharedCredentialsFile: ["ALICLOUD_SHARED_CREDENTIALS_FILE"],
    ecsRoleName: ["ALICLOUD_ECS_ROLE_NAME"],
    credentialsUri: ["ALICLOUD_CREDENTIALS_URI"],
    assumeRoleArn: ["ALICLOUD_ASSUME_ROLE_ARN"],
    assumeRoleSessionName: ["ALICLOUD_ASSUME_ROLE_SESSION_NAME"],
    assumeRoleSessionExpiration: ["ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"],
} as const;

/** A setting's value and where it came from (a config key or a variable name). */
export interface Setting {
    value: string;
    source: string;
}

/**
 * Reads the `alicloud:*` keys from the config `configure` receives. Values
 * are strings; an object value (`assumeRole` set with `--path`) may arrive
 * parsed, and is kept as its JSON text.
 */
export function configFromPulumi(config: { get(key: string): unknown }): ProviderConfig {
    const result: ProviderConfig = {};
    for (const field of Object.keys(CONFIG_KEYS) as Array<keyof ProviderConfig>) {
        const raw = config.get(CONFIG_KEYS[field]);
        const value = nonEmpty(raw !== null && typeof raw === "object" ? JSON.stringify(raw) : raw);
        if (value !== undefined) {
            result[field] = value;
        }
    }
    return result;
}

/** The config value, else the first of its environment variables that is set. */
export function setting(
    config: ProviderConfig,
    field: keyof ProviderConfig & keyof typeof ENV_KEYS,
    env: NodeJS.ProcessEnv,
): Setting | undefined {
    const fromConfig = nonEmpty(config[field]);
    if (fromConfig !== undefined) {
        return { value: fromConfig, source: CONFIG_KEYS[field] };
    }
    return fromEnv(ENV_KEYS[field], env);
}

export function fromEnv(names: readonly string[], env: NodeJS.ProcessEnv): Setting | undefined {
    for (const name of names) {
        const value = nonEmpty(env[name]);
        if (value !== undefined) {
            return { value, source: name };
        }
    }
    return undefined;
}

/** The region a resource without `regionId` gets: alicloud:region, then ALICLOUD_REGION, then ALIBABA_CLOUD_REGION_ID. */
export function defaultRegion(config: ProviderConfig, env: NodeJS.ProcessEnv): Setting | undefined {
    return setting(config, "region", env);
}

/** What AssumeRole needs, checked. */
export interface RoleSettings {
    roleArn: string;
    sessionName?: string;
    durationSeconds?: number;
    policy?: string;
    externalId?: string;
    /** A CLI profile's own STS endpoint (`host[:port]` or URL); ALICLOUD_STS_ENDPOINT still wins. */
    stsEndpoint?: string;
    /** Where the role ARN came from. */
    source: string;
}

const ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9.@_-]{1,64}$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const EXTERNAL_ID = /^[A-Za-z0-9=,.@:/_-]{2,1224}$/;
const MIN_SESSION_S = 900;
const MAX_SESSION_S = 43200;
const ASSUME_ROLE_FIELDS = ["roleArn", "sessionName", "sessionExpiration", "policy", "externalId"];

/** Checks a role ARN; `where` names the setting for the message. */
export function checkRoleArn(value: string, where: string): string {
    if (!ROLE_ARN.test(value)) {
        throw new ConfigError(`${where} is not a RAM role ARN: use acs:ram::<account id>:role/<role name>`);
    }
    return value;
}

/**
 * The role to assume from `alicloud:assumeRole` (a JSON object) or the
 * ALICLOUD_ASSUME_ROLE_* variables; undefined when neither names a role.
 * Anything present but malformed is an error naming it, never ignored.
 */
export function roleSettings(config: ProviderConfig, env: NodeJS.ProcessEnv): RoleSettings | undefined {
    const key = CONFIG_KEYS.assumeRole;
    const raw = nonEmpty(config.assumeRole);
    let fields: Record<string, Setting> = {};
    if (raw !== undefined) {
        fields = parseAssumeRole(raw, key);
    } else {
        const arn = fromEnv(ENV_KEYS.assumeRoleArn, env);
        const sessionName = fromEnv(ENV_KEYS.assumeRoleSessionName, env);
        const expiration = fromEnv(ENV_KEYS.assumeRoleSessionExpiration, env);
        if (arn) fields.roleArn = arn;
        if (sessionName) fields.sessionName = sessionName;
        if (expiration) fields.sessionExpiration = expiration;
    }
    if (Object.keys(fields).length === 0) {
        return undefined;
    }
    if (fields.roleArn === undefined) {
        const named = Object.values(fields).map((f) => f.source);
        throw new ConfigError(
            `${named.join(", ")} ${named.length === 1 ? "is" : "are"} set but no role ARN is: set ${key}.roleArn or ${ENV_KEYS.assumeRoleArn[0]}`,
        );
    }
    const role: RoleSettings = {
        roleArn: checkRoleArn(fields.roleArn.value, fields.roleArn.source),
        source: fields.roleArn.source,
    };
    if (fields.sessionName) role.sessionName = checkSessionName(fields.sessionName);
    if (fields.sessionExpiration) role.durationSeconds = checkSessionExpiration(fields.sessionExpiration);
    if (fields.policy) role.policy = checkPolicy(fields.policy);
    if (fields.externalId) {
        if (!EXTERNAL_ID.test(fields.externalId.value)) {
            throw new ConfigError(`${fields.externalId.source} must be 2 to 1224 letters, digits or =,.@:/-_`);
        }
        role.externalId = fields.externalId.value;
    }
    return role;
}

function parseAssumeRole(raw: string, key: string): Record<string, Setting> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch {
        throw new ConfigError(
            `${key} is not a JSON object; set it with \`pulumi config set --path ${key}.roleArn <arn>\``,
        );
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new ConfigError(
            `${key} must be an object with roleArn and optionally ${ASSUME_ROLE_FIELDS.slice(1).join(", ")}`,
        );
    }
    const fields: Record<string, Setting> = {};
    for (const [name, value] of Object.entries(parsed)) {
        const source = `${key}.${name}`;
        if (!ASSUME_ROLE_FIELDS.includes(name)) {
            throw new ConfigError(`${source} is not supported; ${key} takes ${ASSUME_ROLE_FIELDS.join(", ")}`);
        }
        if (value === null || value === "") {
            continue;
        }
        if (typeof value !== "string" && typeof value !== "number") {
            throw new ConfigError(`${source} must be a ${name === "sessionExpiration" ? "number" : "string"}`);
        }
        fields[name] = { value: String(value).trim(), source };
    }
    return fields;
}

function checkSessionName(field: Setting): string {
    if (!SESSION_NAME.test(field.value)) {
        throw new ConfigError(
            `${field.source} must be 2 to 64 letters, digits, periods, at signs, hyphens or underscores`,
        );
    }
    return field.value;
}

function checkSessionExpiration(field: Setting): number {
    const seconds = /^\d+$/.test(field.value) ? Number(field.value) : NaN;
    if (!(seconds >= MIN_SESSION_S && seconds <= MAX_SESSION_S)) {
        throw new ConfigError(
            `${field.source} must be a whole number of seconds from ${MIN_SESSION_S} to ${MAX_SESSION_S}`,
        );
    }
    return seconds;
}

function checkPolicy(field: Setting): string {
    try {
        JSON.parse(field.value);
    } catch {
        throw new ConfigError(`${field.source} is not a JSON policy document`);
    }
    return field.value;
}

export function nonEmpty(value: unknown): string | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}
