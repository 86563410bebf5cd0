import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { cleanEnvironment } from "../support/environment";

/** regionId is optional: check fills it in, so it is fixed in state and shown in the preview. */
describe("provider check: the default region", () => {
    const REGION_VARIABLES = ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"];
    cleanEnvironment(REGION_VARIABLES);

    async function provider(config: Record<string, string>): Promise<VpnAttachmentAttributeProvider> {
        const p = new VpnAttachmentAttributeProvider();
        await p.configure({ config: { get: (key: string) => config[key] } } as never);
        return p;
    }

    async function regionAfterCheck(
        p: VpnAttachmentAttributeProvider,
        olds: Record<string, unknown> = {},
        regionId?: string,
    ) {
        const result = await p.check(olds, { vpnConnectionId: "vco-1", ...(regionId !== undefined && { regionId }) });
        const inputs = result.inputs as Record<string, unknown> | undefined;
        return { regionId: inputs?.regionId, failures: result.failures ?? [] };
    }

    it("alicloud:region, then ALICLOUD_REGION, then ALIBABA_CLOUD_REGION_ID", async () => {
        process.env.ALICLOUD_REGION = "cn-shanghai";
        process.env.ALIBABA_CLOUD_REGION_ID = "cn-beijing";
        expect((await regionAfterCheck(await provider({ "alicloud:region": "cn-hangzhou" }))).regionId).to.equal(
            "cn-hangzhou",
        );
        expect((await regionAfterCheck(await provider({}))).regionId).to.equal("cn-shanghai");
        delete process.env.ALICLOUD_REGION;
        expect((await regionAfterCheck(await provider({}))).regionId).to.equal("cn-beijing");
    });

    it("the resource's own regionId wins", async () => {
        const p = await provider({ "alicloud:region": "cn-hangzhou" });
        expect((await regionAfterCheck(p, {}, "eu-central-1")).regionId).to.equal("eu-central-1");
    });

    it("keeps the region the resource already has when the default changes", async () => {
        const p = await provider({ "alicloud:region": "cn-shanghai" });
        expect((await regionAfterCheck(p, { regionId: "cn-hangzhou", vpnConnectionId: "vco-1" })).regionId).to.equal(
            "cn-hangzhou",
        );
    });

    it("without any region, fails naming every place a region can come from", async () => {
        const { failures } = await regionAfterCheck(await provider({}));
        expect(failures).to.have.length(1);
        expect(failures[0].property).to.equal("regionId");
        for (const place of ["alicloud:region", "ALICLOUD_REGION", "ALIBABA_CLOUD_REGION_ID"]) {
            expect(failures[0].reason).to.include(place);
        }
    });

    it("keeps profile and assumeRoleArn as settings, checking the ARN's shape", async () => {
        // check reads the profile as up would (credential settings fail the preview), so the file must hold it.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpn-profile-"));
        const file = path.join(dir, "config.json");
        const profile = { name: "other", mode: "AK", access_key_id: "LTAI-id", access_key_secret: "s3cr3t" };
        fs.writeFileSync(file, JSON.stringify({ current: "other", profiles: [profile] }));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));
        const p = await provider({ "alicloud:region": "cn-hangzhou", "alicloud:sharedCredentialsFile": file });
        const ok = await p.check(
            {},
            { vpnConnectionId: "vco-1", profile: "other", assumeRoleArn: "acs:ram::123:role/deployer" },
        );
        expect(ok.failures ?? []).to.deep.equal([]);
        expect(ok.inputs).to.deep.include({ profile: "other", assumeRoleArn: "acs:ram::123:role/deployer" });
        const bad = await p.check({}, { vpnConnectionId: "vco-1", assumeRoleArn: "deployer" });
        expect(bad.failures?.map((f) => f.property)).to.deep.equal(["assumeRoleArn"]);
    });
});
