/**
 * The mocha hooks that the emulator and integration suites set up alike.
 * Call them in a `describe` body; they register before/after hooks there.
 */
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";
import { useFastPolls } from "./fastPolls";

/**
 * One emulator for the enclosing `describe`: started before its first test and
 * closed after its last. Before each test it is reset, then `prepare` seeds it
 * (or whatever else the suite needs). `use` receives the running emulator.
 */
export function emulatorPerSuite(
    options: EmulatorOptions,
    use: (emulator: EmulatorHandle) => void,
    prepare: (emulator: EmulatorHandle) => void = () => undefined,
): void {
    let emulator: EmulatorHandle | undefined;
    before(async () => {
        emulator = await startEmulator(options);
        use(emulator);
    });
    after(() => emulator?.close());
    beforeEach(() => {
        if (emulator === undefined) {
            throw new Error("the emulator did not start");
        }
        emulator.admin.reset();
        prepare(emulator);
    });
}

/**
 * For each test, points the provider running in this process at the emulator
 * (its endpoint and keys, and never the ECS metadata service) with the fast
 * poll schedule (fastPolls.ts); the environment and the schedule are restored
 * after the test.
 */
export function providerOnEmulator(emulator: () => EmulatorHandle): void {
    const saved = { ...process.env };
    let restorePolls: (() => void) | undefined;
    beforeEach(() => {
        restorePolls = useFastPolls();
        const { endpoint, accessKeyId, accessKeySecret } = emulator();
        Object.assign(process.env, {
            ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true",
            ALICLOUD_VPC_ENDPOINT: endpoint,
            ALICLOUD_ACCESS_KEY: accessKeyId,
            ALICLOUD_SECRET_KEY: accessKeySecret,
        });
    });
    afterEach(() => {
        process.env = { ...saved };
        restorePolls?.();
    });
}
