import { expect } from "chai";
import { singleTunnelConnection } from "../../emulator/fixtures";
import { EmulatorHandle, startEmulator } from "../../emulator";
import { VpnAttachmentAttributeProvider } from "../../provider";
import { CheckedInputs } from "../../provider/model/types";
import { fastPollsForSuite } from "../support/fastPolls";

/** What the user reads when the service refuses the keys, over the real SDK and HTTP. */
describe("secrets in messages, against the emulator", function () {
    fastPollsForSuite();
    this.timeout(60_000);
    let emulator: EmulatorHandle;
    const savedEnv = { ...process.env };

    beforeEach(async () => {
        emulator = await startEmulator({ port: 0, taskDurationMs: 20 });
        emulator.admin.seed([singleTunnelConnection("vco-a")]);
        process.env.ALICLOUD_VPC_ENDPOINT = emulator.endpoint;
        process.env.ALICLOUD_REGION = "cn-hangzhou";
        process.env.ALICLOUD_ACCESS_KEY = emulator.accessKeyId;
        process.env.ALICLOUD_SECRET_KEY = "not-the-emulator-secret";
    });
    afterEach(async () => {
        process.env = { ...savedEnv };
        await emulator.close();
    });

    it("says in one line that the secret key is wrong: the code, the service's first sentence, the credential source", async () => {
        const provider = new VpnAttachmentAttributeProvider();
        const checked = await provider.check({}, { vpnConnectionId: "vco-a", name: "n" });
        const error = await provider.create(checked.inputs as CheckedInputs).then(
            () => undefined,
            (err: unknown) => err as Error,
        );
        expect(error, "the call is refused").to.be.instanceOf(Error);
        const message = (error as Error).message;
        expect(message).to.include("SignatureDoesNotMatch").and.include("ALICLOUD_ACCESS_KEY");
        expect(message).to.include("Specified signature does not match our calculation.");
        expect(message, "the string to sign and canonical request are dropped").to.not.match(
            /string to sign|canonical request/i,
        );
        expect(message.split("\n"), message).to.have.length(1);
    });
});
