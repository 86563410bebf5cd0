import { expect } from "chai";
import { execFileSync } from "node:child_process";

describe("provider: check and diff stay offline and cheap", function () {
    this.timeout(30_000);

    it("validates and diffs through the package entry point without loading the Alibaba SDK", () => {
        const entry = require.resolve("../../provider");
        const script = `
            const { VpnAttachmentAttributeProvider } = require(${JSON.stringify(entry)});
            (async () => {
                const provider = new VpnAttachmentAttributeProvider();
                const news = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "office", psk: "k3y" };
                const checked = await provider.check({}, news);
                const olds = { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "old", managedFields: ["name"] };
                const diff = await provider.diff("vco-1", olds, checked.inputs);
                const loaded = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/]@(alicloud|darabonba)[\\\\/]/.test(k));
                process.stdout.write(JSON.stringify({ failures: checked.failures, changes: diff.changes, loaded }));
            })();
        `;
        const result = JSON.parse(
            execFileSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 }),
        ) as { failures: unknown; changes: unknown; loaded: unknown };
        expect(result.failures).to.deep.equal([]);
        expect(result.changes).to.equal(true);
        expect(result.loaded).to.deep.equal([]);
    });
});
