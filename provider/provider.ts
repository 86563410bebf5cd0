import type * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import type { ProviderConfig } from "./credentials";
import * as bundledEntry from "./entry";
import { AttributeOutputs, CheckedInputs } from "./types";

type ProviderEntry = typeof bundledEntry;

/**
 * The entry point of the installed package, by its stable export name: the
 * only module a resource's state names. The provider process resolves it
 * from the Pulumi project's node_modules, whichever version is installed then.
 */
function installedEntry(): ProviderEntry {
    return require("pulumi-alicloud-vpn-attachment-attribute/provider-entry") as ProviderEntry;
}

/**
 * The entry point as loaded here. Pulumi serializes a module outside
 * node_modules by value, so a program that imports this provider by path
 * (examples/demo) gets a state that carries the provider's code itself.
 */
function loadedEntry(): ProviderEntry {
    return bundledEntry;
}

/**
 * Chosen once, when this module loads: Pulumi serializes the value the
 * provider's methods capture, so an installed package's state holds only
 * `installedEntry`.
 */
const entry = __dirname.split(path.sep).includes("node_modules") ? installedEntry : loadedEntry;

/**
 * The dynamic provider. Pulumi serializes this object into every resource's
 * state, so it holds nothing live and no logic: each method loads the entry
 * point (entry.ts) and hands the call on. Credentials and clients are made
 * inside each call, and the Alibaba SDK is loaded only by the calls that
 * reach the service.
 */
export class VpnAttachmentAttributeProvider implements pulumi.dynamic.ResourceProvider {
    private config: ProviderConfig = {};

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.config = entry().configure(req.config);
    }

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return entry().checkWithConfig(this.config, olds, news);
    }

    async diff(id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.DiffResult> {
        return entry().diff(id, olds, news);
    }

    async create(inputs: CheckedInputs): Promise<pulumi.dynamic.CreateResult> {
        return entry().create(this.config, inputs);
    }

    async update(id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult> {
        return entry().update(this.config, id, olds, news);
    }

    async read(id: string, props: AttributeOutputs): Promise<pulumi.dynamic.ReadResult> {
        return entry().read(this.config, id, props);
    }

    /** This resource manages attributes, not the connection's life: deleting it leaves the connection as it is. */
    async delete(): Promise<void> {}
}
