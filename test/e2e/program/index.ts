/**
 * The Pulumi program the end-to-end suite runs. Everything it declares comes
 * from stack config, so a scenario changes config instead of code:
 *
 *   vpn-e2e:resources     [{ name, args }]: one VpnAttachmentAttribute each
 *   vpn-e2e:psks          (secret) { NAME: psk }: a `"$psk:NAME"` string in args
 *                         stands for that PSK, passed to the resource as a plain value
 *   vpn-e2e:providerFrom  "package" (default): the package as npm would install it,
 *                         from the project's node_modules, which Pulumi serializes as
 *                         require() references; "repo": this repository's provider/
 *                         (../../../provider), which Pulumi serializes by value, the
 *                         way examples/demo runs
 */
import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as ProviderModule from "../../../provider";

export interface ResourceSpec {
    /** The resource's Pulumi name. */
    name: string;
    args: ProviderModule.VpnAttachmentAttributeArgs;
    /** The `import` resource option, to see what the resource makes of it. */
    import?: string;
}

const PACKAGE_NAME = "pulumi-alicloud-vpn-attachment-attribute";
/**
 * Resolves as the project's own code would. A plain require.resolve here would
 * find this repository itself: this file lives inside the package it imports
 * (self-reference through package.json "exports").
 */
const requireFromProject = createRequire(path.join(process.cwd(), "package.json"));

const config = new pulumi.Config();
const specs = config.requireObject<ResourceSpec[]>("resources");
const providerFrom = config.get("providerFrom") ?? "package";

/** Where the provider module was loaded from; exported so the suite can check it. */
export const providerModule =
    providerFrom === "repo" ? require.resolve("../../../provider") : requireFromProject.resolve(PACKAGE_NAME);
if (providerFrom !== "repo" && !providerModule.startsWith(`${process.cwd()}/node_modules/`)) {
    throw new Error(`${PACKAGE_NAME} resolved to ${providerModule}, outside this project's node_modules`);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is chosen at run time: the package or the repository
const { VpnAttachmentAttribute } = require(providerModule) as typeof ProviderModule;

/**
 * PSKs come from the secret config `psks` and replace every `"$psk:NAME"`
 * string in the args as PLAIN values (`unsecret`), the way a program that
 * reads a key from a file hands the resource a plain string. The resource
 * itself must keep them out of state and output.
 */
const secretPsks: pulumi.Output<Record<string, string>> =
    config.getSecretObject<Record<string, string>>("psks") ?? pulumi.output<Record<string, string>>({});
const plainPsks = pulumi.unsecret(secretPsks);

function resolvePsks(value: unknown): unknown {
    if (typeof value === "string" && value.startsWith("$psk:")) {
        const key = value.slice("$psk:".length);
        return plainPsks.apply((all) => {
            if (all[key] === undefined) {
                throw new Error(`no PSK ${key} in the config psks`);
            }
            return all[key];
        });
    }
    if (Array.isArray(value)) {
        return value.map(resolvePsks);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePsks(v)]));
    }
    return value;
}

const resources = specs.map((spec) => ({
    name: spec.name,
    resource: new VpnAttachmentAttribute(
        spec.name,
        resolvePsks(spec.args) as ProviderModule.VpnAttachmentAttributeArgs,
        spec.import === undefined ? undefined : { import: spec.import },
    ),
}));

function byName<T>(pick: (r: ProviderModule.VpnAttachmentAttribute) => pulumi.Output<T>) {
    return pulumi.output(Object.fromEntries(resources.map(({ name, resource }) => [name, pick(resource)])));
}

/** Plain outputs: `state` and `name` of each resource (a name only where the program declares one). */
export const states = byName((r) => r.state);
export const names = byName((r) => r.name ?? pulumi.output(undefined));
/** Secret outputs, exported so the suite can check that they never appear in clear. */
export const psks = byName((r) => r.psk);
export const tunnelPsks = byName((r) => r.tunnelPsks);
