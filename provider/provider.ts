import type * as pulumi from "@pulumi/pulumi";
import { configFromPulumi, ProviderConfig } from "./credentials";
import { defaultRegion } from "./credentialSettings";
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

    /**
     * A resource without regionId gets its region here, so that it is fixed in
     * state and shown in the preview: the one it already has (a connection ID
     * belongs to one region, so a later change of alicloud:region must not
     * move it), else the provider's default region.
     */
    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        warnOfInsecureInput(news.endpoint);
        const hasRegion = news.regionId !== undefined && news.regionId !== null;
        const kept = hasRegion ? undefined : typeof olds.regionId === "string" ? olds.regionId : defaultRegion(this.config, process.env)?.value;
        const result = checkInputs(kept === undefined ? news : { ...news, regionId: kept });
        if (result.inputs.verifyOnPreview === true && result.failures.length === 0) {
            result.failures.push(...(await operations.verify(this.config, result.inputs as unknown as CheckedInputs)));
        }
        return result;
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
