/**
 * What the provider stored in the state of 0.1.0 resources calls. That
 * release serialized `require()`s of four internal files
 * (`bin/provider/credentials.js`, `validation.js`, `diffing.js`,
 * `operations.js`); package.json `exports` maps each of those paths to this
 * module, which answers those five calls with the current handlers. Such a
 * state keeps its old provider until the resource's next update rewrites it
 * (a refresh or an unchanged `up` leaves it), so this stays for as long as
 * 0.1.0 states may be around.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as handlers from "./pulumi/handlers";
import { AttributeOutputs, CheckedInputs } from "./model/types";

export function configFromPulumi(config: pulumi.dynamic.ConfigureRequest["config"]): handlers.ProviderConfig {
    return handlers.configure(config);
}

export function checkInputs(news: Record<string, unknown>): pulumi.dynamic.CheckResult {
    return handlers.check({}, news);
}

export function diffResource(olds: AttributeOutputs, news: CheckedInputs): pulumi.dynamic.DiffResult {
    return handlers.diff(news.vpnConnectionId, olds, news);
}

export async function apply(
    config: handlers.ProviderConfig,
    inputs: CheckedInputs,
    olds: AttributeOutputs | undefined,
): Promise<AttributeOutputs> {
    const result = olds
        ? await handlers.update(config, inputs.vpnConnectionId, olds, inputs)
        : await handlers.create(config, inputs);
    return result.outs as AttributeOutputs;
}

export function read(
    config: handlers.ProviderConfig,
    id: string,
    props: AttributeOutputs,
): Promise<pulumi.dynamic.ReadResult> {
    return handlers.read(config, id, props);
}
