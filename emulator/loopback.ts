/**
 * The emulator listens on 127.0.0.1 only, so its own clients name it by a
 * loopback address or `localhost`. Any other Host header means some DNS name
 * was pointed at 127.0.0.1 (DNS rebinding): a web page on that name could then
 * read and drive the emulator as if it were its own site.
 */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string | undefined): boolean {
    return host !== undefined && LOOPBACK_HOST.test(host);
}

export const LOOPBACK_HOST_RULE =
    "The emulator only answers requests addressed to 127.0.0.1, localhost or [::1] (the Host header), with any port.";
