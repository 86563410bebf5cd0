/**
 * What each method of the provider does, given the provider-level settings
 * (`configure`). The provider object (provider.ts) only hands calls on to
 * these; 0.1.0 states reach them through legacyEntry.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { configFromPulumi, credentialPlan, ProviderConfig } from "../credentials/resolution";
import { defaultRegion } from "../credentials/settings";
import { diffResource } from "../model/diffing";
import { previewChanges } from "../model/previewPaths";
import { rolloutPreview } from "../model/rolloutPlan";
import { withDetailedDiff } from "./detailedDiff";
import { warnOfInsecureInput } from "../foundation/endpoint";
import { errorKind } from "../foundation/errors";
import * as operations from "./operations";
import { AttributeOutputs, CheckedInputs, CheckFailure } from "../model/types";
import { isUnknown } from "../model/unknowns";
import { checkInputs } from "../model/validation";

export type { ProviderConfig };

/** The provider-level settings, from the stack config `configure` receives. */
export function configure(config: pulumi.dynamic.ConfigureRequest["config"]): ProviderConfig {
    return configFromPulumi(config);
}

export function check(_olds: Record<string, unknown>, news: Record<string, unknown>): pulumi.dynamic.CheckResult {
    warnOfInsecureInput(news.endpoint);
    const { inputs, failures } = checkInputs(news);
    return { inputs, failures: failures.map(asPulumiPrints) };
}

/**
 * `check` with the provider's settings (added after `check`, which stays for
 * stored providers that call it): a resource without regionId gets the one
 * it already has (a connection ID belongs to one region, so a later change of
 * alicloud:region must not move it), else alicloud:region, ALICLOUD_REGION or
 * ALIBABA_CLOUD_REGION_ID, fixed in state and shown in the preview; every
 * credential setting the provider would read for this resource (`alicloud:*`
 * config, ALICLOUD_* variables, its profile and role), checked as `up` checks
 * them but with no API call, so a typo fails the preview, not the `up`; and
 * the opt-in `verifyOnPreview` read.
 */
export async function checkWithConfig(
    config: ProviderConfig,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
    const hasRegion = news.regionId !== undefined && news.regionId !== null;
    const kept = hasRegion
        ? undefined
        : typeof olds.regionId === "string"
          ? olds.regionId
          : defaultRegion(config, process.env)?.value;
    const result = check(olds, kept === undefined ? news : { ...news, regionId: kept });
    const inputs = (result.inputs ?? {}) as Record<string, unknown>;
    const failures = [...(result.failures ?? [])];
    failures.push(...credentialFailures(config, inputs, new Set(failures.map((f) => f.property))));
    if (inputs.verifyOnPreview === true && failures.length === 0) {
        // No previous inputs: the resource is new, and its first up adopts the connection.
        const adopting = olds.vpnConnectionId === undefined;
        failures.push(...(await operations.verify(config, inputs as unknown as CheckedInputs, adopting)));
    }
    return { inputs, failures };
}

/**
 * A failure as the CLI prints it well. It prints `property P value V has a
 * problem: R`, looking V up as a top-level input: for a nested path such as
 * `ikeConfig.ikeLifetime` it finds none and prints `{<nil>}`. So a nested
 * failure goes as the resource's problem, its path leading the reason:
 * `ikeConfig.ikeLifetime must be an integer from 0 to 86400, got "1d"`.
 */
export function asPulumiPrints(failure: CheckFailure): CheckFailure {
    return /[.[]/.test(failure.property) ? { property: "", reason: `${failure.property} ${failure.reason}` } : failure;
}

/** The message `up` would fail with for the credential settings, as a check failure; none when they are sound. */
function credentialFailures(
    config: ProviderConfig,
    inputs: Record<string, unknown>,
    failed: Set<string>,
): CheckFailure[] {
    // An input that failed its own rule is reported once, by that rule.
    const override = (name: "profile" | "assumeRoleArn") => {
        const value = inputs[name];
        return typeof value === "string" && !isUnknown(value) && !failed.has(name) ? value : undefined;
    };
    try {
        credentialPlan(config, process.env, { profile: override("profile"), assumeRoleArn: override("assumeRoleArn") });
        return [];
    } catch (err) {
        if (errorKind(err) !== "config") {
            throw err;
        }
        // The message names the setting (a config key, a variable, an input): no property to add.
        return [{ property: "", reason: (err as Error).message }];
    }
}

/**
 * The engine's diff (diffResource); an update also names the inputs it
 * changes (previewChanges), so the preview shows exactly what `up` sends, and
 * says, when the update is gated (the `rollout` input), in which order it will
 * change the tunnels.
 */
export function diff(_id: string, olds: AttributeOutputs, news: CheckedInputs): pulumi.dynamic.DiffResult {
    const outcome = diffResource(olds, news);
    if (!outcome.changes || outcome.replaces.length > 0) {
        return outcome;
    }
    const rollout = rolloutPreview(olds, news);
    if (rollout !== undefined) {
        console.log(`${news.vpnConnectionId}: ${rollout}`);
    }
    return withDetailedDiff(outcome, previewChanges(olds, news));
}

export async function create(config: ProviderConfig, inputs: CheckedInputs): Promise<pulumi.dynamic.CreateResult> {
    return { id: inputs.vpnConnectionId, outs: await operations.apply(config, inputs, undefined) };
}

export async function update(
    config: ProviderConfig,
    _id: string,
    olds: AttributeOutputs,
    news: CheckedInputs,
): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: await operations.apply(config, news, olds) };
}

export function read(config: ProviderConfig, id: string, props: AttributeOutputs): Promise<pulumi.dynamic.ReadResult> {
    return operations.read(config, id, props);
}
