import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ApiError, badRequest } from "./errors";
import type { Pairs } from "./params";
import type { TemporaryKey } from "./sts";

/** ACS3-HMAC-SHA256 verification, mirroring what @alicloud/openapi-core signs. */

const ALGORITHM = "ACS3-HMAC-SHA256";
const WINDOW_MS = 15 * 60 * 1000;
const REQUIRED_SIGNED = [
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

export interface ReceivedRequest {
    method: string;
    path: string;
    query: Pairs;
    /** Lower-case header names to every value received (node's `headersDistinct`). */
    headers: Record<string, string[]>;
    body: Buffer;
}

export interface KeyPair {
    accessKeyId: string;
    accessKeySecret: string;
}

interface Authorization {
    credential: string;
    signedHeaders: string[];
    signature: string;
}

function incomplete(detail: string): ApiError {
    return badRequest("IncompleteSignature", `The request signature does not conform to Aliyun standards. ${detail}`);
}

function header(req: ReceivedRequest, name: string): string | undefined {
    return req.headers[name]?.[0];
}

/** The same percent-encoding as the SDK: encodeURIComponent plus `!'()*`. */
function percentEncode(text: string): string {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(query: Pairs): string {
    // Duplicate keys cannot come from the SDK; keeping every pair makes a smuggled
    // duplicate change the canonical string and so fail verification.
    return [...query]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
        .join("&");
}

function parseAuthorization(value: string | undefined): Authorization {
    if (!value) throw incomplete("The Authorization header is missing.");
    const space = value.indexOf(" ");
    const algorithm = space === -1 ? value : value.slice(0, space);
    if (algorithm !== ALGORITHM) throw incomplete(`Unsupported signature algorithm "${algorithm}".`);
    const fields = new Map<string, string>();
    for (const part of value.slice(space + 1).split(",")) {
        const eq = part.indexOf("=");
        if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get("Credential");
    const signedHeaders = fields.get("SignedHeaders");
    const signature = fields.get("Signature");
    if (!credential || !signedHeaders || !signature || !/^[0-9a-f]{64}$/i.test(signature)) {
        throw incomplete("The Authorization header must carry Credential, SignedHeaders and a hex Signature.");
    }
    return { credential, signedHeaders: signedHeaders.split(";"), signature: signature.toLowerCase() };
}

/** The access key id the request claims, for logging even rejected calls. */
export function claimedAccessKeyId(req: ReceivedRequest): string {
    const match = /Credential=([^,\s]+)/.exec(header(req, "authorization") ?? "");
    return match ? match[1] : "";
}

export class SignatureVerifier {
    /** Nonce to expiry time; insertion order is expiry order, so pruning stops at the first live one. */
    private readonly nonces = new Map<string, number>();
    private securityToken: string | undefined;
    private readonly retiredTokens = new Set<string>();
    /** Keys STS AssumeRole issued, by access key id. */
    private readonly temporaryKeys = new Map<string, TemporaryKey>();

    constructor(
        private readonly keys: KeyPair,
        securityToken: string | undefined,
        private readonly now: () => number = Date.now,
    ) {
        this.securityToken = securityToken;
    }

    /** Replaces the accepted STS token; the previous one then reads as expired. */
    setSecurityToken(token: string | undefined): void {
        if (this.securityToken) this.retiredTokens.add(this.securityToken);
        if (token) this.retiredTokens.delete(token);
        this.securityToken = token;
    }

    reset(): void {
        this.nonces.clear();
        this.temporaryKeys.clear();
    }

    /** Accepts a key AssumeRole issued, with its token, until it expires. */
    addTemporaryKey(key: TemporaryKey): void {
        this.temporaryKeys.set(key.accessKeyId, key);
    }

    /** The role whose temporary key this is; undefined for the emulator's own key pair. */
    roleOf(accessKeyId: string): string | undefined {
        return this.temporaryKeys.get(accessKeyId)?.roleArn;
    }

    /** Returns the verified access key id or throws the service's error. */
    verify(req: ReceivedRequest): string {
        const auth = parseAuthorization(header(req, "authorization"));
        this.checkSignedHeaderSet(req, auth.signedHeaders);
        const temporary = this.temporaryKeys.get(auth.credential);
        if (auth.credential !== this.keys.accessKeyId && !temporary) {
            throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        this.checkTimestamp(header(req, "x-acs-date") ?? "");
        const payloadHash = createHash("sha256").update(req.body).digest("hex");
        if ((header(req, "x-acs-content-sha256") ?? "").toLowerCase() !== payloadHash) {
            throw badRequest(
                "SignatureDoesNotMatch",
                "The x-acs-content-sha256 header does not match the hash of the request body.",
            );
        }
        this.checkSignature(req, auth, payloadHash, temporary?.accessKeySecret ?? this.keys.accessKeySecret);
        this.useNonce(header(req, "x-acs-signature-nonce") ?? "");
        const token = header(req, "x-acs-security-token");
        if (temporary) this.checkTemporaryToken(temporary, token);
        else this.checkSecurityToken(token);
        return auth.credential;
    }

    private checkSignedHeaderSet(req: ReceivedRequest, signed: string[]): void {
        const mustSign = new Set(REQUIRED_SIGNED);
        for (const name of Object.keys(req.headers)) {
            if (name.startsWith("x-acs-") || name === "content-type") mustSign.add(name);
        }
        const unsigned = [...mustSign].filter((name) => !signed.includes(name));
        if (unsigned.length > 0)
            throw incomplete(`Headers that must be signed are missing from SignedHeaders: ${unsigned.join(", ")}.`);
        const absent = signed.filter((name) => req.headers[name] === undefined);
        if (absent.length > 0) throw incomplete(`Signed headers are missing from the request: ${absent.join(", ")}.`);
    }

    private checkTimestamp(date: string): void {
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) || Number.isNaN(Date.parse(date))) {
            throw badRequest("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
        }
        if (Math.abs(this.now() - Date.parse(date)) > WINDOW_MS) {
            throw badRequest("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
    }

    private checkSignature(req: ReceivedRequest, auth: Authorization, payloadHash: string, secret: string): void {
        const canonicalHeaders = [...auth.signedHeaders]
            .sort()
            .map(
                (name) =>
                    `${name}:${(req.headers[name] ?? [])
                        .map((v) => v.trim())
                        .sort()
                        .join(",")}\n`,
            )
            .join("");
        const canonicalRequest = [
            req.method,
            req.path,
            canonicalQuery(req.query),
            canonicalHeaders,
            auth.signedHeaders.join(";"),
            payloadHash,
        ].join("\n");
        const stringToSign = `${ALGORITHM}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
        const expected = createHmac("sha256", secret).update(stringToSign).digest();
        if (!timingSafeEqual(expected, Buffer.from(auth.signature, "hex"))) {
            throw badRequest(
                "SignatureDoesNotMatch",
                `Specified signature does not match our calculation. server string to sign is:${stringToSign} canonical request is:${canonicalRequest}`,
            );
        }
    }

    private useNonce(nonce: string): void {
        // An empty nonce would be one value shared by every client that sends none: it protects nothing.
        if (nonce.trim() === "")
            throw badRequest("MissingSignatureNonce", "SignatureNonce is mandatory for this action.");
        const now = this.now();
        for (const [seen, expiry] of this.nonces) {
            if (expiry > now) break;
            this.nonces.delete(seen);
        }
        if (this.nonces.has(nonce))
            throw badRequest("SignatureNonceUsed", "Specified signature nonce was used already.");
        this.nonces.set(nonce, now + WINDOW_MS);
    }

    private checkTemporaryToken(key: TemporaryKey, token: string | undefined): void {
        if (token === undefined)
            throw badRequest("MissingSecurityToken", "SecurityToken is mandatory for this access key.");
        if (token !== key.securityToken) {
            throw badRequest(
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            );
        }
        if (this.now() >= key.expiresAt)
            throw badRequest("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    }

    private checkSecurityToken(token: string | undefined): void {
        if (token === undefined) {
            if (this.securityToken)
                throw badRequest("MissingSecurityToken", "SecurityToken is mandatory for this access key.");
            return;
        }
        if (token === this.securityToken) return;
        if (this.retiredTokens.has(token))
            throw badRequest("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
        throw badRequest(
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
        );
    }
}
