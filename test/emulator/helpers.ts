// The credential chain must never reach for the ECS metadata address in tests.
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";

import { createHash, createHmac, randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { request } from "node:http";
import { resolve as resolvePath } from "node:path";
import { Config } from "@alicloud/openapi-client";
import Vpc, * as $Vpc from "@alicloud/vpc20160428";
import { expect } from "chai";
import type { EmulatorHandle } from "../../emulator";

export { $Vpc };

export interface ClientOverrides {
    accessKeyId?: string;
    accessKeySecret?: string;
    securityToken?: string;
    readTimeout?: number;
}

/** The real SDK client, pointed at the emulator the way NOTES.md describes. */
export function sdkClient(emulator: EmulatorHandle, overrides: ClientOverrides = {}): Vpc {
    const config = new Config({
        accessKeyId: overrides.accessKeyId ?? emulator.accessKeyId,
        accessKeySecret: overrides.accessKeySecret ?? emulator.accessKeySecret,
        securityToken: overrides.securityToken,
        endpoint: `127.0.0.1:${emulator.port}`,
        protocol: "http",
        regionId: "cn-hangzhou",
        readTimeout: overrides.readTimeout,
    });
    return new Vpc(config);
}

export function describeConnection(client: Vpc, vpnConnectionId: string) {
    return client.describeVpnConnection(
        new $Vpc.DescribeVpnConnectionRequest({ regionId: "cn-hangzhou", vpnConnectionId }),
    );
}

export type ModifyFields = ConstructorParameters<typeof $Vpc.ModifyVpnAttachmentAttributeRequest>[0];

export function modify(client: Vpc, vpnConnectionId: string, fields: ModifyFields = {}) {
    return client.modifyVpnAttachmentAttribute(
        new $Vpc.ModifyVpnAttachmentAttributeRequest({ regionId: "cn-hangzhou", vpnConnectionId, ...fields }),
    );
}

/** One TunnelOptionsSpecification entry built from plain objects. */
export function tunnelSpec(spec: {
    tunnelId?: string;
    tunnelIndex?: number;
    customerGatewayId?: string;
    enableDpd?: boolean;
    enableNatTraversal?: boolean;
    ike?: Record<string, unknown>;
    ipsec?: Record<string, unknown>;
    bgp?: Record<string, unknown>;
}): $Vpc.ModifyVpnAttachmentAttributeRequestTunnelOptionsSpecification {
    const { ike, ipsec, bgp, ...plain } = spec;
    return new $Vpc.ModifyVpnAttachmentAttributeRequestTunnelOptionsSpecification({
        ...plain,
        ...(ike && {
            tunnelIkeConfig: new $Vpc.ModifyVpnAttachmentAttributeRequestTunnelOptionsSpecificationTunnelIkeConfig(ike),
        }),
        ...(ipsec && {
            tunnelIpsecConfig: new $Vpc.ModifyVpnAttachmentAttributeRequestTunnelOptionsSpecificationTunnelIpsecConfig(
                ipsec,
            ),
        }),
        ...(bgp && {
            tunnelBgpConfig: new $Vpc.ModifyVpnAttachmentAttributeRequestTunnelOptionsSpecificationTunnelBgpConfig(bgp),
        }),
    });
}

export interface SdkError {
    name: string;
    code: string;
    statusCode: number;
    retryAfter?: number;
    data?: Record<string, unknown>;
}

/** Awaits a call that must fail with the given service code; returns the SDK error. */
export async function expectCode(call: Promise<unknown>, code: string, statusCode = 400): Promise<SdkError> {
    let failure: SdkError | undefined;
    try {
        await call;
    } catch (error) {
        failure = error as SdkError;
    }
    expect(failure, `expected ${code}`).to.not.equal(undefined);
    expect(failure?.code, JSON.stringify(failure?.data ?? failure)).to.equal(code);
    expect(failure?.statusCode).to.equal(statusCode);
    return failure as SdkError;
}

/** Polls until the check passes (it should throw until then) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await check();
        } catch (error) {
            if (Date.now() > deadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
    }
}

export async function settled(client: Vpc, id: string, state = "attached"): Promise<void> {
    await eventually(async () => expect((await describeConnection(client, id)).body?.state).to.equal(state));
}

/* ---- A raw ACS3-HMAC-SHA256 signer, written from the public spec, for tampering tests ---- */

export interface RawRequest {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string;
}

export interface SignOptions {
    port: number;
    accessKeyId: string;
    accessKeySecret: string;
    action?: string;
    version?: string;
    query?: Record<string, string>;
    /** Form body fields. */
    form?: Record<string, string>;
    date?: Date;
    nonce?: string;
    securityToken?: string;
}

function rfc3986(text: string): string {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryString(query: Record<string, string>): string {
    return Object.keys(query)
        .sort()
        .map((key) => `${rfc3986(key)}=${rfc3986(query[key])}`)
        .join("&");
}

export function signRequest(opts: SignOptions): RawRequest {
    const query = opts.query ?? { RegionId: "cn-hangzhou" };
    const body = opts.form ? queryString(opts.form) : "";
    const headers: Record<string, string> = {
        host: `127.0.0.1:${opts.port}`,
        "x-acs-action": opts.action ?? "DescribeVpnConnections",
        "x-acs-version": opts.version ?? "2016-04-28",
        "x-acs-date": (opts.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": opts.nonce ?? randomUUID(),
        "x-acs-content-sha256": createHash("sha256").update(body).digest("hex"),
        ...(opts.form && { "content-type": "application/x-www-form-urlencoded" }),
        ...(opts.securityToken && { "x-acs-security-token": opts.securityToken }),
    };
    const signed = Object.keys(headers).sort();
    const canonical = [
        "POST",
        "/",
        queryString(query),
        signed.map((name) => `${name}:${headers[name].trim()}\n`).join(""),
        signed.join(";"),
        headers["x-acs-content-sha256"],
    ].join("\n");
    const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
    const signature = createHmac("sha256", opts.accessKeySecret).update(toSign).digest("hex");
    headers.authorization = `ACS3-HMAC-SHA256 Credential=${opts.accessKeyId},SignedHeaders=${signed.join(";")},Signature=${signature}`;
    const qs = queryString(query);
    return { method: "POST", path: qs ? `/?${qs}` : "/", headers, body };
}

export interface RawResponse {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    json: Record<string, unknown>;
}

export function send(port: number, req: RawRequest): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
        const outgoing = request(
            { host: "127.0.0.1", port, method: req.method, path: req.path, headers: req.headers },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    try {
                        resolve({
                            status: res.statusCode ?? 0,
                            headers: res.headers,
                            json: JSON.parse(text) as Record<string, unknown>,
                        });
                    } catch {
                        reject(new Error(`non-JSON answer ${res.statusCode}: ${text}`));
                    }
                });
            },
        );
        outgoing.on("error", reject);
        outgoing.end(req.body);
    });
}

/** Signs with the emulator's own keys. */
export function signFor(
    emulator: EmulatorHandle,
    opts: Omit<SignOptions, "port" | "accessKeyId" | "accessKeySecret"> = {},
): RawRequest {
    return signRequest({
        port: emulator.port,
        accessKeyId: emulator.accessKeyId,
        accessKeySecret: emulator.accessKeySecret,
        ...opts,
    });
}

/** JSON request to the admin API. */
export async function adminCall(
    emulator: EmulatorHandle,
    method: string,
    path: string,
    body?: unknown,
): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${emulator.endpoint}/__admin/${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/**
 * Runs the emulator's command line with arguments that must stop it: its exit
 * code and stderr. One that is still running after 10 s is killed (code null).
 */
export function failedStart(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolveRun) => {
        const child = spawn(process.execPath, [
            resolvePath(__dirname, "../../emulator/main.js"),
            "--port",
            "0",
            ...args,
        ]);
        const timer = setTimeout(() => child.kill(), 10_000);
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        child.once("exit", (code) => {
            clearTimeout(timer);
            resolveRun({ code, stderr });
        });
    });
}
