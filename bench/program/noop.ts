/**
 * The reference stack: the same number of resources with the same inputs,
 * through a dynamic provider that does nothing (no API, no validation). What
 * Pulumi itself costs per dynamic resource: serializing a provider, the
 * plugin's check/diff round trips, state.
 */
import * as pulumi from "@pulumi/pulumi";
import { readSettings, resourceArgs } from "./specs";

class NoopProvider implements pulumi.dynamic.ResourceProvider {
    create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        return Promise.resolve({ id: String(inputs.vpnConnectionId), outs: inputs });
    }

    update(
        _id: string,
        _olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.UpdateResult> {
        return Promise.resolve({ outs: news });
    }
}

class Noop extends pulumi.dynamic.Resource {
    constructor(name: string, props: Record<string, unknown>) {
        super(provider, name, props);
    }
}

const provider = new NoopProvider();
const settings = readSettings(new pulumi.Config());
for (let i = 0; i < settings.count; i++) {
    new Noop(`conn-${i}`, resourceArgs(settings, i) as unknown as Record<string, unknown>);
}
