/**
 * Which VPC endpoint a call goes to: the resource's `endpoint` input, else
 * `ALICLOUD_VPC_ENDPOINT`, else the SDK's regional default.
 *
 * The regional default is left to the SDK (`endpoint` undefined): its map of
 * special regions (cn-hangzhou and the finance and gov regions use
 * vpc.aliyuncs.com, most others vpc.<region>.aliyuncs.com) then stays right
 * when the SDK is upgraded, and this module does not have to load it.
 */

export const ENDPOINT_ENV = "ALICLOUD_VPC_ENDPOINT";

export interface ResolvedEndpoint {
    /** `host[:port]` as the SDK's `Config.endpoint` wants it; undefined: the SDK's regional default. */
    endpoint?: string;
    protocol: "http" | "https";
    source: "input" | "environment" | "regional default";
}

/**
 * Accepts `http://host[:port]`, `https://host[:port]` or a bare `host[:port]`
 * (https); a trailing slash is fine, a path, query, fragment or user name is
 * not, because the SDK always posts to `/`.
 */
export function resolveEndpoint(
    regionId: string,
    explicit?: string,
    env: NodeJS.ProcessEnv = process.env,
): ResolvedEndpoint {
    const input = explicit?.trim();
    if (input) {
        return { ...parseEndpoint(input, "the endpoint input"), source: "input" };
    }
    const fromEnv = env[ENDPOINT_ENV]?.trim();
    if (fromEnv) {
        return { ...parseEndpoint(fromEnv, ENDPOINT_ENV), source: "environment" };
    }
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(regionId)) {
        throw new Error(
            `regionId ${JSON.stringify(regionId)} is not a region ID like cn-hangzhou, so it cannot select an endpoint; ` +
                `fix regionId or set the endpoint input or ${ENDPOINT_ENV}`,
        );
    }
    return { protocol: "https", source: "regional default" };
}

export function parseEndpoint(text: string, what: string): { endpoint: string; protocol: "http" | "https" } {
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
    let url: URL;
    try {
        url = new URL(hasScheme ? text : `https://${text}`);
    } catch {
        throw new Error(`${what} ${JSON.stringify(text)} is not a URL or host[:port]`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Error(`${what} ${JSON.stringify(text)} must use http or https`);
    }
    if (url.username || url.password) {
        // Not echoed: whatever sits before the @ may be a password.
        throw new Error(`${what} must not carry a user name or password`);
    }
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
        throw new Error(
            `${what} ${JSON.stringify(text)} must be just a scheme, host and port, e.g. https://vpc.cn-shanghai.aliyuncs.com or http://127.0.0.1:9000`,
        );
    }
    return { endpoint: url.host, protocol: url.protocol === "http:" ? "http" : "https" };
}
