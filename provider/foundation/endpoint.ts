/**
 * Which VPC endpoint a call goes to: the resource's `endpoint` input, else
 * `ALICLOUD_VPC_ENDPOINT`, else the SDK's regional default.
 *
 * The regional default is left to the SDK (`endpoint` undefined): its map of
 * special regions (cn-hangzhou and the finance and gov regions use
 * vpc.aliyuncs.com, most others vpc.<region>.aliyuncs.com) then stays right
 * when the SDK is upgraded, and this module does not have to load it.
 */
import { ConfigError } from "./errors";

export const ENDPOINT_ENV = "ALICLOUD_VPC_ENDPOINT";
/** The documented opt-out from the https rule below; it prints a warning wherever it is used. */
const INSECURE_HTTP_ENV = "ALICLOUD_VPC_ALLOW_INSECURE_HTTP";

type Log = (line: string) => void;
const consoleLog: Log = (line) => console.log(line);

export interface ResolvedEndpoint {
    /** `host[:port]` as the SDK's `Config.endpoint` wants it; undefined: the SDK's regional default. */
    endpoint?: string;
    protocol: "http" | "https";
    source: "input" | "environment" | "regional default";
}

/**
 * Accepts `http://host[:port]`, `https://host[:port]` or a bare `host[:port]`
 * (https); a trailing slash is fine, a path, query, fragment or user name is
 * not, because the SDK always posts to `/`. http is for loopback hosts only
 * unless ALICLOUD_VPC_ALLOW_INSECURE_HTTP=true, which `log`s a warning.
 */
export function resolveEndpoint(
    regionId: string,
    explicit?: string,
    env: NodeJS.ProcessEnv = process.env,
    log: Log = consoleLog,
): ResolvedEndpoint {
    const input = explicit?.trim();
    if (input) {
        return { ...parseEndpoint(input, "the endpoint input", env, log), source: "input" };
    }
    const fromEnv = env[ENDPOINT_ENV]?.trim();
    if (fromEnv) {
        return { ...parseEndpoint(fromEnv, ENDPOINT_ENV, env, log), source: "environment" };
    }
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(regionId)) {
        throw new ConfigError(
            `regionId ${JSON.stringify(regionId)} is not a region ID like cn-hangzhou, so it cannot select an endpoint; ` +
                `fix regionId or set the endpoint input or ${ENDPOINT_ENV}`,
        );
    }
    return { protocol: "https", source: "regional default" };
}

export function parseEndpoint(
    text: string,
    what: string,
    env: NodeJS.ProcessEnv,
    log: Log,
): { endpoint: string; protocol: "http" | "https" } {
    const parsed = parse(text, env);
    if ("problem" in parsed) {
        throw new ConfigError(`${what} ${parsed.problem}`);
    }
    warnOfPlainHttp(parsed.url, what, env, log);
    return { endpoint: parsed.url.host, protocol: parsed.url.protocol === "http:" ? "http" : "https" };
}

/**
 * Why `check` refuses the endpoint input, or undefined: exactly what the call
 * would refuse, so that a preview passes only what `up` then accepts (a bare
 * `host[:port]` included, as ALICLOUD_VPC_ENDPOINT and the SDK's own endpoint
 * setting take it).
 */
export function endpointInputProblem(text: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const parsed = parse(text.trim(), env);
    return "problem" in parsed ? parsed.problem : undefined;
}

const SHAPE = "e.g. https://vpc.cn-shanghai.aliyuncs.com, vpc.cn-shanghai.aliyuncs.com or http://127.0.0.1:9000";

/**
 * The endpoint as a URL the SDK can call, or why not. User-info, a query and
 * a fragment are refused without being quoted: a password, a signed URL's
 * token or an API key sits there, and a refusal is printed and logged.
 */
function parse(text: string, env: NodeJS.ProcessEnv): { url: URL } | { problem: string } {
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
    const got = `got ${JSON.stringify(quotableEndpoint(text))}`;
    let url: URL;
    try {
        url = new URL(hasScheme ? text : `https://${text}`);
    } catch {
        return { problem: `must be a URL or host[:port], ${SHAPE}; ${got}` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        return { problem: `must use http or https, ${got}` };
    }
    if (url.username || url.password) {
        return { problem: "must not carry a user name or password (not shown: it may be a password)" };
    }
    if (url.search || url.hash || /[?#]/.test(text)) {
        return { problem: "must not carry a query string or fragment (not shown: it may hold a token)" };
    }
    if (url.pathname !== "/" && url.pathname !== "") {
        return { problem: `must be just a scheme, host and port, ${SHAPE}; ${got}` };
    }
    const insecure = plainHttpProblem(url, env);
    return insecure === undefined ? { url } : { problem: `${JSON.stringify(quotableEndpoint(text))} ${insecure}` };
}

/**
 * The endpoint as a message may quote it: whatever sits before the last @ may
 * be a password, and a query or fragment may hold a token, even when the rest
 * does not parse; both are masked.
 */
export function quotableEndpoint(text: string): string {
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, "$1***@").replace(/([?#]).*$/s, "$1***");
}

/**
 * 127.0.0.0/8, ::1 and localhost, as the URL parser writes them (it lower-cases
 * names and rewrites IPv4 forms such as 127.1 or 0x7f.0.0.1 as dotted quads).
 */
function isLoopbackHostname(hostname: string): boolean {
    return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function sendsInClear(url: URL): boolean {
    return url.protocol === "http:" && !isLoopbackHostname(url.hostname);
}

function insecureHttpAllowed(env: NodeJS.ProcessEnv): boolean {
    return env[INSECURE_HTTP_ENV]?.trim().toLowerCase() === "true";
}

/**
 * Plain http would carry the IKE pre-shared key, the STS token and everything
 * Describe answers across the network in clear, so it is for this machine only
 * (the emulator), unless the opt-out is set. Undefined when `url` may be used.
 */
export function plainHttpProblem(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
    if (!sendsInClear(url) || insecureHttpAllowed(env)) {
        return undefined;
    }
    return (
        `uses plain http:// to ${url.hostname}, which is not a loopback address (127.0.0.0/8, ::1, localhost): ` +
        `pre-shared keys and STS tokens would cross the network unencrypted. Use https://, ` +
        `or set ${INSECURE_HTTP_ENV}=true to accept that risk`
    );
}

/** The reminder the opt-out costs: printed every time such an endpoint is checked or used. */
function warnOfPlainHttp(url: URL, what: string, env: NodeJS.ProcessEnv, log: Log): void {
    if (sendsInClear(url) && insecureHttpAllowed(env)) {
        log(
            `warning: ${INSECURE_HTTP_ENV}=true: ${what} sends requests to ${url.host} over plain http; ` +
                `pre-shared keys and STS tokens cross the network unencrypted`,
        );
    }
}

/** For check: warns when the endpoint input uses the opt-out (a value that is not a URL is check's to report). */
export function warnOfInsecureInput(raw: unknown, env: NodeJS.ProcessEnv = process.env, log: Log = consoleLog): void {
    if (typeof raw !== "string") {
        return;
    }
    let url: URL;
    try {
        url = new URL(raw.trim());
    } catch {
        return;
    }
    warnOfPlainHttp(url, "the endpoint input", env, log);
}
