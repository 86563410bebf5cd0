import { expect } from "chai";
import { execFileSync } from "node:child_process";

/**
 * The resource's type and `isInstance`, under Pulumi's mocks. In a child
 * process: the mocks are global to the runtime they are set in.
 */
describe("resource: a type of its own", function () {
    this.timeout(30_000);

    it("registers as pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute and knows its instances across copies of the module", () => {
        const provider = require.resolve("../../provider");
        const script = `
            const pulumi = require("@pulumi/pulumi");
            const types = [];
            pulumi.runtime.setMocks({
                newResource: (args) => { types.push(args.type); return { id: args.inputs.vpnConnectionId, state: args.inputs }; },
                call: () => ({}),
            }, "project", "stack", false);
            const { VpnAttachmentAttribute } = require(${JSON.stringify(provider)});
            const conn = new VpnAttachmentAttribute("conn", { regionId: "cn-hangzhou", vpnConnectionId: "vco-1", name: "office" });
            // A second copy of the package in the same program, as two versions in node_modules would give.
            for (const key of Object.keys(require.cache)) if (key.includes("/bin/provider/")) delete require.cache[key];
            const Copy = require(${JSON.stringify(provider)}).VpnAttachmentAttribute;
            conn.urn.apply((urn) => {
                process.stdout.write(JSON.stringify({
                    types,
                    urn,
                    token: VpnAttachmentAttribute.__pulumiType,
                    itself: VpnAttachmentAttribute.isInstance(conn),
                    copy: Copy !== VpnAttachmentAttribute && Copy.isInstance(conn) && !(conn instanceof Copy),
                    others: [undefined, null, {}, "conn", new pulumi.ComponentResource("x:y:Z", "other")].map((o) => VpnAttachmentAttribute.isInstance(o)),
                }));
            });
        `;
        const result = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
        expect(result.types).to.deep.equal(["pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute"]);
        expect(result.token).to.equal("pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute");
        expect(result.urn).to.equal(
            "urn:pulumi:stack::project::pulumi-nodejs:dynamic/alicloud:VpnAttachmentAttribute::conn",
        );
        expect(result.itself).to.equal(true);
        expect(result.copy).to.equal(true);
        expect(result.others).to.deep.equal([false, false, false, false, false]);
    });
});
