/**
 * Tells a slow answer from a connection that never opened.
 *
 * The SDK's HTTP layer (httpx) passes its connect timeout to Node as the
 * socket's idle timeout, which keeps running after the connection opens: an
 * endpoint that accepts the connection but answers slowly is cut off after
 * the connect timeout and reported as `ConnectTimeout`. Node announces every
 * client request on the `http.client.request.start` diagnostics channel;
 * requests made inside `traced` are watched, and once their socket has
 * opened, its idle timeout becomes the read timeout and a timeout is named
 * `ReadTimeout`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest, IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { fromSdkError, isTransportError, NOT_JSON, TransportError } from "../foundation/errors";
import { processWide } from "../foundation/processWide";

interface CallTrace {
    readTimeoutMs: number;
    /** Whether a connection of this call opened (TCP connected, and TLS done for https). */
    opened: boolean;
    /** The head of the last answer: all an unreadable answer is described by, as its body may echo the request. */
    answer?: { status: number; contentType?: string; length?: string };
}

/** One store and one subscription per process, however many copies of this module it loaded (see processWide.ts). */
function calls(): AsyncLocalStorage<CallTrace> {
    return processWide("connection-trace", 1, () => {
        const store = new AsyncLocalStorage<CallTrace>();
        // Node versions without the channel keep the SDK's own labels.
        if (typeof subscribe === "function") {
            subscribe("http.client.request.start", (message) => {
                const trace = store.getStore();
                const request = (message as { request?: ClientRequest }).request;
                if (trace && request) watch(request, trace);
            });
        }
        return store;
    });
}

function watch(request: ClientRequest, trace: CallTrace): void {
    request.once("response", (response: IncomingMessage) => {
        trace.answer = {
            status: response.statusCode ?? 0,
            contentType: response.headers["content-type"],
            length: response.headers["content-length"],
        };
    });
    const onSocket = (socket: Socket) => {
        const opened = () => {
            trace.opened = true;
            socket.setTimeout(trace.readTimeoutMs);
        };
        if (!socket.connecting) {
            opened();
        } else {
            socket.once((socket as { encrypted?: boolean }).encrypted ? "secureConnect" : "connect", opened);
        }
    };
    // Node announces the request once it has its socket; older versions announce it before.
    if (request.socket) {
        onSocket(request.socket);
    } else {
        request.once("socket", onSocket);
    }
}

/**
 * Runs one SDK call; a `ConnectTimeout` that came after its connection
 * opened is returned as the read timeout it is.
 */
export async function traced<T>(readTimeoutMs: number, call: () => Promise<T>): Promise<T> {
    const trace: CallTrace = { readTimeoutMs, opened: false };
    try {
        return await calls().run(trace, call);
    } catch (e) {
        const err = fromSdkError(e);
        if (trace.opened && isTransportError(err) && err.code === "ConnectTimeout") {
            throw new TransportError(
                "ReadTimeout",
                `the endpoint accepted the connection but sent no answer within ${readTimeoutMs} ms`,
                true,
            );
        }
        if (trace.answer && isTransportError(err) && err.code === "InvalidResponse") {
            throw unreadableAnswer(trace.answer);
        }
        throw err;
    }
}

/**
 * An answer the SDK could not parse, by its status, content type and length
 * only; retrying.ts decides from the status whether another attempt may help.
 */
function unreadableAnswer(answer: NonNullable<CallTrace["answer"]>): TransportError {
    const type = answer.contentType === undefined ? "no content type" : `content type ${answer.contentType}`;
    const length = answer.length === undefined ? "no length given" : `${answer.length} bytes`;
    return new TransportError(
        "InvalidResponse",
        `${NOT_JSON} (HTTP ${answer.status}, ${type}, ${length})`,
        true,
        answer.status,
    );
}
