import type * as pulumi from "@pulumi/pulumi";
import { configFromPulumi, ProviderConfig } from "./credentials";
import { diffResource } from "./diffing";
import { warnOfInsecureInput } from "./endpoint";
import * as operations from "./operations";
import { AttributeOutputs, CheckedInputs } from "./types";
import { checkInputs } from "./validation";


/**
 * The dynamic provider. Pulumi serializes this object into state, so it holds
 * nothing live and little code: credentials and clients are made inside each
 * call (operations.ts), and the Alibaba SDK is loaded only by the calls that
 * reach the service.
 */
export class VpnAttachmentAttributeProvider implements pulumi.dynamic.ResourceProvider {
    private config: ProviderConfig = {};

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.config = configFromPulumi(req.config);
    }

    async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        warnOfInsecureInput(news.endpoint);
        return checkInputs(news);
    }

    async diff(_id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.DiffResult> {
        return diffResource(olds, news);
    }

    async create(inputs: CheckedInputs): Promise<pulumi.dynamic.CreateResult> {
        return { id: inputs.vpnConnectionId, outs: await operations.apply(this.config, inputs, undefined) };
    }

    async update(_id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await operations.apply(this.config, news, olds) };
    }

    async read(id: string, props: AttributeOutputs): Promise<pulumi.dynamic.ReadResult> {
        return operations.read(this.config, id, props);
    }

    /** This resource manages attributes, not the connection's life: deleting it leaves the connection as it is. */
    async delete(): Promise<void> {}
}
