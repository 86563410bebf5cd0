/**
 * Where the access key comes from, in the order the alicloud Pulumi and
 * Terraform providers taught users: Pulumi config, then their environment
 * variables, then the Alibaba Cloud default credential chain.
 *
 * Credentials are resolved at the start of each provider call and handed to a
 * client made for that call; nothing long-lived (the provider object, which
 * Pulumi serializes into state) ever holds them.
 */

/** The provider-level settings read from Pulumi config. */
export interface ProviderConfig {
    accessKey?: string;
    secretKey?: string;
    securityToken?: string;
    region?: string;
}

export interface ResolvedCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
    /** Where they came from, for messages: never the values themselves. */
    source: string;
}

/** Pulumi config keys; the dynamic provider's config is the whole stack config, namespaces kept. */
const CONFIG_KEYS = {
    accessKey: "alicloud:accessKey",
    secretKey: "alicloud:secretKey",
    securityToken: "alicloud:securityToken",
    region: "alicloud:region",
} as const;

const ENV_KEYS = {
    accessKey: "ALICLOUD_ACCESS_KEY",
    secretKey: "ALICLOUD_SECRET_KEY",
    securityToken: "ALICLOUD_SECURITY_TOKEN",
} as const;

/** Reads the `alicloud:*` keys from the config `configure` receives. */
export function configFromPulumi(config: { get(key: string): string | undefined }): ProviderConfig {
    const read = (key: string): string | undefined => nonEmpty(config.get(key));
    const result: ProviderConfig = {};
    for (const field of Object.keys(CONFIG_KEYS) as Array<keyof typeof CONFIG_KEYS>) {
        const value = read(CONFIG_KEYS[field]);
        if (value !== undefined) {
            result[field] = value;
        }
    }
    return result;
}

/**
 * Pulumi config, else `ALICLOUD_*` variables, else the default chain of
 * `@alicloud/credentials` (ALIBABA_CLOUD_* variables, OIDC role, CLI and
 * credentials-file profiles, ECS RAM role, credentials URI). The chain reads
 * `process.env` itself, whatever `env` says. A key without its secret (or
 * the reverse) is an error, not a reason to look further: half a pair is a
 * mistake the user wants to hear about.
 */
export async function resolveCredentials(
    config: ProviderConfig,
    env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedCredentials> {
    const fromConfig = pair(
        { id: config.accessKey, secret: config.secretKey, token: config.securityToken },
        { id: CONFIG_KEYS.accessKey, secret: CONFIG_KEYS.secretKey, token: CONFIG_KEYS.securityToken },
        "Pulumi config",
    );
    if (fromConfig) {
        return fromConfig;
    }
    const fromEnv = pair(
        {
            id: nonEmpty(env[ENV_KEYS.accessKey]),
            secret: nonEmpty(env[ENV_KEYS.secretKey]),
            token: nonEmpty(env[ENV_KEYS.securityToken]),
        },
        { id: ENV_KEYS.accessKey, secret: ENV_KEYS.secretKey, token: ENV_KEYS.securityToken },
        "environment",
    );
    if (fromEnv) {
        return fromEnv;
    }
    return fromDefaultChain(env);
}

function pair(
    values: { id?: string; secret?: string; token?: string },
    names: { id: string; secret: string; token: string },
    where: string,
): ResolvedCredentials | undefined {
    if (values.id === undefined && values.secret === undefined) {
        if (values.token !== undefined) {
            throw new Error(
                `${where} sets ${names.token} but not ${names.id} and ${names.secret}: a security token needs the STS key pair it belongs to`,
            );
        }
        return undefined;
    }
    if (values.id === undefined || values.secret === undefined) {
        const [set, missing] = values.id === undefined ? [names.secret, names.id] : [names.id, names.secret];
        throw new Error(`${where} sets ${set} but not ${missing}: set both, or neither to use another source`);
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
    const credentials = require("@alicloud/credentials") as typeof import("@alicloud/credentials");
    let model: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string; providerName?: string };
    try {
        model = await new credentials.default().getCredential();
    } catch {
        // The chain's own message is dropped: it can quote a malformed profile file, keys included.
        throw new Error(noCredentialsMessage(env));
    }
    const accessKeyId = nonEmpty(model.accessKeyId);
    const accessKeySecret = nonEmpty(model.accessKeySecret);
    if (accessKeyId === undefined || accessKeySecret === undefined) {
        throw new Error(noCredentialsMessage(env));
    }
    const resolved: ResolvedCredentials = {
        accessKeyId,
        accessKeySecret,
        source: `the Alibaba Cloud default credential chain (${model.providerName ?? "default"})`,
    };
    const securityToken = nonEmpty(model.securityToken);
    if (securityToken !== undefined) {
        resolved.securityToken = securityToken;
    }
    return resolved;
}

function noCredentialsMessage(env: NodeJS.ProcessEnv): string {
    const imdsOff = (env.ALIBABA_CLOUD_ECS_METADATA_DISABLED ?? "").toLowerCase() === "true";
    return [
        "No Alibaba Cloud credentials found. Provide them in one of these ways:",
        `  - Pulumi config: ${CONFIG_KEYS.accessKey} and ${CONFIG_KEYS.secretKey} (as secrets), plus ${CONFIG_KEYS.securityToken} for STS`,
        `  - environment: ${ENV_KEYS.accessKey} and ${ENV_KEYS.secretKey}, plus ${ENV_KEYS.securityToken} for STS`,
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

function nonEmpty(value: unknown): string | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const trimmed = value.trim();
    return trimmed === "" ? undefined : trimmed;
}
