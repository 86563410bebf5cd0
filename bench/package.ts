/**
 * The provider as a user gets it: `npm install` puts the package under
 * node_modules, and the program imports it by name. Each resource's stored
 * provider is then one `require("<package>/provider-entry")` (about 0.3 KB), whereas a
 * program that imports the provider by path (examples/demo, test/e2e) gets
 * the provider's code serialized by value (about 160 KB per resource, twice:
 * inputs and outputs). The benchmark "installs" the freshly built package into
 * .bench/node_modules, where the projects under .bench/ (and the plugin,
 * which resolves the stored requires from the project directory) find it; its
 * own dependencies resolve further up, from the repository's node_modules.
 */
import { installPackage as installInto, packageName } from "../support/pulumiWorkspace";
import { WORK_ROOT } from "./pulumi";

export type ProviderSource = "package" | "repo";

export { packageName };

/** Unpacks the package's `npm pack` tarball into .bench/node_modules/<name>; returns the package's directory. */
export function installPackage(): string {
    return installInto(WORK_ROOT);
}
