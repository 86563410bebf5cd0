import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { AttributeOutputs, CheckedInputs } from "../../provider/model/types";
import { errorKind } from "../../provider/foundation/errors";
import { fastPollsForSuite } from "../support/fastPolls";

const ROLE = "acs:ram::1234567890123456:role/vpn-deployer";
const OTHER_ACCOUNT_ROLE = "acs:ram::6543210987654321:role/vpn-deployer";

/**
 * Where the provider's credentials come from, end to end: Pulumi config as
 * the dynamic provider's `configure` receives it, CLI profiles in a real file,
 * and STS AssumeRole answered by the emulator, over the real SDK and HTTP.
 */
describe("credentials against the emulator", function () {
    fastPollsForSuite();
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    let home: string;
    const savedEnv = { ...process.env };

    beforeEach(async () => {
        // An emulator of its own for each test: the provider process keeps its STS sessions per endpoint, so temporary
        // keys an earlier test's emulator issued are never offered to this one.
        emulator = await startEmulator({ port: 0, taskDurationMs: 100 });
        home = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-credentials-int-"));
        process.env.HOME = home;
        process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
        process.env.ALICLOUD_VPC_ENDPOINT = emulator.endpoint;
        process.env.ALICLOUD_STS_ENDPOINT = emulator.endpoint;
        for (const name of [
            "ALICLOUD_ACCESS_KEY",
            "ALICLOUD_SECRET_KEY",
            "ALICLOUD_REGION",
            "ALIBABA_CLOUD_REGION_ID",
            "ALICLOUD_PROFILE",
        ]) {
            delete process.env[name];
        }
        emulator.admin.seed([singleTunnelConnection("vco-a"), singleTunnelConnection("vco-b")]);
    });
    afterEach(async () => {
        process.env = { ...savedEnv };
        fs.rmSync(home, { recursive: true, force: true });
        await emulator.close();
    });

    async function configured(config: Record<string, unknown>): Promise<VpnAttachmentAttributeProvider> {
        const provider = new VpnAttachmentAttributeProvider();
        await provider.configure({ config: { get: (key: string) => config[key] } } as never);
        return provider;
    }

    async function create(
        provider: VpnAttachmentAttributeProvider,
        news: Record<string, unknown>,
    ): Promise<AttributeOutputs> {
        const checked = await provider.check({}, news);
        expect(checked.failures ?? []).to.deep.equal([]);
        return (await provider.create(checked.inputs as CheckedInputs)).outs as AttributeOutputs;
    }

    function callsTo(action: string) {
        return emulator.admin.calls().filter((c) => c.action === action);
    }

    function writeProfiles(profiles: unknown[]): string {
        const file = path.join(home, "cli-config.json");
        fs.writeFileSync(file, JSON.stringify({ current: "default", profiles }));
        return file;
    }

    it("assumes alicloud:assumeRole with the configured keys, signs every call with the temporary keys, and reuses them", async () => {
        const provider = await configured({
            "alicloud:accessKey": emulator.accessKeyId,
            "alicloud:secretKey": emulator.accessKeySecret,
            "alicloud:region": "cn-hangzhou",
            "alicloud:assumeRole": { roleArn: ROLE, sessionName: "ci-deploy", sessionExpiration: 900 },
        });
        const outs = await create(provider, { vpnConnectionId: "vco-a", name: "by-role" });
        expect(outs.regionId).to.equal("cn-hangzhou");
        expect(emulator.admin.get("vco-a").Name).to.equal("by-role");
        await create(provider, { vpnConnectionId: "vco-b", name: "by-role-too" });

        const assumed = callsTo("AssumeRole");
        expect(assumed).to.have.length(1);
        expect(assumed[0]).to.deep.include({ accessKeyId: emulator.accessKeyId, code: "OK" });
        expect(assumed[0].params).to.deep.include({
            RoleArn: ROLE,
            RoleSessionName: "ci-deploy",
            DurationSeconds: "900",
        });
        const vpcCalls = emulator.admin.calls().filter((c) => c.action !== "AssumeRole");
        expect(vpcCalls.length).to.be.greaterThan(2);
        expect(vpcCalls.every((c) => c.role === ROLE && c.accessKeyId.startsWith("STS."))).to.equal(true);
    });

    it("manages connections of two accounts in one stack: the provider's keys and a resource's assumeRoleArn", async () => {
        process.env.ALICLOUD_ACCESS_KEY = emulator.accessKeyId;
        process.env.ALICLOUD_SECRET_KEY = emulator.accessKeySecret;
        process.env.ALICLOUD_REGION = "cn-hangzhou";
        const provider = await configured({});
        const mine = await create(provider, { vpnConnectionId: "vco-a", name: "home-account" });
        const theirs = await create(provider, {
            vpnConnectionId: "vco-b",
            name: "other-account",
            assumeRoleArn: OTHER_ACCOUNT_ROLE,
        });

        const modifies = callsTo("ModifyVpnAttachmentAttribute");
        expect(modifies.map((c) => [c.params.VpnConnectionId, c.role ?? "own keys"])).to.deep.equal([
            ["vco-a", "own keys"],
            ["vco-b", OTHER_ACCOUNT_ROLE],
        ]);
        expect(theirs.assumeRoleArn).to.equal(OTHER_ACCOUNT_ROLE);
        expect(mine.assumeRoleArn).to.equal(undefined);
        const state = JSON.stringify([mine, theirs]);
        expect(state).to.not.include(emulator.accessKeySecret).and.not.include("STS.");

        emulator.admin.clearCalls();
        emulator.admin.patch("vco-b", { Name: "drifted" });
        const refreshed = await provider.read("vco-b", theirs);
        expect((refreshed.props as AttributeOutputs).name).to.equal("drifted");
        expect(callsTo("DescribeVpnConnection").map((c) => c.role)).to.deep.equal([OTHER_ACCOUNT_ROLE]);
    });

    it("takes a resource's profile from the shared credentials file, RamRoleArn profiles included", async () => {
        const file = writeProfiles([
            { name: "default", mode: "AK", access_key_id: "unknown-key", access_key_secret: "x" },
            {
                name: "ops",
                mode: "AK",
                access_key_id: emulator.accessKeyId,
                access_key_secret: emulator.accessKeySecret,
            },
            {
                name: "other",
                mode: "RamRoleArn",
                access_key_id: emulator.accessKeyId,
                access_key_secret: emulator.accessKeySecret,
                ram_role_arn: OTHER_ACCOUNT_ROLE,
            },
        ]);
        const provider = await configured({
            "alicloud:sharedCredentialsFile": file,
            "alicloud:profile": "ops",
            "alicloud:region": "cn-hangzhou",
        });
        await create(provider, { vpnConnectionId: "vco-a", name: "ops" });
        await create(provider, { vpnConnectionId: "vco-b", name: "other", profile: "other" });
        const modifies = callsTo("ModifyVpnAttachmentAttribute");
        expect(modifies.map((c) => c.role ?? "own keys")).to.deep.equal(["own keys", OTHER_ACCOUNT_ROLE]);
    });

    it("names the credentials' source, never their values, when the service refuses them", async () => {
        const file = writeProfiles([
            { name: "default", mode: "AK", access_key_id: "LTAI-revoked", access_key_secret: "revoked-secret" },
        ]);
        process.env.ALICLOUD_SHARED_CREDENTIALS_FILE = file;
        const provider = await configured({ "alicloud:region": "cn-hangzhou" });
        const checked = await provider.check({}, { vpnConnectionId: "vco-a", name: "x" });
        const err = await provider.create(checked.inputs as CheckedInputs).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message).to.include("InvalidAccessKeyId.NotFound");
        expect(err?.message).to.include(
            `profile "default" (the file's current profile) in ${file} (ALICLOUD_SHARED_CREDENTIALS_FILE)`,
        );
        expect(err?.message).to.not.include("revoked-secret");
    });

    it("fails AssumeRole naming the role, its setting and the base credentials' source", async () => {
        const provider = await configured({
            "alicloud:accessKey": emulator.accessKeyId,
            "alicloud:secretKey": emulator.accessKeySecret,
            "alicloud:region": "cn-hangzhou",
        });
        process.env.ALICLOUD_ASSUME_ROLE_ARN = ROLE;
        process.env.ALICLOUD_ASSUME_ROLE_SESSION_NAME = "refused";
        emulator.admin.failNext({
            action: "AssumeRole",
            code: "NoPermission",
            httpStatus: 403,
            message: "You are not authorized to do this action.",
        });
        const checked = await provider.check({}, { vpnConnectionId: "vco-a", name: "x" });
        const err = await provider.create(checked.inputs as CheckedInputs).then(
            () => undefined,
            (e: Error) => e,
        );
        expect(err?.message)
            .to.include(`AssumeRole of ${ROLE} (ALICLOUD_ASSUME_ROLE_ARN)`)
            .and.include("NoPermission (HTTP 403)");
        expect(err?.message).to.include("Pulumi config (alicloud:accessKey)");
        expect(err?.message).to.not.include(emulator.accessKeySecret);
        expect(errorKind(err)).to.equal("credentials");
        expect(callsTo("ModifyVpnAttachmentAttribute")).to.have.length(0);
    });

    it("reports a missing setting the same way from check (preview), create and read, sending nothing", async () => {
        const secret = "half-a-pair-secret";
        const provider = await configured({ "alicloud:secretKey": secret, "alicloud:region": "cn-hangzhou" });
        const expected =
            "Pulumi config sets alicloud:secretKey but not alicloud:accessKey: set both, or neither to use another source";
        const checked = await provider.check({}, { vpnConnectionId: "vco-a", name: "x" });
        expect(checked.failures).to.deep.equal([{ property: "", reason: expected }]);
        const inputs = checked.inputs as CheckedInputs;
        const failures = [
            await provider.create(inputs).then(
                () => undefined,
                (e: Error) => e,
            ),
            await provider.read("vco-a", inputs as unknown as AttributeOutputs).then(
                () => undefined,
                (e: Error) => e,
            ),
        ];
        for (const err of failures) {
            expect(err).to.include({ name: "VpnAttachmentAttributeError", message: expected });
            expect(errorKind(err)).to.equal("config");
        }
        const verified = await provider.check({}, { vpnConnectionId: "vco-a", name: "x", verifyOnPreview: true });
        // Failing check already, so verifyOnPreview's read is not made.
        expect(verified.failures).to.deep.equal([{ property: "", reason: expected }]);
        expect(JSON.stringify([failures.map((e) => e?.message), verified])).to.not.include(secret);
        expect(emulator.admin.calls()).to.deep.equal([]);
    });
});
