/**
 * STS AssumeRole over `@alicloud/openapi-client`, signed like the VPC calls
 * (ACS3-HMAC-SHA256). `@alicloud/credentials` has a RAM-role provider, but it
 * always speaks HTTPS to a host name, so it cannot be pointed at a local
 * endpoint: this one takes ALICLOUD_STS_ENDPOINT the way the VPC client
 * takes ALICLOUD_VPC_ENDPOINT.
 *
 * Temporary keys are shared by every call of the provider process until
 * shortly before they expire: a stack of many resources assumes a role once,
 * not once per call.
 */
import type { RoleSettings } from "./settings";
import { parseEndpoint } from "../foundation/endpoint";
import { CredentialsError, fromSdkError, isServiceError, isTransportError } from "../foundation/errors";
import { describeErrorCode } from "../foundation/catalogue";
import { redact } from "../foundation/redaction";
import { type Clock, systemClock } from "../foundation/clock";
import { processWide } from "../foundation/processWide";
import { isRecord } from "../foundation/records";

const STS_ENDPOINT_ENV = "ALICLOUD_STS_ENDPOINT";
const DEFAULT_STS_HOST = "sts.aliyuncs.com";
const DEFAULT_SESSION_NAME = "pulumi-vpn-attachment";
const DEFAULT_DURATION_S = 3600;
/** Keys this close to expiry are renewed before use: a long wait must not outlive its key. */
export const RENEW_BEFORE_MS = 5 * 60_000;
const USER_AGENT = "pulumi-alicloud-vpn-attachment-attribute";

export interface StsCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
    source: string;
    /** When temporary keys expire (epoch ms); absent for keys that do not. */
    expiresAt?: number;
}

type Session = { credentials: Promise<StsCredentials & { expiresAt: number }> };

/** The AssumeRole call itself; tests give one of their own, with no network. */
export type AssumeRoleCall = (
    base: StsCredentials,
    role: RoleSettings,
    endpoint: { endpoint: string; protocol: "http" | "https" },
    clock: Clock,
) => Promise<StsCredentials & { expiresAt: number }>;

/** Shared by every copy of this module in the process (see processWide.ts). */
function sessions(): Map<string, Session> {
    return processWide("sts-sessions", 1, () => new Map<string, Session>());
}

/** Where AssumeRole goes: ALICLOUD_STS_ENDPOINT, else the role's own (a CLI profile's sts_endpoint/sts_region), else sts.aliyuncs.com. */
export function stsEndpoint(
    role: RoleSettings,
    env: NodeJS.ProcessEnv,
    log: (line: string) => void = (line) => console.log(line),
): { endpoint: string; protocol: "http" | "https" } {
    const fromEnv = env[STS_ENDPOINT_ENV]?.trim();
    if (fromEnv) {
        return parseEndpoint(fromEnv, STS_ENDPOINT_ENV, env, log);
    }
    if (role.stsEndpoint) {
        return parseEndpoint(role.stsEndpoint, `the STS endpoint of ${role.source}`, env, log);
    }
    return { endpoint: DEFAULT_STS_HOST, protocol: "https" };
}

/** The role's temporary keys, with their expiry, from the shared session when it is still fresh. */
export async function assumeRole(
    base: StsCredentials,
    role: RoleSettings,
    env: NodeJS.ProcessEnv,
    clock: Clock = systemClock,
    call: AssumeRoleCall = callAssumeRole,
): Promise<StsCredentials> {
    const endpoint = stsEndpoint(role, env);
    // JSON keeps the settings apart (an absent one included), whatever text they hold.
    const key = JSON.stringify([
        endpoint,
        base.accessKeyId,
        role.roleArn,
        role.sessionName,
        role.durationSeconds,
        role.policy,
        role.externalId,
    ]);
    const table = sessions();
    const existing = table.get(key);
    if (existing) {
        const settled = await existing.credentials.catch(() => undefined);
        if (settled && settled.expiresAt - clock.now() > RENEW_BEFORE_MS) {
            return settled;
        }
        if (table.get(key) !== existing) {
            return assumeRole(base, role, env, clock, call);
        }
    }
    // A failed session stays until the next call, which takes it for absent (above) and replaces it.
    const session: Session = { credentials: call(base, role, endpoint, clock) };
    table.set(key, session);
    return session.credentials;
}

async function callAssumeRole(
    base: StsCredentials,
    role: RoleSettings,
    endpoint: { endpoint: string; protocol: "http" | "https" },
    clock: Clock,
): Promise<StsCredentials & { expiresAt: number }> {
    // Loaded here, not at the top: check and diff never need it.
    const openapi = await import("@alicloud/openapi-client");
    const duration = role.durationSeconds ?? DEFAULT_DURATION_S;
    const query: Record<string, string> = {
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName ?? DEFAULT_SESSION_NAME,
        DurationSeconds: String(duration),
    };
    if (role.policy !== undefined) query.Policy = role.policy;
    if (role.externalId !== undefined) query.ExternalId = role.externalId;
    const what = `AssumeRole of ${role.roleArn} (${role.source}) with the credentials from ${base.source}`;
    let body: Record<string, unknown>;
    try {
        const client = new openapi.default(
            new openapi.Config({
                accessKeyId: base.accessKeyId,
                accessKeySecret: base.accessKeySecret,
                securityToken: base.securityToken,
                endpoint: endpoint.endpoint,
                protocol: endpoint.protocol,
                connectTimeout: 5_000,
                readTimeout: 10_000,
                userAgent: USER_AGENT,
            }),
        );
        const params = new openapi.Params({
            action: "AssumeRole",
            version: "2015-04-01",
            pathname: "/",
            method: "POST",
            // Stryker disable StringLiteral: the SDK signs unless authType is "Anonymous", uses style only for bearer tokens and RPC headers (neither set here), and reqBodyType only for a body (none: the parameters go in the query)
            authType: "AK",
            style: "RPC",
            reqBodyType: "formData",
            // Stryker restore StringLiteral
            bodyType: "json",
        });
        const response = await client.callApi(params, new openapi.OpenApiRequest({ query }), {} as never);
        // A record: with bodyType json, the SDK refuses (throws) any other answer.
        body = response.body as Record<string, unknown>;
    } catch (e) {
        // Not kept as the cause: the SDK's error may carry the signed request; only the redacted message leaves.
        throw new CredentialsError(redact(`${what} failed: ${explainStsError(e, endpoint.endpoint)}`, secretsOf(base)));
    }
    const credentials = isRecord(body.Credentials) ? body.Credentials : {};
    const { AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = credentials;
    if (typeof AccessKeyId !== "string" || typeof AccessKeySecret !== "string" || typeof SecurityToken !== "string") {
        throw new CredentialsError(
            `${what} failed: the answer carries no temporary credentials (RequestId: ${typeof body.RequestId === "string" ? body.RequestId : "none"})`,
        );
    }
    const expiresAt =
        typeof Expiration === "string" && !Number.isNaN(Date.parse(Expiration))
            ? Date.parse(Expiration)
            : clock.now() + duration * 1000;
    return {
        accessKeyId: AccessKeyId,
        accessKeySecret: AccessKeySecret,
        securityToken: SecurityToken,
        source: `role ${role.roleArn} (${role.source}), assumed with the credentials from ${base.source}`,
        expiresAt,
    };
}

function explainStsError(e: unknown, host: string): string {
    const err = fromSdkError(e);
    if (isTransportError(err)) {
        return `could not get an answer from the STS endpoint ${host} (set ${STS_ENDPOINT_ENV} to use another): ${err.message}`;
    }
    if (!isServiceError(err)) {
        return err.message;
    }
    // Stryker disable next-line StringLiteral: the SDK puts the HTTP status on every refusal it raises (callApi, on any 4xx or 5xx); a service error without one cannot come from AssumeRole
    const status = err.statusCode ?? "unknown";
    const remedy =
        describeErrorCode(err.code)?.remedy ??
        "Check that the role exists, that its trust policy lets this caller assume it, and that the caller may call sts:AssumeRole.";
    return `${err.code} (HTTP ${status}): ${err.serviceMessage} RequestId: ${err.requestId ?? "none"}. What to do: ${remedy}`;
}

function secretsOf(credentials: StsCredentials): string[] {
    // `redact` skips an empty one.
    // Stryker disable next-line StringLiteral: the stand-in for an absent token; any text that no message holds does as well
    return [credentials.accessKeySecret, credentials.securityToken ?? ""];
}
