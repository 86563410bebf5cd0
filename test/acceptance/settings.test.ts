import { expect } from "chai";
import { acceptanceSettings } from "./settings";

const COMPLETE = {
    ALICLOUD_ACCEPTANCE: "1",
    ALICLOUD_REGION: "cn-shanghai",
    ALICLOUD_ACCESS_KEY: "LTAI-example",
    ALICLOUD_SECRET_KEY: "example-secret",
    ALICLOUD_ACCEPTANCE_SINGLE_TUNNEL_ID: "vco-single",
    ALICLOUD_ACCEPTANCE_DUAL_TUNNEL_ID: "vco-dual",
};

describe("acceptance suite settings", () => {
    it("skips with one line naming what to set when not asked to run", () => {
        const result = acceptanceSettings({});
        expect(result)
            .to.have.property("skipped")
            .that.matches(/^acceptance suite against Alibaba Cloud skipped: set ALICLOUD_ACCEPTANCE=1 and /);
        expect((result as { skipped: string }).skipped).to.not.include("\n");
    });

    it("skips naming each missing setting, never a value", () => {
        const { ALICLOUD_ACCEPTANCE_DUAL_TUNNEL_ID: _dual, ...rest } = COMPLETE;
        const result = acceptanceSettings(rest) as { skipped: string };
        expect(result.skipped).to.include("ALICLOUD_ACCEPTANCE_DUAL_TUNNEL_ID not set");
        expect(result.skipped).to.not.include("example-secret");
    });

    it("runs with everything set, harmless changes only unless allowed", () => {
        expect(acceptanceSettings(COMPLETE)).to.deep.include({
            region: "cn-shanghai",
            singleTunnelId: "vco-single",
            allowDisruptive: false,
        });
        const withToken = acceptanceSettings({
            ...COMPLETE,
            ALICLOUD_SECURITY_TOKEN: "sts",
            ALICLOUD_ACCEPTANCE_ALLOW_DISRUPTIVE: "1",
        });
        expect(withToken).to.deep.include({ securityToken: "sts", allowDisruptive: true });
    });
});
