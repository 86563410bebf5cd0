import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { VpnAttachmentAttribute, VpnAttachmentAttributeArgs } from "../../provider";

/**
 * Registering a resource formats no stack trace for the SDK's own promises
 * (provider/pulumi/resource.ts): in a program, each one goes through
 * source-map-support, and a preview of 500 resources spent most of its
 * program CPU there. The resource's source position, the caller's stack on an
 * error, and the program's own stack traces stay as they were.
 */
type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Runs `fn` with Error.prepareStackTrace counting the traces formatted with at least one frame. */
function tracesFormatted(fn: () => void): number {
    const before = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
    const original = before?.value as PrepareStackTrace | undefined;
    let count = 0;
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
        if (frames.length > 0) {
            count++;
        }
        return original
            ? original(error, frames)
            : [
                  String(error),
                  ...frames.map((f) => `    at ${f.getFileName() ?? "?"}:${f.getLineNumber() ?? "?"}`),
              ].join("\n");
    };
    try {
        fn();
    } finally {
        delete (Error as { prepareStackTrace?: PrepareStackTrace }).prepareStackTrace;
        if (before) {
            Object.defineProperty(Error, "prepareStackTrace", before);
        }
    }
    return count;
}

const ARGS: VpnAttachmentAttributeArgs = {
    regionId: "cn-hangzhou",
    vpnConnectionId: "vco-stacks",
    name: "office",
    ikeConfig: { ikeVersion: "ikev2", ikeLifetime: 86400 },
};

describe("resource: registration without stack traces for the SDK's promises", function () {
    // Registering a dynamic resource serializes its provider, which takes a few seconds.
    this.timeout(60_000);

    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs as Record<string, unknown> }),
                call: (args) => args.inputs as Record<string, unknown>,
            },
            "project",
            "stack",
            true,
        );
        // The first registration serializes the provider (once per process), which captures traces of its own.
        new VpnAttachmentAttribute("warm-up", ARGS);
    });

    it("formats at most the SDK's source-position trace while registering, where the SDK's promises would ask for dozens", () => {
        const formatted = tracesFormatted(() => {
            for (let i = 0; i < 5; i++) {
                new VpnAttachmentAttribute(`quiet-${i}`, { ...ARGS, vpnConnectionId: `vco-quiet-${i}` });
            }
        });
        // One per resource: Resource.callsites(), which finds the declaration's source position.
        expect(formatted).to.be.at.most(5);
    });

    it("restores the program's stack trace limit", () => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 17;
        try {
            new VpnAttachmentAttribute("limit", { ...ARGS, vpnConnectionId: "vco-limit" });
            expect(Error.stackTraceLimit).to.equal(17);
        } finally {
            Error.stackTraceLimit = limit;
        }
    });

    it("gives an error thrown while registering the caller's stack, and restores the limit", () => {
        const limit = Error.stackTraceLimit;
        let thrown: unknown;
        try {
            // No name: the SDK refuses it while registering.
            new VpnAttachmentAttribute(undefined as unknown as string, ARGS);
        } catch (err) {
            thrown = err;
        }
        expect(thrown).to.be.instanceOf(Error);
        expect((thrown as Error).stack).to.contain("resourceStacks.test");
        expect(Error.stackTraceLimit).to.equal(limit);
    });
});
