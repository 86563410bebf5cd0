import { ClientError, ServerError, ThrottlingError } from "@alicloud/openapi-core";
import { expect } from "chai";
import * as vm from "node:vm";
import {
    CallFailedError,
    ConfigError,
    errorKind,
    fromSdkError,
    isServiceError,
    isTransportError,
    ServiceError,
    TransportError,
} from "../../provider/foundation/errors";
import { describeErrorCode } from "../../provider/foundation/catalogue";
import { redact, WITHHELD } from "../../provider/foundation/redaction";
import { shortError, userMessage } from "../../provider/foundation/userMessage";
import { retry } from "../../provider/service/retrying";
import { pollDelays } from "../../provider/service/pollSchedule";
import { waitFor, WaitTimeoutError } from "../../provider/service/waiting";
import { VirtualClock } from "./virtualClock";

const PSK = "Top$ecret!(x)'~";
const CONTEXT = { vpnConnectionId: "vco-123", regionId: "cn-shanghai" };

/** `err` as the Modify step reports it after `attempts` calls. */
function modifyFailed(err: unknown, attempts = 1): CallFailedError {
    return new CallFailedError("ModifyVpnAttachmentAttribute", attempts, err);
}

/**
 * What `retry` ends with when the deadline comes: before the first attempt
 * (`attempts` 0), or after `attempts` calls that failed with `failure` (a
 * retryable error), each taking 1 s of virtual time.
 */
async function deadlineError(failure: Error, attempts: number): Promise<unknown> {
    const clock = new VirtualClock();
    const deadline = attempts === 0 ? clock.now() - 1 : clock.now() + attempts * 1000 - 1;
    return retry(
        () => {
            clock.advance(1000);
            return Promise.reject(failure);
        },
        { deadline, clock, random: () => 0 },
    ).then(
        () => undefined,
        (err: unknown) => err,
    );
}

/** What `waitFor` ends with when its acceptor says the wait cannot succeed. */
async function unavailable(reason: string): Promise<unknown> {
    const clock = new VirtualClock();
    return waitFor({
        poll: () => Promise.resolve(reason),
        acceptor: () => ({ state: "failure", reason }),
        deadline: clock.now() + 60_000,
        clock,
        delays: pollDelays(),
    }).then(
        () => undefined,
        (err: unknown) => err,
    );
}

/** Built the way openapi-core builds them from an error body. */
function clientError(status: number, code: string, message: string, requestId = "REQ-1", extra: object = {}) {
    const data = { Code: code, Message: message, RequestId: requestId, HostId: "vpc.aliyuncs.com", ...extra };
    return new ClientError({
        statusCode: status,
        code,
        message: `code: ${status}, ${message} request id: ${requestId}`,
        data,
        requestId,
    });
}

function socketError(code: string, message: string): Error {
    return Object.assign(new Error(message), { code });
}

/** Every code of the reference page's error table. */
const PAGE_CODES = [
    "VpnConnection.Configuring",
    "VpnConnection.FinancialLocked",
    "InvalidName",
    "VpnRouteEntry.AlreadyExists",
    "VpnRouteEntry.Conflict",
    "NotSupportVpnConnectionParameter.IpsecPfs",
    "NotSupportVpnConnectionParameter.IpsecAuthAlg",
    "VpnRouteEntry.BackupRoute",
    "VpnRouteEntry.InvalidWeight",
    "MissingParameter.TunnelCidr",
    "OperationUnsupported.EnableBgp",
    "MissingParam.CustomerGatewayAsn",
    "IllegalParam.LocalAsn",
    "IllegalParam.BgpConfig",
    "IllegalParam.EnableBgp",
    "IllegalParam.TunnelCidr",
    "InvalidLocalBgpIp.Malformed",
    "IllegalParam.LocalBgpIp",
    "IllegalParam.LocalSubnet",
    "IllegalParam.RemoteSubnet",
    "CustomerGateway.ConflictRouteEntry",
    "IllegalParam.NetworkType",
    "InvalidTunnelCidr.Malformed",
    "VpnGateway.Configuring",
    "VpnTask.CONFLICT",
    "ModifyIkeV1WithMultiRoutes.Invalid",
    "InvalidVpnGatewayInstanceId.NotFound",
    "Resource.QuotaFull",
    "CreateDbrRoutesQuotaFull.QuotaFull",
    "CreatePbrRoutesQuotaFull.QuotaFull",
    "Forbbiden.SubUser",
    "Forbidden",
    "InvalidVpnConnectionInstanceId.NotFound",
];

const COMMON_CODES = [
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId.NotFound",
    "InvalidTimeStamp.Expired",
    "SignatureNonceUsed",
    "MissingParameter",
    "MissingRegionId",
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "InternalError",
    "ServiceUnavailable",
    "TaskConflict",
    "Appliance.Configuring",
];

describe("errors: fromSdkError", () => {
    it("maps a ClientError to a ServiceError with the body's fields", () => {
        const e = fromSdkError(
            clientError(400, "VpnTask.CONFLICT", "Vpn task has conflict.", "REQ-7", {
                Recommend: "https://api.aliyun.com/troubleshoot?q=VpnTask.CONFLICT",
            }),
        );
        expect(e).to.be.instanceOf(ServiceError);
        const s = e as ServiceError;
        expect(s.code).to.equal("VpnTask.CONFLICT");
        expect(s.statusCode).to.equal(400);
        expect(s.requestId).to.equal("REQ-7");
        expect(s.serviceMessage).to.equal("Vpn task has conflict.");
        expect(s.recommend).to.equal("https://api.aliyun.com/troubleshoot?q=VpnTask.CONFLICT");
        expect(s.retryAfterMs).to.equal(undefined);
        expect(s.name).to.equal("ServiceError");
        expect(s.message).to.equal("VpnTask.CONFLICT: Vpn task has conflict. (RequestId REQ-7)");
    });

    it("keeps a ThrottlingError's retry-after", () => {
        const e = fromSdkError(
            new ThrottlingError({
                statusCode: 400,
                code: "Throttling.User",
                message: "code: 400, Request was denied due to user flow control. request id: R1",
                data: {
                    Code: "Throttling.User",
                    Message: "Request was denied due to user flow control.",
                    RequestId: "R1",
                },
                requestId: "R1",
                retryAfter: 2500,
            }),
        ) as ServiceError;
        expect(e.code).to.equal("Throttling.User");
        expect(e.retryAfterMs).to.equal(2500);
    });

    it("maps a ServerError with its status", () => {
        const e = fromSdkError(
            new ServerError({
                statusCode: 503,
                code: "ServiceUnavailable",
                message: "code: 503, The request has failed due to a temporary failure of the server. request id: R2",
                data: { Code: "ServiceUnavailable", RequestId: "R2" },
                requestId: "R2",
            }),
        ) as ServiceError;
        expect(e.statusCode).to.equal(503);
        expect(e.serviceMessage).to.equal("The request has failed due to a temporary failure of the server.");
    });

    it("treats the SDK's stringified 'undefined' as absent", () => {
        const e = fromSdkError(
            new ServerError({
                statusCode: 502,
                code: "undefined",
                message: "code: 502, undefined request id: undefined",
                data: {},
                requestId: "undefined",
            }),
        ) as ServiceError;
        expect(e.code).to.equal("UnknownError");
        expect(e.requestId).to.equal(undefined);
    });

    it("says the service gave no message when its answer has none, rather than 'undefined'", () => {
        // An AssumeRole refusal whose body has a Code but no Message.
        const e = fromSdkError(
            new ClientError({
                statusCode: 400,
                code: "NoPermission",
                message: "code: 400, undefined request id: undefined",
                data: { Code: "NoPermission" },
                requestId: "undefined",
            }),
        ) as ServiceError;
        expect(e.serviceMessage).to.equal("(the service gave no message)");
        expect(userMessage(e, { vpnConnectionId: "vco-1", regionId: "cn-hangzhou" })).to.not.match(/undefined/);
    });

    it("scrubs a PSK the service echoes in its message", () => {
        const e = fromSdkError(
            clientError(400, "InvalidParameter", `IkeConfig {"Psk":"${PSK}","IkeVersion":"ikev9"} is invalid`),
        ) as ServiceError;
        expect(e.serviceMessage).to.not.include(PSK);
        expect(e.serviceMessage).to.include('"Psk":"***"');
    });

    it("maps connection errors to transient TransportErrors without the URL's query", () => {
        const query = `IkeConfig=${encodeURIComponent(JSON.stringify({ Psk: PSK }))}&RegionId=cn-hangzhou`;
        for (const code of ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]) {
            const e = fromSdkError(
                socketError(code, `connect ${code} 127.0.0.1:9POST http://127.0.0.1:9/?${query} failed.`),
            );
            expect(isTransportError(e), code).to.equal(true);
            const t = e as TransportError;
            expect(t.code).to.equal(code);
            expect(t.transient).to.equal(true);
            expect(t.message).to.include(`127.0.0.1:9 POST http://127.0.0.1:9/ failed.`);
            expect(t.message).to.not.include("Psk").and.not.include("IkeConfig");
        }
    });

    it("recognises socket hang-ups, httpx timeouts and non-JSON bodies", () => {
        const hangUp = fromSdkError(new Error("socket hang up")) as TransportError;
        expect([hangUp.code, hangUp.transient]).to.deep.equal(["ECONNRESET", true]);

        const read = Object.assign(new Error("ReadTimeout(10000). POST http://h/?a=b failed."), {
            name: "RequestTimeoutError",
        });
        expect((fromSdkError(read) as TransportError).code).to.equal("ReadTimeout");

        const connect = Object.assign(new Error("ConnectTimeout: Connect http://h failed."), {
            name: "RequestTimeoutError",
        });
        expect((fromSdkError(connect) as TransportError).code).to.equal("ConnectTimeout");

        const html = fromSdkError(
            new SyntaxError("Unexpected token '<', \"<html>\" is not valid JSON"),
        ) as TransportError;
        expect([html.code, html.transient]).to.deep.equal(["InvalidResponse", true]);
    });

    it("marks failures a retry cannot fix as not transient", () => {
        for (const code of ["ENOTFOUND", "EPROTO", "ERR_TLS_CERT_ALTNAME_INVALID"]) {
            const e = fromSdkError(socketError(code, `${code} vpc.example`)) as TransportError;
            expect(e.transient, code).to.equal(false);
        }
    });

    it("returns other errors as they are, or rebuilt when their message held a key", () => {
        const plain = new TypeError("x is not a function");
        expect(fromSdkError(plain)).to.equal(plain);

        const leaky = fromSdkError(new RangeError(`bad {"Psk":"${PSK}"}`));
        expect(leaky.name).to.equal("RangeError");
        expect(leaky.message).to.not.include(PSK);
        expect(String(leaky.stack)).to.not.include(PSK);

        expect(fromSdkError("boom").message).to.equal("boom");
    });

    it("leaves ServiceError and TransportError alone", () => {
        const s = new ServiceError({ code: "Forbidden", serviceMessage: "no" });
        const t = new TransportError("ECONNRESET", "reset", true);
        expect(fromSdkError(s)).to.equal(s);
        expect(fromSdkError(t)).to.equal(t);
    });
});

describe("errors: describeErrorCode", () => {
    it("explains every code of the reference page's error table", () => {
        for (const code of PAGE_CODES) {
            expect(describeErrorCode(code)?.description, code).to.be.a("string").that.is.not.empty;
        }
    });

    it("explains the common codes", () => {
        for (const code of COMMON_CODES) {
            expect(describeErrorCode(code), code).to.not.equal(undefined);
        }
    });

    it("keeps the page's Description text", () => {
        expect(describeErrorCode("VpnTask.CONFLICT")?.description).to.equal(
            "The VPN operation conflicts. Try again later.",
        );
        expect(describeErrorCode("IllegalParam.TunnelCidr")?.description).to.equal(
            "The TunnelCidr parameter is set to an invalid value.",
        );
    });

    it("finds a code whatever its case", () => {
        expect(describeErrorCode("vpntask.conflict")).to.deep.equal(describeErrorCode("VpnTask.CONFLICT"));
        expect(describeErrorCode("vpntask.conflict")?.description).to.equal(
            "The VPN operation conflicts. Try again later.",
        );
        expect(describeErrorCode("NoSuchCode")).to.equal(undefined);
    });
});

describe("errors: userMessage", () => {
    it("names the action, connection, code, message, RequestId and the page's description", () => {
        const text = userMessage(
            modifyFailed(clientError(400, "IllegalParam.TunnelCidr", "The specified TunnelCidr is invalid.", "REQ-42")),
            CONTEXT,
        );
        expect(text).to.include(
            "ModifyVpnAttachmentAttribute failed for IPsec-VPN connection vco-123 in cn-shanghai: ",
        );
        expect(text).to.include("IllegalParam.TunnelCidr");
        expect(text).to.include("The specified TunnelCidr is invalid.");
        expect(text).to.include("REQ-42");
        expect(text).to.include("The TunnelCidr parameter is set to an invalid value.");
        expect(text).to.include("169.254.0.0/16");
    });

    it("names the call that failed: a Describe is not a Modify", () => {
        const text = userMessage(
            new CallFailedError("DescribeVpnConnection", 1, clientError(404, "Forbidden", "Denied.", "REQ-5")),
            { ...CONTEXT, credentialSource: "ALICLOUD_ACCESS_KEY" },
        );
        expect(text).to.match(
            /^DescribeVpnConnection failed for IPsec-VPN connection vco-123 in cn-shanghai: Forbidden/,
        );
        expect(text).to.not.include("ModifyVpnAttachmentAttribute failed");
        expect(text).to.include("RequestId: REQ-5.");
        expect(text).to.match(/The call was signed with the credentials from ALICLOUD_ACCESS_KEY\.$/);
    });

    it("says a wrong secret key in one line: the code, the service's first sentence, the credential source", () => {
        const stringToSign = "ACS3-HMAC-SHA256\n" + "ab".repeat(32);
        const canonical = ["POST", "/", "IkeConfig=%7B%7D", "host:vpc.aliyuncs.com", "x-acs-action:X", "", "host"];
        const wrong = clientError(
            400,
            "SignatureDoesNotMatch",
            `Specified signature does not match our calculation. server string to sign is:${stringToSign} canonical request is:${canonical.join("\n")}`,
            "REQ-S",
        );
        const text = userMessage(modifyFailed(wrong), { ...CONTEXT, credentialSource: "ALICLOUD_ACCESS_KEY" });
        expect(text.split("\n"), text).to.have.length(1);
        expect(text).to.include(
            "SignatureDoesNotMatch (HTTP 400): Specified signature does not match our calculation. RequestId: REQ-S.",
        );
        expect(text).to.match(/signed with the credentials from ALICLOUD_ACCESS_KEY\.$/);
        expect(text).to.not.include("ACS3-HMAC-SHA256").and.not.include("IkeConfig");
    });

    it("never shows a PSK, whether known or only recognisable", () => {
        const echoed = clientError(
            400,
            "SignatureDoesNotMatch",
            `canonical request is:POST\n/\nIkeConfig=${encodeURIComponent(JSON.stringify({ Psk: PSK }))}&RegionId=cn-hangzhou`,
        );
        const plain = userMessage(modifyFailed(echoed), CONTEXT);
        expect(plain).to.not.include(PSK).and.not.include(encodeURIComponent(PSK));
        const withSecrets = userMessage(modifyFailed(new Error(`tunnel key ${PSK} rejected`)), {
            ...CONTEXT,
            secrets: [PSK],
        });
        expect(withSecrets).to.not.include(PSK);
        expect(withSecrets).to.equal(
            `ModifyVpnAttachmentAttribute failed for IPsec-VPN connection vco-123 in cn-shanghai: ${WITHHELD}`,
        );
        const refused = userMessage(new ConfigError(`key ${PSK} is locked`), { ...CONTEXT, secrets: [PSK] });
        expect(refused).to.equal(WITHHELD);
    });

    it("explains a retry that gave up through its last error", async () => {
        const last = fromSdkError(clientError(400, "VpnTask.CONFLICT", "Vpn task has conflict.", "REQ-9"));
        const text = userMessage(modifyFailed(await deadlineError(last, 4), 4), CONTEXT);
        expect(text).to.include("gave up after 4 attempts at the deadline. Last error: VpnTask.CONFLICT");
        expect(text).to.include("REQ-9");
        expect(text).to.include("The VPN operation conflicts. Try again later.");
    });

    it("says a call was not sent when the deadline came before its first attempt", async () => {
        expect(userMessage(modifyFailed(await deadlineError(new Error("not called"), 0), 0), CONTEXT)).to.equal(
            "ModifyVpnAttachmentAttribute was not sent for IPsec-VPN connection vco-123 in cn-shanghai: " +
                "the deadline (timeoutSeconds) passed before the first attempt; nothing was sent",
        );
    });

    it("describes transport failures and plain errors", () => {
        expect(
            userMessage(modifyFailed(socketError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9")), CONTEXT),
        ).to.include("could not get an answer from the VPC endpoint: ECONNREFUSED");
        expect(userMessage(modifyFailed(new Error("no such thing")), CONTEXT)).to.match(
            /vco-123 in cn-shanghai: no such thing$/,
        );
    });

    it("names the connection, and no call, for an error that did not come from one", () => {
        const text = userMessage(new TypeError("x is undefined"), CONTEXT);
        expect(text).to.equal("IPsec-VPN connection vco-123 in cn-shanghai: x is undefined");
    });

    it("keeps the message of the provider's errors that already say what to do", () => {
        const timeout = new WaitTimeoutError(
            "timed out after 60 s and 9 polls: connection vco-123 updating",
            9,
            60_000,
        );
        expect(userMessage(timeout, CONTEXT)).to.equal(timeout.message);
    });
});

describe("errors: errorKind", () => {
    it("reads the kind of each of the provider's errors, and of a failed call from what it failed with", async () => {
        const service = fromSdkError(clientError(400, "IllegalParam.BgpConfig", "bad"));
        const transport = fromSdkError(socketError("ECONNRESET", "socket hang up"));
        expect(errorKind(service)).to.equal("service");
        expect(errorKind(transport)).to.equal("transport");
        expect(errorKind(modifyFailed(service))).to.equal("service");
        expect(errorKind(modifyFailed(transport))).to.equal("transport");
        const busy = fromSdkError(clientError(400, "VpnTask.CONFLICT", "busy"));
        expect(errorKind(modifyFailed(await deadlineError(busy, 2), 2))).to.equal("timeout");
        expect(errorKind(await deadlineError(busy, 0))).to.equal("timeout");
        expect(errorKind(new WaitTimeoutError("late", 1, 1))).to.equal("timeout");
        expect(errorKind(await unavailable("locked"))).to.equal("unavailable");
        expect(errorKind(new ConfigError("alicloud:assumeRole is not a JSON object"))).to.equal("config");
        expect(errorKind(new Error("plain"))).to.equal("unexpected");
        expect(errorKind("a string")).to.equal("unexpected");
    });

    it("reads the kind by field, as it must on a copy Pulumi serialized without its classes", () => {
        const copy = { name: "NotConvergedError", kind: "notConverged", message: "m" };
        expect(errorKind(copy)).to.equal("notConverged");
        expect(errorKind({ kind: "made-up" })).to.equal("unexpected");
    });

    it("leaves the provider's own errors as they are when mapping SDK errors", () => {
        const call = modifyFailed(new Error("a socket hang up in the message"));
        expect(fromSdkError(call)).to.equal(call);
    });
});

describe("errors: redact", () => {
    it("withholds a text that quotes a known secret in any encoding it travels in", () => {
        const forms = [
            PSK,
            encodeURIComponent(PSK),
            encodeURIComponent(PSK).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
            JSON.stringify(PSK).slice(1, -1),
        ];
        for (const form of forms) {
            expect(redact(`before ${form} after`, [PSK])).to.equal(WITHHELD);
        }
    });

    it("blanks secret-named fields whatever their value", () => {
        const cases: Array<[string, string]> = [
            ['{"Psk":"abc","IkeVersion":"ikev2"}', '{"Psk":"***","IkeVersion":"ikev2"}'],
            ['{"psk" : "a\\"b"}', '{"psk" : "***"}'],
            [
                '"IkeConfig":"{\\"Psk\\":\\"abc\\",\\"IkeMode\\":\\"main\\"}"',
                '"IkeConfig":"{\\"Psk\\":\\"***\\",\\"IkeMode\\":\\"main\\"}"',
            ],
            [
                "IkeConfig=%7B%22Psk%22%3A%22abc%21%22%2C%22IkeMode%22%3A%22main%22%7D",
                "IkeConfig=%7B%22Psk%22%3A%22***%22%2C%22IkeMode%22%3A%22main%22%7D",
            ],
            [
                "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk=abc&TunnelOptionsSpecification.1.TunnelId=tun-1",
                "TunnelOptionsSpecification.1.TunnelIkeConfig.Psk=***&TunnelOptionsSpecification.1.TunnelId=tun-1",
            ],
            ["?Psk=abc", "?Psk=***"],
            ["{ psk: 'abc', ikeMode: 'main' }", "{ psk: '***', ikeMode: 'main' }"],
            [`{ psk: "it's", ikeMode: 'main' }`, `{ psk: "***", ikeMode: 'main' }`],
            ['"VpnBgpConfig":{"AuthKey":"k1"}', '"VpnBgpConfig":{"AuthKey":"***"}'],
            ['{"AccessKeySecret":"s","SecurityToken":"t"}', '{"AccessKeySecret":"***","SecurityToken":"***"}'],
        ];
        for (const [input, expected] of cases) {
            expect(redact(input, []), input).to.equal(expected);
        }
    });

    it("leaves everything else alone", () => {
        const text =
            'connection vco-1 updating (tunnel tun-2 updating) "tunnelPsks":[{"tunnelId":"tun-1"}] PskLength=16';
        expect(redact(text, [])).to.equal(text);
        expect(redact(text, ["", undefined as unknown as string])).to.equal(text);
    });

    it("stays fast on long dotted text", () => {
        const long = `${"a.".repeat(20_000)}b`;
        const started = Date.now();
        redact(long, []);
        expect(Date.now() - started).to.be.lessThan(1000);
    });
});

describe("errors: surviving Pulumi's closure serializer", function () {
    this.timeout(30_000);

    it("keeps name, message and fields when the provider is shipped in state", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const make = () => {
            const s = new ServiceError({ code: "VpnTask.CONFLICT", serviceMessage: "busy", requestId: "R1" });
            const t = new TransportError("ECONNRESET", "reset", true);
            const c = new CallFailedError("DescribeVpnConnection", 2, t);
            return [s, t, c].map((e) => ({
                name: e.name,
                message: e.message,
                kind: errorKind(e),
                service: isServiceError(e),
                transport: isTransportError(e),
            }));
        };
        const serialized = await pulumi.runtime.serializeFunction(make);
        const mod: { exports: { handler?: typeof make } } = { exports: {} };
        const load = vm.runInThisContext(`(function (module, exports, require) {\n${serialized.text}\n})`) as (
            module: unknown,
            exports: unknown,
            require: NodeJS.Require,
        ) => void;
        load(mod, mod.exports, require);
        expect(mod.exports.handler!()).to.deep.equal([
            {
                name: "ServiceError",
                message: "VpnTask.CONFLICT: busy (RequestId R1)",
                kind: "service",
                service: true,
                transport: false,
            },
            {
                name: "TransportError",
                message: "ECONNRESET: reset",
                kind: "transport",
                service: false,
                transport: true,
            },
            {
                name: "CallFailedError",
                message: "DescribeVpnConnection failed: ECONNRESET: reset",
                kind: "transport",
                service: false,
                transport: false,
            },
        ]);
    });
});

describe("errors: shortError, the one short form of a failure", () => {
    it("gives a service error's code and RequestId, with its message on request, and anything else's message", () => {
        const withId = new ServiceError({ code: "Throttling.User", serviceMessage: "slow down", requestId: "R-1" });
        const withoutId = new ServiceError({ code: "InternalError", serviceMessage: "oops" });
        expect(shortError(withId)).to.equal("Throttling.User (RequestId R-1)");
        expect(shortError(withId, true)).to.equal("Throttling.User (RequestId R-1): slow down");
        expect(shortError(withoutId)).to.equal("InternalError");
        expect(shortError(new ConfigError("no region"))).to.equal("no region");
    });
});
