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
import * as entry from "./pulumi/handlers";
import { AttributeOutputs, CheckedInputs } from "./model/types";

export function configFromPulumi(config: pulumi.dynamic.ConfigureRequest["config"]): entry.ProviderConfig {
    return entry.configure(config);
}

export function checkInputs(news: Record<string, unknown>): pulumi.dynamic.CheckResult {
    return entry.check({}, news);
}

export function diffResource(olds: AttributeOutputs, news: CheckedInputs): pulumi.dynamic.DiffResult {
    return entry.diff(news.vpnConnectionId, olds, news);
}

export async function apply(
    config: entry.ProviderConfig,
    inputs: CheckedInputs,
    olds: AttributeOutputs | undefined,
): Promise<AttributeOutputs> {
    const result = olds
        ? await entry.update(config, inputs.vpnConnectionId, olds, inputs)
        : await entry.create(config, inputs);
    return result.outs as AttributeOutputs;
}

export function read(
    config: entry.ProviderConfig,
    id: string,
    props: AttributeOutputs,
): Promise<pulumi.dynamic.ReadResult> {
    return entry.read(config, id, props);
}
