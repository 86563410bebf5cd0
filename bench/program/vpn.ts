/**
 * The benchmark stack of VpnAttachmentAttribute resources. Config
 * `vpn-bench:source` says where the provider comes from (see bench/package.ts):
 * - `package`: the package installed under .bench/node_modules, imported by
 *   name as a user's program would; Pulumi stores the provider as requires;
 * - `repo`: this repository's bin/provider, imported by path as examples/demo
 *   and the e2e program do; Pulumi serializes the provider's code by value.
 */
import * as pulumi from "@pulumi/pulumi";
import { createRequire } from "node:module";
import * as path from "node:path";
import { PACKAGE_CONFIG_KEY, readSettings, resourceArgs } from "./specs";

type ProviderModule = typeof import("../../provider");

const config = new pulumi.Config();
const settings = readSettings(config);
const source = config.get("source") ?? "package";
const provider: ProviderModule =
    source === "repo"
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the source is chosen at run time; an import would load both
          (require("../../provider") as ProviderModule)
        : // Resolved from the project directory (the language host's cwd), as a program installed beside the package would.
          (requireInstalled(config.require(PACKAGE_CONFIG_KEY)) as ProviderModule);

function requireInstalled(name: string): unknown {
    try {
        // Not resolved from here: this file is inside the package, whose own name resolves to itself.
        return createRequire(path.join(process.cwd(), "package.json"))(name);
    } catch (err) {
        throw new Error(`${String(err)} (cwd ${process.cwd()})`, { cause: err });
    }
}

for (let i = 0; i < settings.count; i++) {
    new provider.VpnAttachmentAttribute(`conn-${i}`, resourceArgs(settings, i));
}
