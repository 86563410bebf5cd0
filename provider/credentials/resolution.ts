/**
 * Which credentials sign a call, with the precedence of `@pulumi/alicloud`
 * (README, "Credentials"): the resource's `profile`, else static keys from
 * Pulumi config then ALICLOUD_* variables, else a CLI profile, else a
 * credentials URI, else an ECS RAM role, else the Alibaba Cloud default
 * credential chain; then, when a role is named (the resource's
 * `assumeRoleArn`, `alicloud:assumeRole`, ALICLOUD_ASSUME_ROLE_ARN), that role
 * assumed with them.
 *
 * Credentials are resolved at the start of each provider call and handed to a
 * client made for that call, and temporary keys are renewed before any API
 * call they would not outlive (renewal.ts); nothing long-lived (the provider
 * object, which Pulumi serializes into state) ever holds them.
 */
import { CredentialPlan, ecsRolePlan, realize, ResolvedCredentials, uriPlan } from "./sources";
import {
    checkRoleArn,
    CONFIG_KEYS,
    ENV_KEYS,
    nonEmpty,
    ProviderConfig,
    RoleSettings,
    roleSettings,
    setting,
} from "./settings";
import { profilePlan } from "./profiles";
import { type Clock, systemClock } from "../foundation/clock";
import { ConfigError } from "../foundation/errors";

export { configFromPulumi, ProviderConfig } from "./settings";
export { ResolvedCredentials } from "./sources";

/** Per-resource choices that stand in for the provider's: another account in the same stack. */
export interface CredentialOverrides {
    /** A profile of the shared credentials file; replaces the provider's credentials and role. */
    profile?: string;
    /** A role to assume instead of the provider's, with the provider's (or the profile's) credentials. */
    assumeRoleArn?: string;
}

/**
 * A key without its secret (or the reverse) is an error, not a reason to look
 * further: half a pair is a mistake the user wants to hear about. So is any
 * setting that is present but malformed or unsupported.
 */
export async function resolveCredentials(
    config: ProviderConfig,
    env: NodeJS.ProcessEnv = process.env,
    overrides: CredentialOverrides = {},
    clock: Clock = systemClock,
): Promise<ResolvedCredentials> {
    return realize(credentialPlan(config, env, overrides), env, clock);
}

/** Decides where the credentials come from, checking every setting, without any network call. */
export function credentialPlan(
    config: ProviderConfig,
    env: NodeJS.ProcessEnv,
    overrides: CredentialOverrides = {},
): CredentialPlan {
    if (config.assumeRoleWithOidc !== undefined) {
        throw new ConfigError(
            `${CONFIG_KEYS.assumeRoleWithOidc} is not supported by this provider; for an OIDC role set ` +
                "ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE instead",
        );
    }
    const providerRole = roleSettings(config, env);
    const profile = nonEmpty(overrides.profile);
    if (profile !== undefined) {
        const base = profilePlan(
            {
                name: { value: profile, source: "the resource's profile input" },
                file: setting(config, "sharedCredentialsFile", env),
            },
            env,
        );
        return withRole(base, overriddenRole(providerRole, overrides.assumeRoleArn));
    }
    return withRole(basePlan(config, env), overriddenRole(providerRole, overrides.assumeRoleArn) ?? providerRole);
}

function withRole(base: CredentialPlan, role: RoleSettings | undefined): CredentialPlan {
    return role ? { kind: "role", base, role } : base;
}

/**
 * The resource's role, with the provider's session name and duration; the
 * provider's policy and external ID belong to the provider's role and stay with it.
 */
function overriddenRole(providerRole: RoleSettings | undefined, roleArn: string | undefined): RoleSettings | undefined {
    const arn = nonEmpty(roleArn);
    if (arn === undefined) {
        return undefined;
    }
    const source = "the resource's assumeRoleArn input";
    const role: RoleSettings = { roleArn: checkRoleArn(arn, source), source };
    if (providerRole?.sessionName !== undefined) role.sessionName = providerRole.sessionName;
    if (providerRole?.durationSeconds !== undefined) role.durationSeconds = providerRole.durationSeconds;
    return role;
}

function basePlan(config: ProviderConfig, env: NodeJS.ProcessEnv): CredentialPlan {
    const fromConfig = pair(
        { id: config.accessKey, secret: config.secretKey, token: config.securityToken },
        { id: CONFIG_KEYS.accessKey, secret: CONFIG_KEYS.secretKey, token: CONFIG_KEYS.securityToken },
        "Pulumi config",
    );
    if (fromConfig) {
        return { kind: "keys", credentials: fromConfig };
    }
    const fromEnv = pair(
        {
            id: nonEmpty(env[ENV_KEYS.accessKey[0]]),
            secret: nonEmpty(env[ENV_KEYS.secretKey[0]]),
            token: nonEmpty(env[ENV_KEYS.securityToken[0]]),
        },
        { id: ENV_KEYS.accessKey[0], secret: ENV_KEYS.secretKey[0], token: ENV_KEYS.securityToken[0] },
        "environment",
    );
    if (fromEnv) {
        return { kind: "keys", credentials: fromEnv };
    }
    const profile = setting(config, "profile", env);
    const file = setting(config, "sharedCredentialsFile", env);
    if (profile || file) {
        return profilePlan({ name: profile, file }, env);
    }
    const uri = setting(config, "credentialsUri", env);
    if (uri) {
        return uriPlan(uri.value, uri.source);
    }
    const ecsRole = setting(config, "ecsRoleName", env);
    if (ecsRole) {
        return ecsRolePlan(ecsRole.value, ecsRole.source, env);
    }
    return { kind: "chain", get: () => fromDefaultChain(env) };
}

function pair(
    values: { id?: string; secret?: string; token?: string },
    names: { id: string; secret: string; token: string },
    where: string,
): ResolvedCredentials | undefined {
    if (values.id === undefined && values.secret === undefined) {
        if (values.token !== undefined) {
            throw new ConfigError(
                `${where} sets ${names.token} but not ${names.id} and ${names.secret}: a security token needs the STS key pair it belongs to`,
            );
        }
        return undefined;
    }
    if (values.id === undefined || values.secret === undefined) {
        const [set, missing] = values.id === undefined ? [names.secret, names.id] : [names.id, names.secret];
        throw new ConfigError(`${where} sets ${set} but not ${missing}: set both, or neither to use another source`);
    }
    const resolved: ResolvedCredentials = {
        accessKeyId: values.id,
        accessKeySecret: values.secret,
        source: `${where} (${names.id})`,
    };
    if (values.token !== undefined) {
        resolved.securityToken = values.token;
    }
    return resolved;
}

async function fromDefaultChain(env: NodeJS.ProcessEnv): Promise<ResolvedCredentials> {
    // Loaded here, not at the top: check and diff never need it.
    const credentials = await import("@alicloud/credentials");
    let model: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string; providerName?: string };
    try {
        model = await new credentials.default().getCredential();
    } catch {
        // The chain's own message is dropped: it can quote a malformed profile file, keys included.
        throw new ConfigError(noCredentialsMessage(env));
    }
    const accessKeyId = nonEmpty(model.accessKeyId);
    const accessKeySecret = nonEmpty(model.accessKeySecret);
    if (accessKeyId === undefined || accessKeySecret === undefined) {
        throw new ConfigError(noCredentialsMessage(env));
    }
    // Stryker disable next-line StringLiteral: the chain always names the provider that answered (default/env and the like)
    const provider = model.providerName ?? "default";
    const resolved: ResolvedCredentials = {
        accessKeyId,
        accessKeySecret,
        source: `the Alibaba Cloud default credential chain (${provider})`,
    };
    const securityToken = nonEmpty(model.securityToken);
    if (securityToken !== undefined) {
        resolved.securityToken = securityToken;
    }
    return resolved;
}

function noCredentialsMessage(env: NodeJS.ProcessEnv): string {
    const imdsOff = env.ALIBABA_CLOUD_ECS_METADATA_DISABLED?.toLowerCase() === "true";
    return [
        "No Alibaba Cloud credentials found. Provide them in one of these ways:",
        `  - Pulumi config: ${CONFIG_KEYS.accessKey} and ${CONFIG_KEYS.secretKey} (as secrets), plus ${CONFIG_KEYS.securityToken} for STS`,
        `  - environment: ${ENV_KEYS.accessKey[0]} and ${ENV_KEYS.secretKey[0]}, plus ${ENV_KEYS.securityToken[0]} for STS`,
        `  - a profile of the Alibaba Cloud CLI's config.json: ${CONFIG_KEYS.profile} or ${ENV_KEYS.profile[0]}, in ${CONFIG_KEYS.sharedCredentialsFile} or ${ENV_KEYS.sharedCredentialsFile[0]} (default ~/.aliyun/config.json)`,
        `  - a credentials URI: ${CONFIG_KEYS.credentialsUri} or ${ENV_KEYS.credentialsUri[0]}`,
        `  - an ECS RAM role by name: ${CONFIG_KEYS.ecsRoleName} or ${ENV_KEYS.ecsRoleName[0]}`,
        "  - environment: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, plus ALIBABA_CLOUD_SECURITY_TOKEN for STS",
        "  - OIDC role: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        "  - Alibaba Cloud CLI profile in ~/.aliyun/config.json (pick one with ALIBABA_CLOUD_PROFILE)",
        "  - credentials file ~/.alibabacloud/credentials, or the file named by ALIBABA_CLOUD_CREDENTIALS_FILE",
        `  - ECS RAM role of the instance this runs on (ALIBABA_CLOUD_ECS_METADATA names the role)${
            imdsOff ? "; disabled here by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true" : ""
        }`,
        "  - a credentials URI: ALIBABA_CLOUD_CREDENTIALS_URI",
    ].join("\n");
}
