import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { handleAdmin, type EmulatorAdmin } from "./admin";
import type { CallLog } from "./calllog";
import { ApiError, errorBody, newRequestId } from "./errors";
import type { Faults } from "./faults";
import { isLoopbackHost, LOOPBACK_HOST_RULE } from "./loopback";
import { flatParams, maskSecrets, parsePairs } from "./params";
import type { VpcService } from "./service";
import { claimedAccessKeyId, type ReceivedRequest, type SignatureVerifier } from "./signature";
import { handleSts, STS_VERSION } from "./sts";

/**
 * The HTTP front: `/__admin/...` goes to the admin API; everything else is an
 * API call, run through the fault injectors, the signature check and the
 * service, in the order a real gateway would meet them:
 * drop -> signature -> version -> throttle -> injected failure -> action -> latency.
 * STS calls (version 2015-04-01) are served on the same port, so that one
 * endpoint stands in for both services.
 */

const API_VERSION = "2016-04-28";

export interface ServerParts {
    service: VpcService;
    faults: Faults;
    log: CallLog;
    verifier: SignatureVerifier;
    admin: EmulatorAdmin;
}

/**
 * A full dual-tunnel Modify is a few kilobytes; the cap keeps one request from
 * filling the emulator's memory.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** Rejects as soon as the body passes `limit` and stops reading it; the caller answers 413 and closes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        if (Number(req.headers["content-length"]) > limit) {
            reject(new BodyTooLarge());
            return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer): void => {
            size += chunk.length;
            if (size > limit) {
                req.off("data", onData);
                req.pause();
                reject(new BodyTooLarge());
                return;
            }
            chunks.push(chunk);
        };
        req.on("data", onData);
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

function isAdminPath(path: string): boolean {
    return path === "/__admin" || path.startsWith("/__admin/");
}

/**
 * Answers an error in the admin or API shape and closes the connection rather
 * than reading (or, as Node would by default, draining) the rest of the body.
 */
function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    status: number,
    code: string,
    message: string,
): void {
    const body = isAdminPath(path) ? { error: message } : errorBody(newRequestId(), code, message);
    res.writeHead(status, { "content-type": "application/json;charset=utf-8", connection: "close" });
    res.end(JSON.stringify(body), () => req.socket.destroy());
}

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function received(req: IncomingMessage, path: string, rawQuery: string, body: Buffer): ReceivedRequest {
    return {
        method: req.method ?? "GET",
        path,
        query: parsePairs(rawQuery),
        headers: req.headersDistinct as Record<string, string[]>,
        body,
    };
}

/** Form bodies carry parameters (the SDK sends TunnelOptionsSpecification.N.* there). */
function bodyParams(req: IncomingMessage, body: Buffer): string {
    const type = req.headers["content-type"] ?? "";
    return type.startsWith("application/x-www-form-urlencoded") ? body.toString("utf8") : "";
}

async function handleApi(
    parts: ServerParts,
    req: IncomingMessage,
    res: ServerResponse,
    request: ReceivedRequest,
    rawForm: string,
): Promise<void> {
    const time = new Date().toISOString();
    const action = request.headers["x-acs-action"]?.[0] ?? "";
    const params = flatParams(request.query, parsePairs(rawForm));
    let accessKeyId = claimedAccessKeyId(request);
    const record = (httpStatus: number, code: string, requestId: string): void =>
        parts.log.record({
            time,
            action,
            accessKeyId,
            params: maskSecrets(params),
            httpStatus,
            code,
            requestId,
            ...(params.ClientToken !== undefined && { clientToken: params.ClientToken }),
            ...(parts.verifier.roleOf(accessKeyId) !== undefined && { role: parts.verifier.roleOf(accessKeyId) }),
        });

    const requestId = newRequestId();
    if (parts.faults.takeDrop(action)) {
        record(0, "ConnectionDropped", requestId);
        req.socket.destroy();
        return;
    }

    let status = 200;
    let body: Record<string, unknown>;
    let headers: Record<string, string> = {};
    try {
        if (request.path !== "/")
            throw new ApiError(404, "InvalidAction.NotFound", `Specified api path ${request.path} is not found.`);
        accessKeyId = parts.verifier.verify(request);
        const version = request.headers["x-acs-version"]?.[0];
        if (version !== API_VERSION && version !== STS_VERSION) {
            throw new ApiError(400, "InvalidVersion", `Specified parameter Version (${version}) is not valid.`);
        }
        const rejection = parts.faults.checkThrottle(accessKeyId) ?? parts.faults.takeFailure(action);
        if (rejection) throw rejection;
        body =
            version === STS_VERSION
                ? handleSts(action, params, requestId, (key) => parts.verifier.addTemporaryKey(key))
                : parts.service.handle(action, params, { accessKeyId, requestId });
    } catch (error) {
        const apiError =
            error instanceof ApiError
                ? error
                : new ApiError(500, "InternalError", "The request processing has failed due to some unknown error.");
        if (!(error instanceof ApiError)) console.error("emulator: unexpected error", error);
        status = apiError.httpStatus;
        headers = apiError.headers;
        body = { ...errorBody(requestId, apiError.code, apiError.message) };
    }
    const answerId = String(body.RequestId);
    record(status, status === 200 ? "OK" : String(body.Code), answerId);

    const wait = parts.faults.takeLatency(action);
    if (wait > 0) await delay(wait);
    if (res.destroyed) return;
    res.writeHead(status, {
        "content-type": "application/json;charset=utf-8",
        "x-acs-request-id": answerId,
        ...headers,
    });
    res.end(JSON.stringify(body));
}

export function createEmulatorServer(parts: ServerParts): Server {
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
        const url = req.url ?? "/";
        const queryStart = url.indexOf("?");
        const path = queryStart === -1 ? url : url.slice(0, queryStart);
        const rawQuery = queryStart === -1 ? "" : url.slice(queryStart + 1);
        if (!isLoopbackHost(req.headers.host)) return refuse(req, res, path, 403, "Forbidden.Host", LOOPBACK_HOST_RULE);
        readBody(req, MAX_BODY_BYTES)
            .then((body) => {
                if (isAdminPath(path)) return handleAdmin(parts.admin, req, res, path, body);
                return handleApi(parts, req, res, received(req, path, rawQuery, body), bodyParams(req, body));
            })
            .catch((error: unknown) => {
                if (error instanceof BodyTooLarge) {
                    return refuse(
                        req,
                        res,
                        path,
                        413,
                        "RequestEntityTooLarge",
                        `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
                    );
                }
                console.error("emulator: request failed", error);
                if (!res.headersSent) res.writeHead(500, { "content-type": "application/json;charset=utf-8" });
                res.end(
                    JSON.stringify(
                        errorBody(
                            newRequestId(),
                            "InternalError",
                            "The request processing has failed due to some unknown error.",
                        ),
                    ),
                );
            });
    };
    const server = createServer(handle);
    // A client that asks before sending a large body gets its 413 without sending it.
    server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
        if (!(Number(req.headers["content-length"]) > MAX_BODY_BYTES)) res.writeContinue();
        handle(req, res);
    });
    return server;
}
