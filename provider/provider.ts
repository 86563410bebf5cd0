import type * as pulumi from "@pulumi/pulumi";
import { coalescingDescribes } from "./batching";
import { systemClock } from "./clock";
import { createVpcApi } from "./client";
import { ConvergeContext, converge, describe, explain, pickWriteOnly, withWriteOnly } from "./converge";
import { configFromPulumi, ProviderConfig, resolveCredentials } from "./credentials";
import { diffResource } from "./diffing";
import { ENDPOINT_ENV } from "./endpoint";
import { desiredFromInputs, inputsFromOutputs, managedAttributes, observedToOutputs, outputsToObserved } from "./state";
import { checkInputs } from "./validation";
import { AttributeOutputs, CheckedInputs, DesiredAttributes, ResourceSettings } from "./types";

/** The deadline for one create or update when the resource sets none: long tasks on real gateways take minutes. */
export const DEFAULT_TIMEOUT_SECONDS = 30 * 60;

/**
 * The dynamic provider. Pulumi serializes this object into state, so it holds
 * nothing live: credentials and clients are made inside each call, and the
 * Alibaba SDK is loaded only by the calls that reach the service.
 */
export class VpnAttachmentAttributeProvider implements pulumi.dynamic.ResourceProvider {
    private config: ProviderConfig = {};

    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.config = configFromPulumi(req.config);
    }

    async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, failures } = checkInputs(news);
        return { inputs, failures };
    }

    async diff(_id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.DiffResult> {
        return diffResource(olds, news);
    }

    async create(inputs: CheckedInputs): Promise<pulumi.dynamic.CreateResult> {
        const outs = await this.apply(inputs, undefined);
        return { id: inputs.vpnConnectionId, outs };
    }

    async update(_id: string, olds: AttributeOutputs, news: CheckedInputs): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await this.apply(news, olds) };
    }

    async read(id: string, props: AttributeOutputs): Promise<pulumi.dynamic.ReadResult> {
        const settings = settingsOf(props);
        const ctx = await this.context(settings, secretsOf(props), undefined);
        const observed = await describe(settings, ctx);
        if (!observed) {
            return { id: "" };
        }
        const managed = managedAttributes(outputsToObserved(props), props.managedFields ?? []);
        const outs = observedToOutputs(withWriteOnly(observed, pickWriteOnly(props)), settings, managed, props.lastTaskSeconds);
        return { id, props: outs, inputs: inputsFromOutputs(outs) };
    }

    /** This resource manages attributes, not the connection's life: deleting it leaves the connection as it is. */
    async delete(): Promise<void> {}

    private async apply(inputs: CheckedInputs, olds: AttributeOutputs | undefined): Promise<AttributeOutputs> {
        const settings = settingsOf(inputs);
        const desired = desiredFromInputs(inputs);
        const secrets = [...secretsOf(inputs), ...(olds ? secretsOf(olds) : [])];
        const ctx = await this.context(settings, secrets, olds?.lastTaskSeconds);
        ctx.writeOnly = olds ? pickWriteOnly(olds) : undefined;
        const result = await converge(settings, desired, ctx).catch((err: unknown) => {
            throw explain(err, "ModifyVpnAttachmentAttribute", settings, ctx.secrets);
        });
        const lastTaskSeconds = result.taskMs === undefined ? olds?.lastTaskSeconds : result.taskMs / 1000;
        return observedToOutputs(result.observed, settings, desired, lastTaskSeconds);
    }

    private async context(
        settings: ResourceSettings,
        secrets: string[],
        lastTaskSeconds: number | undefined,
    ): Promise<ConvergeContext> {
        const credentials = await resolveCredentials(this.config, process.env);
        secrets.push(...[credentials.accessKeySecret, credentials.securityToken].filter(isString));
        const clock = systemClock;
        const api = coalescingDescribes(
            createVpcApi({ regionId: settings.regionId, endpoint: settings.endpoint, credentials }),
            [settings.endpoint ?? process.env[ENDPOINT_ENV] ?? "", settings.regionId, credentials.accessKeyId].join("|"),
            settings.regionId,
        );
        return {
            api,
            sharedPolls: () => api.hasCompany(settings.vpnConnectionId),
            clock,
            deadline: clock.now() + (settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
            expectedTaskMs: lastTaskSeconds === undefined ? undefined : lastTaskSeconds * 1000,
            log: (line) => console.log(line),
            secrets,
        };
    }
}

function isString(v: unknown): v is string {
    return typeof v === "string" && v.length > 0;
}

function settingsOf(source: ResourceSettings): ResourceSettings {
    const settings: ResourceSettings = { regionId: source.regionId, vpnConnectionId: source.vpnConnectionId };
    if (source.endpoint !== undefined) settings.endpoint = source.endpoint;
    if (source.timeoutSeconds !== undefined) settings.timeoutSeconds = source.timeoutSeconds;
    return settings;
}

/** Every PSK the inputs or state carry, so messages can be scrubbed of them. */
function secretsOf(source: { psk?: string; tunnelPsks?: { psk: string }[] } & DesiredAttributes): string[] {
    const secrets: string[] = [];
    if (source.psk) secrets.push(source.psk);
    if (source.ikeConfig?.psk) secrets.push(source.ikeConfig.psk);
    for (const t of source.tunnelPsks ?? []) secrets.push(t.psk);
    for (const t of source.tunnelOptionsSpecification ?? []) {
        if (t.tunnelIkeConfig?.psk) secrets.push(t.tunnelIkeConfig.psk);
    }
    return secrets;
}
