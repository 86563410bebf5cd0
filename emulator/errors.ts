import { randomUUID } from "node:crypto";

/** The host name real error bodies carry in `HostId`. */
const HOST_ID = "vpc.aliyuncs.com";

/** A service error answered as the real API does: HTTP status plus JSON body. */
export class ApiError extends Error {
    constructor(
        readonly httpStatus: number,
        readonly code: string,
        message: string,
        /** Extra response headers, e.g. `x-acs-retry-after` for throttling. */
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = "ApiError";
    }
}

export function badRequest(code: string, message: string): ApiError {
    return new ApiError(400, code, message);
}

/** Real request ids are upper-case UUIDs. */
export function newRequestId(): string {
    return randomUUID().toUpperCase();
}

export interface ErrorBody {
    RequestId: string;
    HostId: string;
    Code: string;
    Message: string;
    Recommend: string;
}

export function errorBody(requestId: string, code: string, message: string): ErrorBody {
    return {
        RequestId: requestId,
        HostId: HOST_ID,
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Vpc&requestId=${requestId}`,
    };
}

export function missingParameter(name: string): ApiError {
    return badRequest(
        "MissingParameter",
        `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
}

export function connectionNotFound(): ApiError {
    return new ApiError(
        404,
        "InvalidVpnConnectionInstanceId.NotFound",
        "The specified vpn connection instance id does not exist.",
    );
}
