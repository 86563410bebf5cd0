import OpenApi, { Config, OpenApiRequest, Params } from "@alicloud/openapi-client";
import { expect } from "chai";
import { singleTunnelConnection, startEmulator, type EmulatorHandle } from "../../emulator";
import { describeConnection, expectCode, sdkClient } from "./helpers";

const ROLE = "acs:ram::1234567890123456:role/vpn-deployer";

interface Keys {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
}

/** AssumeRole the way an STS SDK sends it: RPC style, ACS3 signature, over the real openapi-client. */
async function assumeRole(
    emulator: EmulatorHandle,
    query: Record<string, string>,
    keys: Keys = emulator,
): Promise<Record<string, unknown>> {
    const client = new OpenApi(
        new Config({ ...keys, endpoint: `127.0.0.1:${emulator.port}`, protocol: "http", regionId: "cn-hangzhou" }),
    );
    const params = new Params({
        action: "AssumeRole",
        version: "2015-04-01",
        protocol: "HTTP",
        pathname: "/",
        method: "POST",
        authType: "AK",
        style: "RPC",
        reqBodyType: "formData",
        bodyType: "json",
    });
    const response = await client.callApi(params, new OpenApiRequest({ query }), {} as never);
    return response.body as Record<string, unknown>;
}

function temporaryKeys(body: Record<string, unknown>): Required<Keys> {
    const c = body.Credentials as Record<string, string>;
    return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
}

describe("emulator: STS AssumeRole", () => {
    let emulator: EmulatorHandle;

    before(async () => {
        emulator = await startEmulator({ seed: [singleTunnelConnection("vco-sts")] });
    });
    after(async () => {
        await emulator.close();
    });
    beforeEach(() => emulator.admin.clearCalls());

    it("issues temporary keys with a token and an expiry, shaped as STS answers", async () => {
        const before = Date.now();
        const body = await assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "ci", DurationSeconds: "900" });
        const keys = temporaryKeys(body);
        expect(keys.accessKeyId).to.match(/^STS\./);
        expect(keys.accessKeySecret).to.have.length.greaterThan(10);
        expect(keys.securityToken).to.have.length.greaterThan(10);
        const expiration = Date.parse(String((body.Credentials as Record<string, string>).Expiration));
        expect(expiration - before).to.be.within(899_000, 901_000);
        expect(body.AssumedRoleUser).to.deep.include({ Arn: "acs:ram::1234567890123456:assumed-role/vpn-deployer/ci" });
        expect(body.RequestId).to.be.a("string");
    });

    it("accepts the temporary keys for VPC calls only with their token, and logs the role", async () => {
        const keys = temporaryKeys(await assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "ci" }));
        const answer = await describeConnection(sdkClient(emulator, keys), "vco-sts");
        expect(answer.statusCode).to.equal(200);
        const describe = emulator.admin.calls().find((c) => c.action === "DescribeVpnConnection");
        expect(describe).to.deep.include({ accessKeyId: keys.accessKeyId, role: ROLE, code: "OK" });
        expect(emulator.admin.calls().find((c) => c.action === "AssumeRole")?.role).to.equal(undefined);

        await expectCode(
            describeConnection(sdkClient(emulator, { ...keys, securityToken: undefined }), "vco-sts"),
            "MissingSecurityToken",
        );
        await expectCode(
            describeConnection(sdkClient(emulator, { ...keys, securityToken: "not-the-token" }), "vco-sts"),
            "InvalidSecurityToken.MismatchWithAccessKey",
        );
        await expectCode(
            describeConnection(sdkClient(emulator, { ...keys, accessKeySecret: "wrong" }), "vco-sts"),
            "SignatureDoesNotMatch",
        );
    });

    it("lets temporary keys assume another role (role chaining)", async () => {
        const first = temporaryKeys(await assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "ci" }));
        const other = "acs:ram::6543210987654321:role/other-account";
        const second = temporaryKeys(await assumeRole(emulator, { RoleArn: other, RoleSessionName: "ci" }, first));
        await describeConnection(sdkClient(emulator, second), "vco-sts");
        expect(
            emulator.admin
                .calls()
                .filter((c) => c.action === "DescribeVpnConnection")
                .map((c) => c.role),
        ).to.deep.equal([other]);
    });

    it("refuses malformed parameters with the codes STS uses", async () => {
        await expectCode(
            assumeRole(emulator, { RoleArn: "arn:aws:iam::1:role/x", RoleSessionName: "ci" }),
            "InvalidParameter.RoleArn",
        );
        await expectCode(assumeRole(emulator, { RoleSessionName: "ci" }), "MissingParameter");
        await expectCode(
            assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "c" }),
            "InvalidParameter.RoleSessionName",
        );
        await expectCode(
            assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "ci", DurationSeconds: "60" }),
            "InvalidParameter.DurationSeconds",
        );
        await expectCode(
            assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "ci", Policy: "{nope" }),
            "InvalidParameter.PolicyGrammar",
        );
    });

    it("signs AssumeRole like every call: a wrong secret is refused", async () => {
        await expectCode(
            assumeRole(
                emulator,
                { RoleArn: ROLE, RoleSessionName: "ci" },
                { accessKeyId: emulator.accessKeyId, accessKeySecret: "wrong" },
            ),
            "SignatureDoesNotMatch",
        );
    });

    it("forgets issued keys on reset", async () => {
        const keys = temporaryKeys(await assumeRole(emulator, { RoleArn: ROLE, RoleSessionName: "ci" }));
        emulator.admin.reset();
        emulator.admin.seed(singleTunnelConnection("vco-sts"));
        await expectCode(describeConnection(sdkClient(emulator, keys), "vco-sts"), "InvalidAccessKeyId.NotFound", 404);
    });
});
