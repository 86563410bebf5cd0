import { expect } from "chai";
import { converge } from "../../provider/apply/converge";
import { createVpcApi } from "../../provider/service/client";
import { userMessage } from "../../provider/foundation/userMessage";
import { VirtualClock } from "../unit/virtualClock";

/**
 * The reproduction: ALICLOUD_VPC_ENDPOINT=http://127.0.0.1:1, where nothing
 * listens. Through the real SDK over real HTTP (each attempt is refused at
 * once), with the waits between attempts on the virtual clock: the update
 * ends after a few attempts within about a minute, not 30 minutes.
 */
describe("an endpoint that refuses connections", () => {
    const saved = process.env.ALICLOUD_VPC_ENDPOINT;
    before(() => {
        process.env.ALICLOUD_VPC_ENDPOINT = "http://127.0.0.1:1";
    });
    after(() => {
        if (saved === undefined) delete process.env.ALICLOUD_VPC_ENDPOINT;
        else process.env.ALICLOUD_VPC_ENDPOINT = saved;
    });

    it("fails the update within about a minute, naming the address and the cause, with no Modify sent", async () => {
        const settings = { regionId: "cn-hangzhou", vpnConnectionId: "vco-unreachable" };
        const clock = new VirtualClock();
        const real = createVpcApi({
            regionId: settings.regionId,
            credentials: { accessKeyId: "LTAI-test", accessKeySecret: "test-secret", source: "the test" },
        });
        let describes = 0;
        let modifies = 0;
        const api = {
            ...real,
            describeVpnConnection: (region: string, id: string) => {
                describes++;
                return real.describeVpnConnection(region, id);
            },
            modifyVpnAttachmentAttribute: (request: Parameters<typeof real.modifyVpnAttachmentAttribute>[0]) => {
                modifies++;
                return real.modifyVpnAttachmentAttribute(request);
            },
        };
        const started = clock.now();
        const err = await converge(
            settings,
            { name: "never" },
            { api, clock, deadline: started + 30 * 60_000, log: () => undefined, secrets: [] },
        ).then(
            () => expect.fail("converged against a closed port"),
            (e: unknown) => e,
        );
        const message = userMessage(err, settings);
        expect(clock.now() - started, "virtual time until it gave up").to.be.at.most(60_000);
        expect(describes).to.equal(4);
        expect(modifies).to.equal(0);
        expect(message).to.include("could not connect to the endpoint in 4 attempts");
        expect(message).to.include("ECONNREFUSED").and.include("127.0.0.1:1");
    });
});
