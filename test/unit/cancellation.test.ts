import { expect } from "chai";
import * as fs from "node:fs";

/**
 * Why the first Ctrl-C cannot stop an update in flight (docs/reliability.md,
 * "Ctrl-C"): the engine's Cancel call ends in @pulumi/pulumi's dynamic
 * provider server, which answers it and tells the provider nothing. These
 * fail when an upgrade of @pulumi/pulumi changes that, so that the provider
 * can then stop starting new attempts on Cancel.
 */
describe("cancellation: what a dynamic provider sees of Ctrl-C", () => {
    it("gets no Cancel from @pulumi/pulumi's dynamic provider server, which answers it with an empty reply", () => {
        const server = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js"), "utf8");
        const body = /\n {4}cancel\(call, callback\) \{\n([\s\S]*?)\n {4}\}/.exec(server)?.[1];
        expect(body, "the server's cancel method").to.not.equal(undefined);
        expect(body?.trim()).to.equal("callback(undefined, new emptyproto.Empty());");
    });

    it("has no cancel method to implement in pulumi.dynamic.ResourceProvider", () => {
        const types = fs.readFileSync(require.resolve("@pulumi/pulumi/dynamic/index.d.ts"), "utf8");
        const provider = /export interface ResourceProvider[^{]*\{([\s\S]*?)\n\}/.exec(types)?.[1];
        expect(provider, "the ResourceProvider interface").to.not.equal(undefined);
        expect(provider).to.match(/\bcreate\b/);
        expect(provider).to.not.match(/\bcancel\b/i);
    });
});
