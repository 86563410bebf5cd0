/**
 * How a call's credentials are obtained, decided first (resolution.ts,
 * profiles.ts) and carried out second (`realize`), so that every setting is
 * checked before anything goes over the network.
 */
import type * as Credentials from "@alicloud/credentials";
import type { RoleSettings } from "./settings";
import { assumeRole } from "./sts";
import { type Clock, systemClock } from "../foundation/clock";
import { ConfigError, CredentialsError } from "../foundation/errors";

export interface ResolvedCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
    /** Where they came from, for messages: never the values themselves. */
    source: string;
    /** When temporary keys that the provider obtained (AssumeRole) expire, epoch ms; they are renewed before. */
    expiresAt?: number;
}

interface LibraryProvider {
    getCredentials(): Promise<{ accessKeyId?: string; accessKeySecret?: string; securityToken?: string }>;
}

export type CredentialPlan =
    /** Keys known now: config, variables, a profile's keys. */
    | { kind: "keys"; credentials: ResolvedCredentials }
    /** One of `@alicloud/credentials`'s providers (credentials URI, ECS RAM role). */
    | { kind: "library"; source: string; make: (lib: typeof Credentials) => LibraryProvider }
    /** `@alicloud/credentials`'s default chain. */
    | { kind: "chain"; get: () => Promise<ResolvedCredentials> }
    /** AssumeRole with the credentials of `base`. */
    | { kind: "role"; base: CredentialPlan; role: RoleSettings };

export async function realize(
    plan: CredentialPlan,
    env: NodeJS.ProcessEnv,
    clock: Clock = systemClock,
): Promise<ResolvedCredentials> {
    switch (plan.kind) {
        case "keys":
            return plan.credentials;
        case "chain":
            return plan.get();
        case "library":
            return fromLibrary(plan.source, plan.make);
        case "role":
            return assumeRole(await realize(plan.base, env, clock), plan.role, env, clock);
    }
}

/** The ECS instance's RAM role, unless the metadata service is switched off: then the setting is an error, not skipped. */
export function ecsRolePlan(roleName: string, source: string, env: NodeJS.ProcessEnv): CredentialPlan {
    if (env.ALIBABA_CLOUD_ECS_METADATA_DISABLED?.trim().toLowerCase() === "true") {
        throw new ConfigError(
            `${source} selects the ECS RAM role ${JSON.stringify(roleName)}, but ALIBABA_CLOUD_ECS_METADATA_DISABLED=true ` +
                `turns off the ECS metadata service that role's keys come from: unset one of the two`,
        );
    }
    return {
        kind: "library",
        source: `ECS RAM role ${JSON.stringify(roleName)} (${source})`,
        make: (lib) => lib.ECSRAMRoleCredentialsProvider.builder().withRoleName(roleName).build(),
    };
}

export function uriPlan(uri: string, source: string): CredentialPlan {
    let parsed: URL;
    try {
        parsed = new URL(uri);
    } catch {
        throw new ConfigError(`${source} is not a URL`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        throw new ConfigError(`${source} must be an http or https URL`);
    }
    return {
        kind: "library",
        source: `the credentials URI (${source})`,
        make: (lib) => lib.URICredentialsProvider.builder().withCredentialsURI(uri).build(),
    };
}

async function fromLibrary(
    source: string,
    make: (lib: typeof Credentials) => LibraryProvider,
): Promise<ResolvedCredentials> {
    // Loaded here, not at the top: check and diff never need it.
    const lib = await import("@alicloud/credentials");
    let model: Awaited<ReturnType<LibraryProvider["getCredentials"]>>;
    try {
        model = await make(lib).getCredentials();
    } catch (e) {
        // Not kept as the cause: the library's error quotes the answer, keys included (see libraryFailure).
        throw new CredentialsError(`could not get credentials from ${source}: ${libraryFailure(e)}`);
    }
    if (!model.accessKeyId || !model.accessKeySecret) {
        throw new CredentialsError(`could not get credentials from ${source}: the answer has no key pair`);
    }
    const resolved: ResolvedCredentials = {
        accessKeyId: model.accessKeyId,
        accessKeySecret: model.accessKeySecret,
        source,
    };
    if (model.securityToken) resolved.securityToken = model.securityToken;
    return resolved;
}

/**
 * What went wrong, without the library's message: it quotes the whole answer
 * it could not use, which can hold keys.
 */
function libraryFailure(e: unknown): string {
    const err = e as { code?: unknown; message?: unknown };
    const code = String(err?.code);
    if (/^E[A-Z]+$/.test(code)) {
        return `the connection failed (${code})`;
    }
    const message = String(err?.message);
    const status = /httpStatus: (\d+)/.exec(message)?.[1] ?? /failed with (\d{3})/.exec(message)?.[1];
    if (status !== undefined) {
        return `the answer was HTTP ${status}`;
    }
    return "the answer was not JSON with AccessKeyId, AccessKeySecret and SecurityToken";
}
