import { expect } from "chai";
import { singleTunnelConnection, startEmulator, type EmulatorHandle } from "../../emulator";
import { emulatorPerSuite } from "../support/emulatorSuite";
import { describeConnection, expectCode, sdkClient, send, signFor, signRequest, type RawResponse } from "./helpers";

const UPPER_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function expectError(res: RawResponse, status: number, code: string): void {
    expect(res.status, JSON.stringify(res.json)).to.equal(status);
    expect(res.json.Code).to.equal(code);
    expect(res.json.RequestId).to.match(UPPER_UUID);
    expect(res.json).to.include.keys("HostId", "Message", "Recommend");
    expect(res.headers["content-type"]).to.match(/^application\/json/);
}

describe("emulator: request signature", () => {
    let emulator: EmulatorHandle;

    emulatorPerSuite(
        { taskDurationMs: 50 },
        (started) => (emulator = started),
        (e) => e.admin.seed(singleTunnelConnection("vco-sig")),
    );

    it("accepts what the real SDK signs", async () => {
        const res = await describeConnection(sdkClient(emulator), "vco-sig");
        expect(res.statusCode).to.equal(200);
        expect(res.body?.vpnConnectionId).to.equal("vco-sig");
        expect(res.body?.requestId).to.match(UPPER_UUID);
    });

    it("accepts a request signed independently from the public algorithm", async () => {
        const res = await send(emulator.port, signFor(emulator));
        expect(res.status, JSON.stringify(res.json)).to.equal(200);
        expect(res.json.TotalCount).to.equal(1);
    });

    it("rejects a wrong secret with SignatureDoesNotMatch", async () => {
        await expectCode(
            describeConnection(sdkClient(emulator, { accessKeySecret: "wrong" }), "vco-sig"),
            "SignatureDoesNotMatch",
        );
    });

    it("rejects an unknown access key with InvalidAccessKeyId.NotFound (404)", async () => {
        await expectCode(
            describeConnection(sdkClient(emulator, { accessKeyId: "LTAI-nobody" }), "vco-sig"),
            "InvalidAccessKeyId.NotFound",
            404,
        );
    });

    it("rejects a query changed after signing", async () => {
        const req = signFor(emulator, {
            action: "DescribeVpnConnection",
            query: { RegionId: "cn-hangzhou", VpnConnectionId: "vco-sig" },
        });
        req.path = req.path.replace("vco-sig", "vco-other");
        expectError(await send(emulator.port, req), 400, "SignatureDoesNotMatch");
    });

    it("rejects a smuggled duplicate query key", async () => {
        const req = signFor(emulator);
        req.path += "&RegionId=cn-beijing";
        expectError(await send(emulator.port, req), 400, "SignatureDoesNotMatch");
    });

    it("rejects a body changed after signing, with or without a matching content hash", async () => {
        const form = { "TunnelOptionsSpecification.1.TunnelIndex": "1" };
        const original = signFor(emulator, { action: "ModifyVpnAttachmentAttribute", form });
        const tampered = { ...original, body: original.body.replace("=1", "=2") };
        expectError(await send(emulator.port, tampered), 400, "SignatureDoesNotMatch");

        const rehashed = signFor(emulator, {
            action: "ModifyVpnAttachmentAttribute",
            form: { "TunnelOptionsSpecification.1.TunnelIndex": "2" },
        });
        const spliced = {
            ...original,
            body: rehashed.body,
            headers: { ...original.headers, "x-acs-content-sha256": rehashed.headers["x-acs-content-sha256"] },
        };
        expectError(await send(emulator.port, spliced), 400, "SignatureDoesNotMatch");
        expect(emulator.admin.get("vco-sig").State).to.equal("attached");
    });

    it("rejects a date more than 15 minutes away with InvalidTimeStamp.Expired", async () => {
        const old = signFor(emulator, { date: new Date(Date.now() - 16 * 60 * 1000) });
        expectError(await send(emulator.port, old), 400, "InvalidTimeStamp.Expired");
        const future = signFor(emulator, { date: new Date(Date.now() + 16 * 60 * 1000) });
        expectError(await send(emulator.port, future), 400, "InvalidTimeStamp.Expired");
        const skewed = signFor(emulator, { date: new Date(Date.now() - 5 * 60 * 1000) });
        expect((await send(emulator.port, skewed)).status).to.equal(200);
    });

    it("refuses an empty nonce, even the first time it is used", async () => {
        for (let i = 0; i < 2; i++) {
            expectError(await send(emulator.port, signFor(emulator, { nonce: "" })), 400, "MissingSignatureNonce");
        }
    });

    it("rejects a replayed nonce with SignatureNonceUsed", async () => {
        const req = signFor(emulator);
        expect((await send(emulator.port, req)).status).to.equal(200);
        expectError(await send(emulator.port, req), 400, "SignatureNonceUsed");
    });

    it("rejects missing or garbled signatures with IncompleteSignature", async () => {
        const unsigned = signFor(emulator);
        delete unsigned.headers.authorization;
        expectError(await send(emulator.port, unsigned), 400, "IncompleteSignature");

        const garbled = signFor(emulator);
        garbled.headers.authorization = "ACS3-HMAC-SHA256 Credential=x";
        expectError(await send(emulator.port, garbled), 400, "IncompleteSignature");

        const otherAlgorithm = signFor(emulator);
        otherAlgorithm.headers.authorization = otherAlgorithm.headers.authorization.replace(
            "ACS3-HMAC-SHA256",
            "ACS3-HMAC-SM3",
        );
        expectError(await send(emulator.port, otherAlgorithm), 400, "IncompleteSignature");

        const extraHeader = signFor(emulator);
        extraHeader.headers["x-acs-extra"] = "unsigned";
        expectError(await send(emulator.port, extraHeader), 400, "IncompleteSignature");

        const noNonce = signFor(emulator);
        delete noNonce.headers["x-acs-signature-nonce"];
        expectError(await send(emulator.port, noNonce), 400, "IncompleteSignature");
    });

    it("rejects a wrong version and an unknown action", async () => {
        expectError(await send(emulator.port, signFor(emulator, { version: "2014-05-26" })), 400, "InvalidVersion");
        expectError(
            await send(emulator.port, signFor(emulator, { action: "DeleteVpnConnection" })),
            404,
            "InvalidAction.NotFound",
        );
    });

    it("rejects missing required parameters with MissingParameter", async () => {
        expectError(await send(emulator.port, signFor(emulator, { query: {} })), 400, "MissingParameter");
        const noId = signFor(emulator, { action: "DescribeVpnConnection", query: { RegionId: "cn-hangzhou" } });
        expectError(await send(emulator.port, noId), 400, "MissingParameter");
    });

    it("logs rejected calls under the access key they claim", async () => {
        await describeConnection(sdkClient(emulator, { accessKeyId: "LTAI-nobody" }), "vco-sig").catch(() => undefined);
        const [entry] = emulator.admin.calls();
        expect(entry).to.include({
            action: "DescribeVpnConnection",
            accessKeyId: "LTAI-nobody",
            httpStatus: 404,
            code: "InvalidAccessKeyId.NotFound",
        });
    });
});

describe("emulator: STS security tokens", () => {
    let emulator: EmulatorHandle;

    before(async () => {
        emulator = await startEmulator({ securityToken: "sts-token-1" });
        emulator.admin.seed(singleTunnelConnection("vco-sts"));
    });
    after(() => emulator.close());

    it("accepts the configured token and rejects others", async () => {
        const ok = await describeConnection(sdkClient(emulator, { securityToken: "sts-token-1" }), "vco-sts");
        expect(ok.statusCode).to.equal(200);
        await expectCode(
            describeConnection(sdkClient(emulator, { securityToken: "sts-forged" }), "vco-sts"),
            "InvalidSecurityToken.MismatchWithAccessKey",
        );
        await expectCode(describeConnection(sdkClient(emulator), "vco-sts"), "MissingSecurityToken");
    });

    it("answers a rotated-out token as expired", async () => {
        emulator.admin.setSecurityToken("sts-token-2");
        await expectCode(
            describeConnection(sdkClient(emulator, { securityToken: "sts-token-1" }), "vco-sts"),
            "InvalidSecurityToken.Expired",
        );
        const ok = await describeConnection(sdkClient(emulator, { securityToken: "sts-token-2" }), "vco-sts");
        expect(ok.statusCode).to.equal(200);
    });

    it("signs the token header like every other x-acs header", async () => {
        const req = signRequest({
            port: emulator.port,
            accessKeyId: emulator.accessKeyId,
            accessKeySecret: emulator.accessKeySecret,
            securityToken: "sts-token-2",
        });
        expect((await send(emulator.port, req)).status).to.equal(200);
    });
});
