import type * as pulumi from "@pulumi/pulumi";
import { sep } from "node:path";
import type { ProviderConfig } from "../credentials/resolution";
import * as handlers from "./handlers";
import { AttributeOutputs, CheckedInputs } from "../model/types";

/** The provider's behaviour, holding the settings `configure` was given. */
export class ProviderImplementation implements pulumi.dynamic.ResourceProvider {
    private config: ProviderConfig = {};

    // configure and diff run their work in a promise's executor: an error rejects, as from an async method, never throws.
    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        return new Promise((resolve) => {
            this.config = handlers.configure(req.config);
            resolve();
        });
    }

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return handlers.checkWithConfig(this.config, olds, news);
    }

    diff(id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.DiffResult> {
        return new Promise((resolve) => resolve(handlers.diff(id, olds, news)));
    }

    async create(inputs: CheckedInputs): Promise<pulumi.dynamic.CreateResult> {
        return handlers.create(this.config, inputs);
    }

    async update(id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult> {
        return handlers.update(this.config, id, olds, news);
    }

    async read(id: string, props: AttributeOutputs): Promise<pulumi.dynamic.ReadResult> {
        return handlers.read(this.config, id, props);
    }

    /** This resource manages attributes, not the connection's life: deleting it leaves the connection as it is. */
    async delete(): Promise<void> {}
}

/**
 * The installed package's provider, by its stable export name (entry.ts):
 * the provider process resolves it from the Pulumi project's node_modules,
 * whichever version is installed then.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- resolved when called, in the provider process, and stored
   as this text in state: an import would load it with this module. The comment stays outside the stored function. */
function installedProvider(): pulumi.dynamic.ResourceProvider {
    return require("pulumi-alicloud-vpn-attachment-attribute/provider-entry") as pulumi.dynamic.ResourceProvider;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Where a provider object imported by path keeps its implementation, made at its first call. */
interface WithImplementation {
    implementation?: ProviderImplementation;
}

/**
 * Chosen once, when this module loads: Pulumi serializes only what the chosen
 * function captures, so a provider object made from an installed package
 * stores nothing but `require("<package>/provider-entry")`. Imported by path,
 * each object gets an implementation of its own, stored by value.
 */
const implementationOf: (provider: object) => pulumi.dynamic.ResourceProvider = __dirname
    .split(sep)
    .includes("node_modules")
    ? () => installedProvider()
    : (provider) => ((provider as WithImplementation).implementation ??= new ProviderImplementation());

/**
 * A provider object for programs that build their own `dynamic.Resource`.
 * The `VpnAttachmentAttribute` resource class does not need it: it passes the
 * package's shared provider (entry.ts).
 */
export class VpnAttachmentAttributeProvider implements pulumi.dynamic.ResourceProvider {
    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        return implementationOf(this).configure!(req);
    }

    check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return implementationOf(this).check!(olds, news);
    }

    diff(id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.DiffResult> {
        return implementationOf(this).diff!(id, olds, news);
    }

    create(inputs: CheckedInputs): Promise<pulumi.dynamic.CreateResult> {
        return implementationOf(this).create(inputs);
    }

    update(id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult> {
        return implementationOf(this).update!(id, olds, news);
    }

    read(id: string, props: AttributeOutputs): Promise<pulumi.dynamic.ReadResult> {
        return implementationOf(this).read!(id, props);
    }

    /** This resource manages attributes, not the connection's life: deleting it leaves the connection as it is. */
    async delete(): Promise<void> {}
}
