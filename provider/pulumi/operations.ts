/**
 * What each operation of the dynamic provider does. provider.ts only adapts
 * these to Pulumi's interface: Pulumi serializes the provider object into
 * every resource's state, so the less code it holds itself, the less each
 * resource carries (an installed package is captured as require() references).
 */
import type * as pulumi from "@pulumi/pulumi";
import { coalescingDescribes } from "../service/batching";
import { systemClock } from "../foundation/clock";
import { createVpcApi } from "../service/client";
import { ConvergeContext } from "../apply/context";
import { rollOut } from "../apply/rollout";
import { readConnectionOnce } from "../apply/reading";
import { renewingCredentials } from "../credentials/renewal";
import { signedPerCall } from "../service/signedPerCall";
import { ProviderConfig, resolveCredentials } from "../credentials/resolution";
import { ENDPOINT_ENV } from "../foundation/endpoint";
import { errorKind, ProviderError } from "../foundation/errors";
import { userMessage } from "../foundation/userMessage";
import { pacedCalls, pacedRate } from "../service/pacing";
import { fleetOf } from "../service/watching";
import {
    desiredFromInputs,
    inputsFromOutputs,
    inStoredOrder,
    managedAttributes,
    observedToOutputs,
    outputsToObserved,
    pickWriteOnly,
    withWriteOnly,
    settingsOf,
} from "../model/pulumiState";
import {
    AttributeOutputs,
    CheckedInputs,
    CheckFailure,
    DesiredAttributes,
    ObservedConnection,
    ResourceSettings,
} from "../model/types";
import { tunnelPsksOf } from "../model/psks";
import { isUnknown } from "../model/unknowns";
import { modeConflicts } from "../model/validation";
import { compareAttributes } from "../model/diffing";
import { adoptionReport } from "../model/adoption";
import { SETTINGS } from "../model/settings";

/** The deadline for one create or update when the resource sets none (settings.ts): long tasks on real gateways take minutes. */
export const DEFAULT_TIMEOUT_SECONDS: number = SETTINGS.timeoutSeconds.defaultValue;

/** Create adopts the connection: it converges it like an update with no previous state. */
export async function apply(
    config: ProviderConfig,
    inputs: CheckedInputs,
    olds: AttributeOutputs | undefined,
): Promise<AttributeOutputs> {
    const settings = settingsOf(inputs);
    const desired = desiredFromInputs(inputs);
    const report: Reporting = { settings, secrets: [...secretsOf(inputs), ...(olds ? secretsOf(olds) : [])] };
    const result = await reported(report, async () => {
        const ctx = await operationContext(config, report, olds?.lastTaskSeconds);
        ctx.writeOnly = olds ? pickWriteOnly(olds) : undefined;
        return ctx.finish(rollOut(settings, desired, ctx));
    });
    const lastTaskSeconds = result.taskMs === undefined ? olds?.lastTaskSeconds : result.taskMs / 1000;
    return observedToOutputs(result.observed, settings, desired, lastTaskSeconds);
}

/** Refresh: what the service reports now, for the fields this resource manages; a deleted connection is gone. */
export async function read(
    config: ProviderConfig,
    id: string,
    props: AttributeOutputs,
): Promise<pulumi.dynamic.ReadResult> {
    const settings = settingsOf(props);
    const report: Reporting = { settings, secrets: secretsOf(props) };
    const observed = await reported(report, async () => {
        const ctx = await operationContext(config, report, undefined);
        return ctx.finish(readConnectionOnce(settings, ctx));
    });
    if (!observed) {
        return { id: "" };
    }
    const managed = managedAttributes(outputsToObserved(props), props.managedFields ?? []);
    const outs = observedToOutputs(
        withWriteOnly(observed, pickWriteOnly(props)),
        settings,
        managed,
        props.lastTaskSeconds,
    );
    outs.managedFields = inStoredOrder(outs.managedFields, props.managedFields ?? []);
    return { id, props: outs, inputs: inputsFromOutputs(outs) };
}

/** How long `verify` may take: it runs in preview, which must not hang on a slow endpoint. */
const VERIFY_TIMEOUT_MS = 60_000;

/**
 * One read of the connection, read-only and within VERIFY_TIMEOUT_MS: for
 * preview (`verify`) and the `adopt` command, whose output is the program
 * text alone (`log` takes its progress lines elsewhere). Undefined when the
 * region has no such connection; a failure throws the user's message.
 */
export async function observe(
    config: ProviderConfig,
    settings: ResourceSettings,
    secrets: string[] = [],
    log?: (line: string) => void,
): Promise<ObservedConnection | undefined> {
    const report: Reporting = { settings, secrets };
    return reported(report, async () => {
        const ctx = await operationContext(config, report, undefined, VERIFY_TIMEOUT_MS);
        ctx.log = log ?? ctx.log;
        return ctx.finish(readConnectionOnce(settings, ctx));
    });
}

/**
 * The opt-in check at preview (`verifyOnPreview`): read-only calls that the
 * connection exists in the region and that its tunnel mode accepts what the
 * program declares. Everything it finds, a failed call included, is a check
 * failure: the preview stops with the reason. When the resource is new
 * (`adopting`), it also prints what the first `up` will change on the
 * connection: Pulumi shows a create's inputs, not a diff, and a dynamic
 * provider's printed lines reach the preview's diagnostics.
 */
export async function verify(config: ProviderConfig, inputs: CheckedInputs, adopting = false): Promise<CheckFailure[]> {
    if (isUnknown(inputs.regionId) || isUnknown(inputs.vpnConnectionId)) {
        return [];
    }
    const settings = settingsOf(inputs);
    let observed: ObservedConnection | undefined;
    try {
        observed = await observe(config, settings, secretsOf(inputs));
    } catch (err) {
        return [{ property: "verifyOnPreview", reason: `could not read the connection: ${(err as Error).message}` }];
    }
    if (!observed) {
        return [
            {
                property: "vpnConnectionId",
                reason: `no IPsec-VPN connection ${settings.vpnConnectionId} in region ${settings.regionId} (checked because verifyOnPreview is set)`,
            },
        ];
    }
    const desired = desiredFromInputs(inputs);
    const conflicts = modeConflicts(desired, observed.mode);
    if (adopting && conflicts.length === 0) {
        console.log(adoptionReport(settings, compareAttributes(desired, observed)));
    }
    return conflicts.map((field) => ({
        property: field,
        reason: `connection ${settings.vpnConnectionId} is a ${observed.mode}-tunnel connection, which does not accept ${field} (checked because verifyOnPreview is set)`,
    }));
}

/** What an operation's errors are told with: its connection, and the secrets and credential source as they become known. */
interface Reporting {
    settings: ResourceSettings;
    secrets: string[];
    credentialSource?: string;
}

/**
 * Runs an operation's work, credential resolution included, so that every
 * error it ends with reaches Pulumi as the user's message (`userMessage`).
 */
async function reported<T>(report: Reporting, work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (err) {
        throw userError(err, report);
    }
}

/**
 * Credentials and a client for one call, never kept beyond it. Temporary keys
 * are renewed before any call they would not outlive (renewal.ts), and no
 * call starts after the deadline: `timeoutSeconds`, or `capMs` if sooner.
 */
async function operationContext(
    config: ProviderConfig,
    report: Reporting,
    lastTaskSeconds: number | undefined,
    capMs = Infinity,
): Promise<ConvergeContext & { finish<T>(work: Promise<T>): Promise<T> }> {
    const { settings, secrets } = report;
    const clock = systemClock;
    const deadline = clock.now() + Math.min(capMs, (settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
    const resolve = async () => {
        const resolved = await resolveCredentials(
            config,
            process.env,
            { profile: settings.profile, assumeRoleArn: settings.assumeRoleArn },
            clock,
        );
        secrets.push(...[resolved.accessKeySecret, resolved.securityToken].filter(isString));
        return resolved;
    };
    const credentials = await resolve();
    report.credentialSource = credentials.source;
    const endpoint = settings.endpoint ?? process.env[ENDPOINT_ENV] ?? "";
    // The service limits calls per access key, in every region alike.
    const pacingKey = [endpoint, credentials.accessKeyId].join("|");
    const signed = signedPerCall(renewingCredentials(credentials, resolve, clock, deadline), (current) =>
        createVpcApi({ regionId: settings.regionId, endpoint: settings.endpoint, credentials: current }),
    );
    const paced = pacedCalls(signed, pacingKey, clock, deadline);
    // Connections read together with one key in one region are a fleet: their reads coalesce, their polls share a grid.
    const fleetKey = [endpoint, settings.regionId, credentials.accessKeyId].join("|");
    const api = coalescingDescribes(paced, fleetKey, settings.regionId, () => pacedRate(pacingKey), clock, deadline);
    return {
        api,
        fleet: fleetOf(fleetKey, settings.vpnConnectionId, clock),
        clock,
        deadline,
        lastTaskSeconds,
        // Once the operation is over, its connection's reads no longer make company for others' (batching.ts).
        finish: (work) => work.finally(() => api.done(settings.vpnConnectionId)),
        log: (line) => console.log(line),
        secrets,
    };
}

/** What reaches Pulumi: the user's message only, so no field of the original (a request, a key) goes along. */
function userError(err: unknown, report: Reporting): ProviderError {
    return new ProviderError(
        userMessage(err, {
            vpnConnectionId: report.settings.vpnConnectionId,
            regionId: report.settings.regionId,
            secrets: report.secrets,
            credentialSource: report.credentialSource,
        }),
        "VpnAttachmentAttributeError",
        errorKind(err),
    );
}

function isString(v: unknown): v is string {
    return typeof v === "string" && v.length > 0;
}

/**
 * Every PSK the inputs or state carry, so messages can be scrubbed of them:
 * where the API takes them (as observedPsks reads a connection) and the
 * secret top-level `psk` and `tunnelPsks`.
 */
function secretsOf(source: { psk?: string; tunnelPsks?: { psk: string }[] } & DesiredAttributes): string[] {
    return [
        source.psk,
        source.ikeConfig?.psk,
        ...(source.tunnelPsks ?? []).map((t) => t.psk),
        ...tunnelPsksOf(source.tunnelOptionsSpecification).map((t) => t.psk),
    ].filter(isString);
}
