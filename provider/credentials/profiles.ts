/**
 * Profiles of the Alibaba Cloud CLI's configuration file (`~/.aliyun/config.json`,
 * or the file `sharedCredentialsFile` names), the file `@pulumi/alicloud`'s
 * `profile` setting reads. The file is read here rather than through
 * `@alicloud/credentials`, whose CLI-profile provider reads only the home
 * directory's file and quotes the file's content (keys included) when it
 * cannot parse it; the credentials each mode leads to come from the same
 * building blocks (keys, AssumeRole, the library's ECS RAM role and URI providers).
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ecsRolePlan, type CredentialPlan, uriPlan } from "./sources";
import { checkRoleArn, type RoleSettings, type Setting } from "./settings";
import { ConfigError } from "../foundation/errors";
import { isRecord } from "../foundation/records";

const SUPPORTED_MODES = ["AK", "StsToken", "RamRoleArn", "ChainableRamRoleArn", "EcsRamRole", "CredentialsURI"];

export interface ProfileRequest {
    /** The profile's name and where it was set; without it, the file's `current` profile. */
    name?: Setting;
    /** The file and where it was set; without it, ~/.aliyun/config.json. */
    file?: Setting;
}

type Profile = Record<string, unknown>;

function defaultProfileFile(): string {
    return join(homedir(), ".aliyun", "config.json");
}

/** The plan for a profile; every missing or unsupported piece is an error naming the profile and the setting. */
export function profilePlan(request: ProfileRequest, env: NodeJS.ProcessEnv): CredentialPlan {
    const file = request.file?.value ?? defaultProfileFile();
    const fileWhere = request.file ? `${file} (${request.file.source})` : file;
    const profiles = readProfiles(file, fileWhere, request.name);
    const name = request.name?.value ?? profiles.current;
    if (name === undefined) {
        throw new ConfigError(`${fileWhere} names no current profile: set alicloud:profile or ALICLOUD_PROFILE`);
    }
    const nameWhere = request.name ? ` (${request.name.source})` : " (the file's current profile)";
    return planFor(profiles.byName, name, { file: fileWhere, setBy: nameWhere }, env, []);
}

function readProfiles(
    file: string,
    fileWhere: string,
    name: Setting | undefined,
): { current?: string; byName: Map<string, Profile> } {
    let text: string;
    try {
        // Stryker disable next-line StringLiteral: without an encoding the file is read as bytes, which JSON.parse decodes as UTF-8 all the same
        text = readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as { code?: unknown }).code;
        const wanted = name ? `${name.source} names profile ${JSON.stringify(name.value)}, but ` : "";
        throw new ConfigError(
            `${wanted}the shared credentials file ${fileWhere} cannot be read (${String(code ?? e)})`,
        );
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // Not quoted: the file holds keys.
        throw new ConfigError(`the shared credentials file ${fileWhere} is not valid JSON`);
    }
    if (!isRecord(parsed) || !Array.isArray(parsed.profiles)) {
        throw new ConfigError(
            `the shared credentials file ${fileWhere} has no "profiles" list (the Alibaba Cloud CLI's config.json format)`,
        );
    }
    const byName = new Map<string, Profile>();
    for (const profile of parsed.profiles as unknown[]) {
        if (isRecord(profile) && typeof profile.name === "string") byName.set(profile.name, profile);
    }
    const current = typeof parsed.current === "string" && parsed.current !== "" ? parsed.current : undefined;
    return { current, byName };
}

function planFor(
    profiles: Map<string, Profile>,
    name: string,
    where: { file: string; setBy: string },
    env: NodeJS.ProcessEnv,
    chain: string[],
): CredentialPlan {
    const label = `profile ${JSON.stringify(name)}${where.setBy} in ${where.file}`;
    const profile = profiles.get(name);
    if (!profile) {
        const known = [...profiles.keys()].map((n) => JSON.stringify(n)).join(", ") || "none";
        throw new ConfigError(`there is no ${label}; the file's profiles are ${known}`);
    }
    if (chain.includes(name)) {
        throw new ConfigError(`${label} is part of a source_profile loop: ${[...chain, name].join(" -> ")}`);
    }
    const mode = typeof profile.mode === "string" ? profile.mode : "";
    const field = (key: string): string => {
        const value = profile[key];
        if (typeof value !== "string" || value.trim() === "") {
            throw new ConfigError(`${label} (mode ${mode}) has no ${key}`);
        }
        return value.trim();
    };
    const keys = (token?: string): CredentialPlan => ({
        kind: "keys",
        credentials: {
            accessKeyId: field("access_key_id"),
            accessKeySecret: field("access_key_secret"),
            ...(token !== undefined && { securityToken: token }),
            source: label,
        },
    });
    switch (mode) {
        case "AK":
            return keys();
        case "StsToken":
            return keys(field("sts_token"));
        case "RamRoleArn":
            return { kind: "role", base: keys(), role: profileRole(profile, label, field) };
        case "ChainableRamRoleArn": {
            const base = planFor(
                profiles,
                field("source_profile"),
                { file: where.file, setBy: ` (source_profile of ${name})` },
                env,
                [...chain, name],
            );
            return { kind: "role", base, role: profileRole(profile, label, field) };
        }
        case "EcsRamRole":
            return ecsRolePlan(field("ram_role_name"), label, env);
        case "CredentialsURI":
            return uriPlan(field("credentials_uri"), label);
        default:
            throw new ConfigError(
                `${label} uses mode ${JSON.stringify(mode)}, which this provider does not support; ` +
                    `supported modes: ${SUPPORTED_MODES.join(", ")}`,
            );
    }
}

function profileRole(profile: Profile, label: string, field: (key: string) => string): RoleSettings {
    const role: RoleSettings = {
        roleArn: checkRoleArn(field("ram_role_arn"), `ram_role_arn of ${label}`),
        source: label,
    };
    if (typeof profile.ram_session_name === "string" && profile.ram_session_name !== "") {
        role.sessionName = profile.ram_session_name;
    }
    const expiry = profile.expired_seconds;
    if (expiry !== undefined && expiry !== 0 && expiry !== "") {
        const seconds = Number(expiry);
        if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
            throw new ConfigError(`expired_seconds of ${label} must be a whole number of seconds from 900 to 43200`);
        }
        role.durationSeconds = seconds;
    }
    if (typeof profile.sts_endpoint === "string" && profile.sts_endpoint !== "") {
        role.stsEndpoint = profile.sts_endpoint;
    } else if (typeof profile.sts_region === "string" && profile.sts_region !== "") {
        role.stsEndpoint = `sts.${profile.sts_region}.aliyuncs.com`;
    }
    return role;
}
