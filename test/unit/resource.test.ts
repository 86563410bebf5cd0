import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { VpnAttachmentAttribute } from "../../provider";

/** What the resource asked the engine for when it registered. */
interface Registration {
    name: string;
    additionalSecretOutputs: string[];
}

/** The parts of the monitor's RegisterResourceRequest this test reads. */
interface RegisterRequest {
    getName(): string;
    getAdditionalsecretoutputsList(): string[];
}

type RegisterResource = (request: RegisterRequest, callback: (...args: unknown[]) => void) => void;

/**
 * The engine, not the SDK, makes `additionalSecretOutputs` secret, and the
 * mock monitor ignores them: so the test reads what each registration asks
 * for, on the way into the mock monitor.
 */
async function mockEngine(): Promise<Registration[]> {
    await pulumi.runtime.setMocks(
        {
            // As the provider's check does, an undeclared regionId comes from config.
            newResource: (args) => ({
                id: `${args.name}-id`,
                state: { regionId: "cn-from-config", ...(args.inputs as Record<string, unknown>) },
            }),
            call: (args) => args.inputs as Record<string, unknown>,
        },
        "project",
        "stack",
        false,
    );
    const registrations: Registration[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: RegisterResource };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        registrations.push({
            name: request.getName(),
            additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
        });
        register(request, callback);
    };
    return registrations;
}

function registered(resource: pulumi.CustomResource): Promise<string> {
    return new Promise((resolve) => resource.urn.apply(resolve));
}

describe("resource: registration with the engine", function () {
    // Registering a dynamic resource serializes its provider, which takes a few seconds.
    this.timeout(60_000);
    let registrations: Registration[];

    before(async () => {
        registrations = await mockEngine();
    });

    it("registers psk and tunnelPsks as secret outputs", async () => {
        await registered(
            new VpnAttachmentAttribute("single", {
                regionId: "cn-hangzhou",
                vpnConnectionId: "vco-1",
                name: "office",
                ikeConfig: { psk: "k3y", ikeVersion: "ikev2" },
            }),
        );
        const registration = registrations.find((r) => r.name === "single");
        expect(registration?.additionalSecretOutputs).to.include.members(["psk", "tunnelPsks"]);
    });

    it("has regionId as an output when the program leaves it to config, as its type says", async () => {
        const resource = new VpnAttachmentAttribute("from-config", { vpnConnectionId: "vco-3", name: "office" });
        const region = await new Promise((resolve) => resource.regionId.apply(resolve));
        expect(region).to.equal("cn-from-config");
    });

    it("keeps the secret outputs the program asks for besides its own", async () => {
        await registered(
            new VpnAttachmentAttribute(
                "dual",
                { regionId: "cn-hangzhou", vpnConnectionId: "vco-2", enableTunnelsBgp: true },
                { additionalSecretOutputs: ["connection"] },
            ),
        );
        const registration = registrations.find((r) => r.name === "dual");
        expect(registration?.additionalSecretOutputs).to.have.members(["connection", "psk", "tunnelPsks"]);
    });
});
